"""Commune needs: raised by the commune, answered by its agencies, met by activities."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from followup.models import CommuneNeed, NeedResponse
from followup.services import needs as services
from tests.factories import ActivityFactory, ContributionFactory, NeedFactory, VillageFactory

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


def raised_on(need, day: datetime.date):
    """Date the need as raised on `day` at 08:00 in the province (raised_at is auto_now_add)."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))
    CommuneNeed.objects.filter(pk=need.pk).update(raised_at=moment)
    need.refresh_from_db()
    return need


def activity(world, status, day, value=0, assignment=None):
    made = ActivityFactory(
        assignment=assignment or world.assignment_a, status=status, start_date=day
    )
    if value:
        ContributionFactory(activity=made, value=value)
    return made


RAISED = datetime.date(2026, 2, 1)
AFTER, BEFORE = datetime.date(2026, 3, 10), datetime.date(2026, 1, 15)


def test_only_confirmed_activities_done_after_the_raise_count(client, world):
    need = raised_on(world.need_a, RAISED)  # estimated 100.000.000 đồng
    confirmed = activity(world, "confirmed", AFTER, 30_000_000)
    waiting = activity(world, "submitted", AFTER, 20_000_000)
    earlier = activity(world, "confirmed", BEFORE, 50_000_000)
    on_the_day = activity(world, "confirmed", RAISED, 5_000_000)
    draft = activity(world, "draft", AFTER, 7_000_000)
    returned = activity(world, "returned", AFTER, 9_000_000)
    early_waiting = activity(world, "submitted", BEFORE, 4_000_000)
    # linked directly: links made before this rule, or records whose status moved since
    need.activities.add(confirmed, waiting, earlier, on_the_day, draft, returned, early_waiting)

    need = need_with_delivery(need.pk)
    assert (need.delivered, need.counted) == (35_000_000, 2)
    assert (need.pending_value, need.pending) == (20_000_000, 1)
    assert need.state == "partly" and not need.beyond_estimate

    client.force_login(world.users["commune_officer"])
    page = client.get(reverse("need_detail", args=[need.pk])).content.decode()
    assert 'data-figure="delivered">35,00 triệu đồng<' in page
    assert "chờ xác nhận: 1 hoạt động, 20,00 triệu đồng" in page
    assert f'data-activity="{earlier.pk}" data-counted="no"' in page
    assert "làm trước ngày nêu nhu cầu, không tính" in page
    assert f'data-activity="{confirmed.pk}" data-counted="yes"' in page
    assert f'data-activity="{draft.pk}" data-counted="no"' in page
    listing = client.get(reverse("need_list")).content.decode()
    assert "chờ xác nhận 20,00 triệu đồng" in listing


def test_a_need_without_a_confirmed_activity_is_open_whatever_waits(world):
    need = raised_on(world.need_a, RAISED)
    need.activities.add(activity(world, "submitted", AFTER, 171_100_000))
    need = need_with_delivery(need.pk)
    assert (need.state, need.delivered, need.pending_value) == ("open", 0, 171_100_000)


def test_the_share_never_claims_met_and_says_beyond_the_estimate(client, world):
    need = raised_on(world.need_a, RAISED)  # estimated 100.000.000 đồng
    need.activities.add(activity(world, "confirmed", AFTER, 171_100_000))
    need = need_with_delivery(need.pk)
    assert need.state == "partly" and need.beyond_estimate
    for persona in ("commune_officer", "agency_staff_a"):
        client.force_login(world.users[persona])
        page = client.get(reverse("need_detail", args=[need.pk])).content.decode()
        assert "171,1% kinh phí ước tính, vượt dự kiến" in page
        assert 'data-state="partly"' in page and "xã chưa xác nhận đã đáp ứng" in page
        assert "Đã đáp ứng" not in page


def test_linking_offers_sent_activities_of_the_commune_from_the_raise_day_on(world):
    need = raised_on(world.need_a, RAISED)
    staff = world.users["agency_staff_a"]
    offered = {
        world.submitted_activity_a,  # 10/03/2026
        world.confirmed_activity_a,
        activity(world, "submitted", AFTER),
        activity(world, "confirmed", AFTER),
        activity(world, "confirmed", RAISED),
    }
    refused = [
        activity(world, "confirmed", BEFORE),
        activity(world, "draft", AFTER),
        activity(world, "returned", AFTER),
        world.old_activity_a,  # 2024, in the pre-reform commune
        world.activity_b,  # agency B's, in another commune
    ]
    assert set(services.linkable_activities(staff, need)) == offered
    for other in refused:
        with pytest.raises(PermissionDenied):
            services.need_link(user=staff, need=need, activity=other)
    with pytest.raises(PermissionDenied):  # agency B does not help this commune
        services.need_link(user=world.users["agency_staff_b"], need=need,
                           activity=world.activity_b)  # fmt: skip
    assert not need.activities.exists()


