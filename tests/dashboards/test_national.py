"""The centre: a national account reads every province side by side and drills into any
province's dashboards, read-only; no province's user sees another province, nor the
national page."""

import datetime
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from assignments.models import Role, User
from contributions.models import Contribution, ReviewStatus
from tests import factories as f


@pytest.fixture
def two_provinces(db):
    cache.clear()
    made = {}
    for key, value in (("a", 30_000_000), ("b", 7_000_000)):
        province = f.ProvinceFactory(name=f"Tỉnh Thử {key.upper()}", latitude=21 + len(key),
                                     longitude=104)  # fmt: skip
        decision = f.DecisionFactory(province=province, phase_start=datetime.date(2026, 1, 1))
        assignment = f.AssignmentFactory(decision=decision)
        activity = f.ActivityFactory(
            assignment=assignment, status=ReviewStatus.CONFIRMED,
            start_date=datetime.date(2026, 5, 4),
        )  # fmt: skip
        f.ContributionFactory(activity=activity, value=value)
        f.InKindContributionFactory(activity=activity, value=1_000_000, quantity=2)
        waiting = f.ActivityFactory(assignment=assignment, status=ReviewStatus.SUBMITTED)
        f.ContributionFactory(activity=waiting, value=99_000_000)  # not confirmed: not counted
        made[key] = {"province": province, "activity": activity, "decision": decision}
    centre = f.UserFactory()
    for key in made:
        f.RoleFactory(user=centre, kind=Role.Kind.NATIONAL, province=made[key]["province"])
    secretary = f.UserFactory()
    f.RoleFactory(user=secretary, kind=Role.Kind.SECRETARIAT, province=made["a"]["province"])
    return made, centre, secretary


def _official(province) -> int:
    return Contribution.objects.filter(
        activity__assignment__decision__province=province,
        activity__status=ReviewStatus.CONFIRMED,
        activity__start_date__year=2026,
    ).aggregate(total=Sum("value"))["total"]


def test_the_centre_sees_two_provinces_side_by_side(client, two_provinces):
    made, centre, _ = two_provinces
    client.force_login(centre)
    page = client.get(reverse("national_overview"), {"year": "2026"}).content.decode()
    for key in ("a", "b"):
        province = made[key]["province"]
        assert province.name in page
        # The figure each province's own overview gives, in triệu đồng: 31,00 and 8,00.
        expected = f"{_official(province) / 1_000_000:.2f}".replace(".", ",")
        row = page.split(f'data-province="{province.code}"')[1].split("</tr>")[0]
        assert expected in row
    assert page.index("Tỉnh Thử A") < page.index("Tỉnh Thử B")  # the larger first
    assert "99,00" not in page  # awaiting confirmation: not counted


