"""Login with two-factor codes, and turning TOTP two-factor login on and off."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import TOTPConfirmForm
from .scoping import RoleKind, role_kinds


def _may_use_two_factor(user) -> bool:
    return user.is_superuser or RoleKind.SECRETARIAT in role_kinds(user)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def two_factor(request):
    """Show whether 2FA is on; set up a new TOTP device and confirm it with a first code."""
    if not _may_use_two_factor(request.user):
        raise PermissionDenied("Xác thực hai lớp dành cho văn phòng thường trực và quản trị viên.")
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if confirmed:
        return render(request, "registration/two_factor.html", {"confirmed": confirmed})
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Ứng dụng xác thực"}
    )
    form = TOTPConfirmForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, "Đã bật xác thực hai lớp. Lần đăng nhập sau cần nhập mã 6 số.")
        return redirect("two_factor")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor.html",
        {"form": form, "qr": _qr_svg(device.config_url), "secret": secret},
    )


@require_POST
@login_required
def two_factor_disable(request):
    if not _may_use_two_factor(request.user):
        raise PermissionDenied("Xác thực hai lớp dành cho văn phòng thường trực và quản trị viên.")
    if not request.user.is_verified():
        raise PermissionDenied("Hãy đăng nhập bằng mã xác thực trước khi tắt xác thực hai lớp.")
    TOTPDevice.objects.filter(user=request.user).delete()
    messages.success(request, "Đã tắt xác thực hai lớp.")
    return redirect("two_factor")
