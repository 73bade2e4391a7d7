"""Celery tasks of operations: thin, they call the services."""

from celery import shared_task

from .models import Heartbeat
from .services import heartbeat_record


# Below the broker's visibility timeout (2 h, config/settings.py), so a long dump is never
# handed to a second worker. A redelivered backup after a crash is harmless: it makes a new
# folder, and the unfinished one is deleted a day later.
@shared_task(acks_late=True, max_retries=0, soft_time_limit=100 * 60, time_limit=110 * 60)
def backup() -> str:
    """The nightly backup (beat: 02:00), the same as `manage.py backup`."""
    from .backups import backup_create

    return backup_create().backup.name


@shared_task(bind=True, ignore_result=True)
def heartbeat(self) -> None:
    """Beat sends this every minute: a worker that runs it is alive (/healthz)."""
    heartbeat_record(kind=Heartbeat.Kind.WORKER, hostname=self.request.hostname or "")
