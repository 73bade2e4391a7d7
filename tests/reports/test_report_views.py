"""The secretariat starts, writes, previews and issues a report; issuing freezes it."""

import datetime
import hashlib
import time

import pytest
from django.urls import reverse

from contributions import rollup
from reports.models import ReportRun
from reports.services import report_run_create
from tests.factories import ActivityFactory, ContributionFactory

pytestmark = pytest.mark.django_db


def start(client, world, **extra):
    data = {"scope": "province", "period": "year", "year": "2026", **extra}
    with_callbacks = client.post(reverse("report_create"), data)
    return with_callbacks


def test_start_write_issue_and_freeze(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.users["secretariat"])
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, world)
    run = ReportRun.objects.get(requested_by=world.users["secretariat"])
    assert response["Location"] == reverse("report_detail", args=[run.pk])
    assert run.status == "done" and run.pdf and run.xlsx
    assert (run.period_start, run.period_end) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )

    page = client.get(reverse("report_detail", args=[run.pk])).content.decode()
    assert "Tải PDF" in page and "Ban hành" in page

    issue = client.post(reverse("report_issue", args=[run.pk]), follow=True)
    assert "Hãy ghi số, ký hiệu văn bản" in issue.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("report_edit", args=[run.pk]),
            {"document_number": "12/BC-UBND", "place": "Điện Biên",
             "strengths": "Các cơ quan chủ động.", "signer_name": "Lò Văn Tiến", "rebuild": "1"},
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_issue", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == "issued" and run.issued_by == world.users["secretariat"]
    pdf = run.pdf.read()
    assert hashlib.sha256(pdf).hexdigest() == run.pdf_sha256
    snapshot = dict(run.figures)

    # Later edits of the data change neither the snapshot nor the files...
    confirmed = ActivityFactory(assignment=world.assignment_a, status="confirmed")
    ContributionFactory(activity=confirmed, value=99_000_000)
    run.refresh_from_db()
    assert run.figures == snapshot
    assert hashlib.sha256(run.pdf.open("rb").read()).hexdigest() == run.pdf_sha256
    # ...and the report page says what changed since.
    page = client.get(reverse("report_detail", args=[run.pk])).content.decode()
    assert "Dữ liệu đã thay đổi sau khi ban hành" in page
    assert client.post(reverse("report_rebuild", args=[run.pk]), follow=True).status_code == 200
    run.refresh_from_db()
    assert run.status == "issued"
    assert client.get(reverse("report_edit", args=[run.pk])).status_code == 403

    client.force_login(world.users["leadership"])
    download = client.get(reverse("report_download", args=[run.pk, "pdf"]))
    assert b"".join(download.streaming_content) == pdf


def test_the_previous_reports_text_is_offered(client, world):
    ReportRun.objects.create(
        province=world.province, period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31), status="issued", strengths="Năm trước làm tốt.",
        issued_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
    )  # fmt: skip
    run = ReportRun.objects.create(
        province=world.province, period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31), status="done",
    )  # fmt: skip
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("report_edit", args=[run.pk])).content.decode()
    assert "Năm trước làm tốt." in page and "điền sẵn" in page


def test_a_failure_is_explained_and_can_be_retried(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    from reports import builder

    def broken(*args, **kwargs):
        raise ValueError("thiếu dữ liệu")

    client.force_login(world.users["secretariat"])
    monkeypatch.setattr(builder, "build_files", broken)
    with django_capture_on_commit_callbacks(execute=True):
        start(client, world)
    run = ReportRun.objects.get(requested_by=world.users["secretariat"])
    assert run.status == "failed"
    page = client.get(reverse("report_detail", args=[run.pk])).content.decode()
    assert "Không lập được báo cáo: thiếu dữ liệu" in page and "Thử lại" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report_rebuild", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == "done" and run.attempts == 2


def test_running_a_built_run_twice_yields_one_set_of_files(world):
    from reports.tasks import build_report_run

    run = ReportRun.objects.create(
        province=world.province, period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )  # fmt: skip
    assert build_report_run(run.pk) == "done"
    first = ReportRun.objects.get(pk=run.pk)
    assert build_report_run(run.pk) == "skipped"
    again = ReportRun.objects.get(pk=run.pk)
    assert (again.pdf.name, again.pdf_sha256, again.attempts) == (
        first.pdf.name,
        first.pdf_sha256,
        1,
    )


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_on_redis_builds_a_report(world, celery_worker_process):
    """A Celery worker process takes the job from Redis and builds the files."""
    run = report_run_create(
        province=world.province,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in ("done", "failed"):
            break
        time.sleep(0.5)
    assert run.status == "done", run.error
    assert run.pdf and run.xlsx and run.figures["total_value"] >= 0


def test_beat_prepares_one_draft_and_reminds_agencies_without_records(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    from django_celery_beat.models import PeriodicTask

    from reports.tasks import prepare_period_reports

    assert PeriodicTask.objects.filter(task="reports.tasks.prepare_period_reports").exists()
    world.users["agency_staff_b"].email = "canbo.b@example.vn"
    world.users["agency_staff_b"].save()
    # Agency B has no submitted record in the first half of 2026; agency A has one.
    world.submitted_activity_a.start_date = datetime.date(2026, 3, 1)
    world.submitted_activity_a.save()  # past the services: keep the rollup current by hand
    rollup.refresh([rollup.key_of(world.submitted_activity_a)])
    with django_capture_on_commit_callbacks(execute=True):
        assert prepare_period_reports("2026-07-01") == 2  # both provinces of the world
        assert prepare_period_reports("2026-07-01") == 0  # idempotent
    run = ReportRun.objects.get(province=world.province, period_end=datetime.date(2026, 6, 30))
    assert run.period_start == datetime.date(2026, 1, 1) and run.status == "done"
    recipients = {address for message in mailoutbox for address in message.to}
    assert "canbo.b@example.vn" in recipients
    assert world.users["agency_staff_a"].email not in recipients
    assert "Chưa có kết quả giúp xã" in mailoutbox[0].subject


def test_the_form_records_the_choice_to_include_awaiting_records(client, world):
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("report_create")).content.decode()
    assert "Tính cả hoạt động đang chờ xã xác nhận" in page
    start(client, world, include_awaiting="on")
    start(client, world)
    runs = ReportRun.objects.filter(requested_by=world.users["secretariat"]).order_by("pk")
    assert [run.include_awaiting for run in runs] == [True, False]
    page = client.get(reverse("report_detail", args=[runs[0].pk])).content.decode()
    assert "tính cả hoạt động đang chờ xã xác nhận" in page


def test_the_form_offers_the_pre_reform_provinces_of_the_province(client, world):
    from tests import factories as f

    former = f.LegacyProvinceFactory(successor=world.province, name="Tỉnh Cũ Thử")
    f.LegacyProvinceFactory(successor=world.other_province, name="Tỉnh Cũ Khác")
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("report_create")).content.decode()
    assert "Tỉnh Cũ Thử" in page and "Tỉnh Cũ Khác" not in page
    response = start(client, world, scope="former_province")
    assert "Hãy chọn tỉnh trước sắp xếp" in response.content.decode()
    start(client, world, scope="former_province", former_province=former.pk)
    run = ReportRun.objects.get(requested_by=world.users["secretariat"])
    assert (run.scope, run.former_province) == ("former_province", former)
