"""The report's figures as plain data: what the PDF, the workbook and an issued report's
snapshot are built from. No query happens after `sections.compute` returns one."""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal


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
