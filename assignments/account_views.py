"""Two-factor login: enrolment (an authenticator app and recovery codes), verification of a
session that has not given a code yet, new recovery codes, and turning it off where allowed."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import two_factor as tf
from .forms import TOTPConfirmForm


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        return target
    return "/"


@login_required
def two_factor(request):
    """Whether two-factor login is on; if not, set up an app and confirm it with a first
    code, then show the recovery codes once."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    required = tf.requires_two_factor(user)
    if confirmed:
        codes = StaticToken.objects.filter(device__user=user, device__confirmed=True)
        codes_left = codes.count()
        context = {"confirmed": confirmed, "required": required, "codes_left": codes_left}
        return render(request, "registration/two_factor.html", context)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": tf.APP_NAME}
    )
    form = TOTPConfirmForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = tf.two_factor_enrol(request=request, device=device)
        return render(request, "registration/recovery_codes.html",
                      {"codes": codes, "next": _next(request), "first": True})  # fmt: skip
    return render(
        request,
        "registration/two_factor.html",
        {"form": form, "qr": _qr_svg(device.config_url), "required": required,
         "secret": base64.b32encode(device.bin_key).decode(), "next": _next(request)},
    )  # fmt: skip


class VerifyForm(forms.Form):
    token = forms.CharField(
        label="Mã 6 số trên ứng dụng xác thực, hoặc một mã dự phòng",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_token(self):
        self.device = tf.matching_device(self.user, self.cleaned_data["token"])
        if self.device is None:
            raise forms.ValidationError(
                "Mã không đúng hoặc đã dùng. Kiểm tra giờ trên điện thoại rồi thử lại."
            )
        return self.cleaned_data["token"]


@login_required
def two_factor_verify(request):
    """A session of an account with two-factor login that has not given a code yet (its role
    was added after it logged in, say) gives one here."""
    if request.user.is_verified():
        return redirect(_next(request))
    form = VerifyForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            messages.warning(request, "Bạn vừa dùng một mã dự phòng: mỗi mã chỉ dùng được một lần.")
        return redirect(_next(request))
    return render(request, "registration/two_factor_verify.html",
                  {"form": form, "next": _next(request)})  # fmt: skip


@require_POST
@login_required
def two_factor_recovery(request):
    """New recovery codes (the old ones stop working), from a verified session only."""
    if not request.user.is_verified():
        raise PermissionDenied("Hãy đăng nhập bằng mã xác thực trước khi tạo mã dự phòng mới.")
    codes = tf.recovery_codes_issue(user=request.user)
    return render(request, "registration/recovery_codes.html", {"codes": codes, "next": "/"})


@require_POST
@login_required
def two_factor_disable(request):
    if tf.requires_two_factor(request.user):
        raise PermissionDenied(
            "Tài khoản văn phòng thường trực và quản trị viên bắt buộc dùng xác thực hai lớp."
        )
    if not request.user.is_verified():
        raise PermissionDenied("Hãy đăng nhập bằng mã xác thực trước khi tắt xác thực hai lớp.")
    tf.two_factor_reset(user=request.user)
    messages.success(request, "Đã tắt xác thực hai lớp.")
    return redirect("two_factor")
