"""Celery tasks of the reports app: thin, they take an id and call the builders."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import figures
from .models import ReportRun
from .services import report_run_claim, report_run_progress


@shared_task(acks_late=True)
def build_report_run(run_id: int) -> str:
    """Compute a run's figures. Idempotent: a run already built or being built is skipped."""
    if not report_run_claim(run_id):
        return "skipped"
    run = ReportRun.objects.select_related("province").get(pk=run_id)
    try:
        report_run_progress(run_id, progress=10, step="Tổng hợp số liệu")
        assignments = figures.scope_assignments(
            province=run.province, district=run.district, commune=run.commune, agency=run.agency
        )
        result = figures.totals(assignments, run.period_start, run.period_end)
    except Exception as exc:
        ReportRun.objects.filter(pk=run_id).update(
            status=ReportRun.Status.FAILED, error=f"Không lập được báo cáo: {exc}"
        )
        raise
    with transaction.atomic():
        ReportRun.objects.filter(pk=run_id).update(
            figures=result.as_dict(),
            status=ReportRun.Status.DONE,
            progress=100,
            step="Hoàn thành",
            finished_at=timezone.now(),
        )
    return "done"
