"""Reporting periods: month, quarter, half-year arithmetic and how periods are written."""

from datetime import date

import pytest

from core import periods
from core.periods import (
    add_months,
    document_date,
    half_bounds,
    month_end,
    month_of,
    months_between,
    named_period,
    next_month,
    period_label,
    quarter_bounds,
    quarter_of,
    quarters_between,
    year_before,
    year_bounds,
    year_period,
)


@pytest.mark.parametrize(
    ("quarter", "expected"),
    [
        (1, (date(2025, 1, 1), date(2025, 3, 31))),
        (2, (date(2025, 4, 1), date(2025, 6, 30))),
        (3, (date(2025, 7, 1), date(2025, 9, 30))),
        (4, (date(2025, 10, 1), date(2025, 12, 31))),
    ],
)
def test_quarter_bounds(quarter, expected):
    assert quarter_bounds(2025, quarter) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 1), 1),
        (date(2025, 3, 31), 1),
        (date(2025, 4, 1), 2),
        (date(2025, 6, 30), 2),
        (date(2025, 7, 1), 3),
        (date(2025, 9, 30), 3),
        (date(2025, 10, 1), 4),
        (date(2025, 12, 31), 4),
    ],
)
def test_quarter_of(day, expected):
    assert quarter_of(day) == expected


def test_half_and_year_bounds():
    assert half_bounds(2025, 1) == (date(2025, 1, 1), date(2025, 6, 30))
    assert half_bounds(2025, 2) == (date(2025, 7, 1), date(2025, 12, 31))
    assert year_bounds(2024) == (date(2024, 1, 1), date(2024, 12, 31))


def test_year_period_answers_every_key_of_the_report_form():
    expected = {
        "year": (date(2026, 1, 1), date(2026, 12, 31)),
        "half1": (date(2026, 1, 1), date(2026, 6, 30)),
        "half2": (date(2026, 7, 1), date(2026, 12, 31)),
        "q1": (date(2026, 1, 1), date(2026, 3, 31)),
        "q2": (date(2026, 4, 1), date(2026, 6, 30)),
        "q3": (date(2026, 7, 1), date(2026, 9, 30)),
        "q4": (date(2026, 10, 1), date(2026, 12, 31)),
    }
    assert [key for key, _ in periods.YEAR_PERIODS] == list(expected)
    assert {key: year_period(key, 2026) for key in expected} == expected


@pytest.mark.parametrize("key", ["q5", "phase", "custom", "this_year", ""])
def test_year_period_refuses_other_keys(key):
    with pytest.raises(ValueError, match="Unknown period"):
        year_period(key, 2026)


def test_named_period_in_the_middle_of_the_year():
    today = date(2025, 8, 15)
    expected = {
        "this_quarter": (date(2025, 7, 1), date(2025, 9, 30)),
        "last_quarter": (date(2025, 4, 1), date(2025, 6, 30)),
        "this_half": (date(2025, 7, 1), date(2025, 12, 31)),
        "this_year": (date(2025, 1, 1), date(2025, 12, 31)),
        "last_year": (date(2024, 1, 1), date(2024, 12, 31)),
    }
    assert [key for key, _ in periods.RELATIVE_PERIODS] == list(expected)
    assert {key: named_period(key, today) for key in expected} == expected


def test_named_period_in_january_last_quarter_is_last_years_fourth():
    today = date(2026, 1, 10)
    assert named_period("this_quarter", today) == (date(2026, 1, 1), date(2026, 3, 31))
    assert named_period("last_quarter", today) == (date(2025, 10, 1), date(2025, 12, 31))
    assert named_period("this_half", today) == (date(2026, 1, 1), date(2026, 6, 30))
    assert named_period("this_year", today) == (date(2026, 1, 1), date(2026, 12, 31))
    assert named_period("last_year", today) == (date(2025, 1, 1), date(2025, 12, 31))


def test_named_period_halves_turn_on_the_first_of_july():
    assert named_period("this_half", date(2025, 6, 30)) == (date(2025, 1, 1), date(2025, 6, 30))
    assert named_period("this_half", date(2025, 7, 1)) == (date(2025, 7, 1), date(2025, 12, 31))
    assert named_period("last_quarter", date(2025, 4, 1)) == (date(2025, 1, 1), date(2025, 3, 31))


@pytest.mark.parametrize("key", ["phase", "custom", "q1", "year", "next_year"])
def test_named_period_refuses_other_keys(key):
    with pytest.raises(ValueError, match="Unknown period"):
        named_period(key, date(2025, 8, 15))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 10), 6, date(2026, 9, 10)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 12, 15), 12, date(2026, 12, 15)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),  # across the year
        (date(2025, 12, 31), 1, date(2026, 1, 31)),
        (date(2024, 1, 31), 25, date(2026, 2, 28)),
        (date(2025, 5, 20), 0, date(2025, 5, 20)),
        # back in time
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2024, 2, 29), -12, date(2023, 2, 28)),
        (date(2025, 5, 31), -12, date(2024, 5, 31)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 10), date(2024, 2, 29)),
        (date(2025, 2, 1), date(2025, 2, 28)),
        (date(2025, 4, 30), date(2025, 4, 30)),
        (date(2025, 12, 5), date(2025, 12, 31)),
        (date(2100, 2, 1), date(2100, 2, 28)),  # not a leap year
    ],
)
def test_month_end(day, expected):
    assert month_end(day) == expected


