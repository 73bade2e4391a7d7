"""Celery tasks of the follow-through: thin, they call `reminders`."""

import datetime

from celery import shared_task
from django.utils import timezone

from . import reminders
from .services.personal_data import expire_identities


@shared_task(acks_late=True, max_retries=0, soft_time_limit=30 * 60, time_limit=35 * 60)
def send_daily_digests(day: str | None = None) -> int:
    """The morning digest of everyone with a role (beat: 06:30 every day). Safe to run twice,
    on two workers at once or after a crash: each person's (user, day) row is claimed once."""
    when = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return reminders.send_digests(when)


@shared_task(acks_late=True, max_retries=0, soft_time_limit=30 * 60, time_limit=35 * 60)
def expire_personal_data(day: str | None = None) -> int:
    """Remove the identity of households kept past PERSONAL_DATA_RETENTION_YEARS (beat:
    03:30 every night). Safe to run twice: an erased household is not found again."""
    when = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return expire_identities(when)
