"""Two-factor login is required for the secretariat and superusers: a password alone reaches
neither the people nor the audit log; the first login enrols, with recovery codes."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assignments.models import Role
from tests.factories import RoleFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"


def password_only(username: str, **extra) -> Client:
    """A browser that logs in through the form, as a person would (no test shortcut)."""
    client = Client()
    client.post(reverse("login"), {"username": username, "password": PASSWORD, **extra})
    return client


def code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1  # the same 30-second step may be used again in a test
    device.save()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrol(client: Client) -> list[str]:
    page = client.get(reverse("two_factor"))
    assert "bắt buộc" in page.content.decode()
    device = TOTPDevice.objects.get(user_id=client.session["_auth_user_id"], confirmed=False)
    shown = client.post(reverse("two_factor"), {"token": code(device), "next": "/users/"})
    return re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", shown.content.decode())


@pytest.fixture
def secretariat(world):
    return world.users["secretariat"]


def test_a_password_alone_reaches_neither_people_nor_the_audit_log(secretariat, world):
    client = password_only(secretariat.username)
    assert client.session["_auth_user_id"] == str(secretariat.pk)  # the password was right
    for name in ("user_list", "audit_log", "home", "report_create"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("two_factor") + "?next="), name
    posted = client.post(reverse("user_set_active", args=[world.users["agency_staff_a"].pk]),
                         {"active": "0"})  # fmt: skip
    assert posted.status_code == 302
    world.users["agency_staff_a"].refresh_from_db()
    assert world.users["agency_staff_a"].is_active  # nothing was done
    htmx = client.get(reverse("user_list"), headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"].startswith(reverse("two_factor"))


def test_a_superuser_without_two_factor_cannot_use_the_admin():
    admin = UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client = Client()
    client.post(reverse("admin:login"), {"username": admin.username, "password": PASSWORD})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor"))


def test_the_first_login_enrols_and_gives_recovery_codes_that_work_once(secretariat):
    client = password_only(secretariat.username)
    codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("user_list")).status_code == 200  # verified now
    assert StaticToken.objects.filter(device__user=secretariat).count() == 10

    # Next time the password alone is refused...
    again = password_only(secretariat.username)
    assert "_auth_user_id" not in again.session
    # ...a code from the app works, and so does a recovery code typed in capitals, once.
    device = TOTPDevice.objects.get(user=secretariat, confirmed=True)
    assert "_auth_user_id" in password_only(secretariat.username, otp_token=code(device)).session
    spare = codes[0].upper().replace("-", " ")
    assert "_auth_user_id" in password_only(secretariat.username, otp_token=spare).session
    assert "_auth_user_id" not in password_only(secretariat.username, otp_token=spare).session
    assert StaticToken.objects.filter(device__user=secretariat).count() == 9


def test_it_cannot_be_turned_off_by_those_who_must_have_it(secretariat):
    client = password_only(secretariat.username)
    enrol(client)
    response = client.post(reverse("two_factor_disable"))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=secretariat, confirmed=True).exists()


def test_a_role_given_after_login_asks_for_a_code_before_the_next_page(world):
    staff = world.users["agency_staff_a"]
    device = TOTPDevice.objects.create(user=staff, name="Điện thoại", confirmed=False)
    client = password_only(staff.username)  # no device confirmed: the password suffices
    assert client.get(reverse("home")).status_code == 200
    device.confirmed = True
    device.save()
    Role.objects.create(user=staff, kind="secretariat", province=world.province)
    response = client.get(reverse("user_list"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    wrong = client.post(reverse("two_factor_verify"), {"token": "000000", "next": "/users/"})
    assert "Mã không đúng" in wrong.content.decode()
    right = client.post(reverse("two_factor_verify"), {"token": code(device), "next": "/users/"})
    assert right["Location"] == "/users/"
    assert client.get(reverse("user_list")).status_code == 200


def test_the_next_page_never_leaves_the_site(world):
    staff = world.users["agency_staff_a"]
    device = TOTPDevice.objects.create(user=staff, name="Điện thoại")
    client = password_only(staff.username, otp_token=code(device))
    response = client.get(reverse("two_factor_verify") + "?next=https://ke-gian.example/")
    assert response["Location"] == "/"


def test_others_may_turn_it_on_and_off_for_themselves(world):
    staff = world.users["agency_staff_a"]
    client = password_only(staff.username)
    assert "bắt buộc" not in client.get(reverse("two_factor")).content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    client.post(reverse("two_factor"), {"token": code(device)})
    assert client.post(reverse("two_factor_disable")).status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_a_secretariat_resets_a_colleagues_two_factor_and_the_log_says_so(world, client):
    colleague = RoleFactory(kind="secretariat", province=world.province).user
    TOTPDevice.objects.create(user=colleague, name="Điện thoại cũ")
    client.force_login(world.users["secretariat"])
    response = client.post(reverse("user_two_factor_reset", args=[colleague.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    log = client.get(reverse("audit_log"), {"kind": "user"}).content.decode()
    assert "Đặt lại xác thực hai lớp" in log and str(colleague) in log
