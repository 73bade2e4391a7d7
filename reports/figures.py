"""The report's figures: SQL aggregates over the rows of a scope and a period.

`compute` returns a `ReportFigures`, a plain dataclass the PDF, the workbook and the
snapshot of an issued report are built from: no query happens after it. Every sum is done by
the database; Python only arranges the (bounded) grouped rows.
"""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from assignments.models import Assignment, Decision
from communes.models import Commune, CommuneIndicator, CommuneSuccession
from contributions import rollup
from contributions.models import Activity, Category, Contribution, Item, ReviewStatus
from core.periods import quarter_bounds, quarter_of, quarters_between, year_before

ON_TIME_DAYS = 15  # records submitted within 15 days after the period count as on time


@dataclass(frozen=True)
class Totals:
    total_value: int
    cash_value: int
    activities: int
    communes: int
    agencies: int

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class ReportFigures:
    scope_label: str
    period_start: datetime.date
    period_end: datetime.date
    decisions: list = field(default_factory=list)
    total_value: int = 0
    cash_value: int = 0
    lasting_value: int = 0
    activities: int = 0
    lasting_activities: int = 0
    beneficiaries: int = 0
    communes: int = 0
    agencies: int = 0
    previous_total: int = 0
    previous_cash: int = 0
    in_kind: list = field(default_factory=list)  # {item, unit, quantity, value}
    by_category: list = field(default_factory=list)  # {name, activities, value}
    by_agency: list = field(default_factory=list)  # {name, activities, value}
    by_quarter: list = field(default_factory=list)  # {label, value}
    notable: list = field(default_factory=list)
    days_quarters: list = field(default_factory=list)  # ["Quý 1/2025", ...]
    days: list = field(default_factory=list)  # {agency, commune, required, values: [int|None]}
    agencies_below: list = field(default_factory=list)
    completeness: list = field(default_factory=list)  # {agency, state, first}
    indicators: list = field(default_factory=list)
    annex: list = field(default_factory=list)  # {agency, commune, predecessors, cash, items, total}
    annex_items: list = field(default_factory=list)  # [(name, unit)]
    by_commune: list = field(default_factory=list)  # {commune, predecessors, cash, total}
    by_source: list = field(default_factory=list)  # {source, value}
    waiting: int = 0
    needs: list = field(
        default_factory=list
    )  # {commune, raised, met, partly, open, cost, delivered}
    needs_by_agency: list = field(default_factory=list)  # {agency, raised, answered, met}
    # Household follow-ups: {name, recorded_6, kept_6, recorded_12, kept_12}
    kept_by_agency: list = field(default_factory=list)
    kept_by_commune: list = field(default_factory=list)
    kept_by_kind: list = field(default_factory=list)
    kept_total: dict = field(default_factory=dict)
    # Annual plans against results: {agency, plans, items, achieved, planned_activities,
    # done_activities, planned_value, done_value}
    plans_by_agency: list = field(default_factory=list)

    @property
    def change(self) -> Decimal | None:
        if not self.previous_total:
            return None
        return (Decimal(self.total_value) - self.previous_total) * 100 / self.previous_total

    @property
    def lasting_share(self) -> Decimal | None:
        return Decimal(self.lasting_value) * 100 / self.total_value if self.total_value else None

    def as_json(self) -> dict:
        data = asdict(self)
        data["period_start"] = self.period_start.isoformat()
        data["period_end"] = self.period_end.isoformat()
        return _jsonable(data)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def scope_assignments(
    *, province, district=None, commune=None, agency=None, visible=None
) -> QuerySet[Assignment]:
    """Assignments of a province, narrowed to a district, a commune or an agency.

    A district or a current commune also covers the pre-reform communes it absorbed, so
    figures over a period spanning 1 July 2025 count both. `visible` (an assignment queryset
    scoped by the access rules) narrows further for a user's page.
    """
    qs = Assignment.objects.adopted()
    if province is not None:
        qs = qs.filter(decision__province=province)
    if visible is not None:
        qs = qs.filter(pk__in=visible.values("pk"))
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

    rows: dict  # pk → {agency_id, agency, commune_id, commune, valid_from, valid_to, required}
    queryset: QuerySet | None = field(default=None, repr=False)  # the same assignments
    done: dict = field(default_factory=dict, repr=False)

    @property
    def ids(self) -> list[int]:
        return list(self.rows)

    def read(self, name: str, start: datetime.date, end: datetime.date, *by: str) -> list[dict]:
        key = (name, start, end, by)
        if key not in self.done:
            self.done[key] = rollup.read(name, self.ids, start, end, by=by)
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
    }
    rows = assignments.order_by("agency__name", "commune__name", "pk").values_list(
        "pk", *fields.values()
    )
    return Scope(
        {pk: dict(zip(fields, values, strict=True)) for pk, *values in rows}, queryset=assignments
    )


