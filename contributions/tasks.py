"""Celery tasks of the contributions app: thin, they take an id and call the service."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from .imports import jobs

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    soft_time_limit=settings.IMPORT_TIME_LIMIT,
    time_limit=settings.IMPORT_TIME_LIMIT + 30,
)
def run_import_job(job_id: int) -> str:
    """Check or save an uploaded workbook (its job's phase says which), within a time limit:
    a workbook that takes longer is refused with the reason."""
    try:
        return jobs.import_job_run(job_id)
    except SoftTimeLimitExceeded:
        jobs.import_job_time_out(job_id)
        return "timed out"
    except Exception:
        logger.exception("import job %s failed", job_id)
        jobs.import_job_fail(job_id)
        return "failed"


@shared_task(ignore_result=True)
def resume_import_jobs() -> int:
    """Celery beat, every minute: send again the imports nobody is working on."""
    return jobs.import_jobs_resume()
