"""Celery tasks of the reports app: thin, they take an id and call the builder."""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import builder
from .models import ReportRun
from .services import report_run_claim, report_run_progress

logger = logging.getLogger(__name__)
TRANSIENT = (ConnectionError, TimeoutError, OSError)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=3,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def build_report_run(run_id: int) -> str:
    """Build a run's figures and files. Idempotent: a run already built, being built or issued
    is skipped; files go to a fixed name per run and are marked done in one transaction."""
    if not report_run_claim(run_id):
        return "skipped"
    run = ReportRun.objects.select_related("province", "district", "commune", "agency").get(
        pk=run_id
    )
    try:
        pdf_bytes, xlsx_bytes, figures = builder.build_files(
            run, progress=lambda p, step: report_run_progress(run_id, progress=p, step=step)
        )
    except TRANSIENT:
        ReportRun.objects.filter(pk=run_id).update(status=ReportRun.Status.QUEUED)
        raise
    except Exception as error:
        logger.exception("report run %s failed", run_id)
        ReportRun.objects.filter(pk=run_id).update(
            status=ReportRun.Status.FAILED,
            step="Lỗi",
            error=f"Không lập được báo cáo: {error}",
        )
        return "failed"
    report_run_progress(run_id, progress=95, step="Lưu tệp")
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        builder.save_files(run, pdf_bytes, xlsx_bytes, figures)
        run.progress = 100
        if run.final:
            # Issuing freezes the figures: this snapshot and these files stay as they are.
            run.status, run.step, run.issued_at = (
                ReportRun.Status.ISSUED,
                "Đã ban hành",
                timezone.now(),
            )
        else:
            run.status, run.step = ReportRun.Status.DONE, "Hoàn thành"
        run.save()
    return run.status


@shared_task
def prepare_period_reports(today: str | None = None) -> int:
    """Celery beat, 1 January and 1 July: a draft report for the period that just ended, per
    province, and an email to the agencies with nothing submitted for it."""
    import datetime

    from django.utils import timezone as tz

    from .periodic import prepare_reports

    day = datetime.date.fromisoformat(today) if today else tz.localdate()
    return prepare_reports(day)
