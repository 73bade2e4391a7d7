"""The secretariat keeps its agencies in the app (issue 15, item 3): add, rename with the
former name kept, the full name everywhere with the short name as a hint."""

import pytest
from django.urls import reverse

from assignments.agency_views import former_names
from assignments.models import Agency

pytestmark = pytest.mark.django_db


def test_the_secretariat_adds_an_agency(client, world):
    client.force_login(world.users["secretariat"])
    client.post(reverse("agency_list"), {"name": " Sở  Nông nghiệp và Môi trường ",
                                         "short_name": "SNNMT", "kind": "so_nganh",
                                         "is_active": "on"})  # fmt: skip
    agency = Agency.objects.get(name="Sở Nông nghiệp và Môi trường")
    assert agency.province == world.province and str(agency) == agency.name
    again = client.post(reverse("agency_list"), {"name": "sở nông nghiệp và môi trường",
                                                 "kind": "so_nganh"})  # fmt: skip
    assert "đã có cơ quan, đơn vị mang tên này" in again.content.decode()
    assert Agency.objects.filter(name__iexact="Sở Nông nghiệp và Môi trường").count() == 1


def test_a_rename_keeps_the_former_name_and_everything_else(client, world):
    agency = world.agency_a
    old = agency.name
    assignments = set(agency.assignments.values_list("pk", flat=True))
    client.force_login(world.users["secretariat"])
    url = reverse("agency_edit", args=[agency.pk])
    client.post(url, {"name": "Ban Dân vận và Mặt trận", "short_name": "BDVMT",
                      "kind": agency.kind, "is_active": "on"})  # fmt: skip
    agency.refresh_from_db()
    assert agency.name == "Ban Dân vận và Mặt trận"
    assert set(agency.assignments.values_list("pk", flat=True)) == assignments
    assert [name for name, _ in former_names(agency)] == [old]
    page = client.get(url).content.decode()
    assert f"{old} <small" in page
    log = client.get(reverse("audit_log"), {"kind": "agency"}).content.decode()
    assert "Ban Dân vận và Mặt trận" in log


def test_choice_lists_show_full_names_with_the_short_name_as_a_hint(client, world):
    client.force_login(world.users["secretariat"])
    page = client.get(reverse("user_create")).content.decode()
    a = world.agency_a
    assert f">{a.name} ({a.short_name})</option>" in page


def test_only_the_provinces_secretariat_keeps_its_agencies(client, world):
    client.force_login(world.users["other_province"])
    assert client.get(reverse("agency_edit", args=[world.agency_a.pk])).status_code == 404
    client.force_login(world.users["agency_leader_a"])
    response = client.post(
        reverse("agency_edit", args=[world.agency_a.pk]), {"name": "Tên khác", "kind": "khac"}
    )
    assert response.status_code == 403
    world.agency_a.refresh_from_db()
    assert world.agency_a.name != "Tên khác"
