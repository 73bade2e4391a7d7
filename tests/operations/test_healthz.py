"""/healthz for monitoring: 200 when everything answers, 503 naming what does not, quickly
(a dead Redis or database never holds it), without login and never cached."""

import contextlib
import datetime
import socket
import time

import pytest
from django.db import connection
from django.utils import timezone

from operations.backups import backup_create
from operations.models import Heartbeat
from operations.services import heartbeat_record
from tests.operations.conftest import ON_POSTGRESQL

pytestmark = pytest.mark.django_db
CHECKS = {"database", "redis", "worker", "beat", "disk", "backup"}


@pytest.fixture
def healthy(settings):
    settings.HEALTHZ_MIN_FREE_MB = 1  # whatever this machine has left
    heartbeat_record(kind=Heartbeat.Kind.WORKER, hostname="worker-1")
    heartbeat_record(kind=Heartbeat.Kind.BEAT, hostname="beat-1")
    backup_create()


def ask(client, method="get"):
    started = time.monotonic()
    response = getattr(client, method)("/healthz")
    return response, time.monotonic() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def silent_server():
    """A port that accepts connections and never answers (a hung Redis)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def test_everything_ok(client, healthy):
    response, _ = ask(client)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["failing"]) == ("ok", [])
    assert set(body["checks"]) == CHECKS
    assert all(check["ok"] for check in body["checks"].values()), body
    assert body["checks"]["worker"]["hostname"] == "worker-1"
    assert body["checks"]["worker"]["age_seconds"] < 60
    assert body["checks"]["database"]["ms"] >= 0
    assert body["checks"]["disk"]["backups_free_mb"] >= 1
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_redis_not_configured_is_not_a_failure(client, healthy, settings):
    settings.REDIS_URL = ""
    response, _ = ask(client)
    assert response.status_code == 200
    assert response.json()["checks"]["redis"]["detail"].startswith("không cấu hình")


def test_a_dead_redis_fails_quickly(client, healthy, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response, took = ask(client)
    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
    assert took < 2


def test_a_hung_redis_fails_within_its_timeout(client, healthy, settings):
    with silent_server() as port:
        settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
        response, took = ask(client)
    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
    assert took < 2


def test_a_dead_database_fails_quickly(client, healthy, monkeypatch):
    # New connections go nowhere; the test's own, already open, still works.
    if ON_POSTGRESQL:
        monkeypatch.setitem(connection.settings_dict, "PORT", str(free_port()))
    else:
        monkeypatch.setitem(connection.settings_dict, "NAME", "/nonexistent/giupxa.sqlite3")
    response, took = ask(client)
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database", "worker", "beat"]
    assert "cơ sở dữ liệu không trả lời" in body["checks"]["worker"]["detail"]
    assert took < 2.5


def test_stale_heartbeats_fail(client, healthy):
    ten_minutes_ago = timezone.now() - datetime.timedelta(minutes=10)
    heartbeat_record(kind=Heartbeat.Kind.WORKER, at=ten_minutes_ago)
    heartbeat_record(kind=Heartbeat.Kind.BEAT, at=ten_minutes_ago)
    response, _ = ask(client)
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["worker", "beat"]
    assert "quá 300 giây" in body["checks"]["beat"]["detail"]


def test_no_heartbeat_yet_fails(client, healthy):
    Heartbeat.objects.filter(kind=Heartbeat.Kind.BEAT).delete()
    response, _ = ask(client)
    assert response.status_code == 503
    assert response.json()["failing"] == ["beat"]
    assert response.json()["checks"]["beat"]["detail"] == "chưa có tín hiệu nào"


def test_thresholds_come_from_the_settings(client, healthy, settings):
    heartbeat_record(kind=Heartbeat.Kind.WORKER, at=timezone.now() - datetime.timedelta(minutes=8))
    settings.HEALTHZ_WORKER_MAX_AGE = 10 * 60
    assert ask(client)[0].status_code == 200
    settings.HEALTHZ_MIN_FREE_MB = 10**12
    response, _ = ask(client)
    assert response.json()["failing"] == ["disk"]
    assert "sắp hết chỗ" in response.json()["checks"]["disk"]["detail"]


def test_no_backup_or_an_old_one_fails(client, settings):
    settings.HEALTHZ_MIN_FREE_MB = 1
    heartbeat_record(kind=Heartbeat.Kind.WORKER)
    heartbeat_record(kind=Heartbeat.Kind.BEAT)
    response, _ = ask(client)
    assert response.json()["failing"] == ["backup"]
    assert response.json()["checks"]["backup"]["detail"] == "chưa có bản sao lưu đầy đủ nào"
    backup_create(now=timezone.now() - datetime.timedelta(hours=27))
    response, _ = ask(client)
    assert response.json()["failing"] == ["backup"]
    assert "đã quá 26 giờ" in response.json()["checks"]["backup"]["detail"]
