"""The beat jobs of operations: the nightly backup and the worker's heartbeat."""

BACKUP_TASK = "operations.tasks.backup"
HEARTBEAT_TASK = "operations.tasks.heartbeat"


def ensure_schedule(crontab_model=None, interval_model=None, task_model=None) -> None:
    """The backup at 02:00 Asia/Ho_Chi_Minh every day, the worker's heartbeat every minute
    (both editable in the admin afterwards). The migration passes its historical models."""
    if crontab_model is None:
        from django_celery_beat.models import CrontabSchedule as crontab_model  # noqa: N813
        from django_celery_beat.models import IntervalSchedule as interval_model  # noqa: N813
        from django_celery_beat.models import PeriodicTask as task_model  # noqa: N813
    nightly, _ = crontab_model.objects.get_or_create(
        minute="0", hour="2", day_of_month="*", month_of_year="*", day_of_week="*",
        timezone="Asia/Ho_Chi_Minh",
    )  # fmt: skip
    task_model.objects.get_or_create(
        name="Sao lưu cơ sở dữ liệu và tệp tải lên",
        defaults={"task": BACKUP_TASK, "crontab": nightly},
    )
    minute, _ = interval_model.objects.get_or_create(every=60, period="seconds")
    task_model.objects.get_or_create(
        name="Tín hiệu hoạt động của Celery worker",
        # A heartbeat nobody ran within the minute is worthless: it expires rather than
        # piling up in the queue while the worker is down.
        defaults={"task": HEARTBEAT_TASK, "interval": minute, "expire_seconds": 55},
    )