def _sum(rows: list[dict], field: str) -> int:
    return sum(r[field] for r in rows)


def totals(
    assignments: QuerySet[Assignment] | Scope, start: datetime.date, end: datetime.date
) -> Totals:
    scope = scope_of(assignments)
    rows = scope.read("assignment", start, end, "assignment")
    active = [scope.rows[r["assignment"]] for r in rows if r["activities"]]
    return Totals(
        total_value=_sum(rows, "total"),
        cash_value=_sum(rows, "cash"),
        activities=_sum(rows, "activities"),
        communes=len({a["commune_id"] for a in active}),
        agencies=len({a["agency_id"] for a in active}),
    )


def compute(
    assignments: QuerySet[Assignment] | Scope,
    start: datetime.date,
    end: datetime.date,
    *,
    scope_label: str = "",
    today: datetime.date | None = None,
    detail: bool = True,
) -> ReportFigures:
    """Every figure of the report for these assignments over [start, end].

    Sums come from the monthly rollups (`contributions.rollup`), grouped in SQL; Python only
    labels and orders the bounded grouped rows. `detail=False` (the province overview page)
    leaves out the annex's item columns and the follow-through (needs, follow-ups, plans)."""
    today = today or datetime.date.today()
    figures = ReportFigures(scope_label=scope_label, period_start=start, period_end=end)
    scope = scope_of(assignments)
    ids = scope.ids

    def read(name, *by):
        return scope.read(name, start, end, *by)

    per_assignment = read("assignment", "assignment")
    figures.total_value, figures.cash_value = (
        _sum(per_assignment, "total"),
        _sum(per_assignment, "cash"),
    )
    figures.lasting_value = _sum(per_assignment, "lasting_total")
    figures.activities = _sum(per_assignment, "activities")
    figures.lasting_activities = _sum(per_assignment, "lasting_activities")
    figures.beneficiaries = _sum(per_assignment, "beneficiaries")
    figures.waiting = _sum(per_assignment, "waiting")
    active = [scope.rows[r["assignment"]] for r in per_assignment if r["activities"]]
    figures.communes = len({a["commune_id"] for a in active})
    figures.agencies = len({a["agency_id"] for a in active})
    sources = dict(Contribution.Source.choices)
    figures.by_source = [
        {"source": sources.get(r["source"], r["source"]), "value": r["total"]}
        for r in sorted(read("source", "source"), key=lambda r: -r["total"])
    ]

    previous = totals(scope, *year_before(start, end))
    figures.previous_total, figures.previous_cash = previous.total_value, previous.cash_value

    figures.decisions = [
        {
            "number": d.number,
            "signed_on": d.signed_on,
            "issuer": d.issuer,
            "title": d.title,
            "assignments": d.n,
            "agencies": d.agencies,
            "communes": d.communes,
        }
        for d in Decision.objects.filter(
            assignments__pk__any=ids, phase_start__lte=end, phase_end__gte=start
        )
        .annotate(
            n=Count("assignments", distinct=True),
            agencies=Count("assignments__agency", distinct=True),
            communes=Count("assignments__commune", distinct=True),
        )
        .order_by("phase_start")
    ]

    items = {pk: (name, unit) for pk, name, unit in Item.objects.values_list("pk", "name", "unit")}
    # In-kind items per assignment feed the annex's item columns; a page without the annex
    # (detail=False) reads the province's dozen item totals instead of thousands of rows.
    item_rows = read("item", "assignment", "item") if detail else read("item", "item")
    in_kind = {}
    for r in item_rows:
        row = in_kind.setdefault(
            r["item"], {"item": items[r["item"]][0], "unit": items[r["item"]][1], "quantity": 0,
                        "value": 0}
        )  # fmt: skip
        row["quantity"] += r["amount"]
        row["value"] += r["total"]
    figures.in_kind = sorted(in_kind.values(), key=lambda r: -r["value"])
    categories = {r["category"]: r for r in read("category", "category")}
    figures.by_category = [
        {"name": c.name, "activities": categories[c.pk]["activities"],
         "value": categories[c.pk]["total"]}
        for c in Category.objects.filter(pk__in=categories).order_by("order", "name")
    ]  # fmt: skip
    agencies = {}
    for r in per_assignment:
        name = scope.rows[r["assignment"]]["agency"]
        row = agencies.setdefault(name, {"name": name, "activities": 0, "value": 0})
        row["activities"] += r["activities"]
        row["value"] += r["total"]
    figures.by_agency = sorted(
        (r for r in agencies.values() if r["activities"]), key=lambda r: -r["value"]
    )
    quarters = {}
    for r in read("assignment", "month"):
        key = (r["month"].year, quarter_of(r["month"]))
        quarters[key] = quarters.get(key, 0) + r["total"]
    figures.by_quarter = [
        {"label": f"Quý {q}/{y}", "value": v} for (y, q), v in sorted(quarters.items())
    ]
    figures.notable = [
        {
            "title": a.title,
            "agency": a.assignment.agency.name,
            "commune": a.assignment.commune.name,
            "date": a.start_date,
            "value": a.value,
        }
        for a in Activity.objects.filter(assignment_id__any=ids, is_notable=True)
        .between(start, end)
        .select_related("assignment__agency", "assignment__commune")
        .annotate(value=Coalesce(Sum("contributions__value"), 0))
        .order_by("-value")[:15]
    ]
    _days_on_site(figures, scope, read("assignment", "assignment", "month"), start, end, today)
    _completeness(figures, scope, per_assignment, start, end)
    _indicators(figures, scope, end)
    _annex(figures, scope, per_assignment, item_rows if detail else [], items)
    if detail:  # needs, follow-ups, plans: the report, downloads, commune and agency pages
        _needs(figures, scope, start, end)
        _kept(figures, scope, end)
        _plans(figures, scope, start, end)
    return figures