def test_month_of_and_next_month():
    assert month_of(date(2025, 4, 30)) == date(2025, 4, 1)
    assert next_month(date(2025, 1, 31)) == date(2025, 2, 1)
    assert next_month(date(2025, 2, 1)) == date(2025, 3, 1)
    assert next_month(date(2025, 12, 31)) == date(2026, 1, 1)


def test_months_between():
    assert months_between(date(2025, 11, 15), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert months_between(date(2025, 6, 1), date(2025, 6, 30)) == [date(2025, 6, 1)]
    assert months_between(date(2025, 3, 1), date(2025, 2, 28)) == []


def test_quarters_between():
    assert quarters_between(date(2025, 8, 15), date(2026, 4, 1)) == [
        (2025, 3),
        (2025, 4),
        (2026, 1),
        (2026, 2),
    ]
    assert quarters_between(date(2025, 1, 1), date(2025, 3, 31)) == [(2025, 1)]
    assert quarters_between(date(2025, 3, 31), date(2025, 4, 1)) == [(2025, 1), (2025, 2)]
    assert quarters_between(date(2025, 4, 1), date(2025, 3, 31)) == []


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((2025, 1, 1), (2025, 12, 31), ((2024, 1, 1), (2024, 12, 31))),
        ((2024, 1, 1), (2024, 3, 31), ((2023, 1, 1), (2023, 3, 31))),
        ((2025, 3, 10), (2025, 3, 20), ((2024, 3, 10), (2024, 3, 20))),
        # a period ending on a month's last day ends on that month's last day a year before
        ((2024, 2, 1), (2024, 2, 29), ((2023, 2, 1), (2023, 2, 28))),
        ((2025, 2, 1), (2025, 2, 28), ((2024, 2, 1), (2024, 2, 29))),
        ((2025, 1, 1), (2025, 2, 28), ((2024, 1, 1), (2024, 2, 29))),
        # not a month's last day: the same day a year before
        ((2025, 2, 1), (2025, 2, 27), ((2024, 2, 1), (2024, 2, 27))),
        ((2024, 2, 29), (2024, 3, 31), ((2023, 2, 28), (2023, 3, 31))),
    ],
)
def test_year_before(start, end, expected):
    assert year_before(date(*start), date(*end)) == (date(*expected[0]), date(*expected[1]))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ((2024, 1, 1), (2024, 12, 31), "năm 2024"),
        ((2025, 1, 1), (2025, 6, 30), "6 tháng đầu năm 2025"),
        ((2025, 7, 1), (2025, 12, 31), "6 tháng cuối năm 2025"),
        ((2025, 1, 1), (2025, 3, 31), "quý I năm 2025"),
        ((2025, 4, 1), (2025, 6, 30), "quý II năm 2025"),
        ((2025, 7, 1), (2025, 9, 30), "quý III năm 2025"),
        ((2025, 10, 1), (2025, 12, 31), "quý IV năm 2025"),
        ((2021, 1, 1), (2025, 12, 31), "giai đoạn 2021\u20132025"),  # en dash
        ((2024, 1, 5), (2024, 3, 20), "từ ngày 05/01/2024 đến ngày 20/03/2024"),
        ((2025, 1, 1), (2025, 2, 28), "từ ngày 01/01/2025 đến ngày 28/02/2025"),
        ((2025, 7, 1), (2030, 12, 31), "từ ngày 01/07/2025 đến ngày 31/12/2030"),
        ((2024, 1, 1), (2024, 3, 30), "từ ngày 01/01/2024 đến ngày 30/03/2024"),
    ],
)
def test_period_label(start, end, expected):
    assert period_label(date(*start), date(*end)) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 1, 5), "Điện Biên, ngày 05 tháng 01 năm 2024"),
        (date(2025, 2, 20), "Điện Biên, ngày 20 tháng 02 năm 2025"),
        (date(2025, 3, 5), "Điện Biên, ngày 05 tháng 3 năm 2025"),
        (date(2025, 9, 30), "Điện Biên, ngày 30 tháng 9 năm 2025"),
        (date(2025, 10, 1), "Điện Biên, ngày 01 tháng 10 năm 2025"),
        (date(2025, 12, 15), "Điện Biên, ngày 15 tháng 12 năm 2025"),
    ],
)
def test_document_date(day, expected):
    assert document_date("Điện Biên", day) == expected
