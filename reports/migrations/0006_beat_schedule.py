"""The beat job that prepares draft reports: 07:00 on 1 January and 1 July (editable in admin)."""

from django.db import migrations


def create(apps, schema_editor):
    from reports.periodic import ensure_schedule

    ensure_schedule(
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
    )


def drop(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="reports.tasks.prepare_period_reports"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_final"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, drop)]
