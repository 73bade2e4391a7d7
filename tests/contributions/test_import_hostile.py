"""Untrusted workbooks cannot hold a web worker: what a file declares is checked in the
request, what it really unpacks to in a job with a time limit, and every malformed file
gets a clear Vietnamese message and changes nothing."""

import io
import threading
import time
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from contributions.models import Activity, ImportJob
from tests.contributions.workbooks import cash_row, counts, upload, workbook_bytes
from tests.waiting import wait_until

ROW = ["Mới Mường", "15/03/2026"]


def rezip(data: bytes, replace: dict[str, bytes] | None = None, *, stored=False,
          extra: dict[str, bytes] | None = None) -> bytes:  # fmt: skip
    """The workbook's parts again, some replaced or added, deflated or stored."""
    output = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(output, "w", method) as out:
        replace = dict(replace or {})
        for info in source.infolist():
            out.writestr(info.filename, replace.pop(info.filename, None) or source.read(info))
        for name, content in {**replace, **(extra or {})}.items():
            out.writestr(name, content)
    return output.getvalue()


def shared_strings_bomb() -> bytes:
    """What the probe sent: about 200 KB whose shared strings unpack to 85 MB."""
    good = workbook_bytes([cash_row(*ROW)])
    item = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    strings = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
               b'.org/spreadsheetml/2006/main">' + item * 85_000 + b"</sst>")  # fmt: skip
    return rezip(good, {"xl/sharedStrings.xml": strings})


def test_the_bomb_is_small_and_unpacks_to_85_mb():
    bomb = shared_strings_bomb()
    assert len(bomb) < 400_000
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size > 85_000_000


@pytest.mark.django_db(transaction=True)
def test_three_bombs_at_once_are_refused_while_another_users_page_answers():
    from django.db import connection

    from tests.conftest import build_world

    if connection.vendor == "sqlite":
        pytest.skip("threads on SQLite's in-memory test database lock each other's tables")

    world = build_world()
    bomb = shared_strings_bomb()
    answers, started = [], time.monotonic()

    def send(client):
        file = io.BytesIO(bomb)
        file.name = "bao-cao.xlsx"
        answers.append(client.post(reverse("import_upload"), {"file": file}))

    # Logged in first, one after another: SQLite (the zero-setup default) locks a table
    # for each write, and the sessions' writes are not what this test is about.
    senders = [Client() for _ in range(3)]
    for client in senders:
        client.force_login(world.users["agency_staff_a"])
    threads = [threading.Thread(target=send, args=[client]) for client in senders]
    for thread in threads:
        thread.start()
    other = Client()
    other.force_login(world.users["commune_officer"])
    assert other.get(reverse("home")).status_code == 200
    for thread in threads:
        thread.join(timeout=60)
    # Parsing 85 MB of shared strings takes minutes here; refusing it takes nothing.
    assert time.monotonic() - started < 30
    assert len(answers) == 3
    for answer in answers:
        assert answer.status_code == 200
        assert "Tệp giải nén ra quá lớn" in answer.content.decode()
        assert "«xl/sharedStrings.xml»" in answer.content.decode()
    assert not ImportJob.objects.exclude(pk=world.import_job_a.pk).exists()


def corrupted_part() -> bytes:
    """A stored (uncompressed) workbook with one byte of a sheet changed: its checksum no
    longer matches."""
    data = bytearray(rezip(workbook_bytes([cash_row(*ROW, title="Tặng quà Tết")]), stored=True))
    at = data.index(b"<sheetData>")
    data[at + 1] = ord("S")
    return bytes(data)


def lying_size() -> bytes:
    """A part that declares 100 bytes and unpacks to 30 MB."""
    data = bytearray(rezip(workbook_bytes([cash_row(*ROW)]),
                           extra={"xl/media/a.bin": b"\0" * (30 * 1024 * 1024)}))  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/media/a.bin")
    real = info.file_size.to_bytes(4, "little")
    fake = (100).to_bytes(4, "little")
    assert data.count(real) >= 2  # the local header and the central directory
    return bytes(data).replace(real, fake)