def test_drill_down_into_one_province_read_only(client, two_provinces):
    made, centre, _ = two_provinces
    client.force_login(centre)
    b = made["b"]["province"]
    page = client.get(reverse("province_dashboard"), {"province": b.pk}).content.decode()
    assert "8,00" in page and "31,00" not in page
    assert client.get(reverse("review_table"), {"province": b.pk}).status_code == 200
    assert client.get(reverse("province_dashboard"), {"province": "999999"}).status_code == 404
    # with no province named, the centre's pages are the comparison
    for name in ("home", "province_dashboard", "review_table"):
        assert client.get(reverse(name))["Location"] == reverse("national_overview")
    # Nothing is written by the centre.
    activity = made["b"]["activity"]
    refused = [
        client.post(reverse("decision_create"), {"number": "1/QĐ"}),
        client.post(
            reverse("activity_reopen", args=[activity.pk]), {"reason": "Mở lại để kiểm tra số liệu"}
        ),
        client.post(reverse("agency_list"), {"name": "Sở mới"}),
        client.post(reverse("user_create"), {"email": "x@example.vn"}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert client.get(reverse("activity_create")).status_code == 403  # logs nothing either
    activity.refresh_from_db()
    assert activity.status == ReviewStatus.CONFIRMED


def test_a_province_user_sees_neither_the_other_province_nor_the_centre(client, two_provinces):
    made, _, secretary = two_provinces
    client.force_login(secretary)
    assert client.get(reverse("national_overview")).status_code == 403
    other = made["b"]["province"]
    assert client.get(reverse("province_dashboard"), {"province": other.pk}).status_code == 404
    assert client.get(reverse("review_table"), {"province": other.pk}).status_code == 404
    page = client.get(reverse("province_dashboard")).content.decode()
    assert "31,00" in page and "8,00" not in page


def test_national_page_is_bounded_once_computed(
    client, two_provinces, django_assert_max_num_queries
):
    _, centre, _ = two_provinces
    client.force_login(centre)
    client.get(reverse("national_overview"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("national_overview")).status_code == 200


def test_invite_national_gives_every_province_and_requires_two_factor(db, admin_units):
    from assignments.two_factor import requires_two_factor
    from communes.models import Province

    out = io.StringIO()
    call_command("invite_national", email="Ban.ChiDao@example.gov.vn", name="Trần Văn An",
                 stdout=out)  # fmt: skip
    user = User.objects.get(email="ban.chidao@example.gov.vn")
    provinces = Province.objects.current().count()
    assert user.roles.filter(kind=Role.Kind.NATIONAL).count() == provinces
    assert "/accounts/invitation/" in out.getvalue()
    assert requires_two_factor(user)
    call_command("invite_national", email="ban.chidao@EXAMPLE.gov.vn", stdout=io.StringIO())
    assert user.roles.count() == provinces  # one account whatever the spelling, no duplicates


def _cash(province) -> int:
    return Contribution.objects.filter(
        activity__assignment__decision__province=province,
        activity__status=ReviewStatus.CONFIRMED,
        activity__start_date__year=2026,
        kind=Contribution.Kind.CASH,
    ).aggregate(total=Sum("value"))["total"]


def test_the_comparison_gives_cash_beside_the_total(two_provinces):
    from dashboards import national

    made, _, _ = two_provinces
    ids = [made[key]["province"].pk for key in made]
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    rows = {r.province.pk: r for r in national.comparison(ids, start, end, end)}
    for key in made:
        province = made[key]["province"]
        assert (rows[province.pk].total, rows[province.pk].cash) == (
            _official(province),
            _cash(province),
        )


def test_the_first_view_costs_a_bounded_number_of_queries_per_province(
    client, two_provinces, django_assert_max_num_queries
):
    """Uncached, each province using giupxa costs what its report's figures cost (about 25
    queries: reports.figures.compute, the needs and kept-support sections), whatever its
    volume; the page itself a handful (session, user, roles, provinces, map, reports)."""
    _, centre, _ = two_provinces
    client.force_login(centre)
    with django_assert_max_num_queries(12 + 2 * 30):
        assert client.get(reverse("national_overview"), {"year": "2026"}).status_code == 200


def test_the_centre_writes_nothing_anywhere(client, two_provinces):
    """Every kind of write, in a province the centre reads: refused, and nothing changed."""
    made, centre, _ = two_provinces
    b = made["b"]
    submitted = f.ActivityFactory(assignment=b["activity"].assignment, status="submitted")
    draft = f.ReportRunFactory(province=b["province"], status="done")
    meeting = f.MeetingFactory(province=b["province"])
    task = f.TaskFactory(meeting=meeting, agency=b["activity"].assignment.agency)
    need = f.NeedFactory(commune=b["activity"].assignment.commune)
    client.force_login(centre)
    refused = {
        "activity_create": client.post(reverse("activity_create"), {"title": "Tặng quà"}),
        "activity_confirm": client.post(reverse("activity_confirm", args=[submitted.pk])),
        "activity_return": client.post(
            reverse("activity_return", args=[submitted.pk]),
            {"reason": "Số lượng chưa khớp biên bản"},
        ),  # fmt: skip
        "comment_add": client.post(reverse("comment_add", args=[submitted.pk]), {"text": "Ý kiến"}),
        "report_create": client.post(reverse("report_create"), {"scope": "province"}),
        "report_issue": client.post(reverse("report_issue", args=[draft.pk])),
        "meeting_create": client.post(reverse("meeting_create"), {"title": "Họp"}),
        "task_done": client.post(reverse("task_done", args=[task.pk]), {"evidence": "Xong"}),
        "need_create": client.post(reverse("need_create"), {"title": "Sửa đường"}),
        "need_respond": client.post(reverse("need_respond", args=[need.pk]), {"kind": "accept"}),
        "field_visit_create": client.post(reverse("field_visit_create"), {"purpose": "Về xã"}),
        "province_settings": client.post(reverse("province_settings"), {}),
    }
    allowed = {
        name: r.status_code for name, r in refused.items() if r.status_code not in (403, 404)
    }
    assert allowed == {}
    submitted.refresh_from_db()
    draft.refresh_from_db()
    task.refresh_from_db()
    assert (submitted.status, draft.status, task.status) == ("submitted", "done", "open")
    assert not submitted.comments.exists() and not need.responses.exists()
    page = client.get(reverse("activity_detail", args=[submitted.pk])).content.decode()
    assert "Gửi ý kiến" not in page and "Xác nhận" not in page


def test_a_province_cannot_remove_the_centre(client, two_provinces):
    made, centre, secretary = two_provinces
    role = centre.roles.get(province=made["a"]["province"])
    client.force_login(secretary)
    page = client.get(reverse("user_detail", args=[centre.pk])).content.decode()
    assert "Trung ương" in page and f"/roles/{role.pk}/" not in page.split("Thêm vai trò")[0]
    response = client.post(reverse("user_role_remove", args=[centre.pk, role.pk]))
    assert response.status_code == 403
    assert centre.roles.filter(pk=role.pk).exists()
    # nor give the centre a task of the province
    from followup.forms.meetings import TaskForm

    form = TaskForm(province=made["a"]["province"])
    assert centre not in form.fields["person"].queryset


def test_the_drill_down_shows_the_chosen_province_only(client, two_provinces):
    made, centre, _ = two_provinces
    for key, what in (("a", "Việc của tỉnh A"), ("b", "Việc của tỉnh B")):
        f.TaskFactory(meeting=f.MeetingFactory(province=made[key]["province"]), what=what,
                      agency=made[key]["activity"].assignment.agency,
                      due_date=datetime.date(2020, 1, 1))  # fmt: skip
    client.force_login(centre)
    b = made["b"]["province"]
    page = client.get(reverse("province_dashboard"), {"province": b.pk}).content.decode()
    assert "Việc của tỉnh B" in page and "Việc của tỉnh A" not in page
    assert f"{reverse('review_table')}?province={b.pk}" in page  # the way on, still in B
    review = client.get(reverse("review_table"), {"province": b.pk}).content.decode()
    assert b.name in review and made["a"]["province"].name not in review
