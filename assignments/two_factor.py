"""Two-factor login: who must have it, enrolment with recovery codes, and the guard that
keeps an account that must have it out of every page until it has verified a code.

The secretariat runs the province's people and audit log, and superusers the whole system:
a password alone must not reach either. Their first login enrols an authenticator app (TOTP)
and gives ten one-time recovery codes; every later login asks for a code. Others may turn it
on for themselves.
"""

from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .scoping import RoleKind, role_kinds

RECOVERY_CODES = 10
RECOVERY_NAME = "Mã dự phòng"
APP_NAME = "Ứng dụng xác thực"


def requires_two_factor(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or bool({RoleKind.SECRETARIAT, RoleKind.NATIONAL} & role_kinds(user))
    )


def may_use_two_factor(user) -> bool:
    """Who can turn it on for themselves (those who must, and anyone who wants it)."""
    return user.is_authenticated


def normalised_token(token: str) -> str:
    """A code as typed: "123 456", "abcd-efgh", "ABCD EFGH" all read as the code."""
    return "".join(ch for ch in (token or "") if ch.isalnum()).lower()


def is_recovery_code(token: str) -> bool:
    token = normalised_token(token)
    return bool(token) and not token.isdigit()


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """Ten new one-time codes; the previous ones stop working. Shown once, never again."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_enrol(*, request, device: TOTPDevice) -> list[str]:
    """Confirm the app the user just scanned, log the session in as verified, and issue the
    recovery codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).exclude(pk=device.pk).delete()
    otp_login(request, device)
    return recovery_codes_issue(user=device.user)


@transaction.atomic
def two_factor_reset(*, user) -> None:
    """Remove every device (a lost phone): the next login enrols again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def matching_device(user, token: str):
    """The confirmed device that accepts `token` (a TOTP code or a recovery code), or None;
    a recovery code is spent by this call."""
    token = normalised_token(token)
    if not token:
        return None
    model = StaticDevice if is_recovery_code(token) else TOTPDevice
    for device in model.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


# Pages an account that must verify can still reach: enrolment, verification, logout.
OPEN_URL_NAMES = {"two_factor", "two_factor_verify", "logout", "login", "healthz"}


class TwoFactorRequiredMiddleware:
    """Keep a session of an account that must use two-factor login out of every page until
    it has verified a code (after OTPMiddleware, which sets `user.is_verified`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not requires_two_factor(user) or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_URL_NAMES and not match.namespace:
            return None
        name = "two_factor_verify" if user_has_device(user, confirmed=True) else "two_factor"
        target = f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
