"""Forms of the assignments app: login, two-factor setup, users and their roles."""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from communes.models import Commune, District
from core.text import clean

from .models import Agency, Role, User
from .two_factor import is_recovery_code, normalised_token


class LoginForm(OTPAuthenticationFormMixin, AuthenticationForm):
    """Username or email and password; plus the 6-digit code for those who turned on 2FA."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        label="Mã xác thực 6 số hoặc mã dự phòng (nếu đã bật xác thực hai lớp)",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    otp_challenge = forms.CharField(required=False, widget=forms.HiddenInput)

    otp_error_messages = dict(
        OTPAuthenticationFormMixin.otp_error_messages,
        token_required="Tài khoản này đã bật xác thực hai lớp: hãy nhập mã 6 số trên ứng dụng.",
        invalid_token="Mã xác thực không đúng hoặc đã hết hạn. Vui lòng thử lại.",
        n_failed_attempts="Nhập sai mã nhiều lần: tạm khóa xác thực, vui lòng thử lại sau ít phút.",
        verification_not_allowed="Tạm thời không xác thực được mã, vui lòng thử lại sau.",
        device_required="Vui lòng chọn thiết bị xác thực.",
    )
    error_messages = {
        "invalid_login": (
            "Tên đăng nhập (hoặc email) hoặc mật khẩu không đúng. "
            "Lưu ý chữ hoa, chữ thường của mật khẩu."
        ),
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập hoặc email"
        self.fields["password"].label = "Mật khẩu"

    def clean_otp_token(self):
        return normalised_token(self.cleaned_data.get("otp_token", ""))

    def _chosen_device(self, user):
        # One authenticator app per person, and its recovery codes: a code with letters is
        # a recovery code; otherwise the app, unless the form named another device.
        if is_recovery_code(self.cleaned_data.get("otp_token", "")):
            return StaticDevice.objects.devices_for_user(user, confirmed=True).first()
        chosen = super()._chosen_device(user)
        return chosen or TOTPDevice.objects.devices_for_user(user, confirmed=True).first()

    def clean(self):
        self.cleaned_data = super().clean()
        user = self.get_user()
        # The second factor is asked only of those who turned it on.
        if user is not None and user_has_device(user, confirmed=True):
            self.clean_otp(user)
        return self.cleaned_data


class TOTPConfirmForm(forms.Form):
    token = forms.CharField(
        label="Mã 6 số trên ứng dụng xác thực",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self):
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if not self.device.verify_token(token):
            raise forms.ValidationError("Mã không đúng. Kiểm tra giờ trên điện thoại rồi thử lại.")
        return token


class AgencyChoiceField(forms.ModelChoiceField):
    """An agency by its full name, its short name only as a hint: "Ban Dân vận Tỉnh ủy
    (BDVTU)"."""

    def label_from_instance(self, obj):
        return obj.choice_label


