"""The beat jobs of operations: the backup at 02:00 every day, the worker's heartbeat every
minute (editable in the admin)."""

from django.db import migrations


def create(apps, schema_editor):
    from operations.schedule import ensure_schedule

    ensure_schedule(
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        apps.get_model("django_celery_beat", "IntervalSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
    )


def drop(apps, schema_editor):
    from operations.schedule import BACKUP_TASK, HEARTBEAT_TASK

    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=[BACKUP_TASK, HEARTBEAT_TASK]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("operations", "0001_heartbeat"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, drop)]
