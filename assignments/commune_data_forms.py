"""The shape of the commune's own data as typed: villages, a year's indicators, an import."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from communes.models import Village
from core import spreadsheets as sheets

from .commune_data import FIRST_YEAR, LAST_YEAR, check_indicators, check_rate


class VillageForm(forms.Form):
    kind = forms.ChoiceField(
        label="Loại", choices=Village.Kind.choices, initial=Village.Kind.VILLAGE
    )
    name = forms.CharField(
        label="Tên (không ghi chữ «Bản», «Thôn»)", max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: Nậm Chua 2"}),
    )  # fmt: skip


class CloseForm(forms.Form):
    closed_on = forms.DateField(
        label="Ngừng từ ngày",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Ghi ngày dạng dd/mm/yyyy, ví dụ 15/01/2026."},
    )

    def clean_closed_on(self):
        day = self.cleaned_data["closed_on"]
        if day < datetime.date(2000, 1, 1):
            raise ValidationError("Ngày ngừng phải từ năm 2000 trở đi.")
        return day


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label="Sáp nhập vào thôn, bản", queryset=Village.objects.none(),
        error_messages={"invalid_choice": "Chọn một thôn, bản trong danh sách."},
    )  # fmt: skip

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets
        self.fields["target"].label_from_instance = lambda v: (
            f"{v} – {v.commune.name}" + ("" if v.commune.is_current else " (xã cũ)")
        )


class RateField(forms.CharField):
    """A percentage as people type it: "12,5" or "12.5"; empty when unknown."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(inputmode="decimal", placeholder="ví dụ 12,5")

    def clean(self, value):
        raw = super().clean(value)
        if not raw:
            return None
        rate = sheets.number(raw)
        if rate is None:
            raise ValidationError(f"«{raw}» không phải số: ghi dạng 12,5.")
        messages = check_rate(rate, "Tỷ lệ")
        if messages:
            raise ValidationError(messages)
        return rate


class IndicatorForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    poor_household_rate = RateField(label="Tỷ lệ hộ nghèo (%)")
    near_poor_household_rate = RateField(label="Tỷ lệ hộ cận nghèo (%)")
    ntm_criteria_met = forms.IntegerField(label="Số tiêu chí NTM đạt", min_value=0, max_value=100)
    ntm_criteria_total = forms.IntegerField(
        label="Tổng số tiêu chí NTM", min_value=1, max_value=100, initial=19
    )
    ntm_reached = forms.BooleanField(label="Đạt chuẩn nông thôn mới", required=False)

    def __init__(self, *args, year_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].error_messages.update(
            min_value=f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.",
            max_value=f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.",
            invalid="Ghi năm bằng 4 chữ số, ví dụ 2026.",
        )
        if year_fixed:
            self.fields["year"].disabled = True

    def clean(self):
        data = super().clean()
        for name, messages in check_indicators(data).items():
            self.add_error(name, messages)
        return data


class IndicatorImportForm(forms.Form):
    year = forms.IntegerField(
        label="Năm của số liệu", min_value=FIRST_YEAR, max_value=LAST_YEAR,
        error_messages={"invalid": "Ghi năm bằng 4 chữ số, ví dụ 2025."},
    )  # fmt: skip
    file = forms.FileField(label="Tệp Excel chỉ tiêu của các xã (.xlsx)")
