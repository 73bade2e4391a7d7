"""Which assignments a page or a report covers, and the one way to total them.

`scope_assignments` picks a province's assignments (narrowed to a district, a commune or an
agency, and to what a user may see); `scope_of` fetches them once into a `Scope` whose
rollup reads are cached; `totals` is the headline every page and the report share.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat

from assignments.models import Assignment
from communes.models import REFORM_DATE, CommuneSuccession, Village
from contributions import rollup

from .data import Totals


def scope_assignments(
    *, province, former_province=None, district=None, commune=None, agency=None, visible=None
) -> QuerySet[Assignment]:
    """Assignments of a province, narrowed to a pre-reform province as it was, a district, a
    commune or an agency.

    A former province or district covers its pre-reform communes and the current communes
    they went into; a current commune also covers the pre-reform communes it absorbed, so
    figures over a period spanning 1 July 2025 count both. `visible` (an assignment queryset
    scoped by the access rules) narrows further for a user's page.
    """
    qs = Assignment.objects.adopted()
    if province is not None:
        qs = qs.filter(decision__province=province)
    if visible is not None:
        qs = qs.filter(pk__in=visible.values("pk"))
    if former_province is not None:
        qs = qs.filter(
            Q(commune__province=former_province)
            | Q(commune__predecessors__province=former_province)
        )
    if district is not None:
        qs = qs.filter(Q(commune__district=district) | Q(commune__predecessors__district=district))
    if commune is not None:
        qs = qs.filter(Q(commune=commune) | Q(commune__successors=commune))
    if agency is not None:
        qs = qs.filter(agency=agency)
    return Assignment.objects.filter(pk__in=qs.values("pk"))


@dataclass
class Scope:
    """The assignments a page or a report covers, fetched once: their ids for the rollup
    reads, the few fields figures label rows with, and the reads already done (a page asks
    several functions for figures over the same rows; each read runs once)."""

    # pk → {agency_id, agency, commune_id, commune, valid_from, valid_to, required, since,
    #       current_commune_id, helped (the commune, or a working group's village in it)}
    rows: dict
    queryset: QuerySet | None = field(default=None, repr=False)  # the same assignments
    done: dict = field(default_factory=dict, repr=False)

    @property
    def ids(self) -> list[int]:
        return list(self.rows)

    def back_entered(self, period_end: datetime.date, pk: int | None = None) -> bool:
        """Was a period ending on `period_end` over before the province started using giupxa
        (its records entered afterwards: not judged late nor short of days on site)? For one
        assignment (`pk`) or, without it, for every assignment of the scope."""
        rows = [self.rows[pk]] if pk is not None else self.rows.values()
        dates = [r["since"] for r in rows]
        return bool(dates) and all(since and period_end < since for since in dates)

    def read(
        self,
        name: str,
        start: datetime.date,
        end: datetime.date,
        *by: str,
        statuses: tuple[str, ...] = rollup.OFFICIAL,
    ) -> list[dict]:
        """`rollup.read` over these assignments, once per question (records of `statuses`:
        the confirmed ones unless told otherwise)."""
        key = (name, start, end, by, tuple(sorted(statuses)))
        if key not in self.done:
            self.done[key] = rollup.read(name, self.ids, start, end, by=by, statuses=statuses)
        return self.done[key]


def scope_of(assignments: "QuerySet[Assignment] | Scope") -> Scope:
    if isinstance(assignments, Scope):
        return assignments
    fields = {
        "agency_id": "agency_id",
        "agency": "agency__name",
        "commune_id": "commune_id",
        "commune": "commune__name",
        "valid_from": "valid_from",
        "valid_to": "valid_to",
        "required": "decision__required_days_per_quarter",
        "since": "since",
        "current_commune_id": "current_commune",
        "helped": "helped",
    }
    # The day the province started using giupxa (a pre-reform province: its successor's):
    # periods ending before it were entered afterwards ("nhập bù").
    since = Coalesce(
        "decision__province__giupxa_since", "decision__province__successor__giupxa_since"
    )
    # The commune under its current name: a pre-reform commune counts as the one it went into
    # (the main part of a split), so a period spanning 1 July 2025 counts each commune once.
    successor = CommuneSuccession.objects.filter(
        predecessor=OuterRef("commune"), is_primary=True
    ).values("successor")[:1]
    current = Coalesce(Subquery(successor), "commune_id", output_field=IntegerField())
    rows = (
        assignments.annotate(since=since, current_commune=current, helped=helped_label())
        .order_by("agency__name", "commune__name", "pk")
        .values_list("pk", *fields.values())
    )
    return Scope(
        {pk: dict(zip(fields, values, strict=True)) for pk, *values in rows}, queryset=assignments
    )


def helped_label():
    """The unit an assignment helps, in SQL: the commune's name, or for a working group
    helping a village "Tổ dân phố Phú Cường, Xã Nam Giang" (the village is the unit)."""
    kinds = [When(village__kind=k, then=Value(f"{label} ")) for k, label in Village.Kind.choices]
    kind = Case(*kinds, default=Value(""))
    return Case(
        When(village__isnull=True, then=F("commune__name")),
        default=Concat(kind, "village__name", Value(", "), "commune__name"),
        output_field=CharField(),
    )


def sum_of(rows: list[dict], field: str) -> int:
    return sum(r[field] for r in rows)


def totals(
    assignments: QuerySet[Assignment] | Scope,
    start: datetime.date,
    end: datetime.date,
    statuses: tuple[str, ...] = rollup.OFFICIAL,
) -> Totals:
    """The headline of a scope over [start, end]: value, cash, activities, and the communes
    and agencies with at least one activity, counting the records of `statuses` (what the
    communes confirmed, unless told otherwise). The home page, the dashboards, the report
    and an issued report's "changed since" all take it from here (one rollup read, cached on
    the scope, so `compute` asking again costs nothing)."""
    scope = scope_of(assignments)
    rows = scope.read("assignment", start, end, "assignment", statuses=statuses)
    active = [scope.rows[r["assignment"]] for r in rows if r["activities"]]
    # Communes as they were for a period before the reform; a period reaching past 1 July
    # 2025 counts each under the commune it went into, once.
    commune = "commune_id" if end < REFORM_DATE else "current_commune_id"
    return Totals(
        total_value=sum_of(rows, "total"),
        cash_value=sum_of(rows, "cash"),
        activities=sum_of(rows, "activities"),
        communes=len({a[commune] for a in active}),
        agencies=len({a["agency_id"] for a in active}),
    )