def many_parts() -> bytes:
    return rezip(workbook_bytes([cash_row(*ROW)]),
                 extra={f"xl/media/{n}.bin": b"x" for n in range(400)})  # fmt: skip


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (corrupted_part(), "sai mã kiểm tra"),
        (lying_size(), "sai mã kiểm tra"),
        (many_parts(), "Tệp có 4"),
    ],
    ids=["bad-checksum", "lying-size", "many-parts"],
)
def test_a_malformed_workbook_gets_a_clear_message_and_changes_nothing(client, world, data,
                                                                       message):  # fmt: skip
    client.force_login(world.users["agency_staff_a"])
    before = counts()
    response = upload(client, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Không có gì được lưu" in response.content.decode()
    assert counts() == before


def test_the_job_page_shows_progress_until_the_check_ends(client, world):
    client.force_login(world.users["agency_staff_a"])
    with_file = ImportJob.objects.create(
        agency=world.agency_a, created_by=world.users["agency_staff_a"], file_name="a.xlsx",
        sha256="0" * 64, size=10, status="running", progress=40, step="Đọc các dòng",
    )  # fmt: skip
    fragment = client.get(reverse("import_job_progress", args=[with_file.pk])).content.decode()
    assert 'value="40"' in fragment and "Đọc các dòng" in fragment and "hx-trigger" in fragment
    ImportJob.objects.filter(pk=with_file.pk).update(status="refused", error="Tệp hỏng.")
    fragment = client.get(reverse("import_job_progress", args=[with_file.pk])).content.decode()
    assert "Tệp hỏng." in fragment and "hx-trigger" not in fragment  # polling stops


@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_checks_and_saves_and_a_slow_file_meets_the_time_limit(settings, monkeypatch):
    from tests.conftest import build_world, celery_workers

    world = build_world()
    client = Client()
    client.force_login(world.users["agency_staff_a"])
    rows = [cash_row("Mới Mường", "15/03/2026", title=f"Quà {n}") for n in range(3)]
    with celery_workers(settings):
        response = client.post(reverse("import_upload"),
                               {"file": named(workbook_bytes(rows), "ba-dong.xlsx")})  # fmt: skip
        job = ImportJob.objects.get(file_name="ba-dong.xlsx")
        assert response["Location"] == reverse("import_job", args=[job.pk])
        wait_until(lambda: ImportJob.objects.get(pk=job.pk).status == "finished", 60)
        page = client.get(response["Location"]).content.decode()
        assert "Tệp hợp lệ: 3 khoản đóng góp thành 3 hoạt động" in page
        client.post(reverse("import_job_commit", args=[job.pk]))
        wait_until(lambda: ImportJob.objects.get(pk=job.pk).batch_id, 60)
        assert (
            "Đã lưu vào hệ thống: 3 hoạt động" in client.get(response["Location"]).content.decode()
        )
    job.refresh_from_db()
    assert Activity.objects.filter(import_batch=job.batch_id).count() == 3

    # The limits travel in the message (Celery's `timelimit` header, from the sender's task):
    # the sending side and the worker both read IMPORT_TIME_LIMIT = 1 s here.
    from contributions.tasks import run_import_job

    monkeypatch.setattr(run_import_job, "soft_time_limit", 1)
    monkeypatch.setattr(run_import_job, "time_limit", 31)
    monkeypatch.setattr(run_import_job, "_exec_options", None)  # Celery caches the limits
    slow = [cash_row("Mới Mường", "15/03/2026", title=f"Quà {n}") for n in range(8000)]
    with celery_workers(settings, pool="prefork", IMPORT_TIME_LIMIT="1"):
        client.post(reverse("import_upload"), {"file": named(workbook_bytes(slow), "lon.xlsx")})
        late = ImportJob.objects.get(file_name="lon.xlsx")
        wait_until(lambda: ImportJob.objects.get(pk=late.pk).status == "refused", 90)
    late.refresh_from_db()
    assert "quá thời gian cho phép" in late.error and not late.file


def named(data: bytes, name: str):
    file = io.BytesIO(data)
    file.name = name
    return file
