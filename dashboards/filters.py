"""The review table's filters (django-filter over the already scoped assignments), and the
order and flags applied to its computed rows."""

import datetime

import django_filters
from django import forms
from django.db.models import Q

from assignments.models import Assignment
from communes.models import Commune, District
from core.text import fold


class ReviewFilter(django_filters.FilterSet):
    """Filters of the review table (django-filter over the scoped assignments)."""

    district = django_filters.ModelChoiceFilter(
        label="Huyện (trước 01/7/2025)", queryset=District.objects.none(), method="by_district"
    )
    q = django_filters.CharFilter(label="Tên xã", method="by_name")
    idle = django_filters.BooleanFilter(
        label="Chỉ xã 90 ngày chưa có hoạt động", method="keep", widget=forms.CheckboxInput
    )
    below = django_filters.BooleanFilter(
        label="Chỉ xã có cơ quan chưa đủ ngày về xã", method="keep", widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label="Sắp xếp",
        method="keep",
        empty_label="Giá trị giảm dần",
        choices=[
            ("commune", "Tên xã"),
            ("cash_share", "Tỷ lệ tiền mặt"),
            ("lasting_share", "Tỷ lệ lâu dài"),
            ("last", "Hoạt động gần nhất"),
            ("waiting", "Chờ xác nhận"),
        ],
    )

    class Meta:
        model = Assignment
        fields = []

    def __init__(self, *args, province, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["district"].queryset = District.objects.filter(
            province__successor=province
        ).order_by("name")

    def by_district(self, queryset, name, value):
        return queryset.filter(
            Q(commune__district=value) | Q(commune__predecessors__district=value)
        ).distinct()

    def by_name(self, queryset, name, value):
        """Communes whose name, or a former commune's name, holds the words typed: an old
        name finds the commune it went into, with everything its predecessors received."""
        named = Commune.objects.filter(search_key__contains=fold(value))
        current = Commune.objects.current().filter(
            Q(pk__in=named.values("pk")) | Q(predecessors__in=named)
        )
        return queryset.filter(
            Q(commune__in=current) | Q(commune__successors__in=current)
        ).distinct()

    def keep(self, queryset, name, value):
        return queryset  # applied to the computed rows


def sorted_rows(rows: list[dict], data: dict) -> list[dict]:
    if data.get("idle"):
        rows = [r for r in rows if r["idle"]]
    if data.get("below"):
        rows = [r for r in rows if r["below"]]
    key = data.get("sort") or "total"
    if key == "commune":
        return sorted(rows, key=lambda r: fold(r["commune"]))
    if key == "last":
        return sorted(rows, key=lambda r: r["last"] or datetime.date.min, reverse=True)
    return sorted(rows, key=lambda r: r[key] if r[key] is not None else -1, reverse=True)
