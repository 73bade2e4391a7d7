"""Forms of the follow-through pages."""

from decimal import Decimal

from django import forms
from django.db.models import Q

from communes.models import Commune, Village
from contributions.models import Category, Item

from .models import (
    AnnualPlan,
    CommuneNeed,
    FollowUpCheck,
    HouseholdSupport,
    Meeting,
    NeedResponse,
    PlanItem,
    ReminderSettings,
    Task,
)


def money_field(label: str, **kwargs) -> forms.IntegerField:
    """Whole đồng typed the Vietnamese way: 50.000.000."""
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=1_000_000_000_000,
        localize=True,
        error_messages={
            "min_value": "Số tiền không được âm.",
            "max_value": "Số tiền quá lớn (tối đa 1.000 tỷ đồng).",
            "invalid": "Nhập một số nguyên, ví dụ 50.000.000.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        **kwargs,
    )


class NeedForm(forms.ModelForm):
    commune = forms.ModelChoiceField(
        label="Xã",
        queryset=Commune.objects.none(),
        error_messages={"invalid_choice": "Bạn chỉ nêu được nhu cầu của xã mình."},
    )
    estimated_cost = money_field("Kinh phí ước tính (đồng)", required=False)

    class Meta:
        model = CommuneNeed
        fields = ["commune", "title", "reason", "village", "category", "estimated_cost",
                  "priority", "wanted_by"]  # fmt: skip
        widgets = {
            "reason": forms.Textarea(attrs={"rows": 3}),
            "wanted_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"title": "Ví dụ: Sửa đường vào bản Phình, 1,2 km"}

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(pk__in=communes)
        if len(communes) == 1:
            self.fields["commune"].initial = next(iter(communes))
            self.fields["commune"].widget = forms.HiddenInput()
        self.fields["village"].queryset = Village.objects.filter(commune__in=communes)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)

    def clean_estimated_cost(self):
        return self.cleaned_data.get("estimated_cost") or 0


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(
        label="Trả lời", choices=NeedResponse.Kind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label="Nội dung (bắt buộc khi chưa thể giúp hoặc cần xã nói rõ thêm)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") in ("decline", "ask") and not data.get("text", "").strip():
            self.add_error("text", "Hãy nêu lý do hoặc điều cần xã nói rõ.")
        return data


class LinkForm(forms.Form):
    activity = forms.ModelChoiceField(
        label="Hoạt động đáp ứng nhu cầu",
        queryset=None,
        empty_label="— chọn hoạt động của cơ quan tại xã —",
        error_messages={"invalid_choice": "Chọn một hoạt động của cơ quan bạn tại xã này."},
    )

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities.order_by("-start_date")
        self.fields["activity"].label_from_instance = lambda a: (
            f"{a.start_date:%d/%m/%Y} – {a.title}"
        )


class PhotoField(forms.FileField):
    """One photo (JPEG, PNG, WebP) or PDF, checked by its first bytes like attachments."""

    def clean(self, data, initial=None):
        from contributions.forms import AttachmentsField

        upload = super().clean(data, initial)
        return AttachmentsField().validate_file(upload) if upload else upload


class SupportForm(forms.ModelForm):
    first_due = forms.DateField(
        label="Hạn theo dõi lần 1 (để trống: sau 6 tháng)", required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    second_due = forms.DateField(
        label="Hạn theo dõi lần 2 (để trống: sau 12 tháng)", required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip

    class Meta:
        model = HouseholdSupport
        fields = ["household", "village", "standing", "kind", "given"]

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        commune = activity.assignment.commune
        self.fields["village"].queryset = Village.objects.filter(
            Q(commune=commune) | Q(commune__in=commune.successors.all())
        ).order_by("name")


class CheckForm(forms.Form):
    checked_on = forms.DateField(
        label="Ngày kiểm tra", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    outcome = forms.ChoiceField(
        label="Kết quả", choices=FollowUpCheck.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Ghi chú", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = PhotoField(label="Ảnh chụp (không bắt buộc)", required=False)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "held_on", "chair", "participants", "place", "conclusions"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "conclusions": forms.Textarea(attrs={"rows": 6}),
        }


class TaskForm(forms.Form):
    what = forms.CharField(label="Nội dung nhiệm vụ", widget=forms.Textarea(attrs={"rows": 2}))
    assignee = forms.ChoiceField(label="Giao cho", choices=Task.Assignee.choices)
    agency = forms.ModelChoiceField(label="Cơ quan, đơn vị", queryset=None, required=False)
    commune = forms.ModelChoiceField(label="Xã", queryset=None, required=False)
    village = forms.ModelChoiceField(label="Thôn, bản", queryset=None, required=False)
    person = forms.ModelChoiceField(label="Người được giao", queryset=None, required=False)
    due_date = forms.DateField(
        label="Hoàn thành trước",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, province, **kwargs):
        from assignments.models import Agency, User

        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(province=province)
        communes = Commune.objects.current().filter(province=province)
        self.fields["commune"].queryset = communes
        self.fields["village"].queryset = Village.objects.filter(
            commune__in=communes
        ).select_related("commune")
        self.fields["village"].label_from_instance = lambda v: f"{v.name} ({v.commune.name})"
        self.fields["person"].queryset = User.objects.filter(
            roles__province=province, is_active=True
        ).distinct()


class TaskDoneForm(forms.Form):
    evidence = forms.CharField(
        label="Kết quả, minh chứng", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = ["confirm", "tasks", "follow_ups", "needs", "days_on_site", "by_email"]


class PlanForm(forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["planned_days_per_quarter", "agreed_on", "note"]
        widgets = {
            "agreed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class PlanItemForm(forms.ModelForm):
    target_quantity = forms.DecimalField(
        label="Số lượng", required=False, min_value=Decimal("0.01"), max_digits=14,
        decimal_places=2, localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"min_value": "Số lượng phải lớn hơn 0.", "invalid": "Nhập một số."},
    )  # fmt: skip
    target_value = money_field("Giá trị (đồng)", required=False)

    class Meta:
        model = PlanItem
        fields = ["category", "title", "quarter", "target_activities", "target_item",
                  "target_quantity", "target_value"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["target_item"].queryset = Item.objects.filter(is_active=True)
        self.fields["quarter"].empty_label = "Cả năm"

    def clean(self):
        data = super().clean()
        if bool(data.get("target_item")) != (data.get("target_quantity") is not None):
            self.add_error("target_quantity", "Ghi cả hiện vật và số lượng.")
        if not (
            data.get("target_activities") is not None
            or data.get("target_quantity") is not None
            or data.get("target_value") is not None
        ):
            raise forms.ValidationError(
                "Ghi chỉ tiêu: số hoạt động, số lượng hiện vật hoặc giá trị."
            )
        return data
