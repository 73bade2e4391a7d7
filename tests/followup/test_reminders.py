"""The morning digest: its content for seeded due items, the per-user switches, and delivery
at most once a day, also with two real workers on Redis."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from followup import reminders
from followup.models import CommuneNeed, Digest, Notification, ReminderSettings
from tests.factories import CheckFactory, SupportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(world):
    """Due items: a submitted record (world), an overdue task for agency A (world), a
    follow-up check due, a need unanswered for 40 days, no field visit this quarter."""
    today = timezone.localdate()
    CheckFactory(support=SupportFactory(activity=world.activity_a), months=6,
                 due_date=today - datetime.timedelta(days=3))  # fmt: skip
    CommuneNeed.objects.filter(pk=world.need_a.pk).update(
        raised_at=timezone.now() - datetime.timedelta(days=40)
    )
    for user in world.users.values():
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    return world


def kinds(user) -> list[str]:
    return sorted({i.kind for i in reminders.digest_items(user, timezone.localdate())})


def test_each_person_gets_what_waits_for_them(due):
    assert kinds(due.users["commune_officer"]) == ["confirm"]  # its task is due in 2027
    leader = reminders.digest_items(due.users["agency_leader_a"], timezone.localdate())
    assert {i.kind for i in leader} == {"tasks", "follow_ups", "needs", "days_on_site"}
    texts = " ".join(i.text for i in leader)
    assert "QUÁ HẠN" in texts and "hoàn thành trước 15/8/2026" in texts
    assert "1 hộ đã đến hạn theo dõi" in texts and "1 nhu cầu của xã" in texts
    assert f"{due.commune.name}: cán bộ mới về xã 0/15 ngày" in texts
    assert "days_on_site" not in kinds(due.users["agency_staff_a"])  # leaders only
    assert kinds(due.users["agency_staff_b"]) == []  # nothing of agency B is due
    assert kinds(due.users["superuser"]) == []  # no role, no digest


def test_a_person_turns_a_kind_of_reminder_off(client, due):
    leader = due.users["agency_leader_a"]
    client.force_login(leader)
    data = {"confirm": "on", "follow_ups": "on", "needs": "on", "days_on_site": "on"}
    assert client.post(reverse("notification_settings"), data).status_code == 302
    assert ReminderSettings.objects.get(user=leader).tasks is False
    assert "tasks" not in kinds(leader) and "needs" in kinds(leader)


def test_the_digest_goes_out_once_a_day_in_the_app_and_by_email(client, due, mailoutbox):
    leader = due.users["agency_leader_a"]
    today = timezone.localdate()
    assert reminders.send_digest(leader, today) is True
    assert reminders.send_digest(leader, today) is False  # a retry, a second worker
    assert Digest.objects.filter(user=leader, day=today).count() == 1
    items = Notification.objects.filter(user=leader)
    assert items.count() == 4
    [message] = [m for m in mailoutbox if leader.email in m.to]
    assert "Việc cần làm ngày" in message.subject and "QUÁ HẠN" in message.body

    client.force_login(leader)
    page = client.get(reverse("notification_list")).content.decode()
    assert 'data-unread="4"' in page and page.count('class="unread"') == 4
    client.post(reverse("notification_read"))
    assert not items.filter(read_at=None).exists()


def test_the_beat_job_is_scheduled_every_morning():
    from django_celery_beat.models import PeriodicTask

    job = PeriodicTask.objects.get(task="followup.tasks.send_daily_digests")
    assert (job.crontab.hour, job.crontab.minute, job.crontab.day_of_week) == ("6", "30", "*")


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_running_the_job_twice_send_each_digest_once(due, settings, tmp_path):
    """Four runs of the job on two worker processes: one digest and one email per person."""
    import os

    from celery.backends.redis import RedisBackend
    from celery.result import AsyncResult

    from config.celery import app
    from followup.tasks import send_daily_digests
    from tests.conftest import celery_workers

    redis_url = os.environ.get("REDIS_URL", "")
    mail = tmp_path / "mail"
    env = {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "EMAIL_FILE_PATH": str(mail), "CELERY_RESULT_BACKEND": redis_url}  # fmt: skip
    day = timezone.localdate().isoformat()
    with celery_workers(settings, count=2, **env):
        backend = RedisBackend(app=app, url=redis_url)
        runs = [send_daily_digests.apply_async(args=[day]) for _ in range(4)]
        sent = [AsyncResult(r.id, backend=backend, app=app).get(timeout=120) for r in runs]
    people = Digest.objects.filter(day=day).values_list("user", flat=True)
    assert sum(sent) == len(people) == len(set(people)) >= 3
    messages = [p.read_text() for p in Path(mail).iterdir()] if mail.exists() else []
    recipients = [line for text in messages for line in text.splitlines() if line.startswith("To:")]
    # Each email is written before its run reports done: all are there, one per person.
    assert sorted(recipients) == sorted(set(recipients)) and len(recipients) == len(people)
