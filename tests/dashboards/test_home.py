"""The home page shows the province, its assignments and this year's totals."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assignments.models import Role
from core.formatting import million_dong
from tests.factories import (
    ActivityFactory,
    AssignmentFactory,
    ContributionFactory,
    DecisionFactory,
    InKindContributionFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db


def independent_year_totals(province_id: int, year: int) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COALESCE(SUM(c.value), 0),
                   COALESCE(SUM(CASE WHEN c.kind = 'cash' THEN c.value ELSE 0 END), 0)
            FROM contributions_contribution c
            JOIN contributions_activity a ON a.id = c.activity_id
            JOIN assignments_assignment s ON s.id = a.assignment_id
            JOIN assignments_decision d ON d.id = s.decision_id
            WHERE d.province_id = %s AND a.status = 'confirmed'
              AND a.start_date BETWEEN %s AND %s
            """,
            [province_id, datetime.date(year, 1, 1), datetime.date(year, 12, 31)],
        )
        total, cash = cursor.fetchone()
    return int(total), int(cash)


@pytest.fixture
def province_with_work():
    today = timezone.localdate()
    decision = DecisionFactory(
        phase_start=datetime.date(today.year - 2, 1, 1),
        phase_end=datetime.date(today.year + 2, 12, 31),
    )
    assignments = AssignmentFactory.create_batch(3, decision=decision)
    for i, assignment in enumerate(assignments):
        this_year = ActivityFactory(
            assignment=assignment, start_date=today.replace(day=1), status="confirmed"
        )
        ContributionFactory(activity=this_year, value=1_250_000 * (i + 1))
        InKindContributionFactory(activity=this_year, value=3_200_000)
        for status in ("draft", "returned", "submitted"):  # none of these is in the totals
            ContributionFactory(
                activity=ActivityFactory(
                    assignment=assignment, start_date=today.replace(day=1), status=status
                ),
                value=55_000_000,
            )
        last_year = ActivityFactory(
            assignment=assignment, start_date=datetime.date(today.year - 1, 6, 1)
        )
        ContributionFactory(activity=last_year, value=99_000_000)
    other = AssignmentFactory()  # another province: must not count
    ContributionFactory(activity=ActivityFactory(assignment=other), value=77_000_000)
    return decision, assignments


def test_home_shows_the_province_and_the_year_totals(client, province_with_work):
    decision, assignments = province_with_work
    user = RoleFactory(kind=Role.Kind.LEADERSHIP, province=decision.province).user
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = response.content.decode()
    total, cash = independent_year_totals(decision.province_id, timezone.localdate().year)
    assert total == 1_250_000 * 6 + 3 * 3_200_000
    assert million_dong(total) in page
    assert f'data-figure="cash">{million_dong(cash)}<' in page
    assert decision.province.name in page
    for assignment in assignments:
        assert assignment.commune.name in page
        assert assignment.agency.name in page


def test_agency_staff_see_only_their_agency(client, province_with_work):
    decision, assignments = province_with_work
    mine = assignments[0]
    user = RoleFactory(
        kind=Role.Kind.AGENCY_STAFF, province=decision.province, agency=mine.agency
    ).user
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert mine.commune.name in page
    assert assignments[1].commune.name not in page
    assert million_dong(1_250_000 + 3_200_000) in page


def test_home_query_count_is_bounded(client, django_assert_max_num_queries, province_with_work):
    decision, _ = province_with_work
    AssignmentFactory.create_batch(10, decision=decision)
    client.force_login(RoleFactory(kind=Role.Kind.SECRETARIAT, province=decision.province).user)
    # session, user, the session's two-factor device, roles, visible assignments, their year
    # figures (rollup), assignments in force, decision, the user's tasks due, the unread
    # notifications
    with django_assert_max_num_queries(10):
        assert client.get(reverse("home")).status_code == 200


def test_a_user_without_role_is_told_what_to_do(client):
    client.force_login(RoleFactory().user)
    Role.objects.all().delete()
    page = client.get(reverse("home")).content.decode()
    assert "chưa được giao vai trò" in page


def test_home_needs_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
