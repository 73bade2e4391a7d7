"""Celery beat's own heartbeat, which must not depend on a worker: the scheduler stamps it
as it ticks. config/settings.py names it as CELERY_BEAT_SCHEDULER."""

import logging
import socket
import time

from django.db import DatabaseError, InterfaceError, close_old_connections
from django_celery_beat.schedulers import DatabaseScheduler

from .models import Heartbeat
from .services import heartbeat_record

logger = logging.getLogger(__name__)


class HeartbeatScheduler(DatabaseScheduler):
    """django-celery-beat's DatabaseScheduler (the schedule stays editable in the admin) that
    also records beat's heartbeat, at most every `heartbeat_every` seconds. Beat ticks at
    least every 5 s, so the heartbeat is never older than that plus the interval."""

    heartbeat_every = 30.0
    _last_heartbeat: float | None = None

    def tick(self, *args, **kwargs):
        delay = super().tick(*args, **kwargs)
        now = time.monotonic()
        if self._last_heartbeat is None or now - self._last_heartbeat >= self.heartbeat_every:
            self._last_heartbeat = now
            self._stamp()
        return delay

    def _stamp(self) -> None:
        try:
            close_old_connections()
            heartbeat_record(kind=Heartbeat.Kind.BEAT, hostname=socket.gethostname())
        except (DatabaseError, InterfaceError):
            # The database is down: beat carries on, /healthz shows the heartbeat ageing.
            logger.warning("beat: could not record the heartbeat", exc_info=True)
