"""Merging agencies: the merged agency inherits assignments, records, people and accounts;
the former agencies stay (not active) with their names in the history; the figures stay
exactly what they were."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assignments.models import Agency, Assignment, Role
from contributions import agency_merge, rollup
from contributions.models import ReviewStatus
from tests import factories as f


@pytest.fixture
def setup(db):
    province = f.ProvinceFactory()
    secretary = f.UserFactory()
    f.RoleFactory(user=secretary, kind=Role.Kind.SECRETARIAT, province=province)
    decision = f.DecisionFactory(province=province)
    old_a = f.AgencyFactory(province=province, name="Sở Nông nghiệp và Phát triển nông thôn")
    old_b = f.AgencyFactory(province=province, name="Sở Tài nguyên và Môi trường")
    new = f.AgencyFactory(province=province, name="Sở Nông nghiệp và Môi trường")
    shared = f.CommuneFactory(province=province, name="Xã Mường Nhé")
    only_a = f.CommuneFactory(province=province, name="Xã Sín Thầu")
    a_shared = f.AssignmentFactory(decision=decision, agency=old_a, commune=shared)
    a_only = f.AssignmentFactory(decision=decision, agency=old_a, commune=only_a)
    b_shared = f.AssignmentFactory(
        decision=decision, agency=old_b, commune=shared, role=Assignment.Role.SUPPORT
    )
    staff = f.UserFactory()
    f.RoleFactory(user=staff, kind=Role.Kind.AGENCY_STAFF, province=province, agency=old_a)
    f.RoleFactory(user=staff, kind=Role.Kind.AGENCY_STAFF, province=province, agency=old_b)
    person = f.PersonFactory(agency=old_b, user=staff)
    for assignment, value in [(a_shared, 30_000_000), (a_only, 5_000_000), (b_shared, 7_000_000)]:
        activity = f.ActivityFactory(
            assignment=assignment, status=ReviewStatus.CONFIRMED,
            start_date=datetime.date(2026, 4, 10),
        )  # fmt: skip
        f.ContributionFactory(activity=activity, value=value)
    f.FieldVisitFactory(assignment=b_shared)
    return locals()


def _total(assignment_ids):
    rows = rollup.read(
        "assignment", assignment_ids, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    )
    return sum(row["total"] for row in rows)


def test_merge_moves_everything_and_keeps_the_figures(client, setup):
    s = setup
    before = _total(list(Assignment.objects.values_list("pk", flat=True)))
    client.force_login(s["secretary"])
    url = reverse("agency_merge", args=[s["new"].pk])
    data = {"sources": [s["old_a"].pk, s["old_b"].pk], "reason": "QĐ 1234/QĐ-UBND"}
    preview = client.post(url, data).content.decode()
    assert "1 phân công trùng xã" in preview  # both helped Mường Nhé
    assert Assignment.objects.filter(agency=s["old_a"]).count() == 2  # nothing done yet
    response = client.post(url, data | {"confirm": "1"})
    assert response.status_code == 302
    assert not Assignment.objects.filter(agency__in=[s["old_a"], s["old_b"]]).exists()
    merged = Assignment.objects.filter(agency=s["new"])
    assert merged.count() == 2  # Mường Nhé once, Sín Thầu
    shared = merged.get(commune=s["shared"])
    assert shared.role == Assignment.Role.LEAD  # lead if either was
    assert shared.activities.count() == 2 and shared.field_visits.count() == 1
    after = _total(list(merged.values_list("pk", flat=True)))
    assert after == before == 42_000_000
    assert rollup.differences() == dict.fromkeys(rollup.TABLES, 0)
    s["person"].refresh_from_db()
    assert s["person"].agency == s["new"]
    assert list(Role.objects.filter(user=s["staff"]).values_list("agency", flat=True)) == [
        s["new"].pk
    ]
    for old in (s["old_a"], s["old_b"]):
        old.refresh_from_db()
        assert old.is_active is False
    page = client.get(reverse("agency_edit", args=[s["new"].pk])).content.decode()
    assert "Sở Nông nghiệp và Phát triển nông thôn" in page
    assert "Sở Tài nguyên và Môi trường" in page


def test_a_clashing_plan_refuses_and_changes_nothing(setup):
    s = setup
    f.PlanFactory(assignment=s["a_shared"], year=2026)
    f.PlanFactory(assignment=s["b_shared"], year=2026)
    result = agency_merge.plan(target=s["old_a"], sources=[s["old_b"]])
    assert result.problems and "kế hoạch" in result.problems[0]
    with pytest.raises(ValidationError):
        agency_merge.merge(target=s["old_a"], sources=[s["old_b"]], reason="thử")
    assert Assignment.objects.filter(agency=s["old_b"]).count() == 1
    assert Agency.objects.get(pk=s["old_b"].pk).is_active


def test_another_province_agency_is_not_offered(client, setup):
    s = setup
    foreign = f.AgencyFactory()
    client.force_login(s["secretary"])
    url = reverse("agency_merge", args=[s["new"].pk])
    page = client.post(url, {"sources": [foreign.pk], "reason": "x"}).content.decode()
    assert "không phải là một trong các lựa chọn" in page
    assert Agency.objects.get(pk=foreign.pk).is_active
    assert client.get(reverse("agency_merge", args=[foreign.pk])).status_code == 404
