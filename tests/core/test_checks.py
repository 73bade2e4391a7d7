"""The lab switch: production settings over plain http, refused by `check --deploy`."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "SECRET_KEY": "x" * 30 + "-production-secret-with-enough-entropy-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "giupxa.dienbien.gov.vn",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(PRODUCTION, **extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True,
    )  # fmt: skip


def test_the_lab_switch_serves_plain_http_cookies():
    shown = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, " \
            "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"  # fmt: skip
    assert run("shell", "-c", shown).stdout.split()[-4:] == ["True", "True", "True", "31536000"]
    lab = run("shell", "-c", shown, LAB_PLAIN_HTTP="1").stdout.split()[-4:]
    assert lab == ["False", "False", "False", "0"]


def test_check_deploy_refuses_the_lab_switch():
    result = run("check", "--deploy", LAB_PLAIN_HTTP="1")
    assert result.returncode != 0
    assert "giupxa.E001" in result.stderr + result.stdout
    assert "LAB_PLAIN_HTTP đang bật" in result.stderr + result.stdout
