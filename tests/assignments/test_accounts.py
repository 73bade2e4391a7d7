"""Login, lockout, user management and the audit trail (two-factor login: test_two_factor)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from assignments.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def login(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def test_login_with_username_or_email_in_any_case(client):
    user = UserFactory(username="bdv.canbo", email="canbo@bdv.dienbien.gov.vn")
    assert login(client, "BDV.Canbo").status_code == 302
    client.logout()
    response = login(client, "CanBo@BDV.dienbien.gov.vn")
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_password_is_refused_in_vietnamese(client):
    UserFactory(username="canbo")
    response = login(client, "canbo", "sai-mat-khau")
    assert response.status_code == 200
    assert "mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_after_repeated_failures(client):
    UserFactory(username="canbo")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "canbo", "sai-mat-khau")
    locked = login(client, "canbo")  # even the right password is refused now
    assert locked.status_code == 429
    assert "tạm khóa" in locked.content.decode().lower()
    assert "_auth_user_id" not in client.session


def test_deactivated_user_cannot_log_in(client):
    UserFactory(username="canbo", is_active=False)
    response = login(client, "canbo")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_role_choices_are_scoped_to_the_province(client, world):
    client.force_login(world.users["secretariat"])
    foreign = world.other_assignment.agency
    target = world.users["agency_staff_a"]
    response = client.post(
        reverse("user_role_add", args=[target.pk]), {"kind": "agency_staff", "agency": foreign.pk}
    )
    assert response.status_code == 400
    assert not target.roles.filter(agency=foreign).exists()


def test_deactivating_keeps_what_the_user_recorded(client, world):
    staff = world.users["agency_staff_a"]
    world.activity_a.created_by = staff
    world.activity_a.save()
    client.force_login(world.users["secretariat"])
    response = client.post(reverse("user_set_active", args=[staff.pk]), {"active": "0"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active
    world.activity_a.refresh_from_db()
    assert world.activity_a.created_by == staff
    assert login(client, staff.username).status_code == 200  # cannot log in any more


def test_a_real_edit_writes_history_shown_on_the_record_page(client, world):
    client.force_login(world.users["secretariat"])
    staff = world.users["agency_staff_a"]
    client.post(
        reverse("user_role_add", args=[staff.pk]),
        {"kind": "agency_leader", "agency": world.agency_a.pk},
    )
    role = Role.history.filter(user_id=staff.pk, kind="agency_leader").get()
    assert role.history_type == "+"
    assert role.history_user == world.users["secretariat"]

    activity = world.activity_a
    activity.title = "Trao 20 suất quà Tết"
    activity._history_user = world.users["agency_staff_a"]
    activity.save()
    client.force_login(world.users["commune_officer"])
    page = client.get(reverse("activity_detail", args=[activity.pk])).content.decode()
    assert "Lịch sử thay đổi" in page
    assert "Trao 20 suất quà Tết" in page
    assert "→" in page


def test_audit_log_is_searchable_and_scoped(client, world):
    world.activity_a.title = "Sửa nội dung hoạt động A"
    world.activity_a._history_user = world.users["agency_staff_a"]
    world.activity_a.save()
    world.other_activity.title = "Hoạt động tỉnh khác bị sửa"
    world.other_activity.save()
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("audit_log"), {"kind": "activity", "action": "~"}).content.decode()
    assert "Sửa nội dung hoạt động A" in page
    assert "Hoạt động tỉnh khác bị sửa" not in page
    who = world.users["agency_staff_a"].last_name
    assert "Sửa nội dung" in client.get(reverse("audit_log"), {"who": who}).content.decode()
    assert (
        "Sửa nội dung" not in client.get(reverse("audit_log"), {"who": "không-ai"}).content.decode()
    )


def test_check_deploy_is_clean_with_production_settings():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        SECRET_KEY="x" * 30 + "-production-secret-with-enough-entropy-9f8e7d6c5b4a",
        ALLOWED_HOSTS="giupxa.dienbien.gov.vn",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_admin_login_refuses_non_staff_and_accepts_staff(client):
    UserFactory(username="canbo")
    UserFactory(username="quantri", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    refused = client.post(url, {"username": "canbo", "password": PASSWORD})
    assert "không có quyền vào trang quản trị" in refused.content.decode()
    accepted = client.post(url, {"username": "quantri", "password": PASSWORD})
    assert accepted.status_code == 302


def test_pages_carry_a_csp_without_inline_script(client, world):
    import re

    client.force_login(world.users["secretariat"])
    for url in [reverse("home"), reverse("user_list"), reverse("audit_log"), reverse("login")]:
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        for tag in re.findall(r"<script[^>]*>", response.content.decode()):
            assert "src=" in tag, f"inline script on {url}: {tag}"
        assert " style=" not in response.content.decode(), f"inline style on {url}"


def test_sessions_expire(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_secretariat_cannot_change_an_administrators_account(client, world):
    admin = UserFactory(is_superuser=True, is_staff=True, email="quantri@example.vn")
    Role.objects.create(user=admin, kind="leadership", province=world.province)
    client.force_login(world.users["secretariat"])
    response = client.post(
        reverse("user_detail", args=[admin.pk]),
        {
            "username": admin.username,
            "last_name": "A",
            "first_name": "B",
            "email": "ke-gian@example.vn",
        },
    )
    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.email == "quantri@example.vn"
    assert (
        client.post(reverse("user_set_active", args=[admin.pk]), {"active": "0"}).status_code == 403
    )


def test_the_lockout_counts_one_account_whatever_the_spelling(client):
    UserFactory(username="canbo", email="canbo@example.vn")
    spellings = ["canbo", "CANBO", " CanBo ", "canbo@example.vn", "CanBo@Example.VN"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, spellings[attempt % len(spellings)], "sai-mat-khau")
    for spelling in spellings:  # locked under every spelling, even with the right password
        locked = login(client, spelling)
        assert locked.status_code == 429, spelling
        assert "_auth_user_id" not in client.session


def test_a_right_password_under_another_spelling_does_not_clear_the_lock(client):
    UserFactory(username="canbo", email="canbo@example.vn")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "CANBO", "sai-mat-khau")
    assert login(client, "canbo@example.vn").status_code == 429
    assert login(client, "canbo").status_code == 429  # still locked: nothing was cleared
