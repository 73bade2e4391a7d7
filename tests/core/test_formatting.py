"""Numbers and money the Vietnamese way; every expectation is written out by hand."""

from decimal import Decimal

import pytest

from core.formatting import dong, million_dong, number, percent, trimmed_number


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("16493.82"), 2, "16.493,82"),
        (Decimal("16493.82"), 0, "16.494"),
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (1234567, 0, "1.234.567"),
        (16_493_820_000, 0, "16.493.820.000"),
        (5, 2, "5,00"),
        (Decimal("12.5"), 1, "12,5"),
        (Decimal("1E+3"), 0, "1.000"),
        ("2500", 0, "2.500"),
        # half up, where Python's round() and Decimal's default would go to the even digit
        (Decimal("2.5"), 0, "3"),
        (Decimal("0.125"), 2, "0,13"),
        (Decimal("1234.565"), 2, "1.234,57"),
        (Decimal("0.124999"), 2, "0,12"),
        # negatives: the sign stays in front of the grouped digits, half up goes away from 0
        (-1234567, 0, "-1.234.567"),
        (Decimal("-16493.82"), 2, "-16.493,82"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("-0.4"), 0, "0"),  # never "-0"
        (None, 0, "–"),
        (None, 2, "–"),
        ("", 0, "–"),
    ],
)
def test_number(value, decimals, expected):
    assert number(value, decimals) == expected


def test_number_rounds_a_float_half_up_as_written():
    # Decimal(2.675) is 2.67499999…; the figure a person typed is 2.675.
    assert number(2.675, 2) == "2,68"
    assert number(1.005, 2) == "1,01"
    assert number(0.5) == "1"


def test_number_rounds_to_whole_units_by_default():
    assert number(Decimal("1499.5")) == "1.500"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2000, 2, "2.000"),
        (100, 2, "100"),  # the zeros before the comma stay
        (100, 0, "100"),
        (Decimal("12.50"), 2, "12,5"),
        (Decimal("12.345"), 2, "12,35"),
        (Decimal("0.004"), 2, "0"),
        (Decimal("1234.5"), 3, "1.234,5"),
        (Decimal("-7.10"), 2, "-7,1"),
        (None, 2, "–"),
    ],
)
def test_trimmed_number(value, decimals, expected):
    assert trimmed_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (16_493_820_000, "16.493,82 triệu đồng"),
        (Decimal("16493820000"), "16.493,82 triệu đồng"),
        (2_500_000, "2,50 triệu đồng"),
        (1_234_565_000, "1.234,57 triệu đồng"),  # half up
        (4_999, "0,00 triệu đồng"),
        (5_000, "0,01 triệu đồng"),
        (-3_000_000, "-3,00 triệu đồng"),
        (0, "0,00 triệu đồng"),
        (None, "0,00 triệu đồng"),
    ],
)
def test_million_dong(value, expected):
    assert million_dong(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2_000_000, "2.000.000 đồng"),
        (Decimal("1500.5"), "1.501 đồng"),
        (0, "0 đồng"),
        (None, "0 đồng"),
        (-50_000, "-50.000 đồng"),
    ],
)
def test_dong(value, expected):
    assert dong(value) == expected


@pytest.mark.parametrize(
    ("part", "whole", "decimals", "expected"),
    [
        (39, 100, 1, "39,0%"),
        (1, 3, 1, "33,3%"),
        (2, 3, 1, "66,7%"),
        (1, 16, 1, "6,3%"),  # 6,25 rounds half up
        (1, 8, 2, "12,50%"),
        (3_000_000, 2_000_000, 0, "150%"),
        (0, 7, 1, "0,0%"),
        (Decimal("15000000"), Decimal("19000000"), 1, "78,9%"),
        # no whole: nothing to divide by
        (5, 0, 1, "–"),
        (5, None, 1, "–"),
        (0, 0, 1, "–"),
        (5, Decimal("0"), 1, "–"),
        # a sum over no rows (NULL) is nothing of the whole
        (None, 100, 1, "0,0%"),
    ],
)
def test_percent(part, whole, decimals, expected):
    assert percent(part, whole, decimals) == expected
