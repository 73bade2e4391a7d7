"""Invitations: an account is created without a password and its owner sets one through a
link that expires. Nobody types a password for someone else.

The link carries a signed token (`django.core.signing`, salted for invitations) holding the
account's id and a stamp of its password field. An invited account has an unusable
password, a random string: setting a password changes the field, so the link works once;
inviting again sets a new unusable password, so only the newest link works. The signature
expires after INVITATION_DAYS.
"""

import datetime
import hashlib

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from .models import User

SALT = "giupxa.invitation"


class InvitationExpired(Exception):
    """The link was genuine but is older than INVITATION_DAYS."""


def _stamp(user: User) -> str:
    return hashlib.sha256(user.password.encode()).hexdigest()[:16]


def token_for(user: User) -> str:
    return signing.dumps([user.pk, _stamp(user)], salt=SALT, compress=True)


def max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.INVITATION_DAYS)


def user_for(token: str) -> User | None:
    """The invited account `token` names, or None when it is not a current invitation
    (forged, already used, replaced by a newer one, or the account locked).
    InvitationExpired when it was one but is too old."""
    try:
        pk, stamp = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired as error:
        raise InvitationExpired from error
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first() if isinstance(pk, int) else None
    if user is None or user.has_usable_password() or _stamp(user) != stamp:
        return None
    return user


def is_pending(user: User) -> bool:
    """Invited and the password not yet set."""
    return user.is_active and not user.has_usable_password()


def link(user: User, *, request=None) -> str:
    """The absolute link to set the password: SITE_URL when set, else the request's host."""
    path = reverse("invitation_accept", args=[token_for(user)])
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return "http://127.0.0.1:8000" + path


def expires_at() -> datetime.datetime:
    """When a link made now stops working, in local time."""
    return timezone.localtime() + max_age()


def send(user: User, url: str, *, invited_by=None) -> bool:
    """Email the link; False when there is no address or the mail server refused (the
    inviter then passes the link on by other means: it is shown to them)."""
    if not user.email:
        return False
    who = str(invited_by) if invited_by else "Văn phòng thường trực chương trình"
    body = (
        f"Kính gửi {user},\n\n"
        f"{who} mời bạn sử dụng giúp xã, phần mềm theo dõi công tác giúp đỡ các xã"
        " đặc biệt khó khăn.\n\n"
        f"Tên đăng nhập: {user.username}\n"
        f"Đặt mật khẩu tại: {url}\n\n"
        f"Đường dẫn dùng được một lần, đến {expires_at():%H:%M ngày %d/%m/%Y}.\n"
    )
    try:
        send_mail("Mời tham gia giúp xã", body, None, [user.email])
    except Exception:  # a mail server that is down must not lose the invitation
        return False
    return True


def announce(request, user) -> None:
    """Send the invitation and tell the inviter how it went, with the link to pass on."""
    url = link(user, request=request)
    sent = send(user, url, invited_by=request.user)
    how = f"Đã gửi thư mời tới {user.email}." if sent else "Chưa gửi được thư mời."
    messages.success(
        request,
        f"Đã mời {user} (tên đăng nhập {user.username}). {how} Có thể gửi đường dẫn đặt mật"
        f" khẩu qua tin nhắn: {url} (dùng một lần, đến"
        f" {expires_at():%H:%M ngày %d/%m/%Y}).",
    )
