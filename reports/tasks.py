"""Celery tasks of the reports app: thin, they take an id and call the builder."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone

from core import jobs

from . import builder
from .models import ReportRun
from .services import report_run_claim, report_run_progress, report_runs_resume

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
    """Build a run's figures and files. Idempotent: a run already built or issued, or being
    built by a live worker, is skipped; a run whose worker died is taken over. Files go to a
    fixed name per run and are saved only by the attempt that still owns the run."""
    attempt = report_run_claim(run_id)
    if attempt is None:
        return "skipped"
    run = ReportRun.objects.select_related("province", "district", "commune", "agency").get(
        pk=run_id
    )
    mine = ReportRun.objects.filter(pk=run_id, attempts=attempt)
    try:
        with jobs.heartbeat(ReportRun, run_id, attempt):
            pdf_bytes, xlsx_bytes, figures = builder.build_files(
                run,
                progress=lambda p, step: report_run_progress(
                    run_id, attempt=attempt, progress=p, step=step
                ),
            )
    except TRANSIENT:
        mine.update(status=ReportRun.Status.QUEUED, queued_at=timezone.now())
        raise
    except SoftTimeLimitExceeded:
        mine.update(
            status=ReportRun.Status.FAILED,
            step="Lỗi",
            error="Không lập được báo cáo: quá thời gian cho phép. Hãy thu hẹp kỳ hoặc phạm vi.",
        )
        return "failed"
    except Exception as error:
        logger.exception("report run %s failed", run_id)
        mine.update(
            status=ReportRun.Status.FAILED, step="Lỗi", error=f"Không lập được báo cáo: {error}"
        )
        return "failed"
    report_run_progress(run_id, attempt=attempt, progress=95, step="Lưu tệp")
    with transaction.atomic():
        run = jobs.still_owner(ReportRun, run_id, attempt, ReportRun.Status.RUNNING)
        if run is None:
            return "taken over"
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


@shared_task(ignore_result=True)
def resume_report_runs() -> int:
    """Celery beat, every minute: send again the runs nobody is building (a dead worker, a
    lost message, a queue that was down)."""
    return report_runs_resume()


@shared_task
def prepare_period_reports(today: str | None = None) -> int:
    """Celery beat, 1 January and 1 July: a draft report for the period that just ended, per
    province, and an email to the agencies with nothing submitted for it."""
    import datetime

    from django.utils import timezone as tz

    from .periodic import prepare_reports

    day = datetime.date.fromisoformat(today) if today else tz.localdate()
    return prepare_reports(day)
