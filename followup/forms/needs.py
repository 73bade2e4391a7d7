"""Forms of commune needs: raising one, answering it, linking an activity that meets it."""

from django import forms

from communes.models import Commune, Village
from contributions.models import Category, ReviewStatus

from ..models import CommuneNeed, NeedResponse
from .fields import money_field


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
        self.fields["village"].queryset = Village.objects.open(
            keep=self.instance.village_id
        ).filter(commune__in=communes)
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

    def __init__(self, *args, activities, since, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        field.label = f"Hoạt động của cơ quan đã gửi xã, làm từ ngày {since:%d/%m/%Y}"
        field.queryset = activities.order_by("-start_date")
        field.label_from_instance = lambda a: (
            f"{a.start_date:%d/%m/%Y} – {a.title}"
            + ("" if a.status == ReviewStatus.CONFIRMED else " (chờ xã xác nhận)")
        )
