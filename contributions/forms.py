"""Forms for activities with their contributions, field visits, review actions, imports."""

import uuid

from django import forms
from django.db.models import Q
from django.utils import timezone

from assignments.models import Assignment, Person
from communes.models import Village
from core import uploads

from .models import Activity, Attachment, Category, Contribution, Item
from .services import ContributionData

MAX_ATTACHMENTS = 10


def agency_assignments(user):
    """The assignments the user may log work for, current ones first."""
    return (
        Assignment.objects.loggable_by(user)
        .select_related("commune__district", "agency", "village")
        .order_by("-valid_to", "commune__name", "village__name")
    )


class AssignmentChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": "Xã đã chọn không thuộc các xã cơ quan bạn được phân công giúp đỡ."
    }

    def label_from_instance(self, obj):
        era = "" if obj.commune.is_current else f", {obj.commune.district} (trước 01/7/2025)"
        # A working group helps a village: "Tổ dân phố Phú Cường (Xã Nam Giang) – Tổ công tác".
        place = f"{obj.village} ({obj.commune.name})" if obj.village_id else obj.commune.name
        return f"{place}{era} – {obj.agency}"


class ActivityForm(forms.ModelForm):
    assignment = AssignmentChoiceField(label="Xã được giúp", queryset=Assignment.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = [
            "assignment",
            "start_date",
            "end_date",
            "category",
            "title",
            "description",
            "village",
            "beneficiaries_count",
            "beneficiaries_kind",
            "is_lasting",
            "is_notable",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        assignments = agency_assignments(user)
        self.fields["assignment"].queryset = assignments
        self.fields["category"].queryset = Category.objects.filter(is_active=True)
        self.fields["village"].queryset = (
            Village.objects.of_communes(assignments.values_list("commune", flat=True))
            .open(keep=self.instance.village_id)  # a closed village stays on its old records
            .with_related()
            .order_by("commune__valid_to", "commune__name", "name")
        )
        # "Bản Nậm Chua – Xã Nậm Chua (xã cũ)": two villages of one name stay apart.
        self.fields["village"].label_from_instance = lambda village: (
            f"{village} – {village.commune.name}"
            + ("" if village.commune.valid_to is None else " (xã cũ)")
        )
        self.fields["title"].widget.attrs["placeholder"] = (
            "Ví dụ: Trao 50 suất quà Tết cho hộ nghèo bản Nậm Chua"
        )
        if not self.is_bound:
            self.initial.setdefault("version", self.instance.version)
            if self.instance.pk is None:
                self.initial.setdefault("submission_token", uuid.uuid4())
                self.initial.setdefault("start_date", timezone.localdate())
                if assignments[:1]:
                    self.initial.setdefault("assignment", assignments[0].pk)

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Ngày kết thúc phải từ ngày bắt đầu trở đi.")
        village, assignment = data.get("village"), data.get("assignment")
        if assignment is not None and assignment.village_id:
            # A working group helps one village: its records are that village's.
            if village is not None and village.pk != assignment.village_id:
                self.add_error(
                    "village", f"Phân công này giúp {assignment.village}: ghi nhận cho thôn đó."
                )
            data["village"] = village = assignment.village
        # A record keeps the village it names (closed since, or merged into this one).
        if village and assignment and village.pk != self.instance.village_id:
            serving = Village.objects.of_communes([assignment.commune_id])
            if not serving.filter(pk=village.pk).exists():
                self.add_error("village", "Thôn, bản này không thuộc xã đã chọn.")
        return data

    def activity_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class ContributionForm(forms.Form):
    kind = forms.ChoiceField(label="Hình thức", choices=Contribution.Kind.choices)
    item = forms.ModelChoiceField(
        label="Hiện vật", queryset=Item.objects.filter(is_active=True), required=False
    )
    # Localised: people type "2,5" tonnes and "15.000.000" đồng.
    quantity = forms.DecimalField(
        label="Số lượng",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        localize=True,
        error_messages={"min_value": "Số lượng không được âm.", "invalid": "Nhập một số."},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    value = forms.IntegerField(
        label="Giá trị (đồng)",
        min_value=0,
        max_value=1_000_000_000_000,
        localize=True,
        error_messages={
            "min_value": "Giá trị không được âm.",
            "max_value": "Giá trị quá lớn (tối đa 1.000 tỷ đồng).",
            "invalid": "Nhập một số nguyên, ví dụ 15.000.000.",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    source = forms.ChoiceField(label="Nguồn", choices=Contribution.Source.choices)
    donor_name = forms.CharField(label="Nhà tài trợ", required=False, max_length=255)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Contribution.Kind.IN_KIND:
            if not data.get("item"):
                self.add_error("item", "Chọn hiện vật.")
            if data.get("quantity") in (None, ""):
                self.add_error("quantity", "Nhập số lượng.")
        elif kind == Contribution.Kind.CASH:
            data["item"] = None
            data["quantity"] = None
        if data.get("source") == Contribution.Source.MOBILISED and not data.get("donor_name"):
            self.add_error("donor_name", "Ghi tên doanh nghiệp, nhà tài trợ được vận động.")
        return data

    def as_data(self) -> ContributionData:
        d = self.cleaned_data
        return ContributionData(
            kind=d["kind"],
            value=d["value"],
            source=d["source"],
            item=d.get("item"),
            quantity=d.get("quantity"),
            donor_name=" ".join((d.get("donor_name") or "").split()),
        )


class BaseContributionFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError("Thêm ít nhất một khoản đóng góp (tiền mặt hoặc hiện vật).")

    def contributions(self) -> list[ContributionData]:
        return [
            f.as_data() for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


ContributionFormSet = forms.formset_factory(
    ContributionForm, formset=BaseContributionFormSet, extra=0, can_delete=True, max_num=100
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Files decoded and rewritten by `core.uploads` (CleanFile each); one that is not a
    real image or PDF refuses the whole submission."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                f"Mỗi lần tải lên tối đa {MAX_ATTACHMENTS} tệp; bạn đã chọn {len(files)} tệp."
            )
        cleaned = []
        for upload in files:
            try:
                cleaned.append(uploads.clean_upload(upload))
            except uploads.FileRefused as error:
                raise forms.ValidationError(str(error)) from error
        return cleaned


class AttachmentForm(forms.Form):
    files = AttachmentsField(
        label="Ảnh, biên bản, chứng từ (JPEG, PNG, WebP, PDF; tối đa 10 tệp, 10 MB mỗi tệp,"
        " 50 MB mỗi lần)",
        required=False,
    )
    kind = forms.ChoiceField(
        label="Loại tệp",
        choices=Attachment.Kind.choices,
        initial=Attachment.Kind.PHOTO,
        required=False,
    )

    def clean_kind(self):
        return self.cleaned_data.get("kind") or Attachment.Kind.PHOTO


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Lý do", widget=forms.Textarea(attrs={"rows": 2}), min_length=5, max_length=1000
    )


class FieldVisitForm(forms.Form):
    assignment = AssignmentChoiceField(label="Xã", queryset=Assignment.objects.none())
    start_date = forms.DateField(label="Từ ngày", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="Đến ngày", widget=forms.DateInput(attrs={"type": "date"}))
    days_on_site = forms.IntegerField(
        label="Số ngày ở xã",
        min_value=1,
        max_value=92,
        required=False,
        help_text="Để trống: tính cả các ngày từ ngày đi đến ngày về.",
    )
    people = forms.ModelMultipleChoiceField(
        label="Cán bộ đi",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(label="Nội dung công việc", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        assignments = agency_assignments(user)
        self.fields["assignment"].queryset = assignments
        self.fields["people"].queryset = Person.objects.filter(
            Q(agency__in=assignments.values("agency")), is_active=True
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Ngày về phải từ ngày đi trở đi.")
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Ý kiến", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
