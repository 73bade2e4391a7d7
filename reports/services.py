"""Writes to report runs."""

import datetime

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
    district=None,
    commune=None,
    agency=None,
) -> ReportRun:
    """Record a report run and enqueue its build once the row is committed."""
    from .tasks import build_report_run

    run = ReportRun(
        province=province,
        scope=scope,
        district=district,
        commune=commune,
        agency=agency,
        period_start=period_start,
        period_end=period_end,
        requested_by=requested_by,
    )
    run.full_clean()
    run.save()
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
