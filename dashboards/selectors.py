"""The reads behind the dashboards. Every sum comes from the monthly rollups through
`reports.figures` (the scope, its cached reads and `totals`), the same path as the report."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from assignments.models import Assignment, Decision
from assignments.scoping import user_province
from communes.models import Commune, CommuneSuccession
from contributions.models import Activity, ReviewStatus
from contributions.rollup import REPORTED
from core.periods import Span, quarter_bounds, quarter_of, quarters_between, year_bounds
from followup.models import Task
from reports.figures import ON_TIME_DAYS, Scope, scope_of, totals


def visible_assignments(user) -> QuerySet[Assignment]:
    """What every dashboard starts from: the assignments of adopted decisions `user` may see."""
    return Assignment.objects.visible_to(user).adopted()


def phase_of(assignments: QuerySet[Assignment]) -> Span:
    """The span of the decisions' phases these assignments belong to ("Cả giai đoạn")."""
    dates = assignments.order_by().values_list("decision__phase_start", "decision__phase_end")
    starts, ends = zip(*dates, strict=True) if dates else ((None,), (None,))
    today = timezone.localdate()
    return (min(starts) or year_bounds(today.year)[0], max(ends) or today)


# -- home ---------------------------------------------------------------------------------


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

    Queries: roles, the visible assignments (the scope), their year figures (the rollup), the
    assignments in force with related rows, the decision in force.
    """
    province = user_province(user)
    scope = scope_of(visible_assignments(user))
    year_start, year_end = year_bounds(today.year)
    year = totals(scope, year_start, year_end)
    per_assignment = {
        r["assignment"]: r for r in scope.read("assignment", year_start, year_end, "assignment")
    }
    assignments = list(
        Assignment.objects.filter(pk__any=scope.ids)
        .active_on(today)
        .with_related()
        .order_by("commune__name", "role", "agency__name")
    )
    rows: dict[int, CommuneRow] = {}
    for assignment in assignments:
        figures = per_assignment.get(assignment.pk, {})
        assignment.year_value = figures.get("total", 0)
        assignment.year_activities = figures.get("activities", 0)
        row = rows.setdefault(
            assignment.commune_id, CommuneRow(commune=assignment.commune, leads=[], supports=[])
        )
        (row.leads if assignment.role == Assignment.Role.LEAD else row.supports).append(assignment)
        row.activities += assignment.year_activities
        row.value += assignment.year_value
    decision = (
        Decision.objects.visible_to(user).in_force_on(today).order_by("-phase_start").first()
        if province
        else None
    )
    return HomeSummary(
        province=province,
        decision=decision,
        assignments=assignments,
        commune_rows=list(rows.values()),
        total_value=year.total_value,
        cash_value=year.cash_value,
        activities=year.activities,
        communes=year.communes,
        agencies=year.agencies,
        year=today.year,
    )


def open_tasks(user, where: Q, *, responsible: bool = False) -> list[Task]:
    """Open meeting tasks matching `where` that `user` may see (given to them, their agency
    or commune, when `responsible`), soonest due first, each marked overdue or not (one
    query)."""
    today = timezone.localdate()
    tasks = Task.objects.visible_to(user)
    if responsible:
        tasks = tasks.responsible(user)
    tasks = list(
        tasks.filter(where, status=Task.Status.OPEN)
        .select_related("meeting", "agency", "commune", "village", "person")
        .order_by("due_date")[:20]
    )
    for task in tasks:
        task.overdue = task.is_overdue(today)
    return tasks


# -- Xã tôi phụ trách ---------------------------------------------------------------------


def my_assignments(user, today: datetime.date) -> list[Assignment]:
    """The assignments the user logs work for, in force today, each with this quarter's and
    this year's activities and value as the communes confirmed them, this quarter's days on
    site against the requirement, and its records waiting for the agency (drafts and returned
    ones, all time)."""
    scope = scope_of(Assignment.objects.loggable_by(user).active_on(today))
    quarter = quarter_bounds(today.year, quarter_of(today))
    in_quarter = {r["assignment"]: r for r in scope.read("assignment", *quarter, "assignment")}
    days = {r["assignment"]: r["days"] for r in scope.read("visit", *quarter, "assignment")}
    year = year_bounds(today.year)
    in_year = {r["assignment"]: r for r in scope.read("assignment", *year, "assignment")}
    waiting = {
        (pk, status): n
        for pk, status, n in Activity.objects.filter(
            assignment_id__any=scope.ids, status__in=[ReviewStatus.DRAFT, ReviewStatus.RETURNED]
        )
        .values_list("assignment", "status")
        .annotate(n=Count("*"))
        .order_by()
    }
    assignments = list(
        Assignment.objects.filter(pk__any=scope.ids).with_related().order_by("commune__name")
    )
    for a in assignments:
        q, y = in_quarter.get(a.pk, {}), in_year.get(a.pk, {})
        a.quarter_value, a.quarter_activities = q.get("total", 0), q.get("activities", 0)
        a.year_value, a.year_activities = y.get("total", 0), y.get("activities", 0)
        a.quarter_days = days.get(a.pk, 0)
        a.days_missing = max(0, a.decision.required_days_per_quarter - a.quarter_days)
        a.drafts = waiting.get((a.pk, ReviewStatus.DRAFT), 0)
        a.returned = waiting.get((a.pk, ReviewStatus.RETURNED), 0)
    return assignments


# -- commune review, timeliness, days on site ----------------------------------------------


def quarter_days(
    assignments: QuerySet[Assignment] | Scope, start: datetime.date, end: datetime.date
) -> list[dict]:
    """Days on site per assignment in force in one quarter against its requirement."""
    scope = scope_of(assignments)
    days = {r["assignment"]: r["days"] for r in scope.read("visit", start, end, "assignment")}
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
    start, end = year_bounds(first_year)[0], year_bounds(last_year)[1]
    rows = scope.read("assignment", start, end, "assignment", "month")
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
    end), late, or none; entered afterwards ("back_entered") for a quarter over before the
    province started using giupxa."""
    rows = {}
    scope = scope_of(assignments)
    sent = scope.read("assignment", start, end, "month", statuses=REPORTED)
    for r in sent:  # records the agency submitted (confirmed since or still awaiting)
        if r["activities"]:
            n, last = rows.get((r["month"].year, quarter_of(r["month"])), (0, None))
            at = r["last_reported_at"]
            last = at if last is None else last if at is None else max(last, at)
            rows[(r["month"].year, quarter_of(r["month"]))] = (n + r["activities"], last)
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
            state = "back_entered" if scope.back_entered(q_end) else "late"
        out.append({"label": f"Quý {quarter}/{year}", "records": n, "state": state})
    return out
