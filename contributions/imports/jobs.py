"""An import as two background jobs on an ImportJob row: the check (parse, every problem
listed) and, when the file is clean and its uploader says so, the commit.

The web request only looks at what a file declares (`cells.check_file`: its size, its kind,
the sizes of its parts) and stores it; the parse, which an untrusted file could make long,
runs in a Celery job with a time limit and shows its progress. Both jobs are safe to run
twice: the check writes its result again, the commit saves a file once (ImportBatch).
"""

import datetime
import hashlib
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import jobs
from core import spreadsheets as cells

from ..models import ImportJob
from .commit import commit
from .layout import ImportRefused
from .parse import Problem, parse

MAX_LISTED_PROBLEMS = 2000
# A checked file waits this long for its uploader to save it, then is let go.
KEEP_CHECKED = datetime.timedelta(days=7)
WAITING = [ImportJob.Status.QUEUED, ImportJob.Status.UNSENT]
RUNNING = ImportJob.Status.RUNNING
TIMED_OUT = (
    "Kiểm tra tệp quá thời gian cho phép: tệp quá lớn hoặc quá phức tạp. Hãy tách thành nhiều"
    " tệp nhỏ hơn (mỗi tệp vài nghìn dòng) rồi tải lên lại."
)
UNSENT = "Chưa gửi được vào hàng đợi xử lý (hàng đợi không hoạt động)"


def import_job_create(*, user, agency, file_name: str, data: bytes) -> ImportJob:
    """Store an upload that passed `cells.check_file` and send its check."""
    cells.check_file(data)
    with transaction.atomic():
        job = ImportJob(
            agency=agency,
            created_by=user,
            file_name=file_name[:255] or "tep.xlsx",
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            step="Đang chờ kiểm tra",
            queued_at=timezone.now(),
        )
        job.file.save(f"{uuid.uuid4().hex}.xlsx", ContentFile(data), save=False)
        job.save()
        _send(job)
    return job


def _send(job: ImportJob) -> None:
    from ..tasks import run_import_job

    def failed(error):
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.UNSENT, step=UNSENT
        )

    jobs.send_on_commit(run_import_job, job.pk, on_failure=failed)


@transaction.atomic
def import_job_commit(*, job: ImportJob, user) -> ImportJob:
    """Ask for a clean, checked file to be saved (by a second job)."""
    if job.created_by_id != user.pk:
        raise PermissionDenied("Chỉ người tải tệp lên mới lưu được tệp này.")
    updated = (
        ImportJob.objects.filter(
            pk=job.pk, phase=ImportJob.Phase.CHECK, status=ImportJob.Status.FINISHED
        )
        .filter(result__ok=True)
        .exclude(file="")
        .update(
            phase=ImportJob.Phase.COMMIT,
            status=ImportJob.Status.QUEUED,
            progress=0,
            step="Đang chờ lưu",
            queued_at=timezone.now(),
        )
    )
    if not updated:
        raise ValidationError(
            "Tệp này chưa kiểm tra xong, còn lỗi, đã được lưu hoặc đã hết hạn lưu tạm (7 ngày):"
            " hãy tải lên lại."
        )
    job.refresh_from_db()
    _send(job)
    return job


@transaction.atomic
def import_job_resend(*, job: ImportJob) -> ImportJob:
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.UNSENT).update(
        status=ImportJob.Status.QUEUED, step="Đang chờ", queued_at=timezone.now()
    )
    if not updated:
        raise ValidationError("Tệp này không chờ gửi lại.")
    job.refresh_from_db()
    _send(job)
    return job


def import_job_run(job_id: int) -> str:
    """The job's current phase, by the worker that claims it (the task calls this)."""
    attempt = jobs.claim(ImportJob, job_id, waiting=WAITING, running=RUNNING, error="")
    if attempt is None:
        return "skipped"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    mine = ImportJob.objects.filter(pk=job_id, attempts=attempt)

    def progress(percent: int, step: str) -> None:
        mine.update(progress=percent, step=step, heartbeat_at=timezone.now())

    try:
        with jobs.heartbeat(ImportJob, job_id, attempt), job.file.open("rb") as handle:
            data = handle.read()
            if hashlib.sha256(data).hexdigest() != job.sha256:
                raise ImportRefused("Tệp đã lưu không còn như lúc tải lên: hãy tải lên lại.")
            result = parse(data, user=job.created_by, file_name=job.file_name, progress=progress)
            if job.phase == ImportJob.Phase.COMMIT:
                batch = _commit(job, result, attempt)
                return _finish(job_id, attempt, batch=batch, result={**job.result,
                               "saved": _summary(result)})  # fmt: skip
    except ImportRefused as error:
        # The time limit can strike inside a reader that turns every error into a refusal.
        reason = TIMED_OUT if isinstance(error.__cause__, SoftTimeLimitExceeded) else str(error)
        return _finish(job_id, attempt, status=ImportJob.Status.REFUSED, error=reason)
    return _finish(job_id, attempt, result=_summary(result))


