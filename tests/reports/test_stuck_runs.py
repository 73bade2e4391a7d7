"""No report run is stuck: a dead broker leaves a run "chưa gửi được" (never a 500, never a
finished run touched), and a run whose worker was killed is taken over and finishes once."""

import datetime
import os
import re
import signal

import psycopg
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from core import jobs
from reports import services
from reports.models import ReportRun
from reports.tasks import build_report_run
from tests.conftest import (
    DEAD_BROKER,
    own_queue,
    start_worker,
    worker_environment,
)
from tests.factories import ReportRunFactory
from tests.waiting import wait_until


def start(client, world):
    return client.post(
        reverse("report_create"), {"scope": "province", "period": "year", "year": "2026"}
    )


def test_with_the_broker_down_starting_a_report_says_so_and_every_page_serves(
    client, world, dead_broker, django_capture_on_commit_callbacks
):
    client.force_login(world.users["secretariat"])
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, world)
    assert response.status_code == 302
    run = ReportRun.objects.get(requested_by=world.users["secretariat"])
    assert (run.status, run.step) == ("unsent", services.UNSENT_STEP) and run.unsent_at
    page = client.get(reverse("report_detail", args=[run.pk])).content.decode()
    assert "Chưa gửi được yêu cầu lập báo cáo" in page and "Gửi lại" in page
    assert "Hàng đợi xử lý nền tạm thời không hoạt động" in page
    for name in ("home", "report_list", "report_create", "activity_list"):
        assert client.get(reverse(name)).status_code == 200, name
    # Sending again while the queue is still down changes nothing and answers.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("report_resend", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.status == "unsent"


def test_with_redis_down_every_page_of_the_matrix_serves(world, dead_broker, settings):
    from django.test import Client

    from tests.test_odd_input import failed
    from tests.test_permission_matrix import _commune_data, cases

    _commune_data(world)  # the villages and indicator the matrix's rows name
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": DEAD_BROKER}}  # fmt: skip
    failures = []
    for persona in ("secretariat", "agency_staff_a"):
        client = Client(raise_request_exception=False)
        client.force_login(world.users[persona])
        for name, kwargs, method, *_ in cases(world):
            if method == "get":
                url = reverse(name, kwargs=kwargs)
                if failed(name, status := client.get(url).status_code):
                    failures.append(f"{persona} {url}: {status}")
    assert not failures, "\n".join(failures)


def test_with_the_broker_down_a_finished_run_stays_finished(
    client, world, dead_broker, django_capture_on_commit_callbacks
):
    draft = world.report_draft
    draft.document_number = "12/BC-UBND"
    draft.save()
    before = (draft.status, draft.pdf.name, draft.xlsx.name, draft.final)
    client.force_login(world.users["secretariat"])
    for action in ("report_rebuild", "report_issue"):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(reverse(action, args=[draft.pk])).status_code == 302
        draft.refresh_from_db()
        assert (draft.status, draft.pdf.name, draft.xlsx.name, draft.final) == before, action
        assert draft.issued_by is None and draft.unsent_at
    page = client.get(reverse("report_detail", args=[draft.pk])).content.decode()
    assert "chưa gửi được vào hàng đợi" in page and "bản đã lập vẫn giữ nguyên" in page


def test_a_live_claim_is_kept_and_a_silent_one_is_taken_over(world):
    run = ReportRunFactory(province=world.province, status="queued")
    first = services.report_run_claim(run.pk)
    assert first == 1
    assert services.report_run_claim(run.pk) is None  # its worker is beating
    ReportRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - jobs.stale_after() - datetime.timedelta(seconds=1)
    )
    assert services.runs_to_resume() == [run.pk]
    assert services.report_run_claim(run.pk) == 2
    # The first worker, taken over, no longer owns the run: it writes no files.
    assert jobs.still_owner(ReportRun, run.pk, first, "running") is None
    assert jobs.still_owner(ReportRun, run.pk, 2, "running") is not None


def test_a_finished_run_is_never_claimed_again(world):
    assert services.report_run_claim(world.report_draft.pk) is None
    assert services.report_run_claim(world.report_issued.pk) is None
    assert world.report_draft.pk not in services.runs_to_resume()


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_a_run_whose_worker_is_killed_mid_build_is_taken_over_and_finishes_once(settings):
    """SIGKILL of the worker while it builds (held on a row lock, so it is surely mid-way),
    a second worker, and the sweeper: the run finishes with one set of files."""
    from tests.conftest import build_world

    world = build_world()
    settings.JOB_STALE_SECONDS = 3
    env = worker_environment(settings, JOB_STALE_SECONDS="3", JOB_HEARTBEAT_SECONDS="1")
    with own_queue() as queue:
        first = start_worker(settings, queue, "first", env)
        second = None
        try:
            run = services.report_run_create(
                province=world.province,
                period_start=datetime.date(2026, 1, 1),
                period_end=datetime.date(2026, 12, 31),
            )
            wait_until(lambda: ReportRun.objects.get(pk=run.pk).status == "running", 60)
            with psycopg.connect(_dsn(settings)) as holder:
                # Hold the run's row: the worker's next progress write waits on it.
                holder.execute("SELECT 1 FROM reports_reportrun WHERE id = %s FOR UPDATE",
                               [run.pk])  # fmt: skip
                wait_until(lambda: _waiting_on_a_lock(holder), 60)
                os.kill(first.pid, signal.SIGKILL)
                first.wait(timeout=30)
                holder.rollback()
            second = start_worker(settings, queue, "second", env)

            def finished() -> bool:
                state = ReportRun.objects.get(pk=run.pk)
                if state.is_stalled:
                    services.report_runs_resume()
                return state.status == "done"

            wait_until(finished, 120, step=0.5)
        finally:
            for worker in (first, second):
                if worker is not None and worker.poll() is None:
                    worker.terminate()
                    worker.wait(timeout=30)
    run.refresh_from_db()
    assert run.attempts == 2 and run.progress == 100
    files = sorted(default_storage.listdir("reports")[1])
    # Django names a second file of the same name bao-cao-7_AbC123.pdf: there is none.
    mine = re.compile(rf"bao-cao-{run.pk}[._]")
    assert [name for name in files if mine.match(name)] == [
        f"bao-cao-{run.pk}.pdf",
        f"bao-cao-{run.pk}.xlsx",
    ]
    # The first worker's message, redelivered one day, finds the run built and skips it.
    assert build_report_run.apply(args=[run.pk]).get() == "skipped"


def _dsn(settings) -> str:
    db = settings.DATABASES["default"]
    return f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname={db['NAME']}"


def _waiting_on_a_lock(holder) -> bool:
    rows = holder.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchone()
    return rows[0] > 0
