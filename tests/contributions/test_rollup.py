"""The monthly rollups: every write path keeps them equal to the raw rows, and a read over
any period (partial months included) equals a sum over the raw rows."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum
from django.test import RequestFactory

from contributions import rollup, services
from contributions.models import Activity, Contribution, FieldVisit, ReviewStatus
from contributions.services import ContributionData
from tests.factories import (
    ActivityFactory,
    CategoryFactory,
    ContributionFactory,
    InKindContributionFactory,
    ItemFactory,
)

pytestmark = pytest.mark.django_db
CURRENT = dict.fromkeys(rollup.TABLES, 0)


def raw_total(assignment, start, end) -> int:
    """The independent sum, in SQL over the raw rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT COALESCE(SUM(c.value), 0) FROM contributions_contribution c
            JOIN contributions_activity a ON a.id = c.activity_id
            WHERE a.assignment_id = %s AND a.start_date BETWEEN %s AND %s""",
            [assignment.pk, start, end],
        )
        return int(cursor.fetchone()[0])


def read_total(assignment, start, end, statuses=ReviewStatus.values) -> int:
    rows = rollup.read("assignment", [assignment.pk], start, end, statuses=statuses)
    return rows[0]["total"] if rows else 0


def test_services_keep_the_rollup_current(world):
    user, assignment = world.users["agency_staff_a"], world.assignment_a
    item = ItemFactory()
    fields = {"assignment": assignment, "start_date": datetime.date(2026, 2, 10),
              "category": CategoryFactory(), "title": "Trao bò giống cho hộ nghèo"}  # fmt: skip
    activity = services.activity_create(
        user=user,
        fields=fields,
        contributions=[
            ContributionData(kind="cash", value=5_000_000, source="budget"),
            ContributionData(
                kind="in_kind", value=30_000_000, source="mobilised", item=item, quantity=2
            ),  # fmt: skip
        ],
    )
    feb = (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert read_total(assignment, *feb) == raw_total(assignment, *feb) > 35_000_000 - 1
    assert rollup.differences() == CURRENT

    # Moved to April with another category and value: February loses it, April gains it.
    services.activity_update(
        user=user,
        activity=activity,
        version=activity.version,
        fields={
            **fields,
            "start_date": datetime.date(2026, 4, 3),
            "category": CategoryFactory(code="y-te", name="Y tế"),
        },  # fmt: skip
        contributions=[ContributionData(kind="cash", value=7_000_000, source="staff")],
    )
    april = (datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))
    assert read_total(assignment, *feb) == raw_total(assignment, *feb)
    assert read_total(assignment, *april) == raw_total(assignment, *april)
    assert rollup.differences() == CURRENT

    activity.refresh_from_db()
    services.activity_submit(user=world.users["agency_leader_a"], activity=activity)
    # Sent, not yet confirmed: awaiting, outside the official figure.
    assert rollup.read("assignment", [assignment.pk], *april) == []
    [row] = rollup.read("assignment", [assignment.pk], *april, statuses=rollup.AWAITING)
    assert (row["activities"], row["total"]) == (1, 7_000_000)
    services.activity_confirm(user=world.users["commune_officer"], activity=activity)
    assert rollup.read("assignment", [assignment.pk], *april, statuses=rollup.AWAITING) == []
    [row] = rollup.read("assignment", [assignment.pk], *april)
    assert (row["activities"], row["total"]) == (1, 7_000_000)

    services.field_visit_create(
        user=user, assignment=assignment, start_date=datetime.date(2026, 4, 6),
        end_date=datetime.date(2026, 4, 9), purpose="Khảo sát nhu cầu", people=[],
    )  # fmt: skip
    [row] = rollup.read("visit", [assignment.pk], *april)
    assert (
        row["days"]
        == FieldVisit.objects.filter(assignment=assignment, start_date__range=april).aggregate(
            d=Sum("days_on_site")
        )["d"]
    )
    assert rollup.differences() == CURRENT


@pytest.mark.parametrize(
    "start, end",
    [
        ("2026-01-01", "2026-12-31"),  # whole months only
        ("2026-02-15", "2026-04-10"),  # partial first and last month
        ("2026-03-05", "2026-03-20"),  # inside one month
        ("2026-03-01", "2026-03-31"),  # exactly one month
    ],
)
def test_a_read_over_any_period_equals_the_raw_sum(world, start, end):
    start, end = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    assignment = world.assignment_a
    for day in ["2026-01-31", "2026-02-14", "2026-02-15", "2026-03-04", "2026-03-05",
                "2026-03-20", "2026-03-21", "2026-04-10", "2026-04-11", "2026-12-31"]:  # fmt: skip
        activity = ActivityFactory(
            assignment=assignment, start_date=datetime.date.fromisoformat(day)
        )
        ContributionFactory(activity=activity, value=1_000_000 + activity.pk)
        InKindContributionFactory(activity=activity, quantity=3, value=2_000_000)
    total = raw_total(assignment, start, end)
    assert read_total(assignment, start, end) == total > 0
    items = rollup.read(
        "item", [assignment.pk], start, end, by=("item",), statuses=ReviewStatus.values
    )
    assert (
        sum(r["amount"] for r in items)
        == Contribution.objects.filter(
            activity__assignment=assignment,
            activity__start_date__range=(start, end),
            kind="in_kind",
        ).aggregate(q=Sum("quantity"))["q"]
    )
    by_month = rollup.read(
        "assignment", [assignment.pk], start, end, by=("month",), statuses=ReviewStatus.values
    )
    assert sum(r["total"] for r in by_month) == total


def test_admin_edits_and_deletes_keep_the_rollup_current(world):
    model_admin = admin.site._registry[Activity]
    request = RequestFactory().post("/")
    request.user = world.users["superuser"]
    activity = world.activity_a
    ContributionFactory(activity=activity, value=9_000_000)
    activity.start_date = datetime.date(2026, 5, 20)  # moved to another month in the admin
    model_admin.save_model(request, activity, form=None, change=True)
    model_admin.save_related(
        request, SimpleNamespace(instance=activity, save_m2m=lambda: None), [], change=True
    )
    assert rollup.differences() == CURRENT
    model_admin.delete_queryset(request, Activity.objects.filter(pk=world.activity_b.pk))
    assert rollup.differences() == CURRENT


def test_refresh_rollup_finds_and_repairs_a_stale_rollup(world, capsys):
    ContributionFactory(activity=world.activity_a, value=5_000_000)
    Contribution.objects.filter(activity=world.activity_a).update(value=1)  # past the services
    with pytest.raises(CommandError, match="chưa khớp"):
        call_command("refresh_rollup", "--check")
    call_command("refresh_rollup")
    call_command("refresh_rollup", "--check")
    assert "khớp số liệu gốc" in capsys.readouterr().out
    assert rollup.differences() == CURRENT


@pytest.mark.parametrize(
    "start, end",
    [("2026-01-01", "2026-12-31"), ("2026-03-05", "2026-03-20")],  # whole and partial months
)
def test_only_confirmed_records_enter_the_official_read(world, start, end):
    """Drafts, returned and awaiting records of the same month never enter the official
    figure; awaiting ones are read apart."""
    start, end = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    assignment = world.assignment_b  # its own activity is a draft on 02/03/2026
    values = {"draft": 1_000_000, "returned": 2_000_000, "submitted": 4_000_000,
              "confirmed": 8_000_000}  # fmt: skip
    for status, value in values.items():
        activity = ActivityFactory(
            assignment=assignment, start_date=datetime.date(2026, 3, 10), status=status
        )
        ContributionFactory(activity=activity, value=value)
    rollup.refresh([(assignment.pk, datetime.date(2026, 3, 1))])
    assert read_total(assignment, start, end, rollup.OFFICIAL) == 8_000_000
    assert read_total(assignment, start, end, rollup.AWAITING) == 4_000_000
    assert read_total(assignment, start, end, rollup.REPORTED) == 12_000_000
    assert read_total(assignment, start, end) == raw_total(assignment, start, end)
