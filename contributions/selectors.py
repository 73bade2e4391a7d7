"""Reads of the contributions app that need more than a queryset."""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from assignments.models import Assignment
from assignments.scoping import AGENCY_ROLES, REVIEWERS
from core.periods import quarter_bounds, quarter_of

from .models import Activity, Contribution, FieldVisit, ReviewStatus


def _scalar(rows, group: str, aggregate):
    """A correlated aggregate as a scalar subquery (0 when no row): no join fan-out."""
    subquery = rows.order_by().values(group).annotate(x=aggregate).values("x")[:1]
    return Coalesce(Subquery(subquery, output_field=IntegerField()), Value(0))


def my_assignments(user, today: datetime.date):
    """The agency's assignments in force today, with this quarter's and year's figures.

    One query: each figure is a correlated subquery over its own table.
    """
    q_start, q_end = quarter_bounds(today.year, quarter_of(today))
    y_start, y_end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    contributions = Contribution.objects.filter(activity__assignment=OuterRef("pk"))
    activities = Activity.objects.filter(assignment=OuterRef("pk"))
    visits = FieldVisit.objects.filter(assignment=OuterRef("pk"))

    def value(start, end):
        rows = contributions.filter(activity__start_date__range=(start, end))
        return _scalar(rows, "activity__assignment", Sum("value"))

    def count(rows):
        return _scalar(rows, "assignment", Count("pk"))

    return (
        Assignment.objects.visible_to(user, kinds=AGENCY_ROLES)
        .active_on(today)
        .with_related()
        .annotate(
            quarter_value=value(q_start, q_end),
            year_value=value(y_start, y_end),
            quarter_days=_scalar(
                visits.filter(start_date__range=(q_start, q_end)), "assignment", Sum("days_on_site")
            ),
            quarter_activities=count(activities.filter(start_date__range=(q_start, q_end))),
            year_activities=count(activities.filter(start_date__range=(y_start, y_end))),
            returned=count(activities.filter(status=ReviewStatus.RETURNED)),
            drafts=count(activities.filter(status=ReviewStatus.DRAFT)),
        )
        .order_by("commune__name")
    )


def waiting_for(user):
    """What waits for this user, by role: drafts and returned records for agency people,
    submitted records for commune and district officers."""
    agency = Activity.objects.visible_to(user, kinds=AGENCY_ROLES).filter(
        status__in=[ReviewStatus.DRAFT, ReviewStatus.RETURNED]
    )
    review = Activity.objects.visible_to(user, kinds=REVIEWERS).filter(
        status=ReviewStatus.SUBMITTED
    )
    return agency, review


def quarter_days(assignments, year: int, quarter: int) -> dict[int, int]:
    """Days on site per assignment in a quarter, summed in SQL."""
    start, end = quarter_bounds(year, quarter)
    rows = (
        FieldVisit.objects.filter(
            assignment__in=assignments, start_date__gte=start, start_date__lte=end
        )
        .values("assignment")
        .annotate(days=Sum("days_on_site"))
    )
    return {row["assignment"]: row["days"] for row in rows}


def may_log_any(user) -> bool:
    """Does the user log work for some agency (and so see the 'new activity' button)?"""
    return Assignment.objects.loggable_by(user).exists()
