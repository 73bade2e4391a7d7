"""The centre's comparison of provinces: for each province a national user reads, the
figures its own overview and report give for the same period, by the same functions
(reports.figures), side by side.

Basis, as everywhere: what the communes confirmed, valued in đồng, over the chosen days.
- lasting share: value of lasting support (production, training, infrastructure, housing)
  in the total;
- days on site: the share of (assignment, quarter) pairs, quarters ended in the period,
  where the agency spent the decision's days in the commune (back-entered quarters aside);
- reporting on time: the share of agencies that submitted the period's records on time
  (agencies of back-entered periods aside);
- needs met: needs the communes confirmed met, of those raised in the period;
- still kept: households still keeping the support at the 12-month follow-up (the 6-month
  one when no 12-month check is recorded yet).

A province's figures cost about what its overview does; the table is kept in the cache for
CACHE_SECONDS, per set of provinces and period.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import cache

from assignments.models import Assignment
from communes.models import Province
from reports import figures
from reports.figures.followthrough import kept_section, needs_section

CACHE_SECONDS = 600


@dataclass
class ProvinceRow:
    province: Province
    active: bool
    total: int = 0
    cash: int = 0
    lasting: int = 0
    days_met: int = 0
    days_counted: int = 0
    on_time: int = 0
    reporting: int = 0
    needs_met: int = 0
    needs_raised: int = 0
    kept: int = 0
    kept_recorded: int = 0
    activities: int = 0
    communes: int = 0
    agencies: int = 0


def _row(province, start, end, today) -> ProvinceRow:
    scope = figures.scope_of(figures.scope_assignments(province=province))
    result = figures.compute(scope, start, end, today=today, detail=False)
    needs_section(result, scope, start, end)
    kept_section(result, scope, end)
    row = ProvinceRow(
        province=province, active=True, total=result.total_value, cash=result.cash_value,
        lasting=result.lasting_value, activities=result.activities,
        communes=result.communes, agencies=result.agencies,
    )  # fmt: skip
    for days in result.days:
        for value in days["values"]:
            if value is not None:
                row.days_counted += 1
                row.days_met += value >= days["required"]
    states = [r["state"] for r in result.completeness if r["state"] != "back_entered"]
    row.reporting, row.on_time = len(states), states.count("on_time")
    row.needs_raised = sum(n["raised"] for n in result.needs)
    row.needs_met = sum(n["met"] for n in result.needs)
    kept = result.kept_total
    months = 12 if kept.get("recorded_12") else 6
    row.kept, row.kept_recorded = kept.get(f"kept_{months}", 0), kept.get(f"recorded_{months}", 0)
    return row


def comparison(province_ids, start: datetime.date, end: datetime.date, today) -> list:
    """One row per province, those using giupxa first (by value), the others after."""
    key = f"national:{start}:{end}:{today}:" + ",".join(map(str, sorted(province_ids)))
    cached = cache.get(key)
    if cached is not None:
        return cached
    provinces = list(Province.objects.filter(pk__in=province_ids).order_by("name"))
    using = set(
        Assignment.objects.adopted()
        .filter(decision__province__in=provinces)
        .values_list("decision__province", flat=True)
        .distinct()
    )
    rows = [
        _row(p, start, end, today) if p.pk in using else ProvinceRow(province=p, active=False)
        for p in provinces
    ]
    rows.sort(key=lambda r: (not r.active, -r.total, r.province.name))
    cache.set(key, rows, CACHE_SECONDS)
    return rows