def _days_on_site(figures, scope: Scope, visits: list[dict], start, end, today):
    """Days per assignment per quarter of the period against the decision's requirement."""
    quarters = quarters_between(start, min(end, today))
    days = {}
    for r in visits:
        key = (r["assignment"], r["month"].year, quarter_of(r["month"]))
        days[key] = days.get(key, 0) + r["days"]
    figures.days_quarters = [f"Quý {q}/{y}" for y, q in quarters]
    below = {}
    for pk, a in scope.rows.items():
        values = []
        for year, quarter in quarters:
            q_start, q_end = quarter_bounds(year, quarter)
            if a["valid_from"] > q_end or a["valid_to"] < q_start or q_end > today:
                values.append(None)  # not assigned that quarter, or the quarter is not over
                continue
            got = days.get((pk, year, quarter), 0)
            values.append(got)
            if got < a["required"]:
                below[a["agency"]] = below.get(a["agency"], 0) + 1
        if any(v is not None for v in values):
            figures.days.append(
                {"agency": a["agency"], "commune": a["commune"], "required": a["required"],
                 "values": values}
            )  # fmt: skip
    figures.agencies_below = [{"agency": k, "quarters": v} for k, v in sorted(below.items())]


def _completeness(figures, scope: Scope, per_assignment: list[dict], start, end):
    """Per agency: submitted on time, late, or nothing for the period."""
    deadline = end + datetime.timedelta(days=ON_TIME_DAYS)
    first = {}  # agency → its earliest submission (None: submitted, time unknown)
    for r in per_assignment:
        if r["reported"]:
            name, at = scope.rows[r["assignment"]]["agency"], r["first_reported_at"]
            known = first.get(name)
            first[name] = at if known is None else known if at is None else min(known, at)
    agencies = sorted(
        {
            a["agency"]
            for a in scope.rows.values()
            if a["valid_from"] <= end and a["valid_to"] >= start
        }
    )
    for name in agencies:
        if name not in first:
            state = "missing"
        elif first[name] is None or first[name].date() <= deadline:
            state = "on_time"
        else:
            state = "late"
        figures.completeness.append({"agency": name, "state": state})


def _indicators(figures, scope: Scope, end):
    """Each commune's outcome indicators: the first year on record and the latest."""
    communes = {a["commune_id"] for a in scope.rows.values()}
    series = {}
    for row in (
        CommuneIndicator.objects.filter(commune__in=communes, year__lte=end.year)
        .order_by("commune__name", "year")
        .values("commune", "commune__name", "year", "poor_household_rate", "ntm_criteria_met",
                "ntm_criteria_total", "ntm_reached")
    ):  # fmt: skip
        series.setdefault(row["commune"], []).append(row)
    for rows in series.values():
        first, last = rows[0], rows[-1]
        figures.indicators.append(
            {
                "commune": first["commune__name"],
                "start_year": first["year"],
                "start_rate": first["poor_household_rate"],
                "year": last["year"],
                "rate": last["poor_household_rate"],
                "criteria": last["ntm_criteria_met"],
                "criteria_total": last["ntm_criteria_total"],
                "ntm": last["ntm_reached"],
            }
        )


