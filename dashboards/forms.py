"""The period picker of every dashboard."""

import datetime

from django import forms

from core.periods import PICKER_PERIODS, Span, named_period


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label="Kỳ", choices=PICKER_PERIODS, required=False, initial="this_year"
    )
    start = forms.DateField(
        label="Từ ngày", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="Đến ngày", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def bounds(self, today: datetime.date, phase: Span) -> Span:
        """The chosen period; this year when the choice is missing or its dates are not."""
        data = self.cleaned_data if self.is_valid() else {}
        key = data.get("period") or "this_year"
        start, end = data.get("start"), data.get("end")
        if key == "custom" and start and end and start <= end:
            return start, end
        if key == "phase":
            return phase
        if key == "custom":
            key = "this_year"
        return named_period(key, today)
