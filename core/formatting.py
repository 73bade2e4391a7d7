"""Numbers and money the Vietnamese way: 16.493,82 triệu đồng.

One place for it: templates (through the `vn` template tags), the PDF and the workbook's
text all call these functions. Money arrives as whole đồng (int or Decimal).
"""

from decimal import ROUND_HALF_UP, Decimal

MILLION = Decimal(1_000_000)


def number(value, decimals: int = 0) -> str:
    """16493.82 → "16.493,82"; rounds half up; None → "–"."""
    if value is None or value == "":
        return "–"
    quantum = Decimal(1).scaleb(-decimals)
    # A float goes through its shortest repr: Decimal(2.675) is 2.67499999…, "2.675" is not.
    exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    integer, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = ".".join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def trimmed_number(value, decimals: int = 2) -> str:
    """Like `number` but without trailing zeros: 2.000 workdays, 12,5 tonnes."""
    text = number(value, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def millions(value) -> str:
    """Whole đồng → "16.493,82", for a column headed "(triệu đồng)"."""
    return number(Decimal(value or 0) / MILLION, 2)


def million_dong(value) -> str:
    """Whole đồng → "16.493,82 triệu đồng"."""
    return f"{millions(value)} triệu đồng"


def dong(value) -> str:
    """Whole đồng → "2.000.000 đồng"."""
    return f"{number(value or 0)} đồng"


def percent(part, whole, decimals: int = 1) -> str:
    """Share of `part` in `whole` as "39,0%"; "–" when there is no whole."""
    if not whole:
        return "–"
    return f"{number(Decimal(part or 0) * 100 / Decimal(whole), decimals)}%"
