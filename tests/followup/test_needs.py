"""Commune needs: raised by the commune, answered by its agencies, met by activities."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from followup.models import CommuneNeed, NeedResponse
from followup.services import needs as services
from tests.factories import ContributionFactory, NeedFactory, VillageFactory

pytestmark = pytest.mark.django_db


def need_with_delivery(pk):
    return CommuneNeed.objects.with_delivery().get(pk=pk)


def test_the_commune_officer_raises_a_need_and_others_cannot(world):
    officer = world.users["commune_officer"]
    need = services.need_create(
        user=officer, commune=world.commune,
        fields={"title": "Sửa đường vào bản", "reason": "Mùa mưa lầy lội",
                "estimated_cost": 80_000_000, "priority": "high"},
    )  # fmt: skip
    assert need.raised_by == officer and need.commune == world.commune
    with pytest.raises(PermissionDenied):
        services.need_create(
            user=world.users["agency_staff_a"], commune=world.commune,
            fields={"title": "x", "reason": "y"},
        )  # fmt: skip
    with pytest.raises(PermissionDenied):  # another commune than the officer's own
        services.need_create(user=officer, commune=world.commune_b, fields={"title": "x"})


def test_bad_input_is_refused_with_a_clear_message_and_saves_nothing(client, world):
    client.force_login(world.users["commune_officer"])
    before = CommuneNeed.objects.count()
    other_village = VillageFactory(commune=world.commune_b)
    page = client.post(reverse("need_create"), {
        "commune": world.commune.pk, "title": "Sửa nhà văn hóa", "reason": "Dột nát",
        "estimated_cost": "-5.000.000", "priority": "medium", "village": other_village.pk,
    }).content.decode()  # fmt: skip
    assert "Số tiền không được âm." in page
    assert CommuneNeed.objects.count() == before
    with pytest.raises(ValidationError, match="từ hôm nay"):
        services.need_create(
            user=world.users["commune_officer"], commune=world.commune,
            fields={"title": "x", "reason": "y", "wanted_by": datetime.date(2020, 1, 1)},
        )  # fmt: skip


def test_cost_typed_the_vietnamese_way(client, world):
    client.force_login(world.users["commune_officer"])
    response = client.post(reverse("need_create"), {
        "commune": world.commune.pk, "title": "Bò giống cho 5 hộ nghèo", "reason": "Sinh kế",
        "estimated_cost": "75.000.000", "priority": "high",
    })  # fmt: skip
    need = CommuneNeed.objects.get(title="Bò giống cho 5 hộ nghèo")
    assert response.status_code == 302 and need.estimated_cost == 75_000_000


def test_agencies_answer_decline_needs_a_reason(world):
    need = world.need_a
    staff = world.users["agency_staff_a"]
    with pytest.raises(ValidationError):
        services.need_respond(user=staff, need=need, kind="decline", text="  ")
    response = services.need_respond(user=staff, need=need, kind="ask", text="Bao nhiêu hộ?")
    assert response.agency == world.agency_a
    with pytest.raises(PermissionDenied):  # agency B helps another commune
        services.need_respond(user=world.users["agency_staff_b"], need=need, kind="accept")
    assert NeedResponse.objects.filter(need=need).count() == 1


def test_linked_activities_move_the_need_from_open_to_partly_to_met(world):
    need = world.need_a  # estimated 100.000.000 đồng
    assert need_with_delivery(need.pk).state == "open"
    staff = world.users["agency_staff_a"]
    ContributionFactory(activity=world.activity_a, value=30_000_000)
    services.need_link(user=staff, need=need, activity=world.activity_a)
    need = need_with_delivery(need.pk)
    assert need.state == "partly"
    assert need.delivered == sum(c.value for c in world.activity_a.contributions.all())
    ContributionFactory(activity=world.activity_a, value=90_000_000)
    assert need_with_delivery(need.pk).state == "met"


def test_an_agency_cannot_link_another_agencys_or_another_communes_activity(world):
    staff = world.users["agency_staff_a"]
    with pytest.raises(PermissionDenied):
        services.need_link(user=staff, need=world.need_a, activity=world.activity_b)
    with pytest.raises(PermissionDenied):
        services.need_link(user=world.users["agency_staff_b"], need=world.need_a,
                           activity=world.activity_b)  # fmt: skip
    # an activity in the pre-reform commune the need's commune absorbed counts
    services.need_link(user=staff, need=world.need_a, activity=world.old_activity_a)
    assert world.need_a.activities.filter(pk=world.old_activity_a.pk).exists()


def test_the_commune_marks_a_need_met(world):
    need = NeedFactory(commune=world.commune, estimated_cost=0)
    with pytest.raises(PermissionDenied):
        services.need_mark_met(user=world.users["agency_staff_a"], need=need)
    services.need_mark_met(user=world.users["commune_officer"], need=need)
    assert need_with_delivery(need.pk).state == "met"


def test_need_list_is_scoped_and_bounded(client, world, django_assert_max_num_queries):
    for _ in range(15):
        NeedFactory(commune=world.commune)
    client.force_login(world.users["agency_staff_a"])
    # session, user, roles, count, page of needs with their delivery
    with django_assert_max_num_queries(6):
        page = client.get(reverse("need_list")).content.decode()
    assert world.need_a.title in page and world.need_b.title not in page
    assert client.get(reverse("need_detail", args=[world.need_b.pk])).status_code == 404


def test_needs_show_per_commune_and_agency_on_dashboards_and_in_the_report(client, world):
    import io

    from openpyxl import load_workbook

    from reports import figures, xlsx

    ContributionFactory(activity=world.activity_a, value=200_000_000)
    services.need_link(user=world.users["agency_staff_a"], need=world.need_a,
                       activity=world.activity_a)  # fmt: skip
    NeedFactory(commune=world.commune)  # open
    this_year = timezone.localdate().year  # the needs were raised today
    year = (datetime.date(this_year, 1, 1), datetime.date(this_year, 12, 31))
    result = figures.compute(figures.scope_assignments(province=world.province), *year)
    row = next(r for r in result.needs if r["commune"] == world.commune.name)
    assert (row["raised"], row["met"], row["open"]) == (2, 1, 1)
    assert row["delivered"] == need_with_delivery(world.need_a.pk).delivered
    agency = next(r for r in result.needs_by_agency if r["agency"] == world.agency_a.name)
    assert agency == {"agency": world.agency_a.name, "raised": 2, "answered": 0,
                      "unanswered": 2, "met": 1}  # fmt: skip

    sheet = load_workbook(io.BytesIO(xlsx.build(result, [], title="t")))["PL4 Nhu cầu xã"]
    communes = {r[1]: r[2:4] for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
    assert communes[world.commune.name] == (2, 1)

    client.force_login(world.users["commune_officer"])
    period = {"period": "custom", "start": year[0].isoformat(), "end": year[1].isoformat()}
    page = client.get(reverse("commune_dashboard", args=[world.commune.pk]), period)
    assert 'data-needs="2"' in page.content.decode()
    client.force_login(world.users["agency_leader_a"])
    page = client.get(reverse("agency_dashboard", args=[world.agency_a.pk]), period)
    assert "còn 2 nhu cầu chưa trả lời" in page.content.decode()
