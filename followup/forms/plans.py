"""Forms of annual plans: the plan of a year and a planned activity with its target."""

from decimal import Decimal

from django import forms

from contributions.models import Category, Item

from ..models import AnnualPlan, PlanItem
from .fields import money_field


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
