"""Template filters for Vietnamese numbers and money: {% load vn %}{{ total|million_dong }}."""

from django import template

from reports import formatting

register = template.Library()

register.filter("million_dong", formatting.million_dong)
register.filter("dong", formatting.dong)
register.filter("vn_number", formatting.number)
register.filter("vn_quantity", formatting.trimmed_number)


@register.simple_tag
def vn_percent(part, whole, decimals=1):
    return formatting.percent(part, whole, decimals)
