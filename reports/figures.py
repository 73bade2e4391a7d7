"""The report's figures: SQL aggregates over the rows in a report run's scope and period."""

import datetime
from dataclasses import asdict, dataclass

from django.db.models import Count, Q, QuerySet

from assignments.models import Assignment
from contributions.models import Activity, Contribution


@dataclass(frozen=True)
class Totals:
    total_value: int
    cash_value: int
    activities: int
    communes: int
    agencies: int

    def as_dict(self) -> dict:
        return asdict(self)


def scope_assignments(
    *, province, district=None, commune=None, agency=None
) -> QuerySet[Assignment]:
    """Assignments of a province, narrowed to a district, a commune or an agency.

    A district or a current commune also covers the pre-reform communes it absorbed,
    so figures over a period spanning 1 July 2025 count both.
    """
    qs = Assignment.objects.filter(decision__province=province)
    if district is not None:
        qs = qs.filter(Q(commune__district=district) | Q(commune__predecessors__district=district))
    if commune is not None:
        qs = qs.filter(Q(commune=commune) | Q(commune__successors=commune))
    if agency is not None:
        qs = qs.filter(agency=agency)
    return Assignment.objects.filter(pk__in=qs.values("pk"))


def totals(assignments: QuerySet[Assignment], start: datetime.date, end: datetime.date) -> Totals:
    activities = Activity.objects.filter(assignment__in=assignments).between(start, end)
    money = Contribution.objects.filter(activity__in=activities).totals()
    counts = activities.aggregate(
        activities=Count("pk"),
        communes=Count("assignment__commune", distinct=True),
        agencies=Count("assignment__agency", distinct=True),
    )
    return Totals(total_value=int(money["total"]), cash_value=int(money["cash"]), **counts)
