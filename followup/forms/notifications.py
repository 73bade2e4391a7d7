"""Form of one's reminder settings."""

from django import forms

from ..models import ReminderSettings


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = ["confirm", "tasks", "follow_ups", "needs", "days_on_site", "by_email"]