def test_an_activity_in_the_absorbed_commune_after_the_raise_can_be_linked(world):
    need = raised_on(world.need_a, datetime.date(2024, 4, 1))
    predecessor = activity(world, "submitted", datetime.date(2024, 5, 2),
                           assignment=world.old_assignment_a)  # fmt: skip
    services.need_link(user=world.users["agency_staff_a"], need=need, activity=predecessor)
    assert need.activities.filter(pk=predecessor.pk).exists()


def test_the_link_form_says_the_rule_and_labels_what_waits(client, world):
    need = raised_on(world.need_a, RAISED)
    waiting = activity(world, "submitted", AFTER)
    client.force_login(world.users["agency_staff_a"])
    page = client.get(reverse("need_detail", args=[need.pk])).content.decode()
    assert "làm từ ngày nêu nhu cầu (01/02/2026) trở đi" in page
    assert f"10/03/2026 – {waiting.title} (chờ xã xác nhận)" in page


def test_only_the_commune_confirms_a_need_met(client, world):
    need = raised_on(world.need_a, RAISED)
    need.activities.add(activity(world, "confirmed", AFTER, 120_000_000))
    for persona in ("agency_staff_a", "agency_leader_a", "secretariat", "district_officer"):
        with pytest.raises(PermissionDenied):
            services.need_mark_met(user=world.users[persona], need=need)
        client.force_login(world.users[persona])
        assert client.post(reverse("need_mark_met", args=[need.pk])).status_code == 403
        page = client.get(reverse("need_detail", args=[need.pk])).content.decode()
        assert reverse("need_mark_met", args=[need.pk]) not in page
    assert need_with_delivery(need.pk).state == "partly"
    client.force_login(world.users["commune_officer"])
    page = client.get(reverse("need_detail", args=[need.pk])).content.decode()
    assert reverse("need_mark_met", args=[need.pk]) in page
    assert client.post(reverse("need_mark_met", args=[need.pk])).status_code == 302
    need = need_with_delivery(need.pk)
    assert need.state == "met" and need.met_at is not None
    assert not services.may_mark_met(world.users["commune_officer"], need)


def test_a_need_without_cost_or_activity_is_met_when_the_commune_says_so(world):
    need = NeedFactory(commune=world.commune, estimated_cost=0)
    assert need_with_delivery(need.pk).state == "open"
    services.need_mark_met(user=world.users["commune_officer"], need=need)
    assert need_with_delivery(need.pk).state == "met"


def test_the_linking_agency_or_the_secretariat_removes_a_link(client, world):
    need = raised_on(world.need_a, RAISED)
    linked = activity(world, "confirmed", AFTER, 30_000_000)
    url = reverse("need_unlink", args=[need.pk, linked.pk])
    for persona, status in [
        ("commune_officer", 403), ("district_officer", 403), ("leadership", 403),
        ("agency_staff_b", 404), ("other_province", 404),
        ("agency_staff_a", 302), ("agency_leader_a", 302), ("secretariat", 302),
    ]:  # fmt: skip
        need.activities.add(linked)
        client.force_login(world.users[persona])
        assert client.get(url).status_code == 405  # never on GET
        assert client.post(url).status_code == status, persona
        assert need.activities.filter(pk=linked.pk).exists() == (status != 302), persona
    assert need_with_delivery(need.pk).delivered == 0
    client.force_login(world.users["agency_staff_a"])  # no longer linked
    assert client.post(url).status_code == 404
    other_need = NeedFactory(commune=world.commune)  # linked to another need only
    other_need.activities.add(linked)
    assert client.post(url).status_code == 404
    assert other_need.activities.filter(pk=linked.pk).exists()


