"""Annual plans against results: what each planned activity achieved, from the rollups.

`progress(plans)` answers for any number of plans with three grouped reads per year (the
rollups by field, by item and by assignment), so a page or the report stays bounded.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from contributions import rollup
from core.periods import quarter_of, year_bounds

from .models import AnnualPlan


@dataclass
class ItemResult:
    item: object  # PlanItem
    activities: int = 0
    value: int = 0
    quantity: Decimal = Decimal(0)

    @property
    def achieved(self) -> bool:
        i = self.item
        return (
            (i.target_activities is None or self.activities >= i.target_activities)
            and (i.target_value is None or self.value >= i.target_value)
            and (i.target_quantity is None or self.quantity >= i.target_quantity)
        )


@dataclass
class PlanProgress:
    plan: AnnualPlan
    items: list = field(default_factory=list)  # [ItemResult]
    days: list = field(default_factory=list)  # actual days on site per quarter 1..4

    @property
    def achieved(self) -> int:
        return sum(1 for r in self.items if r.achieved)

    @property
    def planned_activities(self) -> int:
        return sum(r.item.target_activities or 0 for r in self.items)

    @property
    def done_activities(self) -> int:
        return sum(r.activities for r in self.items if r.item.target_activities is not None)

    @property
    def planned_value(self) -> int:
        return sum(r.item.target_value or 0 for r in self.items)

    @property
    def done_value(self) -> int:
        return sum(r.value for r in self.items if r.item.target_value is not None)


def progress(plans: list[AnnualPlan]) -> dict[int, PlanProgress]:
    """Each plan's items with what the assignment did in that field (and quarter) that year.
    The plans come with their items prefetched (`prefetch_related("items")`)."""
    out = {}
    for year in {p.year for p in plans}:
        of_year = [p for p in plans if p.year == year]
        ids = [p.assignment_id for p in of_year]
        start, end = year_bounds(year)
        by_field, by_item, days = {}, {}, {}
        for r in rollup.read("category", ids, start, end, by=("assignment", "month", "category")):
            key = (r["assignment"], quarter_of(r["month"]), r["category"])
            n, v = by_field.get(key, (0, 0))
            by_field[key] = (n + r["activities"], v + r["total"])
        for r in rollup.read("item", ids, start, end, by=("assignment", "month", "item")):
            key = (r["assignment"], quarter_of(r["month"]), r["item"])
            by_item[key] = by_item.get(key, Decimal(0)) + r["amount"]
        for r in rollup.read("visit", ids, start, end, by=("assignment", "month")):
            key = (r["assignment"], quarter_of(r["month"]))
            days[key] = days.get(key, 0) + r["days"]
        for plan in of_year:
            result = PlanProgress(
                plan, days=[days.get((plan.assignment_id, q), 0) for q in range(1, 5)]
            )
            for item in plan.items.all():
                row = ItemResult(item)
                for q in [item.quarter] if item.quarter else range(1, 5):
                    n, v = by_field.get((plan.assignment_id, q, item.category_id), (0, 0))
                    row.activities += n
                    row.value += v
                    if item.target_item_id:
                        row.quantity += by_item.get(
                            (plan.assignment_id, q, item.target_item_id), Decimal(0)
                        )
                result.items.append(row)
            out[plan.pk] = result
    return out
