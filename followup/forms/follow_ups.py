"""Forms of household follow-ups: the household to follow, and what a check found."""

from django import forms
from django.db.models import Q

from communes.models import Village
from core import uploads

from ..models import FollowUpCheck, HouseholdSupport


class PhotoField(forms.FileField):
    """One photo (JPEG, PNG, WebP), decoded and re-encoded (`core.uploads`): a CleanFile."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        try:
            return uploads.clean_upload(upload, allow_pdf=False)
        except uploads.FileRefused as error:
            raise forms.ValidationError(str(error)) from error


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
        self.fields["village"].queryset = (
            Village.objects.open(keep=self.instance.village_id)
            .filter(Q(commune=commune) | Q(commune__in=commune.successors.all()))
            .order_by("name")
        )


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
