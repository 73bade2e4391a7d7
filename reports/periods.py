"""Reporting periods: quarters, half-years, years, named relative to a day."""

import datetime

PERIODS = [
    ("this_quarter", "Quý này"),
    ("last_quarter", "Quý trước"),
    ("this_half", "6 tháng này"),
    ("this_year", "Năm nay"),
    ("last_year", "Năm trước"),
]


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """Quarter 1–4 of `year` as (first day, last day)."""
    start = datetime.date(year, 3 * quarter - 2, 1)
    end_month = 3 * quarter
    last_day = (datetime.date(year + end_month // 12, end_month % 12 + 1, 1)) - datetime.timedelta(
        1
    )
    return start, last_day


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def named_period(key: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    year = today.year
    if key == "this_quarter":
        return quarter_bounds(year, quarter_of(today))
    if key == "last_quarter":
        quarter = quarter_of(today) - 1
        return quarter_bounds(year, quarter) if quarter else quarter_bounds(year - 1, 4)
    if key == "this_half":
        if today.month <= 6:
            return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
        return datetime.date(year, 7, 1), datetime.date(year, 12, 31)
    if key == "this_year":
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if key == "last_year":
        return datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31)
    raise ValueError(f"Unknown period {key!r}")


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_label(start: datetime.date, end: datetime.date) -> str:
    """How a report names its period: "năm 2024", "6 tháng đầu năm 2025", "quý III năm 2025"."""
    if start.month == 1 and start.day == 1 and end.year == start.year:
        if (end.month, end.day) == (12, 31):
            return f"năm {start.year}"
        if (end.month, end.day) == (6, 30):
            return f"6 tháng đầu năm {start.year}"
    if (
        (start.month, start.day) == (7, 1)
        and (end.month, end.day) == (12, 31)
        and start.year == end.year
    ):
        return f"6 tháng cuối năm {start.year}"
    for quarter in range(1, 5):
        if (start, end) == quarter_bounds(start.year, quarter):
            return f"quý {ROMAN[quarter]} năm {start.year}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"giai đoạn {start.year}–{end.year}"
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def document_date(place: str, day: datetime.date) -> str:
    """ "Điện Biên, ngày 05 tháng 01 năm 2024": days below 10 and months 1–2 take a zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
