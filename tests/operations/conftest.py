"""The operations tests write uploads and backups under their own tmp_path, never into the
checkout's media/ and backups/ that other tests and people use."""

import os

import pytest
from django.conf import settings as django_settings

ON_POSTGRESQL = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_dump needs PostgreSQL")


@pytest.fixture(autouse=True)
def storages_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_ROOT = tmp_path / "backups"
    settings.STORAGES = {
        **settings.STORAGES,
        "backups": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "backups"},
        },
    }
    return tmp_path


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database beside the test database, dropped afterwards."""
    if not ON_POSTGRESQL:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg
    from django.db import connection

    database = connection.settings_dict
    name = f"{database['NAME']}_restored_{os.getpid()}"
    server = psycopg.connect(
        dbname="postgres",
        user=database["USER"],
        password=database["PASSWORD"] or None,
        host=database["HOST"],
        port=database["PORT"] or None,
        autocommit=True,
    )
    server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.execute(f'CREATE DATABASE "{name}"')
    auth = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    try:
        yield f"postgres://{auth}@{database['HOST']}:{database['PORT'] or 5432}/{name}"
    finally:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


@pytest.fixture
def source_database(tmp_path):
    """The database a test backs up: the test database on PostgreSQL (pg_dump reads it from
    a session of its own); on SQLite a small database file, since SQLite cannot copy a
    database from inside the test's open transaction."""
    if ON_POSTGRESQL:
        return None
    import sqlite3

    path = tmp_path / "source.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE hoat_dong (id INTEGER PRIMARY KEY, ten TEXT)")
        db.execute("INSERT INTO hoat_dong (ten) VALUES ('Tặng bò giống')")
    db.close()
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
