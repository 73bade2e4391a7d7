"""Template filters for Vietnamese numbers and money: {% load vn %}{{ total|million_dong }}."""

from django import template

from core import formatting

register = template.Library()

register.filter("million_dong", formatting.million_dong)
register.filter("millions", formatting.millions)
register.filter("dong", formatting.dong)
register.filter("vn_number", formatting.number)
register.filter("vn_quantity", formatting.trimmed_number)


@register.simple_tag
def vn_percent(part, whole, decimals=1):
    return formatting.percent(part, whole, decimals)


@register.simple_tag
def vn_ratio(part, whole):
    """ "3/5"; "chưa có dữ liệu" when there is no whole to count against (never "0/0")."""
    if not whole:
        return "chưa có dữ liệu"
    return f"{formatting.number(part or 0)}/{formatting.number(whole)}"


@register.filter
def lower_first(text: str) -> str:
    """ "Phân công các cơ quan…" → "phân công các cơ quan…"; a leading abbreviation
    ("UBND tỉnh…", "QĐ-UBND") is left alone."""
    if not text or text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]
