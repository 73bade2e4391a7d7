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
    assert client.get(reverse("home")).status_code == 200
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
    assert client.get(reverse("activity_create")).status_code in (403, 200)
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
