"""Nothing lost: a backup restored into a fresh database gives the same report, the same rows
and the same files; a changed file is refused; unfinished backups are ignored; retention
keeps the newest."""

import datetime
import json
import os
import sqlite3
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from contributions.models import Contribution
from operations import backups, databases
from operations.backups import backup_create, backup_list, backup_storage
from tests import factories as f
from tests.operations.conftest import postgresql_only
from tests.operations.report_figures import report_figures

T0 = datetime.datetime(2026, 12, 1, 19, 0, tzinfo=datetime.UTC)  # 02:00 in Hà Nội


def media_files() -> dict[str, bytes]:
    found = {}
    for name in backups._walk(default_storage):
        with default_storage.open(name, "rb") as handle:
            found[name] = handle.read()
    return found


def restored_figures(database_url: str, province_pk: int) -> dict:
    """The figures computed by another process, on the restored database."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         f"from tests.operations.report_figures import show; show({province_pk})"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@postgresql_only
@pytest.mark.django_db(transaction=True)  # committed, so pg_dump sees it
def test_a_restored_backup_gives_the_same_report_and_files(world, fresh_database, capsys):
    confirmed = world.confirmed_activity_a
    f.ContributionFactory(activity=confirmed, value=25_500_000, source=Contribution.Source.BUDGET)
    f.InKindContributionFactory(activity=confirmed, quantity=3, value=4_800_000)
    f.AttachmentFactory(activity=confirmed, file=ContentFile(b"%PDF-1.7 bien ban", "bien-ban.pdf"))
    before = report_figures(world.province.pk)
    assert before["figures"]["total_value"] == 40_300_000  # the factory's 10 M, 25,5 M, 4,8 M
    assert before["figures"]["activities"] == 1
    files = media_files()
    assert any(name.startswith("attachments/") for name in files)
    assert any(name.startswith("follow-ups/") for name in files)  # the check's photo

    call_command("backup")
    for name in files:  # the uploads are lost too
        default_storage.delete(name)
    call_command("restore", "latest", database_url=fresh_database, no_input=True)

    assert restored_figures(fresh_database, world.province.pk) == before
    assert media_files() == files
    out = capsys.readouterr().out
    assert "tệp tải lên." in out and "Đã sao lưu " in out
    assert f"Đã ghi lại {len(files)} tệp tải lên." in out
    assert "migrate" not in out  # the restored database is as migrated as the code


@pytest.mark.django_db(transaction=True)  # SQLite copies only outside a transaction
def test_the_manifest_lists_every_file_with_its_hash(world):
    result = backup_create(now=T0)
    storage = backup_storage()
    assert result.backup.name == "20261201T190000Z"
    assert sorted(storage.listdir("20261201T190000Z")[1]) == sorted(
        [result.manifest["database"]["file"], "media.tar", "manifest.json"]
    )
    with storage.open("20261201T190000Z/manifest.json") as handle:
        manifest = json.load(handle)
    assert manifest == result.manifest
    assert manifest["created_at"] == "2026-12-01T19:00:00+00:00"
    assert manifest["media_files"] == len(media_files()) >= 2
    assert manifest["database"]["migrations"]["latest"]["operations"] == "0002_beat_schedule"
    for name, item in manifest["files"].items():
        with storage.open(f"20261201T190000Z/{name}", "rb") as handle:
            data = handle.read()
        assert item["size"] == len(data)
        assert len(item["sha256"]) == 64


@pytest.mark.django_db
def test_a_changed_file_is_refused_and_nothing_is_restored(world, source_database, fresh_database):
    name = backup_create(database=source_database).backup.name
    storage = backup_storage()
    with storage.open(f"{name}/media.tar", "rb") as handle:
        tar = handle.read()
    storage.delete(f"{name}/media.tar")
    storage.save(f"{name}/media.tar", ContentFile(tar[:-1] + b"x"))
    photo = world.check_a.photo.name
    default_storage.delete(photo)

    with pytest.raises(CommandError, match="media.tar: mã SHA-256 không khớp"):
        call_command("restore", name, database_url=fresh_database, no_input=True)

    assert not default_storage.exists(photo)
    assert _tables(fresh_database) == []


@pytest.mark.django_db
def test_a_missing_file_is_refused(world, source_database, fresh_database):
    name = backup_create(database=source_database).backup.name
    backup_storage().delete(f"{name}/media.tar")
    with pytest.raises(CommandError, match="thiếu tệp media.tar"):
        call_command("restore", "latest", database_url=fresh_database, no_input=True)
    assert _tables(fresh_database) == []


@pytest.mark.django_db
def test_restore_asks_for_the_backup_name(source_database, fresh_database, monkeypatch):
    name = backup_create(database=source_database, now=T0).backup.name
    monkeypatch.setattr("builtins.input", lambda prompt: "co")
    with pytest.raises(CommandError, match="Đã hủy"):
        call_command("restore", name, database_url=fresh_database)
    assert _tables(fresh_database) == []


@pytest.mark.django_db
def test_a_backup_without_its_manifest_is_ignored(source_database, fresh_database, capsys):
    backup_create(database=source_database, now=T0)
    later = T0 + datetime.timedelta(hours=1)
    unfinished = backup_create(database=source_database, now=later).backup.name
    backup_storage().delete(f"{unfinished}/manifest.json")

    assert [b.complete for b in backup_list()] == [False, True]
    with pytest.raises(CommandError, match="chưa hoàn tất"):
        call_command("restore", unfinished, database_url=fresh_database, no_input=True)
    assert _tables(fresh_database) == []
    # "latest" is the newest complete one
    assert backups.backup_find("latest").name == "20261201T190000Z"
    assert backups.latest_complete().name == "20261201T190000Z"
    call_command("backup", list=True)
    out = capsys.readouterr().out
    assert f"{unfinished}  02/12/2026 03:00" in out
    assert "chưa hoàn tất" in out and "đầy đủ" in out
    # it counts for nothing in the retention: keep=1 keeps the complete one
    assert backups.backup_prune(keep=1, now=T0 + datetime.timedelta(hours=2)) == []


@pytest.mark.django_db
def test_retention_keeps_the_newest_complete_backups(source_database):
    day, hour = datetime.timedelta(days=1), datetime.timedelta(hours=1)

    def backup(when, keep=5):
        return backup_create(database=source_database, now=when, keep=keep)

    for n in range(3):
        backup(T0 + n * day)
    stale = backup(T0 + 4 * day - hour / 2).backup.name
    backup_storage().delete(f"{stale}/manifest.json")  # unfinished, over a day old below
    fresh = backup(T0 + 5 * day - hour).backup.name
    backup_storage().delete(f"{fresh}/manifest.json")  # unfinished an hour ago: may still run

    result = backup(T0 + 5 * day, keep=2)

    assert result.deleted == ["20261201T190000Z", "20261202T190000Z", stale]
    assert [(b.name, b.complete) for b in backup_list()] == [
        ("20261206T190000Z", True),
        (fresh, False),
        ("20261203T190000Z", True),
    ]
    # a deleted backup leaves no folder behind
    assert sorted(backup_storage().listdir("")[0]) == sorted(
        ["20261203T190000Z", fresh, "20261206T190000Z"]
    )


@pytest.mark.django_db
def test_the_newest_backup_is_never_deleted(source_database):
    backup_create(database=source_database, now=T0)
    tomorrow = T0 + datetime.timedelta(days=1)
    result = backup_create(database=source_database, now=tomorrow, keep=0)
    assert result.deleted == ["20261201T190000Z"]
    assert [b.name for b in backup_list()] == ["20261202T190000Z"]
    with pytest.raises(CommandError, match="--keep"):
        call_command("backup", keep=0)


@pytest.mark.django_db
def test_the_migration_schedules_the_backup_and_the_heartbeat():
    from django_celery_beat.models import PeriodicTask

    nightly = PeriodicTask.objects.get(task="operations.tasks.backup")
    assert (nightly.crontab.hour, nightly.crontab.minute) == ("2", "0")
    assert str(nightly.crontab.timezone) == "Asia/Ho_Chi_Minh"
    heartbeat = PeriodicTask.objects.get(task="operations.tasks.heartbeat")
    assert (heartbeat.interval.every, heartbeat.interval.period) == (60, "seconds")
    assert heartbeat.expire_seconds == 55


@pytest.mark.django_db(transaction=True)  # SQLite copies only outside a transaction
def test_the_task_makes_a_backup():
    from operations.tasks import backup

    name = backup.delay().get()
    assert [b.name for b in backup_list()] == [name]


@pytest.mark.django_db
def test_sqlite_round_trip(tmp_path, capsys):
    """The demo's database: SQLite's online backup API there and back, with the uploads."""
    path = tmp_path / "demo.sqlite3"
    url = f"sqlite:///{path}"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE hoat_dong (id INTEGER PRIMARY KEY, ten TEXT)")
        db.execute("INSERT INTO hoat_dong (ten) VALUES ('Tặng bò giống')")
    db.close()
    photo = default_storage.save("follow-ups/2026/12/bo.png", ContentFile(f.PNG_PIXEL))

    result = backup_create(database=databases.from_url(url), now=T0)
    assert set(result.manifest["files"]) == {"database.sqlite3", "media.tar"}
    assert result.manifest["database"]["engine"] == "sqlite"
    with sqlite3.connect(path) as db:
        db.execute("UPDATE hoat_dong SET ten = 'đã sửa'")
        db.execute("INSERT INTO hoat_dong (ten) VALUES ('thêm')")
    db.close()
    default_storage.delete(photo)

    call_command("restore", "latest", database_url=url, no_input=True)

    with sqlite3.connect(path) as db:
        assert db.execute("SELECT id, ten FROM hoat_dong").fetchall() == [(1, "Tặng bò giống")]
    db.close()
    with default_storage.open(photo, "rb") as handle:
        assert handle.read() == f.PNG_PIXEL
    assert "Đã khôi phục 20261201T190000Z vào SQLite" in capsys.readouterr().out


@postgresql_only
@pytest.mark.django_db
def test_a_postgresql_backup_is_not_restored_into_sqlite(world, tmp_path):
    backup_create(now=T0)
    with pytest.raises(CommandError, match="không khôi phục vào sqlite"):
        call_command(
            "restore", "latest", database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", no_input=True
        )


def _tables(url: str) -> list[str]:
    """The tables of the database at `url` (none: nothing was restored into it)."""
    database = databases.from_url(url)
    if databases.engine_of(database) == databases.SQLITE:
        if not os.path.exists(database["NAME"]):
            return []
        with sqlite3.connect(database["NAME"]) as db:
            return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    wrapper = databases.wrapper_for(database)
    try:
        return wrapper.introspection.table_names()
    finally:
        wrapper.close()
