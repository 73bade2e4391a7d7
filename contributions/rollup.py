"""Monthly rollups: what the dashboards and reports sum instead of the raw rows.

A key is (assignment id, first day of a month). Every write that changes activities,
contributions or field visits calls `refresh` with the keys it touched, inside its
transaction, so the rollup is never behind what was committed. `read` answers a grouped
question over any period: whole months come from the rollup, the days of a partial first or
last month from the raw rows, computed by the same functions `refresh` uses.

Activities and contributions are kept per review status, and `read` counts the statuses it
is given: by default `OFFICIAL`, what the communes confirmed. Records awaiting confirmation
(`AWAITING`) are read apart and shown beside the official figure; drafts and returned records
never enter a total. Field visits have no review flow: their table ("visit") has no status.

    rollup.read("category", assignment_ids, start, end, by=("category",))
    → [{"category": 3, "total": 120_000_000, "activities": 12}, ...]   (confirmed only)
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from assignments.models import Assignment
from core.periods import add_months, month_end, month_of, next_month

from .models import (
    Activity,
    Contribution,
    FieldVisit,
    MonthlyAssignment,
    MonthlyCategory,
    MonthlyItem,
    MonthlySource,
    MonthlyVisit,
    ReviewStatus,
)

Key = tuple[int, datetime.date]
OFFICIAL = (ReviewStatus.CONFIRMED,)  # the official figure: what the communes confirmed
AWAITING = (ReviewStatus.SUBMITTED,)  # sent to the commune, not yet confirmed
REPORTED = (ReviewStatus.SUBMITTED, ReviewStatus.CONFIRMED)  # the agency has sent it


def counted(include_awaiting: bool = False) -> tuple[str, ...]:
    """The statuses a figure counts: the official ones, or with the awaiting records when
    the secretariat chose to include them in a report."""
    return REPORTED if include_awaiting else OFFICIAL


def key_of(record) -> Key:
    """The key of an activity or a field visit."""
    return (record.assignment_id, month_of(record.start_date))


# -- the raw side: grouped rows computed from activities, contributions and visits ----------


def _range_q(keys: Iterable[Key] | None, date_field: str, assignment_field: str) -> Q:
    """Rows of these (assignment, month) keys; None means every row."""
    if keys is None:
        return Q()
    q = Q(pk__in=[])
    for assignment, month in keys:
        q |= Q(
            **{
                assignment_field: assignment,
                f"{date_field}__gte": month,
                f"{date_field}__lt": next_month(month),
            }
        )
    return q


def _raw_assignment(where_activity: Q, where_contribution: Q) -> list[dict]:
    """Activities and their contributions per (assignment, month, status)."""
    rows = {}

    def row(r):
        key = (r["assignment"], r["month"], r["status"])
        if key not in rows:
            rows[key] = dict.fromkeys(TABLES["assignment"].sums, 0) | {
                "assignment": key[0], "month": key[1], "status": key[2],
                "first_reported_at": None, "last_reported_at": None, "last_date": None,
            }  # fmt: skip
        return rows[key]

    for r in (
        Activity.objects.filter(where_activity)
        .annotate(month=TruncMonth("start_date"))
        .values("assignment", "month", "status")
        .annotate(
            activities=Count("pk"),
            lasting_activities=Count("pk", filter=Q(is_lasting=True)),
            beneficiaries=Sum("beneficiaries_count"),
            first_reported_at=Min("submitted_at"),
            last_reported_at=Max("submitted_at"),
            last_date=Max("start_date"),
        )
        .order_by()
    ):
        row(r).update(r, beneficiaries=r["beneficiaries"] or 0)
    for r in (
        Contribution.objects.filter(where_contribution)
        .values(
            assignment=F("activity__assignment"),
            month=TruncMonth("activity__start_date"),
            status=F("activity__status"),
        )
        .annotate(
            t=Sum("value"),
            c=Sum("value", filter=Q(kind=Contribution.Kind.CASH)),
            lt=Sum("value", filter=Q(activity__is_lasting=True)),
        )
        .order_by()
    ):
        row(r).update(total=r["t"] or 0, cash=r["c"] or 0, lasting_total=r["lt"] or 0)
    return list(rows.values())


def _raw_visit(where_visit: Q, where_contribution: Q) -> list[dict]:
    """Field visits per (assignment, month): days on site and visits."""
    return [
        {"assignment": r["assignment"], "month": r["month"], "days": r["d"] or 0,
         "visits": r["n"]}
        for r in FieldVisit.objects.filter(where_visit)
        .annotate(month=TruncMonth("start_date"))
        .values("assignment", "month")
        .annotate(d=Sum("days_on_site"), n=Count("pk"))
        .order_by()
    ]  # fmt: skip


def _raw_category(where_activity: Q, where_contribution: Q) -> list[dict]:
    """Activities and their contributions per (assignment, month, category)."""
    rows = {
        (r["assignment"], r["month"], r["status"], r["category"]): {**r, "total": 0}
        for r in Activity.objects.filter(where_activity)
        .annotate(month=TruncMonth("start_date"))
        .values("assignment", "month", "status", "category")
        .annotate(activities=Count("pk"))
        .order_by()
    }
    for r in (
        Contribution.objects.filter(where_contribution)
        .values(
            assignment=F("activity__assignment"),
            month=TruncMonth("activity__start_date"),
            status=F("activity__status"),
            category=F("activity__category"),
        )
        .annotate(t=Sum("value"))
        .order_by()
    ):
        rows[(r["assignment"], r["month"], r["status"], r["category"])]["total"] = r["t"] or 0
    return list(rows.values())


def _raw_item(where_activity: Q, where_contribution: Q) -> list[dict]:
    return list(
        Contribution.objects.filter(where_contribution, kind=Contribution.Kind.IN_KIND)
        .values(
            "item",
            assignment=F("activity__assignment"),
            month=TruncMonth("activity__start_date"),
            status=F("activity__status"),
        )
        .annotate(amount=Sum("quantity"), total=Sum("value"))
        .order_by()
    )


def _raw_source(where_activity: Q, where_contribution: Q) -> list[dict]:
    return list(
        Contribution.objects.filter(where_contribution)
        .values(
            "source",
            assignment=F("activity__assignment"),
            month=TruncMonth("activity__start_date"),
            status=F("activity__status"),
        )
        .annotate(total=Sum("value"))
        .order_by()
    )


@dataclass(frozen=True)
class Table:
    model: type
    compute: Callable[[Q, Q], list[dict]]  # (activity filter, contribution filter) → rows
    keys: tuple[str, ...]
    sums: tuple[str, ...]
    mins: tuple[str, ...] = ()
    maxes: tuple[str, ...] = ()

    @property
    def has_status(self) -> bool:
        return "status" in self.keys

    def raw_for_keys(self, keys: Iterable[Key] | None) -> list[dict]:
        return self.compute(
            _range_q(keys, "start_date", "assignment"),
            _range_q(keys, "activity__start_date", "activity__assignment"),
        )

    def raw_between(self, ids, lo: datetime.date, hi: datetime.date, statuses) -> list[dict]:
        where, where_contribution = (
            Q(assignment__in=ids, start_date__range=(lo, hi)),
            Q(activity__assignment__in=ids, activity__start_date__range=(lo, hi)),
        )
        if self.has_status:
            where &= Q(status__in=statuses)
            where_contribution &= Q(activity__status__in=statuses)
        return self.compute(where, where_contribution)

    def measures(self) -> tuple[str, ...]:
        return (*self.sums, *self.mins, *self.maxes)

    def instances(self, rows: list[dict]) -> list:
        fields = {*self.keys, *self.measures()}
        return [
            self.model(
                **{
                    f"{name}_id" if name in ("assignment", "category", "item") else name: value
                    for name, value in row.items()
                    if name in fields
                }
            )
            for row in rows
        ]


TABLES = {
    "assignment": Table(
        MonthlyAssignment,
        _raw_assignment,
        keys=("assignment", "month", "status"),
        sums=(
            "activities",
            "lasting_activities",
            "beneficiaries",
            "total",
            "cash",
            "lasting_total",
        ),
        mins=("first_reported_at",),
        maxes=("last_reported_at", "last_date"),
    ),
    "visit": Table(MonthlyVisit, _raw_visit, keys=("assignment", "month"), sums=("days", "visits")),
    "category": Table(
        MonthlyCategory,
        _raw_category,
        keys=("assignment", "month", "status", "category"),
        sums=("activities", "total"),
    ),
    "item": Table(
        MonthlyItem,
        _raw_item,
        keys=("assignment", "month", "status", "item"),
        sums=("amount", "total"),
    ),
    "source": Table(
        MonthlySource,
        _raw_source,
        keys=("assignment", "month", "status", "source"),
        sums=("total",),
    ),
}


# -- writes ---------------------------------------------------------------------------------

CHUNK = 200  # keys per statement: keeps the OR of ranges short


@transaction.atomic
def refresh(keys: Iterable[Key]) -> None:
    """Recompute the rollup rows of these (assignment, month) keys from the raw rows.

    The assignments' rows are locked first (PostgreSQL), so two writers refreshing the same
    month one after the other each see the other's committed rows, never a half state."""
    keys = sorted({(assignment, month_of(day)) for assignment, day in keys})
    if not keys:
        return
    list(
        Assignment.objects.select_for_update()
        .filter(pk__in={a for a, _ in keys})
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for i in range(0, len(keys), CHUNK):
        chunk = keys[i : i + CHUNK]
        stored = Q(pk__in=[])
        for assignment, month in chunk:
            stored |= Q(assignment=assignment, month=month)
        for table in TABLES.values():
            table.model.objects.filter(stored).delete()
            table.model.objects.bulk_create(
                table.instances(table.raw_for_keys(chunk)), batch_size=2000
            )


@transaction.atomic
def rebuild() -> int:
    """Recompute every rollup row from the raw rows; returns the number of rows written.

    On PostgreSQL the tables' planner statistics are refreshed afterwards: with the old ones
    the dashboards' reads took half again as long (measured at 1,17 M contributions)."""
    written = 0
    for table in TABLES.values():
        table.model.objects.all().delete()
        written += len(
            table.model.objects.bulk_create(
                table.instances(table.raw_for_keys(None)), batch_size=5000
            )
        )
    if connection.vendor == "postgresql":
        tables = ", ".join(
            connection.ops.quote_name(t.model._meta.db_table) for t in TABLES.values()
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
    return written


def differences() -> dict[str, int]:
    """Per table, how many rows differ between the rollup and a recomputation (0 = current).
    For `refresh_rollup --check` and the tests."""
    out = {}
    for name, table in TABLES.items():
        fields = [*table.keys, *table.measures()]
        stored = {tuple(row[f] for f in fields) for row in table.model.objects.values(*fields)}
        fresh = {tuple(_normal(row[f]) for f in fields) for row in table.raw_for_keys(None)}
        stored = {tuple(_normal(v) for v in row) for row in stored}
        out[name] = len(stored ^ fresh)
    return out


def _normal(value):
    return value.normalize() if isinstance(value, Decimal) else value  # 2.50 == 2.5


# -- reads ----------------------------------------------------------------------------------


def _whole_months(start: datetime.date, end: datetime.date):
    """The first and last month lying wholly inside [start, end], or None."""
    first = start if start.day == 1 else next_month(start)
    last = month_of(end) if end == month_end(end) else month_of(add_months(end, -1))
    return (first, last) if first <= last else None


def _partial_spans(start, end, months) -> list[tuple[datetime.date, datetime.date]]:
    """The days of the period outside its whole months: at most one span at either end."""
    if months is None:
        return [(start, end)]
    spans = []
    if start < months[0]:
        spans.append((start, months[0] - datetime.timedelta(days=1)))
    if end >= next_month(months[1]):
        spans.append((next_month(months[1]), end))
    return spans


def read(
    name: str,
    assignment_ids: "Iterable[int] | QuerySet",
    start: datetime.date,
    end: datetime.date,
    *,
    by: tuple[str, ...] = (),
    statuses: Iterable[str] = OFFICIAL,
) -> list[dict]:
    """Rows grouped by `by` (key fields of the table) over [start, end], for these
    assignments, counting the records of `statuses` (confirmed ones by default; the "visit"
    table has no status): one GROUP BY on the rollup, plus raw rows for partial months."""
    table = TABLES[name]
    statuses = sorted(statuses)
    if not isinstance(assignment_ids, QuerySet):  # a subquery (of pks) passes as it is
        assignment_ids = sorted(set(assignment_ids))
        if not assignment_ids:
            return []
    if start > end:
        return []
    months = _whole_months(start, end)
    aggregates = {
        **{f"r_{f}": Sum(f) for f in table.sums},
        **{f"r_{f}": Min(f) for f in table.mins},
        **{f"r_{f}": Max(f) for f in table.maxes},
    }
    groups: dict[tuple, dict] = {}
    if months is not None:
        ids = (
            {"assignment__in": assignment_ids}
            if isinstance(assignment_ids, QuerySet)
            else {"assignment_id__any": assignment_ids}
        )
        if table.has_status:
            ids["status__in"] = statuses
        stored = table.model.objects.filter(month__range=months, **ids)
        if not by:
            row = stored.aggregate(**aggregates)
            if row[f"r_{table.sums[0]}"] is not None:  # NULL: no row matched
                _merge(groups, table, by, {k.removeprefix("r_"): v for k, v in row.items()})
        else:
            measures = table.measures()
            for row in stored.values_list(*by).annotate(**aggregates).order_by():
                group = dict(zip(by, row, strict=False))
                group.update(zip(measures, row[len(by) :], strict=True))
                groups[row[: len(by)]] = group
    for lo, hi in _partial_spans(start, end, months):
        for row in table.raw_between(assignment_ids, lo, hi, statuses):
            _merge(groups, table, by, row)
    return list(groups.values())


def _merge(groups: dict, table: Table, by: tuple[str, ...], row: dict) -> None:
    key = tuple(row[f] for f in by)
    group = groups.get(key)
    if group is None:
        groups[key] = (
            {f: row[f] for f in by}
            | {f: row.get(f) or 0 for f in table.sums}
            | {f: row.get(f) for f in (*table.mins, *table.maxes)}
        )
        return
    for f in table.sums:
        group[f] += row.get(f) or 0
    for f in table.mins:
        if row.get(f) is not None and (group[f] is None or row[f] < group[f]):
            group[f] = row[f]
    for f in table.maxes:
        if row.get(f) is not None and (group[f] is None or row[f] > group[f]):
            group[f] = row[f]
