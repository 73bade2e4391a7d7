"""Reads that need more than a queryset."""

import datetime
from dataclasses import dataclass

from contributions import rollup

from .models import Assignment, Decision
from .scoping import user_roles


@dataclass
class CommuneRow:
    commune: object
    leads: list
    supports: list
    activities: int = 0
    value: int = 0


@dataclass(frozen=True)
class HomeSummary:
    province: object | None
    decision: Decision | None
    assignments: list
    commune_rows: list
    total_value: int
    cash_value: int
    activities: int
    communes: int
    agencies: int
    year: int


def home_summary(user, today: datetime.date) -> HomeSummary:
    """The province, the assignments in force today and this year's totals, as `user` sees them.

    Queries: roles, visible assignments, their year figures (the rollup), the assignments in
    force with related rows, the decision in force.
    """
    roles = user_roles(user)
    province = roles[0].province if roles else None
    year_start, year_end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    visible = {
        pk: (commune, agency)
        for pk, commune, agency in Assignment.objects.visible_to(user).values_list(
            "pk", "commune", "agency"
        )
    }
    year = {
        r["assignment"]: r
        for r in rollup.read("assignment", visible, year_start, year_end, by=("assignment",))
    }
    assignments = list(
        Assignment.objects.filter(pk__in=visible)
        .active_on(today)
        .with_related()
        .order_by("commune__name", "role", "agency__name")
    )
    for assignment in assignments:
        row = year.get(assignment.pk, {})
        assignment.year_value = row.get("total", 0)
        assignment.year_activities = row.get("activities", 0)
    decision = (
        Decision.objects.visible_to(user).in_force_on(today).order_by("-phase_start").first()
        if province
        else None
    )
    active = [visible[pk] for pk, r in year.items() if r["activities"]]
    counts = {
        "activities": sum(r["activities"] for r in year.values()),
        "communes": len({commune for commune, _ in active}),
        "agencies": len({agency for _, agency in active}),
    }
    money = {
        "total": sum(r["total"] for r in year.values()),
        "cash": sum(r["cash"] for r in year.values()),
    }
    rows: dict[int, CommuneRow] = {}
    for assignment in assignments:
        row = rows.setdefault(
            assignment.commune_id, CommuneRow(commune=assignment.commune, leads=[], supports=[])
        )
        (row.leads if assignment.role == Assignment.Role.LEAD else row.supports).append(assignment)
        row.activities += assignment.year_activities
        row.value += assignment.year_value
    return HomeSummary(
        province=province,
        decision=decision,
        assignments=assignments,
        commune_rows=list(rows.values()),
        total_value=int(money["total"]),
        cash_value=int(money["cash"]),
        year=today.year,
        **counts,
    )
