"""What /healthz checks: the database, Redis, the worker's and beat's heartbeats, free disk
and the last complete backup. Each check answers quickly and never raises: a failure is an
answer (`ok: False` and what went wrong), so a monitor always gets the whole picture.
"""

import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from . import backups, databases
from .models import Heartbeat

logger = logging.getLogger(__name__)

TIMEOUT = 1  # seconds, for each network check
MB = 1024 * 1024


@dataclass
class Check:
    ok: bool
    detail: str
    data: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"ok": self.ok, "detail": self.detail, **self.data}


def run_checks() -> dict[str, Check]:
    checks = {"database": _guarded(database_check)}
    checks["redis"] = _guarded(redis_check)
    for kind in Heartbeat.Kind:
        if checks["database"].ok:
            checks[kind.value] = _guarded(heartbeat_check, kind)
        else:
            checks[kind.value] = Check(False, "không đọc được: cơ sở dữ liệu không trả lời")
    checks["disk"] = _guarded(disk_check)
    checks["backup"] = _guarded(backup_check)
    return checks


def _guarded(check, *args) -> Check:
    try:
        return check(*args)
    except Exception as error:  # a check that breaks is a failed check, never a 500
        logger.exception("healthz: %s failed", check.__name__)
        return Check(False, f"lỗi khi kiểm tra: {error.__class__.__name__}: {error}")


def database_check() -> Check:
    """SELECT 1 on a connection of its own with a short connect timeout, so a database
    that does not answer cannot hold the request."""
    database = {**connection.settings_dict}
    if databases.engine_of(database) == databases.POSTGRESQL:
        # libpq waits at least 2 s whatever is asked; a refused connection fails at once.
        database["OPTIONS"] = {**database.get("OPTIONS", {}), "connect_timeout": 2}
    wrapper = databases.wrapper_for(database, alias="healthz")
    started = time.monotonic()
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return Check(False, f"không kết nối được: {error}".strip())
    finally:
        wrapper.close()
    return Check(True, "trả lời", {"ms": round((time.monotonic() - started) * 1000, 1)})


def redis_check() -> Check:
    if not settings.REDIS_URL:
        return Check(True, "không cấu hình (tác vụ chạy ngay trong tiến trình web)")
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=TIMEOUT,
        socket_timeout=TIMEOUT,
        retry=Retry(NoBackoff(), 0),
    )
    started = time.monotonic()
    try:
        client.ping()
    except redis.RedisError as error:
        return Check(False, f"không trả lời PING: {error}")
    finally:
        client.close()
    return Check(True, "PONG", {"ms": round((time.monotonic() - started) * 1000, 1)})


def heartbeat_check(kind: Heartbeat.Kind) -> Check:
    limit = settings.HEALTHZ_BEAT_MAX_AGE if kind == "beat" else settings.HEALTHZ_WORKER_MAX_AGE
    beat = Heartbeat.objects.filter(kind=kind).first()
    if beat is None:
        return Check(False, "chưa có tín hiệu nào", {"age_seconds": None, "max_age": limit})
    age = round((timezone.now() - beat.at).total_seconds())
    data = {"age_seconds": age, "max_age": limit, "hostname": beat.hostname}
    if age > limit:
        return Check(False, f"tín hiệu cuối cách đây {age} giây (quá {limit} giây)", data)
    return Check(True, f"tín hiệu cuối cách đây {age} giây", data)


def disk_check() -> Check:
    """Free space where the uploads and the backups are written (when they are on a local
    disk: an object store has no free space to measure)."""
    minimum = settings.HEALTHZ_MIN_FREE_MB
    data, short = {"min_free_mb": minimum}, []
    for label, storage in (("media", default_storage), ("backups", backups.backup_storage())):
        try:
            path = Path(storage.path(""))
        except NotImplementedError:
            continue
        while not path.exists() and path != path.parent:  # not created yet: its disk
            path = path.parent
        free = shutil.disk_usage(path).free // MB
        data[f"{label}_free_mb"] = free
        if free < minimum:
            short.append(f"{label} còn {free} MB")
    if short:
        return Check(False, f"sắp hết chỗ: {', '.join(short)} (tối thiểu {minimum} MB)", data)
    return Check(True, "đủ chỗ", data)


def backup_check() -> Check:
    limit_hours = settings.HEALTHZ_BACKUP_MAX_AGE_HOURS
    latest = backups.latest_complete()
    if latest is None:
        return Check(False, "chưa có bản sao lưu đầy đủ nào", {"max_age_hours": limit_hours})
    age = (timezone.now() - latest.created_at).total_seconds() / 3600
    data = {"name": latest.name, "age_hours": round(age, 1), "max_age_hours": limit_hours}
    if age > limit_hours:
        return Check(False, f"bản đầy đủ mới nhất {latest.name} đã quá {limit_hours} giờ", data)
    return Check(True, f"bản đầy đủ mới nhất {latest.name}", data)
