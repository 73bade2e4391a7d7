"""Dashboards: the province overview and a commune's page, for a chosen period.

Every figure is an SQL aggregate from `figures.compute` over assignments scoped by the
access rules; a page runs the same bounded number of queries whatever the data size.
"""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from assignments.models import Assignment
from assignments.permissions import role_kinds
from assignments.scoping import user_roles
from communes.models import Commune, CommuneIndicator

from . import charts, figures
from .formatting import million_dong, percent
from .periods import named_period, period_label, quarter_bounds, quarter_of

PERIOD_CHOICES = [
    ("this_quarter", "Quý này"),
    ("last_quarter", "Quý trước"),
    ("this_half", "6 tháng này"),
    ("this_year", "Năm nay"),
    ("last_year", "Năm trước"),
    ("phase", "Cả giai đoạn"),
    ("custom", "Tùy chọn"),
]


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label="Kỳ", choices=PERIOD_CHOICES, required=False, initial="this_year"
    )
    start = forms.DateField(
        label="Từ ngày", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="Đến ngày", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def bounds(self, today: datetime.date, phase: tuple) -> tuple[datetime.date, datetime.date]:
        data = self.cleaned_data if self.is_valid() else {}
        key = data.get("period") or "this_year"
        if (
            key == "custom"
            and data.get("start")
            and data.get("end")
            and data["start"] <= data["end"]
        ):
            return data["start"], data["end"]
        if key == "phase":
            return phase
        if key == "custom":
            key = "this_year"
        return named_period(key, today)


def _phase(assignments) -> tuple[datetime.date, datetime.date]:
    dates = assignments.order_by().values_list("decision__phase_start", "decision__phase_end")
    starts, ends = zip(*dates, strict=True) if dates else ((None,), (None,))
    today = timezone.localdate()
    return (min(starts) or datetime.date(today.year, 1, 1), max(ends) or today)


def _context(request, assignments, scope_label: str):
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = form.bounds(today, _phase(assignments))
    result = figures.compute(assignments, start, end, scope_label=scope_label, today=today)
    change = result.change
    return {
        "form": form,
        "f": result,
        "start": start,
        "end": end,
        "period": period_label(start, end),
        "total": million_dong(result.total_value),
        "cash": million_dong(result.cash_value),
        "cash_share": percent(result.cash_value, result.total_value),
        "lasting_share": percent(result.lasting_value, result.total_value),
        "change": change,
        "on_time": sum(1 for r in result.completeness if r["state"] == "on_time"),
        "late": [r["agency"] for r in result.completeness if r["state"] == "late"],
        "missing": [r["agency"] for r in result.completeness if r["state"] == "missing"],
        "category_chart": charts.bar_chart(
            [
                (r["name"], r["value"])
                for r in sorted(result.by_category, key=lambda r: -r["value"])
            ],
            title="Giá trị theo lĩnh vực",
        ),
        "agency_chart": charts.bar_chart(
            [(r["name"], r["value"]) for r in result.by_agency[:10]],
            title="Xếp hạng cơ quan, đơn vị theo giá trị huy động",
        ),
        "trend_chart": charts.column_chart(
            [(r["label"], r["value"]) for r in result.by_quarter], title="Xu hướng theo quý"
        ),
    }


@require_safe
@login_required
def province_dashboard(request):
    """Tổng quan tỉnh: for the leadership and the secretariat (and, narrowed to their own
    assignments, everyone else: the numbers are always those the user may see)."""
    roles = user_roles(request.user)
    if not roles:
        return render(request, "reports/dashboard_province.html", {"no_role": True})
    province = roles[0].province
    assignments = Assignment.objects.visible_to(request.user).exclude(decision__status="draft")
    context = _context(request, assignments, province.name)
    context.update(province=province, wide="secretariat" in role_kinds(request.user)
                   or "leadership" in role_kinds(request.user))  # fmt: skip
    return render(request, "reports/dashboard_province.html", context)


@require_safe
@login_required
def commune_dashboard(request, pk):
    """A commune's page: its agencies, support over time, indicators, predecessors."""
    visible = Assignment.objects.visible_to(request.user).exclude(decision__status="draft")
    communes = Commune.objects.filter(pk__in=visible.values("commune")) | Commune.objects.filter(
        pk__in=visible.values("commune__successors")
    )
    commune = get_object_or_404(communes.distinct().select_related("district", "province"), pk=pk)
    assignments = figures.scope_assignments(province=None, commune=commune, visible=visible)
    context = _context(request, assignments, commune.name)
    indicators = CommuneIndicator.objects.filter(
        commune__in=[commune.pk, *commune.predecessors.values_list("pk", flat=True)]
    ).order_by("year", "commune__name")
    today = timezone.localdate()
    q_start, q_end = quarter_bounds(today.year, quarter_of(today))
    context.update(
        commune=commune,
        predecessors=commune.predecessors.select_related("district"),
        successors=commune.successors.all(),
        classes=commune.classifications.all(),
        agencies=assignments.select_related("agency", "decision", "paired_company").order_by(
            "-valid_to", "role", "agency__name"
        ),
        indicators=indicators.select_related("commune"),
        quarter_label=f"quý {quarter_of(today)}/{today.year}",
        quarter_days=figures.quarter_days(assignments, q_start, q_end),
    )
    return render(request, "reports/dashboard_commune.html", context)
