"""A service's ValidationError shown on the form that sent the input."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.forms import add_service_errors


class ActivityForm(forms.Form):
    title = forms.CharField()
    start_date = forms.DateField(required=False)


def valid_form():
    form = ActivityForm(data={"title": "Trao quà"})
    assert form.is_valid()
    return form


def test_a_field_error_lands_on_its_field():
    form = valid_form()
    add_service_errors(form, ValidationError({"title": "Tiêu đề đã có trong năm nay"}))
    assert form.errors == {"title": ["Tiêu đề đã có trong năm nay"]}
    assert form.non_field_errors() == []
    assert not form.is_valid()
    assert "title" not in form.cleaned_data


def test_an_unknown_field_lands_at_the_top_of_the_form():
    form = valid_form()
    error = ValidationError(
        {"start_date": "Ngày nằm ngoài giai đoạn", "assignment": "Phân công đã hết hiệu lực"}
    )
    add_service_errors(form, error)
    assert form.errors["start_date"] == ["Ngày nằm ngoài giai đoạn"]
    assert form.non_field_errors() == ["Phân công đã hết hiệu lực"]
    assert "assignment" not in form.errors


def test_a_field_less_error_lands_at_the_top_of_the_form():
    form = valid_form()
    add_service_errors(form, ValidationError("Hoạt động đã khóa"))
    assert form.non_field_errors() == ["Hoạt động đã khóa"]
    assert list(form.errors) == [NON_FIELD_ERRORS]

    form = valid_form()
    add_service_errors(form, ValidationError(["Thiếu biên bản", "Thiếu ảnh"]))
    assert form.non_field_errors() == ["Thiếu biên bản", "Thiếu ảnh"]


def test_non_field_errors_in_a_dict_land_at_the_top_of_the_form():
    form = valid_form()
    add_service_errors(form, ValidationError({NON_FIELD_ERRORS: ["Trùng hoạt động"]}))
    assert form.non_field_errors() == ["Trùng hoạt động"]
