"""Writes to report runs."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core import jobs

from .models import ReportRun


@transaction.atomic
def report_run_create(
    *,
    province,
    period_start: datetime.date,
    period_end: datetime.date,
    requested_by=None,
    scope: str = ReportRun.Scope.PROVINCE,
    former_province=None,
    district=None,
    commune=None,
    agency=None,
    include_awaiting: bool = False,
    enqueue: bool = True,
) -> ReportRun:
    """Record a report run and enqueue its build once the row is committed. The figures count
    what the communes confirmed; `include_awaiting` adds the records awaiting confirmation
    (the report says so). If the queue is down the run says so ("chưa gửi được")."""
    run = ReportRun(
        province=province,
        scope=scope,
        former_province=former_province,
        district=district,
        commune=commune,
        agency=agency,
        period_start=period_start,
        period_end=period_end,
        include_awaiting=include_awaiting,
        requested_by=requested_by,
    )
    run.full_clean()
    run.queued_at = timezone.now()
    run.save()
    if enqueue:
        _send(run, revert={"status": ReportRun.Status.UNSENT, "step": UNSENT_STEP})
    return run


UNSENT_STEP = "Chưa gửi được vào hàng đợi"
WAITING = [ReportRun.Status.QUEUED, ReportRun.Status.UNSENT, ReportRun.Status.FAILED]


def _send(run: ReportRun, *, revert: dict) -> None:
    """Enqueue the build once committed. If the broker cannot take it, the run goes back to
    `revert` (a finished run stays finished, with its files) and records when the send
    failed; the page offers to send again and the sweeper retries by itself."""
    from .tasks import build_report_run

    def failed(error):
        ReportRun.objects.filter(pk=run.pk, status=ReportRun.Status.QUEUED).update(
            **revert, unsent_at=timezone.now()
        )

    jobs.send_on_commit(build_report_run, run.pk, on_failure=failed)


def report_run_claim(run_id: int) -> int | None:
    """Take a waiting run, or a running one whose worker stopped beating, for building: the
    attempt number that owns it, or None if another worker has it or it is finished."""
    return jobs.claim(
        ReportRun,
        run_id,
        waiting=WAITING,
        running=ReportRun.Status.RUNNING,
        started_at=timezone.now(),
        progress=0,
        step="Bắt đầu",
        error="",
        unsent_at=None,
    )


def report_run_progress(run_id: int, *, attempt: int, progress: int, step: str) -> None:
    """Progress of the attempt that owns the run (a worker taken over writes nothing)."""
    ReportRun.objects.filter(pk=run_id, attempts=attempt).update(
        progress=progress, step=step, heartbeat_at=timezone.now()
    )


@transaction.atomic
def report_run_rebuild(*, run: ReportRun) -> ReportRun:
    """Build the preview again (after editing the text, or to retry a failure)."""
    previous = ReportRun.objects.filter(pk=run.pk).values("status", "step", "progress").first()
    updated = ReportRun.objects.filter(
        pk=run.pk, status__in=[ReportRun.Status.DONE, ReportRun.Status.FAILED]
    ).update(
        status=ReportRun.Status.QUEUED,
        progress=0,
        step="Đang chờ",
        error="",
        final=False,
        queued_at=timezone.now(),
    )
    if not updated:
        raise ValidationError("Báo cáo đang được lập hoặc đã ban hành: không lập lại được.")
    run.refresh_from_db()
    _send(run, revert=previous)
    return run


@transaction.atomic
def report_run_issue(*, run: ReportRun, user) -> ReportRun:
    """Issue: build the final document once more (no draft mark) and freeze it."""
    if not run.document_number.strip():
        raise ValidationError("Hãy ghi số, ký hiệu văn bản trước khi ban hành.")
    updated = ReportRun.objects.filter(pk=run.pk, status=ReportRun.Status.DONE).update(
        status=ReportRun.Status.QUEUED,
        final=True,
        issued_by=user,
        progress=0,
        step="Đang chờ",
        queued_at=timezone.now(),
    )
    if not updated:
        raise ValidationError("Chỉ ban hành được báo cáo đã lập xong.")
    run.refresh_from_db()
    revert = {"status": ReportRun.Status.DONE, "final": False, "issued_by": None,
              "progress": 100, "step": "Hoàn thành"}  # fmt: skip
    _send(run, revert=revert)
    return run


@transaction.atomic
def report_run_resend(*, run: ReportRun) -> ReportRun:
    """Send a run that could not be sent (the queue was down) again."""
    updated = ReportRun.objects.filter(pk=run.pk, status=ReportRun.Status.UNSENT).update(
        status=ReportRun.Status.QUEUED, step="Đang chờ", queued_at=timezone.now()
    )
    if not updated:
        raise ValidationError("Báo cáo này không chờ gửi lại.")
    run.refresh_from_db()
    _send(run, revert={"status": ReportRun.Status.UNSENT, "step": UNSENT_STEP})
    return run


def runs_to_resume() -> list[int]:
    """Runs nobody is building: a worker died while running one (its heartbeat stopped), a
    queued one waited longer than a worker would let it (its message may be lost), or the
    queue was down when it was sent. Sending them again is safe: the claim lets one worker in."""
    stale = timezone.now() - jobs.stale_after()
    return list(
        ReportRun.objects.filter(
            Q(status=ReportRun.Status.RUNNING, heartbeat_at__lt=stale)
            | Q(status=ReportRun.Status.QUEUED, queued_at__lt=stale)
            | Q(status=ReportRun.Status.UNSENT)
        ).values_list("pk", flat=True)
    )


def report_runs_resume() -> int:
    """Send every run of `runs_to_resume` again; how many were sent."""
    from .tasks import build_report_run

    sent = 0
    for run_id in runs_to_resume():
        sent += jobs.send(build_report_run, run_id, on_failure=lambda error: None)
    return sent


TEXT_FIELDS = (
    "title",
    "parent_body",
    "issuing_body",
    "document_number",
    "place",
    "document_date",
    "signature_title",
    "signer_name",
    "recipients",
    "strengths",
    "shortcomings",
    "directions",
    "proposals",
)


@transaction.atomic
def report_run_update_text(*, run: ReportRun, values: dict) -> ReportRun:
    if run.is_issued or run.final:
        raise ValidationError("Báo cáo đã ban hành: không sửa được nữa.")
    for name in TEXT_FIELDS:
        if name in values:
            setattr(run, name, values[name])
    run.full_clean()
    run.save(update_fields=list(TEXT_FIELDS))
    return run


def previous_text(run: ReportRun) -> dict:
    """The text of the province's latest issued report, offered as a start."""
    last = (
        ReportRun.objects.filter(province=run.province, status=ReportRun.Status.ISSUED)
        .exclude(pk=run.pk)
        .order_by(F("issued_at").desc(nulls_last=True), "-pk")
        .first()
    )
    if last is None:
        return {}
    carried = [n for n in TEXT_FIELDS if n not in ("title", "document_number", "document_date")]
    return {name: getattr(last, name) for name in carried}
