"""Forms of the assignments app: login, two-factor setup, users and their roles."""

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from communes.labels import commune_label
from communes.models import REFORM_DATE, Commune, District, Province, Village
from core.text import clean

from .models import Agency, Assignment, Decision, Role, User
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

    kind = forms.ChoiceField(
        label="Vai trò", choices=[c for c in Role.Kind.choices if c[0] != Role.Kind.NATIONAL]
    )
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
        fields = ["name", "short_name", "kind", "is_active", "leader", "deputy", "member_units"]
        labels = {
            "name": "Tên đầy đủ",
            "short_name": "Tên viết tắt (không bắt buộc)",
            "leader": "Tổ trưởng (với tổ công tác)",
            "deputy": "Tổ phó (với tổ công tác)",
            "member_units": "Đơn vị thành viên (với tổ công tác)",
        }
        widgets = {"member_units": forms.Textarea(attrs={"rows": 3})}

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

    def clean(self):
        data = super().clean()
        for name in ("leader", "deputy"):
            data[name] = clean(data.get(name, ""))
        data["member_units"] = "\n".join(
            clean(line) for line in data.get("member_units", "").splitlines() if clean(line)
        )
        if data.get("kind") == Agency.Kind.WORKING_GROUP and not data["leader"]:
            self.add_error("leader", "Tổ công tác cần ghi tổ trưởng (họ tên, chức vụ).")
        return data


DATE_INPUT = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
DECISION_FIELDS = [
    "level", "number", "signed_on", "issuer", "issuing_province", "issuing_commune", "title",
    "phase_start", "phase_end", "required_days_per_quarter",
]  # fmt: skip
# What an adopted decision keeps: its phase and its days on site are what records and
# reports were counted against; changing them is a new decision («Thay thế»).
ADOPTED_FIXED = ["level", "issuing_commune", "phase_start", "phase_end",
                 "required_days_per_quarter"]  # fmt: skip


class ProvinceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class DecisionForm(forms.ModelForm):
    """A decision as the secretariat types it from the signed paper. The issuing province is
    the province as it was on the signing day: before 1 July 2025 one of the provinces that
    went into today's (Lào Cai or Yên Bái for today's Lào Cai)."""

    issuing_province = ProvinceChoiceField(
        label="Tỉnh ban hành (địa giới tại ngày ký)", queryset=None, required=False,
        help_text="Quyết định ký trước 01/7/2025 do tỉnh cũ ban hành: chọn tỉnh cũ. Để trống"
        " với quyết định ký từ 01/7/2025.",
    )  # fmt: skip

    class Meta:
        model = Decision
        fields = DECISION_FIELDS
        widgets = {
            "signed_on": DATE_INPUT["widget"],
            "phase_start": DATE_INPUT["widget"],
            "phase_end": DATE_INPUT["widget"],
            "title": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"issuer": "Cơ quan ban hành", "title": "Trích yếu"}
        help_texts = {
            "issuer": "Ví dụ: UBND tỉnh; Ban Thường vụ Tỉnh ủy; Đảng ủy xã Nam Giang.",
            "number": "Ví dụ: 708/QĐ-UBND; với kết luận của cấp ủy: 15-KL/ĐU.",
        }

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.province = province
        self.instance.province = province
        self.fields["issuing_province"].queryset = Province.objects.filter(
            Q(pk=province.pk) | Q(successor=province)
        ).order_by("valid_to", "name")
        self.fields["issuing_commune"].queryset = (
            Commune.objects.in_province(province).select_related("district")
            .order_by("valid_to", "name")
        )  # fmt: skip
        self.fields["issuing_commune"].label_from_instance = commune_label
        if self.instance.pk and self.instance.status != Decision.Status.DRAFT:
            for name in ADOPTED_FIXED:
                self.fields[name].disabled = True
                self.fields[
                    name
                ].help_text = "Quyết định đã ban hành: muốn đổi, hãy ban hành quyết định thay thế."

    def clean_number(self):
        return clean(self.cleaned_data["number"])

    def clean_issuer(self):
        return clean(self.cleaned_data["issuer"])

    def clean_title(self):
        return clean(self.cleaned_data["title"])

    def clean(self):
        data = super().clean()
        signed = data.get("signed_on")
        issuing = data.get("issuing_province")
        if signed is not None and not datetime.date(2000, 1, 1) <= signed <= datetime.date(
            2100, 12, 31
        ):
            self.add_error("signed_on", "Ngày ký phải trong khoảng 01/01/2000 – 31/12/2100.")
        elif signed is not None and signed < REFORM_DATE:
            former = list(self.province.predecessors.order_by("name"))
            if issuing is None and len(former) == 1:
                data["issuing_province"] = former[0]
            elif issuing is None or issuing.is_current:
                names = " hoặc ".join(p.name for p in former)
                self.add_error(
                    "issuing_province",
                    f"Quyết định ký ngày {signed:%d/%m/%Y}, trước 01/7/2025: chọn tỉnh ban hành"
                    f" theo địa giới cũ ({names}).",
                )
        elif signed is not None:
            if issuing is not None and not issuing.is_current:
                self.add_error(
                    "issuing_province",
                    f"{issuing.name} chỉ tồn tại đến 30/06/2025, trước ngày ký"
                    f" {signed:%d/%m/%Y}: chọn {self.province.name} hoặc để trống.",
                )
            data["issuing_province"] = self.province
        level = data.get("level")
        commune = data.get("issuing_commune")
        if level == Decision.Level.COMMUNE and commune is None:
            self.add_error("issuing_commune", "Quyết định cấp xã cần chọn xã ban hành.")
        elif level == Decision.Level.PROVINCE:
            data["issuing_commune"] = None
        issuing = data.get("issuing_province")
        if commune is not None and issuing is not None and commune.province_id != issuing.pk:
            self.add_error("issuing_commune", f"{commune} không thuộc {issuing.name} tại ngày ký.")
        return data


