"""The worker's heartbeat comes from a task beat sends every minute; beat's own from its
scheduler, with no worker involved."""

import time

import pytest
from celery.utils.imports import symbol_by_name
from django.utils import timezone

from config.celery import app
from operations.beat import HeartbeatScheduler
from operations.models import Heartbeat
from operations.tasks import heartbeat
from tests.conftest import celery_workers


@pytest.mark.django_db
def test_the_heartbeat_task_stamps_the_worker():
    heartbeat.delay()
    beat = Heartbeat.objects.get(kind=Heartbeat.Kind.WORKER)
    assert (timezone.now() - beat.at).total_seconds() < 60


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_stamps_its_heartbeat(settings):
    with celery_workers(settings) as queue:
        heartbeat.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while not Heartbeat.objects.filter(kind=Heartbeat.Kind.WORKER).exists():
            assert time.monotonic() < deadline, "the worker did not run the heartbeat task"
            time.sleep(0.2)
    assert Heartbeat.objects.get(kind=Heartbeat.Kind.WORKER).hostname.startswith("w0-")


def test_beat_runs_the_heartbeat_scheduler():
    assert symbol_by_name(app.conf.beat_scheduler) is HeartbeatScheduler


@pytest.mark.django_db(transaction=True)  # the scheduler manages its own connection
def test_beat_stamps_its_heartbeat_as_it_ticks():
    from django_celery_beat.models import PeriodicTask

    PeriodicTask.objects.update(enabled=False)  # nothing to send: no worker is needed
    scheduler = HeartbeatScheduler(app=app)
    scheduler.tick()
    first = Heartbeat.objects.get(kind=Heartbeat.Kind.BEAT).at
    assert (timezone.now() - first).total_seconds() < 60
    scheduler.tick()  # within heartbeat_every: no second write
    assert Heartbeat.objects.get(kind=Heartbeat.Kind.BEAT).at == first
    scheduler._last_heartbeat -= HeartbeatScheduler.heartbeat_every
    scheduler.tick()
    assert Heartbeat.objects.get(kind=Heartbeat.Kind.BEAT).at > first