def _commit(job: ImportJob, result, attempt: int):
    if result.already_imported is not None and result.already_imported.sha256 == job.sha256:
        return result.already_imported  # saved by an earlier attempt or an earlier upload
    if not result.ok:
        raise ImportRefused("Tệp còn lỗi: không lưu gì. Hãy tải lên lại để xem các lỗi.")
    with transaction.atomic():
        if jobs.still_owner(ImportJob, job.pk, attempt, RUNNING) is None:
            raise ImportRefused("Tệp đang được một tiến trình khác lưu.")
        return commit(result, user=job.created_by)


def _finish(job_id: int, attempt: int, *, status=ImportJob.Status.FINISHED, **fields) -> str:
    """The attempt's outcome, written only if it still owns the job; a finished commit lets
    the stored file go (a checked file is kept until it is saved or left)."""
    with transaction.atomic():
        job = jobs.still_owner(ImportJob, job_id, attempt, RUNNING)
        if job is None:
            return "taken over"
        for name, value in fields.items():
            setattr(job, name, value)
        job.status, job.progress, job.finished_at = status, 100, timezone.now()
        job.step = "" if status == ImportJob.Status.FINISHED else job.get_status_display()
        if job.phase == ImportJob.Phase.COMMIT or status == ImportJob.Status.REFUSED:
            job.file.delete(save=False)
        job.save()
    return status


def import_job_time_out(job_id: int) -> None:
    """The task ran past its soft time limit: the file is refused, with the reason, and the
    stored file goes as with every refusal."""
    job = ImportJob.objects.filter(pk=job_id, status=RUNNING).first()
    updated = ImportJob.objects.filter(pk=job_id, status=RUNNING).update(
        status=ImportJob.Status.REFUSED, error=TIMED_OUT, step="Quá thời gian",
        finished_at=timezone.now(), file="",
    )  # fmt: skip
    if updated and job is not None and job.file:
        job.file.storage.delete(job.file.name)


def import_job_fail(job_id: int) -> None:
    ImportJob.objects.filter(pk=job_id, status=RUNNING).update(
        status=ImportJob.Status.FAILED,
        error="Lỗi hệ thống khi xử lý tệp: đã ghi nhận để kiểm tra. Không có gì được lưu.",
        step="Lỗi",
        finished_at=timezone.now(),
    )


def _summary(result) -> dict:
    problems = [[p.sheet, p.row, p.column, p.message] for p in result.problems]
    already = result.already_imported
    return {
        "ok": result.ok,
        "sha256": result.sha256,
        "rows": len(result.rows),
        "activities": result.activity_count,
        "total_value": result.total_value,
        "visits": len(result.visits),
        "visit_days": result.visit_days if result.visits else 0,
        "problem_count": len(problems),
        "problems": problems[:MAX_LISTED_PROBLEMS],
        "already_imported": (
            f"{timezone.localtime(already.imported_at):%H:%M %d/%m/%Y}" if already else None
        ),
    }


def problems_of(job: ImportJob) -> list[Problem]:
    return [Problem(*row) for row in job.result.get("problems", [])]


def import_jobs_to_resume() -> list[int]:
    """Jobs nobody is working on: a worker died (its heartbeat stopped), a queued one waited
    longer than any worker would let it, or the queue was down when it was sent."""
    stale = timezone.now() - jobs.stale_after()
    return list(
        ImportJob.objects.filter(
            Q(status=RUNNING, heartbeat_at__lt=stale)
            | Q(status=ImportJob.Status.QUEUED, queued_at__lt=stale)
            | Q(status=ImportJob.Status.UNSENT)
        ).values_list("pk", flat=True)
    )


def import_jobs_resume() -> int:
    """Send the jobs nobody works on again (the claim lets one worker in), and let go of the
    files of checks nobody saved within KEEP_CHECKED days."""
    from ..tasks import run_import_job

    left = ImportJob.objects.filter(
        phase=ImportJob.Phase.CHECK,
        status=ImportJob.Status.FINISHED,
        finished_at__lt=timezone.now() - KEEP_CHECKED,
    ).exclude(file="")
    for job in left:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="", step="Tệp đã hết hạn lưu tạm")
    return sum(
        jobs.send(run_import_job, job_id, on_failure=lambda error: None)
        for job_id in import_jobs_to_resume()
    )
