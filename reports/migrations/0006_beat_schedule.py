"""The beat job that prepares draft reports: 07:00 on 1 January and 1 July (editable in admin)."""

from django.db import migrations


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = Crontab.objects.get_or_create(
        minute="0", hour="7", day_of_month="1", month_of_year="1,7", day_of_week="*",
        timezone="Asia/Ho_Chi_Minh",
    )  # fmt: skip
    PeriodicTask.objects.get_or_create(
        name="Lập dự thảo báo cáo sơ kết và nhắc cơ quan chưa gửi kết quả",
        defaults={"task": "reports.tasks.prepare_period_reports", "crontab": schedule},
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
