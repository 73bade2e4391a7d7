"""Forms of meetings and tasks: the meeting, a task given, a task reported done."""

from django import forms

from assignments.forms import AgencyChoiceField
from assignments.models import Agency, User
from assignments.scoping import PROVINCE_KINDS
from communes.models import Commune, Village

from ..models import Meeting, Task


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
    agency = AgencyChoiceField(label="Cơ quan, đơn vị", queryset=None, required=False)
    commune = forms.ModelChoiceField(label="Xã", queryset=None, required=False)
    village = forms.ModelChoiceField(label="Thôn, bản", queryset=None, required=False)
    person = forms.ModelChoiceField(label="Người được giao", queryset=None, required=False)
    due_date = forms.DateField(
        label="Hoàn thành trước",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(province=province)
        communes = Commune.objects.current().filter(province=province)
        self.fields["commune"].queryset = communes
        self.fields["village"].queryset = (
            Village.objects.open().filter(commune__in=communes).select_related("commune")
        )
        self.fields["village"].label_from_instance = lambda v: f"{v.name} ({v.commune.name})"
        # the province's own people: the centre reads the province but takes no tasks
        self.fields["person"].queryset = User.objects.filter(
            roles__province=province, roles__kind__in=PROVINCE_KINDS, is_active=True
        ).distinct()


class TaskDoneForm(forms.Form):
    evidence = forms.CharField(
        label="Kết quả, minh chứng", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
