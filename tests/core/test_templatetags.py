"""The `vn` template filters and tag, rendered through a real Template."""

from decimal import Decimal

import pytest
from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load vn %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "context", "expected"),
    [
        ("{{ total|million_dong }}", {"total": 16_493_820_000}, "16.493,82 triệu đồng"),
        ("{{ total|million_dong }}", {"total": None}, "0,00 triệu đồng"),
        ("{{ value|dong }}", {"value": 2_000_000}, "2.000.000 đồng"),
        ("{{ value|vn_number }}", {"value": Decimal("1234567.5")}, "1.234.568"),
        ("{{ value|vn_number:2 }}", {"value": Decimal("16493.825")}, "16.493,83"),
        ("{{ missing|vn_number }}", {}, "–"),
        ("{{ value|vn_quantity }}", {"value": Decimal("2.50")}, "2,5"),
        ("{{ value|vn_quantity }}", {"value": 2000}, "2.000"),
        ("{% vn_percent part whole %}", {"part": 39, "whole": 100}, "39,0%"),
        ("{% vn_percent part whole 2 %}", {"part": 1, "whole": 8}, "12,50%"),
        ("{% vn_percent part whole %}", {"part": 5, "whole": 0}, "–"),
        ("{% vn_ratio part whole %}", {"part": 3, "whole": 1200}, "3/1.200"),
        ("{% vn_ratio part whole %}", {"part": 0, "whole": 0}, "chưa có dữ liệu"),
        ("{% vn_ratio part whole %}", {"part": None, "whole": None}, "chưa có dữ liệu"),
        (
            "{{ text|lower_first }}",
            {"text": "Phân công các cơ quan theo QĐ-UBND"},
            "phân công các cơ quan theo QĐ-UBND",
        ),
        ("{{ text|lower_first }}", {"text": "Đoàn công tác"}, "đoàn công tác"),
        # a leading abbreviation keeps its capitals
        ("{{ text|lower_first }}", {"text": "UBND tỉnh phân công"}, "UBND tỉnh phân công"),
        ("{{ text|lower_first }}", {"text": "QĐ-UBND số 12"}, "QĐ-UBND số 12"),
        ("{{ text|lower_first }}", {"text": "A"}, "a"),
        ("[{{ text|lower_first }}]", {"text": ""}, "[]"),
    ],
)
def test_vn_tags(source, context, expected):
    assert render(source, **context) == expected