def test_removing_a_link_asks_for_confirmation_on_the_page(client, world):
    need = raised_on(world.need_a, RAISED)
    linked = activity(world, "confirmed", AFTER)
    need.activities.add(linked)
    url = reverse("need_unlink", args=[need.pk, linked.pk])
    client.force_login(world.users["agency_staff_a"])
    page = client.get(reverse("need_detail", args=[need.pk])).content.decode()
    assert "<summary>Bỏ liên kết</summary>" in page and f'action="{url}"' in page
    assert "Xác nhận bỏ liên kết hoạt động này" in page
    response = client.post(url, follow=True)
    assert f"Đã bỏ liên kết hoạt động “{linked.title}” khỏi nhu cầu." in response.content.decode()
    client.force_login(world.users["commune_officer"])
    need.activities.add(linked)
    page = client.get(reverse("need_detail", args=[need.pk])).content.decode()
    assert f'action="{url}"' not in page


def test_need_list_is_scoped_and_bounded(client, world, django_assert_max_num_queries):
    for _ in range(15):
        NeedFactory(commune=world.commune)
    client.force_login(world.users["agency_staff_a"])
    # session, user, roles, count, page of needs with their delivery
    with django_assert_max_num_queries(6):
        page = client.get(reverse("need_list")).content.decode()
    assert world.need_a.title in page and world.need_b.title not in page
    assert client.get(reverse("need_detail", args=[world.need_b.pk])).status_code == 404


def test_phu_luc_4_and_the_dashboards_count_by_the_same_rule(client, world):
    import io

    from openpyxl import load_workbook

    from reports import figures, xlsx

    need = raised_on(world.need_a, RAISED)  # 200% of its estimate, confirmed and waiting
    need.activities.add(
        activity(world, "confirmed", AFTER, 200_000_000),
        activity(world, "submitted", AFTER, 20_000_000),
        activity(world, "confirmed", BEFORE, 50_000_000),
    )
    earlier_only = raised_on(NeedFactory(commune=world.commune), RAISED)
    earlier_only.activities.add(activity(world, "confirmed", BEFORE, 40_000_000))
    raised_on(NeedFactory(commune=world.commune), RAISED)  # open
    year = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))

    def appendix():
        result = figures.compute(figures.scope_assignments(province=world.province), *year)
        row = next(r for r in result.needs if r["commune"] == world.commune.name)
        agency = next(r for r in result.needs_by_agency if r["agency"] == world.agency_a.name)
        return result, row, agency

    _, row, agency = appendix()
    assert (row["raised"], row["met"], row["partly"], row["open"]) == (3, 0, 1, 2)
    assert (row["delivered"], row["pending"], row["pending_value"]) == (200_000_000, 1, 20_000_000)
    assert agency["met"] == 0

    services.need_mark_met(user=world.users["commune_officer"], need=need)
    result, row, agency = appendix()
    assert (row["raised"], row["met"], row["partly"], row["open"]) == (3, 1, 0, 2)
    assert row["delivered"] == 200_000_000
    assert agency == {"agency": world.agency_a.name, "raised": 3, "answered": 0,
                      "unanswered": 3, "met": 1}  # fmt: skip

    sheet = load_workbook(io.BytesIO(xlsx.build(result, [], title="t")))["PL4 Nhu cầu xã"]
    communes = {r[1]: r[2:4] for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
    assert communes[world.commune.name] == (3, 1)

    client.force_login(world.users["commune_officer"])
    period = {"period": "custom", "start": year[0].isoformat(), "end": year[1].isoformat()}
    page = client.get(reverse("commune_dashboard", args=[world.commune.pk]), period)
    page = page.content.decode()
    assert 'data-needs="3"' in page and "giá trị đã đáp ứng 200,00 triệu đồng" in page
    client.force_login(world.users["agency_leader_a"])
    page = client.get(reverse("agency_dashboard", args=[world.agency_a.pk]), period)
    assert "còn 3 nhu cầu chưa trả lời" in page.content.decode()


def test_ids_in_the_page_are_not_written_with_thousands_separators(client, world):
    """With USE_THOUSAND_SEPARATOR an id of 18784 would print as 18.784 in a data attribute
    (found when a full test run had pushed the ids past 1.000)."""
    need = raised_on(world.need_a, RAISED)
    linked = ActivityFactory(
        id=12_345, assignment=world.assignment_a, status="confirmed", start_date=AFTER
    )
    need.activities.add(linked)
    client.force_login(world.users["commune_officer"])
    page = client.get(reverse("need_detail", args=[need.pk])).content.decode()
    assert 'data-activity="12345" data-counted="yes"' in page
