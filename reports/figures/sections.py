"""The report's sections: every figure of a scope over a period, as SQL aggregates.

`compute` returns a `ReportFigures`. Sums come from the monthly rollups, grouped in SQL;
Python only labels and orders the bounded grouped rows.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from assignments.models import Assignment, Decision
from communes.models import CommuneIndicator, CommuneSuccession
from contributions import rollup
from contributions.models import Activity, Category, Contribution, Item, ReviewStatus
from core.periods import quarter_bounds, quarter_of, quarters_between, year_before

from .data import ReportFigures
from .followthrough import kept_section, needs_section, plans_section
from .scope import Scope, scope_of, sum_of, totals

ON_TIME_DAYS = 15  # records submitted within 15 days after the period count as on time


def compute(
    assignments: QuerySet[Assignment] | Scope,
    start: datetime.date,
    end: datetime.date,
    *,
    scope_label: str = "",
    today: datetime.date | None = None,
    detail: bool = True,
    include_awaiting: bool = False,
) -> ReportFigures:
    """Every figure of the report for these assignments over [start, end].

    The figures count what the communes confirmed; with `include_awaiting` (the secretariat's
    choice when starting a report) also what awaits their confirmation. Either way the
    records awaiting confirmation are totalled apart, to be stated beside; drafts and returned
    records count nowhere. Sums come from the monthly rollups (`contributions.rollup`),
    grouped in SQL; Python only labels and orders the bounded grouped rows. `detail=False`
    (the province overview page) leaves out the annex's item columns and the follow-through
    (needs, follow-ups, plans)."""
    today = today or datetime.date.today()
    statuses = rollup.counted(include_awaiting)
    figures = ReportFigures(
        scope_label=scope_label,
        period_start=start,
        period_end=end,
        basis="confirmed_and_awaiting" if include_awaiting else "confirmed",
        as_of=today,
    )
    scope = scope_of(assignments)
    ids = scope.ids

    def read(name, *by):
        return scope.read(name, start, end, *by, statuses=statuses)

    per_assignment = read("assignment", "assignment")
    headline = totals(scope, start, end, statuses)
    figures.total_value, figures.cash_value = headline.total_value, headline.cash_value
    figures.activities = headline.activities
    figures.communes, figures.agencies = headline.communes, headline.agencies
    figures.lasting_value = sum_of(per_assignment, "lasting_total")
    figures.lasting_activities = sum_of(per_assignment, "lasting_activities")
    figures.beneficiaries = sum_of(per_assignment, "beneficiaries")
    awaiting = totals(scope, start, end, rollup.AWAITING)
    figures.awaiting_activities, figures.awaiting_value = awaiting.activities, awaiting.total_value
    sources = dict(Contribution.Source.choices)
    figures.by_source = [
        {"source": sources.get(r["source"], r["source"]), "value": r["total"]}
        for r in sorted(read("source", "source"), key=lambda r: -r["total"])
    ]

    # "So với cùng kỳ" sets the same days side by side: a period not yet over is compared up
    # to today with the same days of the year before, not with that whole period.
    cut = figures.compared_end = min(end, today)
    if cut < start:
        figures.compared_end = None
    elif cut == end:
        figures.compared_total = figures.total_value
        previous = totals(scope, *year_before(start, end), statuses)
        figures.previous_total, figures.previous_cash = previous.total_value, previous.cash_value
    else:
        # Each side as its whole period less the days after the cut: the rollup answers the
        # whole periods, and the raw rows are read only for the days after the cut (usually
        # none this year), not for the weeks before it in the cut's month.
        later = totals(scope, cut + datetime.timedelta(days=1), end, statuses)
        figures.compared_total = figures.total_value - later.total_value
        before_start, before_end = year_before(start, end)
        before_cut = year_before(start, cut)[1]
        whole = totals(scope, before_start, before_end, statuses)
        after = totals(scope, before_cut + datetime.timedelta(days=1), before_end, statuses)
        figures.previous_total = whole.total_value - after.total_value
        figures.previous_cash = whole.cash_value - after.cash_value

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
        for a in Activity.objects.filter(
            assignment_id__any=ids, is_notable=True, status__in=statuses
        )
        .between(start, end)
        .select_related("assignment__agency", "assignment__commune")
        .annotate(value=Coalesce(Sum("contributions__value"), 0))
        .order_by("-value")[:15]
    ]
    _days_on_site(figures, scope, read("visit", "assignment", "month"), start, end, today)
    reported = scope.read("assignment", start, end, "assignment", statuses=rollup.REPORTED)
    _completeness(figures, scope, reported, start, end)
    _indicators(figures, scope, end)
    _annex(figures, scope, per_assignment, item_rows if detail else [], items)
    if detail:  # needs, follow-ups, plans: the report, downloads, commune and agency pages
        needs_section(figures, scope, start, end)
        kept_section(figures, scope, end)
        plans_section(figures, scope, start, end)
    return figures


def _days_on_site(figures, scope: Scope, visits: list[dict], start, end, today):
    """Days per assignment per quarter of the period against the decision's requirement."""
    quarters = quarters_between(start, min(end, today))
    days = {}
    for r in visits:
        key = (r["assignment"], r["month"].year, quarter_of(r["month"]))
        days[key] = days.get(key, 0) + r["days"]
    figures.days_quarters = [f"Quý {q}/{y}" for y, q in quarters]
    figures.days_back_entered = [
        scope.back_entered(quarter_bounds(y, q)[1]) for y, q in quarters
    ]  # fmt: skip
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
            if got < a["required"] and not scope.back_entered(q_end, pk):
                below[a["agency"]] = below.get(a["agency"], 0) + 1
        if any(v is not None for v in values):
            figures.days.append(
                {"agency": a["agency"], "commune": a["helped"], "required": a["required"],
                 "values": values}
            )  # fmt: skip
    figures.agencies_below = [{"agency": k, "quarters": v} for k, v in sorted(below.items())]


def _completeness(figures, scope: Scope, per_assignment: list[dict], start, end):
    """Per agency: submitted on time, late, or nothing for the period; "back_entered" when
    the period was over before the province started using giupxa (its records entered
    afterwards are not late)."""
    deadline = end + datetime.timedelta(days=ON_TIME_DAYS)
    back_entered = scope.back_entered(end)
    first = {}  # agency → its earliest submission (None: submitted, time unknown)
    for r in per_assignment:  # submitted or confirmed records, per assignment
        if r["activities"]:
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
            state = "back_entered" if back_entered else "late"
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
        if a["helped"] != a["commune"]:
            current = a["helped"]  # a working group's village: the unit helped
        row = table.setdefault(
            (a["agency"], current),
            {"agency": a["agency"], "commune": current, "predecessors": set(), "cash": 0,
             "items": [Decimal(0)] * len(names), "total": 0},
        )  # fmt: skip
        if current not in (a["commune"], a["helped"]):
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


def activity_rows(
    assignments: QuerySet[Assignment],
    start: datetime.date,
    end: datetime.date,
    statuses: tuple[str, ...] = rollup.OFFICIAL,
):
    """The activity list of the workbook (the records the figures count), as tuples, fetched
    in chunks."""
    labels = dict(ReviewStatus.choices)
    rows = (
        Activity.objects.filter(assignment__in=assignments, status__in=statuses)
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