def _needs(figures, scope: Scope, start, end):
    """Needs the communes raised in the period: per commune (grouped in SQL) and per agency
    (the communes it helps; the needs it answered)."""
    from followup.models import CommuneNeed, NeedResponse

    communes = {a["commune_id"] for a in scope.rows.values()}
    successor = dict(
        CommuneSuccession.objects.filter(predecessor__in=communes).values_list(
            "predecessor", "successor"
        )
    )
    needs = CommuneNeed.objects.filter(
        commune__in=communes | set(successor.values()), raised_at__date__range=(start, end)
    )
    rows = {
        r["commune"]: {
            "commune": r["commune__name"], "raised": r["raised"], "met": r["met"],
            "partly": r["partly"], "open": r["raised"] - r["met"] - r["partly"],
            "cost": r["cost"] or 0, "delivered": r["delivered_total"] or 0,
        }
        for r in needs.by_commune()
    }  # fmt: skip
    figures.needs = sorted(rows.values(), key=lambda r: r["commune"])
    answered = dict(
        NeedResponse.objects.filter(need__in=needs)
        .values_list("agency__name")
        .annotate(n=Count("need", distinct=True))
        .order_by()
    )
    agencies = {}
    for a in scope.rows.values():
        helps = agencies.setdefault(a["agency"], set())
        helps.add(successor.get(a["commune_id"], a["commune_id"]))
    for name, helps in sorted(agencies.items()):
        raised = sum(rows[c]["raised"] for c in helps if c in rows)
        if raised:
            figures.needs_by_agency.append(
                {"agency": name, "raised": raised, "answered": answered.get(name, 0),
                 "unanswered": max(raised - answered.get(name, 0), 0),
                 "met": sum(rows[c]["met"] for c in helps if c in rows)}
            )  # fmt: skip


def _plans(figures, scope: Scope, start, end):
    """Plan against result per agency, over the plans of the period's years."""
    from followup import plans
    from followup.models import AnnualPlan

    rows = list(
        AnnualPlan.objects.filter(assignment_id__any=scope.ids, year__range=(start.year, end.year))
        .prefetch_related("items")
        .order_by("pk")
    )
    agencies = {}
    for result in plans.progress(rows).values():
        name = scope.rows[result.plan.assignment_id]["agency"]
        row = agencies.setdefault(
            name, {"agency": name, "plans": 0, "items": 0, "achieved": 0, "planned_activities": 0,
                   "done_activities": 0, "planned_value": 0, "done_value": 0},
        )  # fmt: skip
        row["plans"] += 1
        row["items"] += len(result.items)
        row["achieved"] += result.achieved
        for key in ("planned_activities", "done_activities", "planned_value", "done_value"):
            row[key] += getattr(result, key)
    figures.plans_by_agency = sorted(agencies.values(), key=lambda r: r["agency"])


def _kept(figures, scope: Scope, end):
    """The share of household support still kept at the 6- and 12-month follow-ups recorded
    by the end of the period: per agency, per commune and per kind of support (SQL counts)."""
    from followup.models import FollowUpCheck, HouseholdSupport

    checks = FollowUpCheck.objects.filter(
        support__activity__assignment_id__any=scope.ids, checked_on__lte=end
    )

    def rows(path: str, label=lambda value: value) -> list[dict]:
        out = {}
        for r in checks.kept_shares(path):
            row = out.setdefault(
                r[path], {"name": label(r[path]), "recorded_6": 0, "kept_6": 0,
                          "recorded_12": 0, "kept_12": 0}
            )  # fmt: skip
            row[f"recorded_{r['months']}"] += r["recorded"]
            row[f"kept_{r['months']}"] += r["kept"]
        return sorted(out.values(), key=lambda r: r["name"])

    figures.kept_by_agency = rows("support__activity__assignment__agency__name")
    figures.kept_by_commune = rows("support__activity__assignment__commune__name")
    kinds = dict(HouseholdSupport.Kind.choices)
    figures.kept_by_kind = rows("support__kind", lambda k: kinds.get(k, k))
    figures.kept_total = {
        key: sum(r[key] for r in figures.kept_by_kind)
        for key in ("recorded_6", "kept_6", "recorded_12", "kept_12")
    }


