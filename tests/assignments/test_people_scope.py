"""Managing people stays in the province: a secretariat changes the account only of a person
whose roles all lie in its province (and only its own province's roles of one who has others
elsewhere); every change to a person is in the audit log with the person's name."""

import pytest
from django.urls import reverse

from assignments.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces(world):
    """Agency A's staff also works for the other province."""
    person = world.users["agency_staff_a"]
    Role.objects.create(user=person, kind="leadership", province=world.other_province)
    return person


def account(person):
    return {"username": person.username, "last_name": "Lò Văn", "first_name": "Mới",
            "email": "ke-gian@example.vn"}  # fmt: skip


def test_a_person_of_two_provinces_is_not_changed_by_one_secretariat(client, world, two_provinces):
    person = two_provinces
    before = (person.email, person.is_active, person.last_name)
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("user_detail", args=[person.pk])).content.decode()
    assert "còn có vai trò ở tỉnh khác" in page and "Khóa tài khoản" not in page
    assert client.post(reverse("user_detail", args=[person.pk]), account(person)).status_code == 403
    locked = client.post(reverse("user_set_active", args=[person.pk]), {"active": "0"})
    assert locked.status_code == 403
    reset = client.post(reverse("user_two_factor_reset", args=[person.pk]))
    assert reset.status_code == 403
    person.refresh_from_db()
    assert (person.email, person.is_active, person.last_name) == before


def test_its_own_provinces_roles_of_such_a_person_it_still_manages(client, world, two_provinces):
    person = two_provinces
    client.force_login(world.users["secretariat"])
    client.post(reverse("user_role_add", args=[person.pk]),
                {"kind": "agency_leader", "agency": world.agency_a.pk})  # fmt: skip
    assert person.roles.filter(kind="agency_leader", province=world.province).exists()
    elsewhere = person.roles.get(province=world.other_province)
    # Another province's role is not even found.
    url = reverse("user_role_remove", args=[person.pk, elsewhere.pk])
    assert client.post(url).status_code == 404
    assert Role.objects.filter(pk=elsewhere.pk).exists()


def test_every_change_to_a_person_is_in_the_log_with_their_name(client, world):
    person = world.users["agency_staff_b"]
    client.force_login(world.users["secretariat"])
    client.post(reverse("user_detail", args=[person.pk]), account(person))
    client.post(reverse("user_set_active", args=[person.pk]), {"active": "0"})
    client.post(reverse("user_role_add", args=[person.pk]),
                {"kind": "agency_leader", "agency": world.agency_b.pk})  # fmt: skip
    role = person.roles.get(kind="agency_staff")
    client.post(reverse("user_role_remove", args=[person.pk, role.pk]))
    person.refresh_from_db()
    log = client.get(reverse("audit_log")).content.decode()
    name = str(person)  # "Lò Văn Mới" after the change
    assert "ke-gian@example.vn" in log  # the new email, with the old one beside it
    assert "Khóa tài khoản" in log
    assert log.count(f"{name}: ") >= 2  # the role added and the role removed name the person
    secretary = world.users["secretariat"]
    users_only = client.get(reverse("audit_log"), {"kind": "user"}).content.decode()
    assert name in users_only and str(secretary) in users_only


def test_another_provinces_log_does_not_show_this_provinces_people(client, world):
    person = world.users["agency_staff_b"]
    client.force_login(world.users["secretariat"])
    client.post(reverse("user_detail", args=[person.pk]), account(person))
    client.force_login(world.users["other_province"])
    log = client.get(reverse("audit_log"), {"kind": "user"}).content.decode()
    assert "ke-gian@example.vn" not in log
