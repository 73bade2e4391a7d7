"""Background jobs that never get stuck: sent after commit without raising, claimed with a
conditional UPDATE, kept alive by a heartbeat, and taken over when their worker died.

A job is a row (a report run, an import check) with a status, `attempts` and `heartbeat_at`.
- `send_on_commit` enqueues once the row is committed; a broker that cannot take the message
  (Redis down) calls `on_failure` instead of raising, so the page answers and the row says
  "chưa gửi được" rather than "queued" forever.
- `claim` takes a row that is waiting, or whose worker stopped beating, in one UPDATE, and
  returns the attempt number that owns it; the owner checks that number again before it
  writes its result, so a worker that was taken over never writes a second set of files.
- `heartbeat` stamps the row every few seconds from a thread while the work runs (a PDF
  layout can take many seconds without a progress callback).
Nothing here imports another giupxa app: the models are passed in.
"""

import contextlib
import datetime
import logging
import threading
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)


def stale_after() -> datetime.timedelta:
    """A running job whose heartbeat is older than this lost its worker."""
    return datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)


def _eager(task) -> bool:
    return bool(task.app.conf.task_always_eager)


def send(task, *args, on_failure: Callable[[Exception], None]) -> bool:
    """Enqueue `task(*args)` now; False (after `on_failure`) if the broker cannot take it."""
    if _eager(task):
        task.apply(args=args, throw=True)
        return True
    try:
        task.apply_async(args=args, retry=True, retry_policy=settings.JOB_PUBLISH_RETRY)
    except Exception as error:  # kombu/redis raise many kinds: all mean "not sent"
        logger.warning("could not enqueue %s%r: %s", task.name, args, error)
        on_failure(error)
        return False
    return True


def send_on_commit(task, *args, on_failure: Callable[[Exception], None]) -> None:
    transaction.on_commit(lambda: send(task, *args, on_failure=on_failure))


_answers: dict[str, tuple[float, bool]] = {}


def queue_available(task_app, *, ttl: float = 5.0) -> bool:
    """Whether the broker answers (a short connect, never a hang); the answer is kept a few
    seconds per process, so a page that asks costs one connect at most every `ttl`."""
    if task_app.conf.task_always_eager:
        return True
    url = task_app.conf.broker_url
    now = time.monotonic()
    cached = _answers.get(url)
    if cached and now - cached[0] < ttl:
        return cached[1]
    try:
        with task_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception:
        answer = False
    else:
        answer = True
    _answers[url] = (now, answer)
    return answer


def claimable(model, *, waiting: list[str], running: str) -> Q:
    """Rows a worker may take: waiting ones, and running ones whose heartbeat stopped."""
    stale = timezone.now() - stale_after()
    return Q(status__in=waiting) | Q(status=running) & (
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True)
    )


def claim(model, pk: int, *, waiting: list[str], running: str, **fields) -> int | None:
    """Take the row for this worker; the attempt number that owns it, or None."""
    now = timezone.now()
    claimed = (
        model.objects.filter(pk=pk)
        .filter(claimable(model, waiting=waiting, running=running))
        .update(status=running, attempts=F("attempts") + 1, heartbeat_at=now, **fields)
    )
    if not claimed:
        return None
    return model.objects.values_list("attempts", flat=True).get(pk=pk)


def still_owner(model, pk: int, attempt: int, running: str):
    """The row locked FOR UPDATE if this attempt still owns it, else None (inside atomic)."""
    return model.objects.select_for_update().filter(pk=pk, status=running, attempts=attempt).first()


@contextlib.contextmanager
def heartbeat(model, pk: int, attempt: int) -> Iterator[None]:
    """Stamp `heartbeat_at` every JOB_HEARTBEAT_SECONDS while the block runs, from a thread
    with its own database connection. Tasks run in-process (the demo, eager tests) need none:
    their worker is the web process itself."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or connection.vendor == "sqlite":
        yield
        return
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                model.objects.filter(pk=pk, attempts=attempt).update(heartbeat_at=timezone.now())
        finally:
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{model.__name__}-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