def _annex(figures, scope: Scope, per_assignment, item_rows, items):
    """Results by agency × commune, communes under their current names; the pre-reform
    communes whose figures are counted in are listed beneath."""
    commune_ids = {a["commune_id"] for a in scope.rows.values()}
    successor = dict(
        CommuneSuccession.objects.filter(predecessor__in=commune_ids, is_primary=True).values_list(
            "predecessor", "successor__name"
        )
    )
    names = sorted({items[r["item"]] for r in item_rows})
    figures.annex_items = [list(i) for i in names]
    column = {item: i for i, item in enumerate(names)}
    table = {}

    def entry(assignment_pk):
        a = scope.rows[assignment_pk]
        current = successor.get(a["commune_id"], a["commune"])
        row = table.setdefault(
            (a["agency"], current),
            {"agency": a["agency"], "commune": current, "predecessors": set(), "cash": 0,
             "items": [Decimal(0)] * len(names), "total": 0},
        )  # fmt: skip
        if current != a["commune"]:
            row["predecessors"].add(a["commune"])
        return row

    for r in per_assignment:
        if r["total"]:
            row = entry(r["assignment"])
            row["total"] += r["total"]
            row["cash"] += r["cash"]
    for r in item_rows:
        entry(r["assignment"])["items"][column[items[r["item"]]]] += r["amount"]
    figures.annex = [
        {**e, "predecessors": sorted(e["predecessors"])} for _, e in sorted(table.items())
    ]
    communes = {}
    for e in figures.annex:
        row = communes.setdefault(
            e["commune"], {"commune": e["commune"], "predecessors": set(), "cash": 0, "total": 0}
        )
        row["predecessors"].update(e["predecessors"])
        row["cash"] += e["cash"]
        row["total"] += e["total"]
    figures.by_commune = sorted(
        ({**r, "predecessors": sorted(r["predecessors"])} for r in communes.values()),
        key=lambda r: -r["total"],
    )


