"""Backups of the database and the uploaded files, kept in the "backups" storage.

One backup is one folder named by its UTC time (`20261202T020000Z/`) holding the database
(`database.dump` from pg_dump, or `database.sqlite3`), `media.tar` (every file of the
default storage) and `manifest.json`, written last: a folder without its manifest is a
backup that did not finish, never restored nor counted as a kept backup.

Everything goes through the Storage API (save, open, listdir, delete), so the "backups"
storage can be an object store as well as a folder. Large files are streamed: the dump and
the tar are built in a temporary folder (TMPDIR) and handed to the storage as file objects.
"""

import contextlib
import datetime
import hashlib
import json
import logging
import posixpath
import re
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage, storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from . import databases

logger = logging.getLogger(__name__)

MEDIA = "media.tar"
MANIFEST = "manifest.json"
NAME_FORMAT = "%Y%m%dT%H%M%SZ"
NAME = re.compile(r"^\d{8}T\d{6}Z$")
INCOMPLETE_GRACE = datetime.timedelta(days=1)
MB = 1024 * 1024
CHUNK = MB


class BackupError(Exception):
    """A backup cannot be made or restored; the message says why, in Vietnamese."""


@dataclass
class Backup:
    name: str
    files: list[str]
    complete: bool
    size: int | None = None  # only when listed with sizes

    @property
    def created_at(self) -> datetime.datetime:
        return datetime.datetime.strptime(self.name, NAME_FORMAT).replace(tzinfo=datetime.UTC)


@dataclass
class BackupResult:
    backup: Backup
    manifest: dict
    skipped_media: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def backup_storage() -> Storage:
    return storages["backups"]


def backup_list(*, sizes: bool = False) -> list[Backup]:
    """Every backup folder, newest first. Folders not named like a backup are left alone,
    and so are empty ones (what a deleted backup leaves in a file system)."""
    storage = backup_storage()
    try:
        folders, _ = storage.listdir("")
    except FileNotFoundError:  # no backup made yet
        return []
    found = []
    for name in sorted((f for f in folders if NAME.match(f)), reverse=True):
        _, files = storage.listdir(name)
        if not files:
            continue
        size = sum(storage.size(f"{name}/{f}") for f in files) if sizes else None
        found.append(Backup(name=name, files=sorted(files), complete=MANIFEST in files, size=size))
    return found


def latest_complete() -> Backup | None:
    return next((b for b in backup_list() if b.complete), None)


def backup_create(
    *,
    database: dict | None = None,
    now: datetime.datetime | None = None,
    keep: int | None = None,
) -> BackupResult:
    """Back up the database (the configured one unless named by a settings dict) and the
    default storage, then apply the retention (`backup_prune`). The manifest is saved last,
    once every file is stored."""
    now = now or timezone.now()
    name = now.astimezone(datetime.UTC).strftime(NAME_FORMAT)
    storage = backup_storage()
    if any(b.name == name for b in backup_list()):
        raise BackupError(f"Đã có bản sao lưu {name}: chờ một giây rồi chạy lại.")
    database = database or connection.settings_dict
    engine = databases.engine_of(database)
    files: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="giupxa-backup-") as tmp:
        try:
            dumped = databases.dump(database, Path(tmp))
        except databases.DatabaseCopyError as error:
            raise BackupError(str(error)) from error
        files[dumped.name] = _store(storage, f"{name}/{dumped.name}", dumped)
        dumped.unlink()  # room for the tar on a small disk
        tar_path = Path(tmp) / MEDIA
        media_count, skipped = _media_tar(tar_path)
        files[MEDIA] = _store(storage, f"{name}/{MEDIA}", tar_path)
    manifest = {
        "name": name,
        "created_at": now.astimezone(datetime.UTC).isoformat(),
        "database": {
            "engine": engine,
            "name": str(database["NAME"]),
            "file": dumped.name,
            "migrations": databases.migration_state(database),
        },
        "media_files": media_count,
        "files": files,
    }
    content = ContentFile(json.dumps(manifest, ensure_ascii=False, indent=2).encode())
    _save_as(storage, f"{name}/{MANIFEST}", content)
    backup = Backup(name=name, files=sorted([*files, MANIFEST]), complete=True)
    deleted = backup_prune(keep=keep, now=now)
    return BackupResult(backup=backup, manifest=manifest, skipped_media=skipped, deleted=deleted)


