"""Forms of the secretariat's work on a household's personal data."""

from django import forms

from core.text import clean

from ..models import HouseholdSupport, PersonalDataAccess

NOTE = forms.CharField(
    label="Đơn yêu cầu (số, ngày) hoặc lý do", max_length=300,
    help_text="Ví dụ: Đơn của ông Páo ngày 02/12/2026, UBND xã chuyển.",
)  # fmt: skip


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(label="Họ tên chủ hộ", max_length=150, required=False)

    def clean_q(self):
        return clean(self.cleaned_data["q"].replace("\x00", ""))


class CorrectForm(forms.Form):
    household = forms.CharField(label="Họ tên chủ hộ", max_length=150)
    village = forms.ModelChoiceField(
        label="Thôn, bản", queryset=None, required=False, empty_label="(không ghi)"
    )
    standing = forms.ChoiceField(label="Diện hộ", choices=HouseholdSupport.Standing.choices)
    note = NOTE

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class EraseForm(forms.Form):
    note = NOTE


class AccessFilterForm(forms.Form):
    action = forms.ChoiceField(
        label="Thao tác", required=False,
        choices=[("", "Tất cả"), *PersonalDataAccess.Action.choices],
    )  # fmt: skip
    who = forms.CharField(label="Người truy cập", max_length=150, required=False)

    def clean_who(self):
        return clean(self.cleaned_data["who"].replace("\x00", ""))
