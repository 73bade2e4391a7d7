"""The one write of the operations app outside backups: a process's heartbeat."""

import datetime

from django.utils import timezone

from .models import Heartbeat


def heartbeat_record(
    *, kind: Heartbeat.Kind, hostname: str = "", at: datetime.datetime | None = None
) -> None:
    """Stamp `kind`'s heartbeat (one row per kind, updated in place)."""
    Heartbeat.objects.update_or_create(
        kind=kind, defaults={"at": at or timezone.now(), "hostname": hostname[:255]}
    )
