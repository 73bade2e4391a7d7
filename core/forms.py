"""Showing a service's refusal on the form whose input it refused."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Put the messages of a service's ValidationError on `form`: each under its field when
    the form has that field, the rest (and field-less messages) at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
