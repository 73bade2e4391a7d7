"""Writes to report runs."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

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
    (the report says so)."""
    from .tasks import build_report_run

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
    run.save()
    if enqueue:
        transaction.on_commit(lambda: build_report_run.delay(run.pk))
    return run


def report_run_claim(run_id: int) -> bool:
    """Take a queued or failed run for building; False if another worker has it or it is done."""
    claimed = ReportRun.objects.filter(
        pk=run_id, status__in=[ReportRun.Status.QUEUED, ReportRun.Status.FAILED]
    ).update(
        status=ReportRun.Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        progress=0,
        step="Bắt đầu",
        error="",
    )
    return claimed == 1


def report_run_progress(run_id: int, *, progress: int, step: str) -> None:
    ReportRun.objects.filter(pk=run_id).update(progress=progress, step=step)


def _enqueue(run: ReportRun) -> None:
    from .tasks import build_report_run

    transaction.on_commit(lambda: build_report_run.delay(run.pk))


@transaction.atomic
def report_run_rebuild(*, run: ReportRun) -> ReportRun:
    """Build the preview again (after editing the text, or to retry a failure)."""
    updated = ReportRun.objects.filter(
        pk=run.pk, status__in=[ReportRun.Status.DONE, ReportRun.Status.FAILED]
    ).update(status=ReportRun.Status.QUEUED, progress=0, step="Đang chờ", error="", final=False)
    if not updated:
        raise ValidationError("Báo cáo đang được lập hoặc đã ban hành: không lập lại được.")
    run.refresh_from_db()
    _enqueue(run)
    return run


@transaction.atomic
def report_run_issue(*, run: ReportRun, user) -> ReportRun:
    """Issue: build the final document once more (no draft mark) and freeze it."""
    if not run.document_number.strip():
        raise ValidationError("Hãy ghi số, ký hiệu văn bản trước khi ban hành.")
    updated = ReportRun.objects.filter(pk=run.pk, status=ReportRun.Status.DONE).update(
        status=ReportRun.Status.QUEUED, final=True, issued_by=user, progress=0, step="Đang chờ"
    )
    if not updated:
        raise ValidationError("Chỉ ban hành được báo cáo đã lập xong.")
    run.refresh_from_db()
    _enqueue(run)
    return run


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
