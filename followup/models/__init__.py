"""The follow-through's models, a module per feature; every model is importable from here."""

from .follow_ups import FollowUpCheck, HouseholdSupport
from .meetings import Meeting, Task
from .needs import CommuneNeed, NeedResponse
from .notifications import Digest, Notification, ReminderSettings
from .personal_data import PersonalDataAccess
from .plans import AnnualPlan, PlanItem

__all__ = [
    "AnnualPlan",
    "CommuneNeed",
    "Digest",
    "FollowUpCheck",
    "HouseholdSupport",
    "Meeting",
    "NeedResponse",
    "Notification",
    "PersonalDataAccess",
    "PlanItem",
    "ReminderSettings",
    "Task",
]