class AssignmentForm(forms.ModelForm):
    """One more assignment on a decision (or a draft's row typed by hand)."""

    agency = AgencyChoiceField(label="Cơ quan, đơn vị, tổ công tác", queryset=None)
    paired_company = AgencyChoiceField(
        label="Doanh nghiệp phối hợp (nếu có)", queryset=None, required=False
    )

    class Meta:
        model = Assignment
        fields = ["agency", "commune", "village", "role", "paired_company", "valid_from",
                  "valid_to"]  # fmt: skip
        widgets = {"valid_from": DATE_INPUT["widget"], "valid_to": DATE_INPUT["widget"]}
        labels = {"commune": "Xã được giúp", "valid_from": "Hiệu lực từ",
                  "valid_to": "Hiệu lực đến"}  # fmt: skip

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.instance.decision = decision
        agencies = Agency.objects.filter(province=decision.province, is_active=True)
        self.fields["agency"].queryset = agencies
        self.fields["paired_company"].queryset = agencies.filter(kind=Agency.Kind.COMPANY)
        communes = decision_communes(decision).select_related("district")
        self.fields["commune"].queryset = communes
        self.fields["commune"].label_from_instance = commune_label
        self.fields["village"].queryset = (
            Village.objects.filter(commune__in=communes, closed_on__isnull=True)
            .select_related("commune").order_by("commune__name", "name")
        )  # fmt: skip
        self.fields["village"].label_from_instance = lambda v: f"{v} – {v.commune.name}"
        self.fields["village"].required = decision.level == Decision.Level.COMMUNE
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("valid_from", max(decision.phase_start, datetime.date.today())
                                    if decision.status != Decision.Status.DRAFT
                                    else decision.phase_start)  # fmt: skip
            self.initial.setdefault("valid_to", decision.phase_end)
            self.initial.setdefault("role", Assignment.Role.LEAD)

    def clean(self):
        data = super().clean()
        village, commune = data.get("village"), data.get("commune")
        if village is not None and commune is not None and village.commune_id != commune.pk:
            self.add_error("village", f"{village} không thuộc {commune.name}.")
        return data


class AssignmentEndForm(forms.Form):
    ended_on = forms.DateField(label="Kết thúc từ ngày (ngày cuối còn hiệu lực)", **DATE_INPUT)
    reason = forms.CharField(
        label="Lý do, căn cứ", max_length=200,
        help_text="Ví dụ: theo Quyết định 123/QĐ-UBND ngày 01/3/2027.",
    )  # fmt: skip


class AssignmentMoveForm(forms.Form):
    agency = AgencyChoiceField(label="Chuyển cho cơ quan, đơn vị", queryset=None)
    moved_on = forms.DateField(label="Từ ngày", **DATE_INPUT)
    reason = forms.CharField(label="Lý do, căn cứ", max_length=200)

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(
            province=assignment.decision.province, is_active=True
        ).exclude(pk=assignment.agency_id)


class AnnexImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel phụ lục (.xlsx)", required=False)
    pasted = forms.CharField(
        label="Hoặc dán bảng từ Word", required=False, max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 8, "placeholder":
            "Trong Word: chọn cả bảng phụ lục (kể cả dòng tiêu đề), Ctrl+C, rồi dán vào đây."}),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("pasted", "").strip():
            raise forms.ValidationError("Chọn tệp Excel hoặc dán bảng phụ lục.")
        return data


def decision_communes(decision):
    """The communes a decision can assign: those of its province as it was on the signing
    day (a pre-reform decision: the former province's communes, with their district)."""
    issuing = decision.issuing_province or decision.province
    communes = Commune.objects.filter(province=issuing)
    if decision.level == Decision.Level.COMMUNE and decision.issuing_commune_id:
        communes = communes.filter(pk=decision.issuing_commune_id)
    return communes.order_by("name")