class RoleScopeForm(forms.Form):
    """A role and its scope, with every choice limited to the secretariat's province."""

    kind = forms.ChoiceField(label="Vai trò", choices=Role.Kind.choices)
    agency = AgencyChoiceField(
        label="Cơ quan, đơn vị", queryset=Agency.objects.none(), required=False
    )
    district = forms.ModelChoiceField(
        label="Huyện (trước 01/7/2025)", queryset=District.objects.none(), required=False
    )
    commune = forms.ModelChoiceField(label="Xã", queryset=Commune.objects.none(), required=False)

    SCOPE_FIELD = {
        Role.Kind.AGENCY_LEADER: "agency",
        Role.Kind.AGENCY_STAFF: "agency",
        Role.Kind.DISTRICT_OFFICER: "district",
        Role.Kind.COMMUNE_OFFICER: "commune",
    }

    def __init__(self, *args, province, secretariat, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province
        self.fields["agency"].queryset = Agency.objects.visible_to(secretariat).filter(
            province=province, is_active=True
        )
        self.fields["district"].queryset = District.objects.filter(
            province__successor=province
        ).order_by("name")
        self.fields["commune"].queryset = (
            Commune.objects.in_province(province)
            .filter(Q(valid_to__isnull=True) | Q(assignments__isnull=False))
            .distinct()
            .select_related("district")
            .order_by("valid_to", "name")
        )

    def clean(self):
        data = super().clean()
        needed = self.SCOPE_FIELD.get(data.get("kind"))
        for field in ("agency", "district", "commune"):
            if field == needed and not data.get(field):
                self.add_error(
                    field, "Vai trò này cần chọn " + self.fields[field].label.lower() + "."
                )
            elif field != needed:
                data[field] = None
        return data

    def role_values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "province": self.province,
            "agency": data["agency"],
            "district": data["district"],
            "commune": data["commune"],
        }


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "email"]
        labels = {
            "username": "Tên đăng nhập",
            "last_name": "Họ và tên đệm",
            "first_name": "Tên",
            "email": "Email",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["last_name"].required = True
        self.fields["first_name"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        clash = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Email này đã được dùng cho một tài khoản khác.")
        return email


class InviteForm(UserForm):
    """A person to invite: no password (they set their own); the login is the email unless
    another is typed."""

    phone = forms.CharField(label="Điện thoại", max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].required = False
        self.fields["username"].help_text = "Để trống: đăng nhập bằng email."

    def clean_username(self):
        username = self.cleaned_data.get("username", "").strip()
        email = (self.data.get("email") or "").strip().lower()
        candidate = username or email
        if candidate and User.objects.filter(username__iexact=candidate).exists():
            raise forms.ValidationError("Tên đăng nhập này đã có người dùng.")
        return username


class PeopleImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel danh sách người được mời (.xlsx)")


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại hồ sơ",
        required=False,
        choices=[
            ("", "Tất cả"),
            ("agency", "Cơ quan, đơn vị"),
            ("decision", "Quyết định"),
            ("assignment", "Phân công"),
            ("activity", "Hoạt động"),
            ("contribution", "Đóng góp"),
            ("fieldvisit", "Chuyến công tác"),
            ("role", "Vai trò người dùng"),
            ("user", "Tài khoản người dùng"),
        ],
    )
    who = forms.CharField(label="Người thực hiện", required=False, max_length=100)
    action = forms.ChoiceField(
        label="Thao tác",
        required=False,
        choices=[("", "Tất cả"), ("+", "Tạo mới"), ("~", "Sửa"), ("-", "Xóa")],
    )
    date_from = forms.DateField(
        label="Từ ngày", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="Đến ngày", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AdminLoginForm(LoginForm):
    """Django admin's login, with the same second factor; only staff may enter."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise forms.ValidationError(
                "Tài khoản này không có quyền vào trang quản trị.", code="invalid_login"
            )


class RemapForm(forms.Form):
    number = forms.CharField(label="Số hiệu quyết định mới", max_length=50)
    signed_on = forms.DateField(label="Ngày ký", widget=forms.DateInput(attrs={"type": "date"}))
    phase_start = forms.DateField(
        label="Hiệu lực từ", widget=forms.DateInput(attrs={"type": "date"})
    )
    phase_end = forms.DateField(label="Đến", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if (
            data.get("phase_start")
            and data.get("phase_end")
            and data["phase_end"] < data["phase_start"]
        ):
            self.add_error("phase_end", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data


class UserSearchForm(forms.Form):
    """The people list's search: a NUL byte or an overlong string is refused by the field
    (the database cannot compare them), never sent to the query."""

    q = forms.CharField(label="Tìm", required=False, max_length=150, strip=True)


class ProvinceSettingsForm(forms.Form):
    giupxa_since = forms.DateField(
        label="Dùng Giúp xã từ ngày", required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Số liệu của các kỳ kết thúc trước ngày này là nhập bù: không xét gửi chậm,"
        " không xét thiếu ngày về xã. Để trống nếu tỉnh dùng từ đầu giai đoạn.",
    )  # fmt: skip

    def clean_giupxa_since(self):
        day = self.cleaned_data["giupxa_since"]
        if day is not None and not datetime.date(2015, 1, 1) <= day <= datetime.date(2100, 12, 31):
            raise forms.ValidationError("Ngày phải trong khoảng 01/01/2015 – 31/12/2100.")
        return day


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "is_active"]
        labels = {"name": "Tên đầy đủ", "short_name": "Tên viết tắt (không bắt buộc)"}

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province

    def clean_name(self):
        name = clean(self.cleaned_data["name"])
        clash = Agency.objects.filter(province=self.province, name__iexact=name)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Tỉnh đã có cơ quan, đơn vị mang tên này.")
        return name

    def clean_short_name(self):
        return clean(self.cleaned_data["short_name"])
