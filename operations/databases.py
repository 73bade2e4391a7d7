"""Copy a whole database to a file and back: pg_dump/pg_restore on PostgreSQL, SQLite's
online backup API on SQLite (the demo).

A database is named by a Django settings dict (`connection.settings_dict`, or one parsed
from a URL by `from_url`). The PostgreSQL password travels in PGPASSWORD, never on the
command line where `ps` shows it.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

import environ
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend

POSTGRESQL = "postgresql"
SQLITE = "sqlite"
FILE_NAMES = {POSTGRESQL: "database.dump", SQLITE: "database.sqlite3"}


class DatabaseCopyError(Exception):
    """pg_dump, pg_restore or SQLite failed; the message says why, in Vietnamese."""


def from_url(url: str) -> dict:
    """`postgres://user@host:5432/name` or `sqlite:///path` → a Django settings dict."""
    try:
        return environ.Env.db_url_config(url)
    except Exception as error:  # django-environ raises several kinds for a bad URL
        raise DatabaseCopyError(f"Địa chỉ cơ sở dữ liệu không hợp lệ: {url} ({error})") from error


def engine_of(database: dict) -> str:
    engine = database["ENGINE"]
    if "postgresql" in engine or "postgis" in engine:
        return POSTGRESQL
    if "sqlite3" in engine:
        return SQLITE
    raise DatabaseCopyError(f"Chỉ sao lưu được PostgreSQL và SQLite, không phải {engine}.")


def describe(database: dict) -> str:
    """The database as a person would name it: `giupxa trên 127.0.0.1:5432`."""
    if engine_of(database) == SQLITE:
        return f"SQLite {database['NAME']}"
    where = ":".join(str(part) for part in (database.get("HOST"), database.get("PORT")) if part)
    return f"{database['NAME']} trên {where or 'máy này'}"


def wrapper_for(database: dict, alias: str = "operations") -> BaseDatabaseWrapper:
    """A Django connection to `database` of our own, outside `connections` (close it after)."""
    # configure_settings fills in Django's defaults; it wants a "default" entry.
    configured = connections.configure_settings({"default": dict(database)})["default"]
    return load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias)


def is_default(database: dict) -> bool:
    default = connection.settings_dict
    keys = ("ENGINE", "NAME", "HOST", "PORT")
    return all(str(database.get(key) or "") == str(default.get(key) or "") for key in keys)


def migration_state(database: dict | None = None) -> dict:
    """How far the database is migrated: the number of applied migrations and each app's
    latest one."""
    wrapper = connection if database is None or is_default(database) else wrapper_for(database)
    try:
        applied = sorted(MigrationRecorder(wrapper).applied_migrations())
    finally:
        if wrapper is not connection:
            wrapper.close()
    latest = {}
    for app, name in applied:
        latest[app] = max(latest.get(app, name), name)
    return {"applied": len(applied), "latest": latest}


def dump(database: dict, folder: Path) -> Path:
    """The whole database into a file in `folder`; returns its path."""
    kind = engine_of(database)
    path = folder / FILE_NAMES[kind]
    if kind == POSTGRESQL:
        _run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={path}", *_pg_args(database)],
            database,
            "pg_dump",
        )
    elif is_default(database):
        # Django's own connection: it also reaches an in-memory test database. SQLite would
        # wait for ever for a transaction of its own connection to end.
        if connection.in_atomic_block:
            raise DatabaseCopyError("Không sao lưu SQLite được trong một giao dịch đang mở.")
        connection.ensure_connection()
        _sqlite_copy(connection.connection, path)
    else:
        source = _sqlite_connect(database["NAME"])
        try:
            _sqlite_copy(source, path)
        finally:
            source.close()
    return path


def restore(database: dict, path: Path) -> None:
    """Replace the contents of `database` by the copy in `path` (made by `dump`)."""
    if is_default(database):
        # Our own connection must not hold anything while the tables are replaced.
        connections.close_all()
    if engine_of(database) == POSTGRESQL:
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
             "--exit-on-error", *_pg_args(database), str(path)],
            database,
            "pg_restore",
        )  # fmt: skip
    else:
        source = sqlite3.connect(path)
        try:
            _sqlite_copy(source, database["NAME"])
        finally:
            source.close()


def _pg_args(database: dict) -> list[str]:
    args = [f"--dbname={database['NAME']}"]
    if database.get("HOST"):
        args.append(f"--host={database['HOST']}")
    if database.get("PORT"):
        args.append(f"--port={database['PORT']}")
    if database.get("USER"):
        args.append(f"--username={database['USER']}")
    return args


def _pg_env(database: dict) -> dict:
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    options = database.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = str(options["sslmode"])
    return env


def _run(args: list[str], database: dict, tool: str) -> None:
    """Run a client tool; on any interruption (a Celery time limit included) the child is
    killed rather than left running."""
    try:
        process = subprocess.Popen(
            args,
            env=_pg_env(database),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    except FileNotFoundError as error:
        raise DatabaseCopyError(
            f"Không tìm thấy {tool}: cần cài gói postgresql-client (phiên bản như máy chủ)."
        ) from error
    try:
        _, stderr = process.communicate()
    except BaseException:
        process.kill()
        process.wait()
        raise
    if process.returncode != 0:
        message = stderr.decode(errors="replace").strip()[-2000:]
        raise DatabaseCopyError(f"{tool} thất bại (mã {process.returncode}): {message}")


def _sqlite_connect(name) -> sqlite3.Connection:
    return sqlite3.connect(name, uri=str(name).startswith("file:"))


def _sqlite_copy(source: sqlite3.Connection, target) -> None:
    """SQLite's online backup: a consistent copy even while others write."""
    destination = _sqlite_connect(target)
    try:
        source.backup(destination)
    except sqlite3.Error as error:
        raise DatabaseCopyError(f"Không sao chép được cơ sở dữ liệu SQLite: {error}") from error
    finally:
        destination.close()
