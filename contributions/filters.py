"""Filters of the activity list (django-filter), applied to an already scoped queryset."""

import django_filters
from django import forms
from django.db.models import Q

from assignments.models import Assignment
from communes.models import Commune
from core.periods import RELATIVE_PERIODS, named_period

from .models import Activity, Category, Contribution, ReviewStatus


class ActivityFilter(django_filters.FilterSet):
    period = django_filters.ChoiceFilter(
        label="Thời gian", choices=RELATIVE_PERIODS, method="filter_period", empty_label="Tất cả"
    )
    date_from = django_filters.DateFilter(
        label="Từ ngày",
        field_name="start_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label="Đến ngày",
        field_name="start_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    commune = django_filters.ModelChoiceFilter(
        label="Xã", queryset=Commune.objects.none(), method="filter_commune", empty_label="Tất cả"
    )
    category = django_filters.ModelChoiceFilter(
        label="Lĩnh vực", queryset=Category.objects.all(), empty_label="Tất cả"
    )
    status = django_filters.ChoiceFilter(
        label="Trạng thái", choices=ReviewStatus.choices, empty_label="Tất cả"
    )
    is_lasting = django_filters.ChoiceFilter(
        label="Tính chất",
        choices=[("1", "Hỗ trợ lâu dài"), ("0", "Hỗ trợ một lần")],
        method="filter_lasting",
        empty_label="Tất cả",
    )
    is_notable = django_filters.BooleanFilter(
        label="Điển hình",
        widget=forms.Select(choices=[("", "Tất cả"), ("true", "Có"), ("false", "Không")]),
    )
    source = django_filters.ChoiceFilter(
        label="Nguồn",
        choices=Contribution.Source.choices,
        method="filter_source",
        empty_label="Tất cả",
    )
    q = django_filters.CharFilter(label="Tìm nội dung", method="filter_text")

    class Meta:
        model = Activity
        fields = []

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        communes = Assignment.objects.visible_to(user).values("commune")
        self.filters["commune"].queryset = (
            Commune.objects.filter(Q(pk__in=communes))
            .select_related("district")
            .order_by("valid_to", "name")
        )

    def filter_period(self, queryset, name, value):
        return queryset.between(*named_period(value, self.today))

    def filter_commune(self, queryset, name, value):
        return queryset.filter(assignment__commune=value)

    def filter_lasting(self, queryset, name, value):
        return queryset.filter(is_lasting=value == "1")

    def filter_source(self, queryset, name, value):
        return queryset.filter(pk__in=Contribution.objects.filter(source=value).values("activity"))

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
