"""Reporting periods: one vocabulary, and the month, quarter and half-year arithmetic.

Every period a user picks has a key from this module:
- relative to today (the activity list's filter, the dashboards' picker): "this_quarter",
  "last_quarter", "this_half", "this_year", "last_year";
- within a chosen year (the report form): "year", "half1", "half2", "q1" … "q4";
- and, on both, "phase" (the decision's phase, or first year to last) and "custom" (dates).

A period is always a pair of dates, both days included.
"""

import calendar
import datetime

Span = tuple[datetime.date, datetime.date]

RELATIVE_PERIODS = [
    ("this_quarter", "Quý này"),
    ("last_quarter", "Quý trước"),
    ("this_half", "6 tháng này"),
    ("this_year", "Năm nay"),
    ("last_year", "Năm trước"),
]
YEAR_PERIODS = [
    ("year", "Cả năm"),
    ("half1", "6 tháng đầu năm"),
    ("half2", "6 tháng cuối năm"),
    ("q1", "Quý I"),
    ("q2", "Quý II"),
    ("q3", "Quý III"),
    ("q4", "Quý IV"),
]
PHASE = ("phase", "Cả giai đoạn")
CUSTOM = ("custom", "Tùy chọn")
# The dashboards' picker and the report form: the same keys, worded for each place.
PICKER_PERIODS = [*RELATIVE_PERIODS, PHASE, CUSTOM]
REPORT_PERIODS = [
    *YEAR_PERIODS,
    ("phase", "Cả giai đoạn (năm đầu đến năm cuối)"),
    ("custom", "Tùy chọn ngày"),
]

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


# -- months -------------------------------------------------------------------------------


def month_of(day: datetime.date) -> datetime.date:
    """The first day of `day`'s month: the key of the monthly rollups."""
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months (negative goes back), kept inside the target month:
    31/01 + 1 month is 28/02 (29/02 in a leap year)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after `day`'s."""
    return add_months(month_of(day), 1)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month that [start, end] touches, in order."""
    out, month = [], month_of(start)
    while month <= end:
        out.append(month)
        month = next_month(month)
    return out


# -- quarters, halves, years --------------------------------------------------------------


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> Span:
    """Quarter 1–4 of `year` as (first day, last day)."""
    start = datetime.date(year, 3 * quarter - 2, 1)
    return start, month_end(datetime.date(year, 3 * quarter, 1))


def quarters_between(start: datetime.date, end: datetime.date) -> list[tuple[int, int]]:
    """(year, quarter) of every quarter that [start, end] touches, in order."""
    year, quarter = start.year, quarter_of(start)
    out = []
    while quarter_bounds(year, quarter)[0] <= end:
        out.append((year, quarter))
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    return out


def year_bounds(year: int) -> Span:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def half_bounds(year: int, half: int) -> Span:
    """The first (1) or second (2) half of `year`."""
    if half == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)


def year_period(key: str, year: int) -> Span:
    """A period of YEAR_PERIODS within `year`."""
    if key == "year":
        return year_bounds(year)
    if key in ("half1", "half2"):
        return half_bounds(year, int(key[-1]))
    if key in ("q1", "q2", "q3", "q4"):
        return quarter_bounds(year, int(key[1]))
    raise ValueError(f"Unknown period {key!r}")


def named_period(key: str, today: datetime.date) -> Span:
    """A period of RELATIVE_PERIODS, as seen on `today`."""
    year, quarter = today.year, quarter_of(today)
    if key == "this_quarter":
        return quarter_bounds(year, quarter)
    if key == "last_quarter":
        return quarter_bounds(year, quarter - 1) if quarter > 1 else quarter_bounds(year - 1, 4)
    if key == "this_half":
        return half_bounds(year, 1 if today.month <= 6 else 2)
    if key == "this_year":
        return year_bounds(year)
    if key == "last_year":
        return year_bounds(year - 1)
    raise ValueError(f"Unknown period {key!r}")


def year_before(start: datetime.date, end: datetime.date) -> Span:
    """The same span a year earlier, to compare with: a period ending on a month's last day
    ends on that month's last day a year before (29/02/2024 → 28/02/2023, 28/02/2025 →
    29/02/2024)."""
    before_end = add_months(end, -12)
    if end == month_end(end):
        before_end = month_end(before_end)
    return add_months(start, -12), before_end


# -- how periods and dates are written ----------------------------------------------------


def period_label(start: datetime.date, end: datetime.date) -> str:
    """How a report names its period: "năm 2024", "6 tháng đầu năm 2025", "quý III năm 2025"."""
    if start.year == end.year:
        if (start, end) == year_bounds(start.year):
            return f"năm {start.year}"
        if (start, end) == half_bounds(start.year, 1):
            return f"6 tháng đầu năm {start.year}"
        if (start, end) == half_bounds(start.year, 2):
            return f"6 tháng cuối năm {start.year}"
        for quarter in range(1, 5):
            if (start, end) == quarter_bounds(start.year, quarter):
                return f"quý {ROMAN[quarter]} năm {start.year}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"giai đoạn {start.year}–{end.year}"
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def document_date(place: str, day: datetime.date) -> str:
    """ "Điện Biên, ngày 05 tháng 01 năm 2024": days below 10 and months 1–2 take a zero
    (Nghị định 30/2020, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
