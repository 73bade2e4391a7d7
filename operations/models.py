"""What the processes tell the web about themselves: one heartbeat row per kind of process."""

from django.db import models


class Heartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task, or Celery beat ticked. Kept in the
    database because every web process can read it there (`/healthz`)."""

    class Kind(models.TextChoices):
        WORKER = "worker", "Celery worker"
        BEAT = "beat", "Celery beat"

    kind = models.CharField("tiến trình", max_length=10, choices=Kind.choices, unique=True)
    at = models.DateTimeField("lần cuối")
    hostname = models.CharField("máy", max_length=255, blank=True)

    class Meta:
        verbose_name = "tín hiệu hoạt động của tiến trình"
        verbose_name_plural = "tín hiệu hoạt động của tiến trình"
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.at:%d/%m/%Y %H:%M:%S}"
