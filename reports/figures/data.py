"""The report's figures as plain data: what the PDF, the workbook and an issued report's
snapshot are built from. No query happens after `sections.compute` returns one."""

import datetime
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from contributions import rollup
from core.formatting import million_dong, number
from core.periods import year_before


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
    # What the figures count: "confirmed" (the official figure) or "confirmed_and_awaiting"
    # (the secretariat chose to include records still awaiting the commune's confirmation).
    basis: str = "confirmed"
    as_of: datetime.date | None = None  # the day the figures were read (the cut-off)
    awaiting_activities: int = 0  # sent, not yet confirmed: shown beside, never inside
    awaiting_value: int = 0
    # "So với cùng kỳ": the same days a year before. The current side is [start, compared_end]
    # (the period up to today when it has not ended), the earlier side a year before it.
    compared_end: datetime.date | None = None
    compared_total: int = 0
    previous_total: int = 0
    previous_cash: int = 0
    in_kind: list = field(default_factory=list)  # {item, unit, quantity, value}
    by_category: list = field(default_factory=list)  # {name, activities, value}
    by_agency: list = field(default_factory=list)  # {name, activities, value}
    by_quarter: list = field(default_factory=list)  # {label, value}
    notable: list = field(default_factory=list)
    days_quarters: list = field(default_factory=list)  # ["Quý 1/2025", ...]
    days_back_entered: list = field(default_factory=list)  # per quarter: over before giupxa
    days: list = field(default_factory=list)  # {agency, commune, required, values: [int|None]}
    agencies_below: list = field(default_factory=list)
    completeness: list = field(default_factory=list)  # {agency, state}: on_time, late,
    # missing, or back_entered (the period was over before the province used giupxa)
    indicators: list = field(default_factory=list)
    annex: list = field(default_factory=list)  # {agency, commune, predecessors, cash, items, total}
    annex_items: list = field(default_factory=list)  # [(name, unit)]
    by_commune: list = field(default_factory=list)  # {commune, predecessors, cash, total}
    by_source: list = field(default_factory=list)  # {source, value}
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

    def agencies_in(self, state: str) -> list[str]:
        """The agencies whose reporting for the period is in `state` (on_time, late, missing,
        back_entered)."""
        return [r["agency"] for r in self.completeness if r["state"] == state]

    @property
    def includes_awaiting(self) -> bool:
        return self.basis == "confirmed_and_awaiting"

    @property
    def counted_statuses(self) -> tuple[str, ...]:
        """The review statuses of the records these figures count."""
        return rollup.counted(self.includes_awaiting)

    @property
    def change(self) -> Decimal | None:
        """The change against the same days a year before, in percent (None: nothing then)."""
        if not self.previous_total:
            return None
        return (Decimal(self.compared_total) - self.previous_total) * 100 / self.previous_total

    @property
    def compared_span(self) -> tuple[datetime.date, datetime.date] | None:
        """The earlier side of "so với cùng kỳ": the same days a year before."""
        if self.compared_end is None:
            return None
        return year_before(self.period_start, self.compared_end)

    @property
    def basis_note(self) -> str:
        """What the figures count, said once for every page, report and workbook."""
        as_of = f", tính đến ngày {self.as_of:%d/%m/%Y}" if self.as_of else ""
        awaiting = (
            f"{number(self.awaiting_activities)} hoạt động, {million_dong(self.awaiting_value)}"
        )
        if self.includes_awaiting:
            return (
                f"Số liệu gồm các hoạt động các xã đã xác nhận và {awaiting} đang chờ xã xác "
                f"nhận{as_of}; không tính bản nháp và hoạt động bị trả lại."
            )
        note = f"Số liệu do các xã đã xác nhận{as_of}"
        if self.awaiting_activities:
            return f"{note}; còn {awaiting} đang chờ xã xác nhận, chưa tính vào số liệu."
        return f"{note}; không tính bản nháp và hoạt động bị trả lại."

    @property
    def comparison_note(self) -> str:
        """ "tăng 5,2% so với cùng kỳ năm trước (từ ngày … đến ngày …: … triệu đồng)", with
        the days compared when the period has not ended; "" when there is nothing to compare."""
        change, span = self.change, self.compared_span
        if change is None or span is None:
            return ""
        direction = "tăng" if change >= 0 else "giảm"
        so_far = (
            f"tính đến ngày {self.compared_end:%d/%m/%Y}, "
            if self.compared_end < self.period_end
            else ""
        )
        return (
            f"{so_far}{direction} {number(abs(change), 1)}% so với cùng kỳ năm trước (từ ngày "
            f"{span[0]:%d/%m/%Y} đến ngày {span[1]:%d/%m/%Y}: {million_dong(self.previous_total)})"
        )

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