def activity_rows(assignments: QuerySet[Assignment], start: datetime.date, end: datetime.date):
    """The activity list of the workbook, as tuples, fetched in chunks."""
    labels = dict(ReviewStatus.choices)
    rows = (
        Activity.objects.filter(assignment__in=assignments)
        .between(start, end)
        .annotate(
            cash=Coalesce(Sum("contributions__value", filter=Q(contributions__kind="cash")), 0),
            total=Coalesce(Sum("contributions__value"), 0),
        )
        .order_by("start_date", "pk")
        .values_list(
            "start_date",
            "assignment__commune__name",
            "assignment__agency__name",
            "category__name",
            "title",
            "is_lasting",
            "is_notable",
            "status",
            "cash",
            "total",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        yield (*row[:7], labels.get(row[7], row[7]), *row[8:])


def quarter_days(
    assignments: QuerySet[Assignment] | Scope, start: datetime.date, end: datetime.date
) -> list[dict]:
    """Days on site per assignment in force in one quarter against its requirement."""
    scope = scope_of(assignments)
    days = {r["assignment"]: r["days"] for r in scope.read("assignment", start, end, "assignment")}
    return sorted(
        (
            {"agency": a["agency"], "commune_id": a["commune_id"], "days": days.get(pk, 0),
             "required": a["required"], "below": days.get(pk, 0) < a["required"]}
            for pk, a in scope.rows.items()
            if a["valid_from"] <= end and a["valid_to"] >= start
        ),
        key=lambda r: r["agency"],
    )  # fmt: skip


def yearly_support(scope: Scope, first_year: int, last_year: int) -> dict[tuple[int, int], int]:
    """Value received per (commune, year), to set beside the commune's outcome indicators."""
    out = {}
    rows = scope.read(
        "assignment",
        datetime.date(first_year, 1, 1),
        datetime.date(last_year, 12, 31),
        "assignment",
        "month",
    )
    for r in rows:
        key = (scope.rows[r["assignment"]]["commune_id"], r["month"].year)
        out[key] = out.get(key, 0) + r["total"]
    return out


def _last_and_waiting(ids):
    """Per assignment: its latest activity date and its records awaiting confirmation, ever.
    Index probes, not a scan: one (assignment, start_date) lookup per assignment, and the
    submitted records through the (status, start_date) index."""
    waiting = dict(
        Activity.objects.filter(assignment_id__any=ids, status=ReviewStatus.SUBMITTED)
        .values_list("assignment")
        .annotate(n=Count("*"))  # COUNT(*): an index-only scan of the partial index
        .order_by()
    )
    latest = Activity.objects.filter(assignment=OuterRef("pk")).order_by("-start_date")
    for pk, last in (
        Assignment.objects.filter(pk__any=ids)
        .annotate(last=Subquery(latest.values("start_date")[:1]))
        .values_list("pk", "last")
    ):
        yield pk, last, waiting.get(pk, 0)


def commune_review(
    assignments: QuerySet[Assignment] | Scope,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
) -> list[dict]:
    """One row per commune under its current name: value, cash and lasting shares, last
    activity, agencies below the days-on-site requirement this quarter, records awaiting
    confirmation. Grouped sums come from the rollups; old communes merge into their successor."""
    scope = scope_of(assignments)
    money = {}
    for r in scope.read("assignment", start, end, "assignment"):
        m = money.setdefault(scope.rows[r["assignment"]]["commune_id"], [0, 0, 0])
        m[0], m[1], m[2] = m[0] + r["total"], m[1] + r["cash"], m[2] + r["lasting_total"]
    activity = {}  # commune → (last activity date, records awaiting confirmation), all time
    for pk, last, waiting in _last_and_waiting(scope.ids):
        commune = scope.rows[pk]["commune_id"]
        known_last, known_waiting = activity.get(commune, (None, 0))
        if known_last and (last is None or known_last > last):
            last = known_last
        activity[commune] = (last, known_waiting + waiting)
    below = {}
    for r in quarter_days(scope, *quarter_bounds(today.year, quarter_of(today))):
        if r["below"]:
            below.setdefault(r["commune_id"], []).append(r["agency"])
    communes = {a["commune_id"]: a["commune"] for a in scope.rows.values()}
    successor = dict(
        CommuneSuccession.objects.filter(predecessor__in=communes, is_primary=True).values_list(
            "predecessor", "successor"
        )
    )
    names = communes | dict(
        Commune.objects.filter(pk__in=set(successor.values()) - set(communes)).values_list(
            "pk", "name"
        )
    )
    rows = {}
    for commune_id in sorted(communes, key=lambda pk: communes[pk]):
        target = successor.get(commune_id, commune_id)
        row = rows.setdefault(
            target,
            {"pk": target, "commune": names[target], "predecessors": [], "total": 0, "cash": 0,
             "lasting": 0, "last": None, "waiting": 0, "below": []},
        )  # fmt: skip
        if target != commune_id:
            row["predecessors"].append(names[commune_id])
        total, cash, lasting = money.get(commune_id, (0, 0, 0))
        row["total"] += total
        row["cash"] += cash
        row["lasting"] += lasting
        last, waiting = activity.get(commune_id, (None, 0))
        if last and (row["last"] is None or last > row["last"]):
            row["last"] = last
        row["waiting"] += waiting
        row["below"] += below.get(commune_id, [])
    stale = today - datetime.timedelta(days=90)
    for row in rows.values():
        row["idle"] = row["last"] is None or row["last"] < stale
        row["cash_share"] = Decimal(row["cash"]) * 100 / row["total"] if row["total"] else None
        row["lasting_share"] = (
            Decimal(row["lasting"]) * 100 / row["total"] if row["total"] else None
        )
    return list(rows.values())


def reporting_by_quarter(
    assignments: QuerySet[Assignment] | Scope, start: datetime.date, end: datetime.date, today
) -> list[dict]:
    """Per quarter of the period: records submitted on time (within 15 days of the quarter's
    end), late, or none."""
    rows = {}
    for r in scope_of(assignments).read("assignment", start, end, "month"):
        if r["reported"]:
            n, last = rows.get((r["month"].year, quarter_of(r["month"])), (0, None))
            at = r["last_reported_at"]
            last = at if last is None else last if at is None else max(last, at)
            rows[(r["month"].year, quarter_of(r["month"]))] = (n + r["reported"], last)
    out = []
    for year, quarter in quarters_between(start, min(end, today)):
        q_end = quarter_bounds(year, quarter)[1]
        n, last = rows.get((year, quarter), (0, None))
        deadline = q_end + datetime.timedelta(days=ON_TIME_DAYS)
        if not n:
            state = "missing" if today > deadline else "open"
        elif last is None or last.date() <= deadline:
            state = "on_time"
        else:
            state = "late"
        out.append({"label": f"Quý {quarter}/{year}", "records": n, "state": state})
    return out
