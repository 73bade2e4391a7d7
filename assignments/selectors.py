"""Reads that need more than a queryset."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from contributions.models import Activity, Contribution

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

    Queries: roles, decision in force, assignments with their year figures, year totals (2).
    """
    roles = user_roles(user)
    province = roles[0].province if roles else None
    year_start, year_end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    in_year = Q(activities__start_date__gte=year_start, activities__start_date__lte=year_end)
    assignments = list(
        Assignment.objects.visible_to(user)
        .active_on(today)
        .with_related()
        .annotate(
            year_value=Coalesce(Sum("activities__contributions__value", filter=in_year), 0),
            year_activities=Count("activities", filter=in_year, distinct=True),
        )
        .order_by("commune__name", "role", "agency__name")
    )
    decision = (
        Decision.objects.visible_to(user).in_force_on(today).order_by("-phase_start").first()
        if province
        else None
    )
    activities = Activity.objects.visible_to(user).between(year_start, year_end)
    money = Contribution.objects.filter(activity__in=activities).totals()
    counts = activities.aggregate(
        activities=Count("pk"),
        communes=Count("assignment__commune", distinct=True),
        agencies=Count("assignment__agency", distinct=True),
    )
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