def backup_prune(*, keep: int | None = None, now: datetime.datetime | None = None) -> list[str]:
    """Keep the newest `keep` complete backups (BACKUP_KEEP), never fewer than one; delete
    unfinished ones older than a day (a younger one may still be being written)."""
    keep = max(1, settings.BACKUP_KEEP if keep is None else keep)
    now = now or timezone.now()
    backups = backup_list()
    complete = [b for b in backups if b.complete]
    doomed = complete[keep:] + [
        b for b in backups if not b.complete and now - b.created_at > INCOMPLETE_GRACE
    ]
    for backup in doomed:
        _delete(backup)
    return sorted(b.name for b in doomed)


def backup_find(name: str) -> Backup:
    """A backup by name, or the newest complete one for "latest"; refuses unfinished ones."""
    backups = backup_list()
    if name == "latest":
        found = next((b for b in backups if b.complete), None)
        if found is None:
            raise BackupError("Chưa có bản sao lưu đầy đủ nào.")
        return found
    found = next((b for b in backups if b.name == name), None)
    if found is None:
        raise BackupError(f"Không có bản sao lưu {name}.")
    if not found.complete:
        raise BackupError(
            f"Bản sao lưu {name} chưa hoàn tất (không có {MANIFEST}): không thể khôi phục."
        )
    return found


