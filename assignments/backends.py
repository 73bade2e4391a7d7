"""Logging in: one account whatever the spelling typed, for the password check and for the
lockout's counter alike."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from core.text import clean


def find_account(typed: str):
    """The account a login name belongs to: its username or its email, in any letter case,
    with spaces and Unicode composition as typed (NFC, trimmed); None if there is none."""
    typed = clean(typed or "")
    if not typed:
        return None
    users = get_user_model()._default_manager.filter(
        Q(username__iexact=typed) | Q(email__iexact=typed)
    )
    return users.order_by("pk").first()


def lockout_key(request, credentials=None) -> str:
    """django-axes counts failures under this key (AXES_USERNAME_CALLABLE): the account's
    username, so "CanBo", "canbo " and the email share one counter, and a success under one
    spelling never clears a lock earned under another. Unknown names count as typed,
    case-folded."""
    typed = (credentials or {}).get("username")
    if typed is None and request is not None:
        typed = request.POST.get("username", "")
    user = find_account(typed)
    return user.username.casefold() if user else clean(typed or "").casefold()


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or the email address, either in any letter case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        user = find_account(username)
        if user is None:
            # Spend the same time as a real check, so timing does not reveal who exists.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