def backup_fetch(backup: Backup, folder: Path) -> dict:
    """Copy every file the manifest lists into `folder`, checking each one's size and
    SHA-256 on the very bytes copied; returns the manifest. Refuses with every problem
    named when anything is missing or changed."""
    storage = backup_storage()
    try:
        with storage.open(f"{backup.name}/{MANIFEST}", "rb") as handle:
            manifest = json.loads(handle.read().decode())
        listed = manifest["files"]
        database_file = manifest["database"]["file"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{MANIFEST} của {backup.name} hỏng: {error}") from error
    problems = [f"thiếu {name} trong {MANIFEST}" for name in (database_file, MEDIA)
                if name not in listed]  # fmt: skip
    for name, expected in sorted(listed.items()):
        if PurePosixPath(name).name != name:
            problems.append(f"tên tệp lạ trong {MANIFEST}: {name}")
            continue
        try:
            size, digest = _copy_hashing(storage, f"{backup.name}/{name}", folder / name)
        except FileNotFoundError:
            problems.append(f"thiếu tệp {name}")
            continue
        if size != expected.get("size"):
            problems.append(f"{name}: {size} byte, manifest ghi {expected.get('size')} byte")
        elif digest != expected.get("sha256"):
            problems.append(f"{name}: mã SHA-256 không khớp (tệp đã bị sửa hoặc hỏng)")
    if problems:
        raise BackupError(
            f"Không khôi phục bản sao lưu {backup.name}: " + "; ".join(problems) + "."
        )
    return manifest


def backup_restore(
    *, manifest: dict, folder: Path, database: dict, media: bool = True
) -> list[str]:
    """Restore a fetched backup (`backup_fetch`) into `database`, then write its media files
    back into the default storage (overwriting files of the same name). Returns notes for
    the person restoring."""
    backup_check_target(manifest, database)
    try:
        databases.restore(database, folder / manifest["database"]["file"])
    except databases.DatabaseCopyError as error:
        raise BackupError(str(error)) from error
    notes = []
    if media:
        count = _media_restore(folder / MEDIA)
        notes.append(f"Đã ghi lại {count} tệp tải lên.")
    behind = _migrations_behind(manifest["database"]["migrations"]["latest"])
    if behind:
        notes.append(
            "Bản sao lưu cũ hơn mã nguồn (" + ", ".join(behind) + "): chạy "
            "`python manage.py migrate` trên cơ sở dữ liệu đã khôi phục."
        )
    return notes


def backup_check_target(manifest: dict, database: dict) -> None:
    """A PostgreSQL dump goes into PostgreSQL, a SQLite copy into SQLite."""
    engine = databases.engine_of(database)
    if manifest["database"]["engine"] != engine:
        raise BackupError(
            f"Bản sao lưu là của {manifest['database']['engine']}, không khôi phục vào "
            f"{engine} được."
        )


def _migrations_behind(latest: dict) -> list[str]:
    leaves = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()
    return sorted(f"{app} {name}" for app, name in leaves if latest.get(app, "") < name)


def _store(storage: Storage, name: str, path: Path) -> dict:
    """Save a local file under `name`; its size and SHA-256 for the manifest."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    with path.open("rb") as handle:
        _save_as(storage, name, File(handle, name=path.name))
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


def _save_as(storage: Storage, name: str, content: File) -> None:
    """Save under exactly `name` (a storage renames rather than overwrite)."""
    saved = storage.save(name, content)
    if saved != name:
        storage.delete(saved)
        raise BackupError(f"Không ghi được {name}: đã có tệp cùng tên.")


def _walk(storage: Storage, folder: str = ""):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing uploaded yet
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for sub in sorted(folders):
        yield from _walk(storage, posixpath.join(folder, sub))


def _media_tar(path: Path) -> tuple[int, list[str]]:
    """Every file of the default storage into a tar at `path`, read through the storage.
    Each file is first copied aside, so its size in the tar is the size of what was read
    even if it changes meanwhile; a file deleted meanwhile is skipped and named."""
    count, skipped = 0, []
    with tarfile.open(path, "w") as tar:
        for name in _walk(default_storage):
            with tempfile.SpooledTemporaryFile(max_size=16 * CHUNK) as copy:
                try:
                    with default_storage.open(name, "rb") as handle:
                        shutil.copyfileobj(handle, copy, CHUNK)
                except FileNotFoundError:
                    logger.warning("backup: %s vanished while being copied", name)
                    skipped.append(name)
                    continue
                info = tarfile.TarInfo(name)
                info.size = copy.tell()
                info.mtime = _modified(name)
                copy.seek(0)
                tar.addfile(info, copy)
                count += 1
    return count, skipped


def _modified(name: str) -> float:
    try:
        return default_storage.get_modified_time(name).timestamp()
    except (NotImplementedError, OSError):
        return timezone.now().timestamp()


def _media_restore(path: Path) -> int:
    count = 0
    with tarfile.open(path, "r") as tar:
        for member in tar:
            if not member.isfile():
                continue
            parts = PurePosixPath(member.name).parts
            if member.name.startswith("/") or ".." in parts:
                raise BackupError(f"Tên tệp lạ trong {MEDIA}: {member.name}")
            if default_storage.exists(member.name):
                default_storage.delete(member.name)
            content = File(tar.extractfile(member), name=member.name)
            content.size = member.size
            _save_as(default_storage, member.name, content)
            count += 1
    return count


def _copy_hashing(storage: Storage, name: str, target: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle, target.open("wb") as out:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _delete(backup: Backup) -> None:
    """The manifest goes first: a backup half deleted is seen as unfinished, not whole."""
    storage = backup_storage()
    for name in sorted(backup.files, key=lambda f: f != MANIFEST):
        storage.delete(f"{backup.name}/{name}")
    # A file system keeps the empty folder; an object store has none (path() refuses).
    with contextlib.suppress(NotImplementedError, OSError):
        Path(storage.path(backup.name)).rmdir()
