"""Dashboards: the province overview and a commune's page, for a chosen period.

Every figure is an SQL aggregate from `figures.compute` over assignments scoped by the
access rules; a page runs the same bounded number of queries whatever the data size.
"""

import datetime

import django_filters
from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from assignments.models import Assignment
from assignments.scoping import PROVINCE_WIDE, role_kinds, user_roles
from communes.models import Commune, CommuneIndicator, District
from core.formatting import million_dong, percent
from core.periods import named_period, period_label, quarter_bounds, quarter_of
from core.text import fold
from core.workbook import safe_text

from . import charts, figures

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


def _context(request, assignments, scope_label: str, *, detail: bool = True):
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = form.bounds(today, _phase(assignments))
    scope = figures.scope_of(assignments)
    result = figures.compute(scope, start, end, scope_label=scope_label, today=today, detail=detail)
    change = result.change
    return {
        "form": form,
        "scope": scope,
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


def _open_tasks(user, where: Q) -> list:
    """Open meeting tasks matching `where` that the user may see, overdue first (one query)."""
    from followup.models import Task

    today = timezone.localdate()
    tasks = list(
        Task.objects.visible_to(user)
        .filter(where, status=Task.Status.OPEN)
        .select_related("meeting", "agency", "commune", "village", "person")
        .order_by("due_date")[:20]
    )
    for task in tasks:
        task.overdue = task.is_overdue(today)
    return tasks


def province_map(province, assignments, start, end, today) -> str:
    """The map of the province: assigned communes over the faint backdrop of all of them."""
    from django.urls import reverse

    rows = figures.commune_review(assignments, start, end, today)
    coordinates = {
        pk: (lat, lon)
        for pk, lat, lon in Commune.objects.filter(pk__in=[r["pk"] for r in rows])
        .exclude(latitude=None)
        .values_list("pk", "latitude", "longitude")
    }
    backdrop = [
        (float(lon), float(lat))
        for lat, lon in Commune.objects.current()
        .filter(province=province)
        .exclude(latitude=None)
        .values_list("latitude", "longitude")
    ]
    points = [
        {"name": r["commune"], "value": r["total"], "below": bool(r["below"]),
         "lat": float(coordinates[r["pk"]][0]), "lon": float(coordinates[r["pk"]][1]),
         "url": reverse("commune_dashboard", args=[r["pk"]])}
        for r in rows if r["pk"] in coordinates
    ]  # fmt: skip
    return charts.commune_map(
        backdrop, points, title=f"Bản đồ các xã được giúp đỡ – {province.name}"
    )


def _workbook_response(assignments, context, name: str):
    """Every table of a dashboard, as the report's workbook for the same scope and period."""
    import io

    from . import xlsx

    data = xlsx.build(
        context["f"],
        figures.activity_rows(assignments, context["start"], context["end"]),
        title=f"Số liệu giúp xã – {context['f'].scope_label}",
    )
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"{name}.xlsx")


@require_safe
@login_required
def province_dashboard(request):
    """Tổng quan tỉnh: for the leadership and the secretariat (and, narrowed to their own
    assignments, everyone else: the numbers are always those the user may see)."""
    roles = user_roles(request.user)
    if not roles:
        return render(request, "reports/dashboard_province.html", {"no_role": True})
    province = roles[0].province
    assignments = Assignment.objects.visible_to(request.user).adopted()
    # The overview page shows no annex item columns, needs, follow-ups or plans: those are
    # read for its Excel download, on the commune and agency pages and in the report (a
    # province's plans alone cost 0,3 s at a million rows).
    download = request.GET.get("format") == "xlsx"
    context = _context(request, assignments, province.name, detail=download)
    if request.GET.get("format") == "xlsx":
        return _workbook_response(assignments, context, "tong-quan")
    context.update(
        province=province,
        wide=bool(PROVINCE_WIDE & role_kinds(request.user)),
        tasks=_open_tasks(request.user, Q(due_date__lt=timezone.localdate())),
        map=province_map(
            province, context["scope"], context["start"], context["end"], timezone.localdate()
        ),
    )
    return render(request, "reports/dashboard_province.html", context)


@require_safe
@login_required
def commune_dashboard(request, pk):
    """A commune's page: its agencies, support over time, indicators, predecessors."""
    visible = Assignment.objects.visible_to(request.user).adopted()
    communes = Commune.objects.filter(pk__in=visible.values("commune")) | Commune.objects.filter(
        pk__in=visible.values("commune__successors")
    )
    commune = get_object_or_404(communes.distinct().select_related("district", "province"), pk=pk)
    assignments = figures.scope_assignments(province=None, commune=commune, visible=visible)
    context = _context(request, assignments, commune.name)
    if request.GET.get("format") == "xlsx":
        return _workbook_response(assignments, context, f"xa-{commune.code}")
    indicators = list(
        CommuneIndicator.objects.filter(
            commune__in=[commune.pk, *commune.predecessors.values_list("pk", flat=True)]
        )
        .select_related("commune")
        .order_by("year", "commune__name")
    )
    if indicators:
        support = figures.yearly_support(context["scope"], indicators[0].year, indicators[-1].year)
        for row in indicators:  # this commune's rows count its pre-reform communes in
            row.support = sum(
                value
                for (commune_id, year), value in support.items()
                if year == row.year and (row.commune_id in (commune_id, commune.pk))
            )
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
        indicators=indicators,
        quarter_label=f"quý {quarter_of(today)}/{today.year}",
        quarter_days=figures.quarter_days(context["scope"], q_start, q_end),
        tasks=_open_tasks(request.user, Q(commune=commune) | Q(village__commune=commune)),
    )
    return render(request, "reports/dashboard_commune.html", context)


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
        return queryset.filter(commune__search_key__contains=fold(value))

    def keep(self, queryset, name, value):
        return queryset  # applied to the computed rows


def _sorted_rows(rows: list[dict], data: dict) -> list[dict]:
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


@require_safe
@login_required
def review_table(request):
    """Bảng rà soát: communes with value, shares, last activity, compliance, waiting records;
    flags for 90 days without activity and agencies below the days on site."""
    roles = user_roles(request.user)
    if not roles:
        raise Http404
    province = roles[0].province
    visible = Assignment.objects.visible_to(request.user).adopted()
    review_filter = ReviewFilter(request.GET or None, queryset=visible, province=province)
    assignments = Assignment.objects.filter(pk__in=review_filter.qs.values("pk"))
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = form.bounds(today, _phase(visible))
    data = review_filter.form.cleaned_data if review_filter.form.is_valid() else {}
    rows = _sorted_rows(figures.commune_review(assignments, start, end, today), data)
    if request.GET.get("format") == "xlsx":
        return _review_workbook(rows, period_label(start, end))
    return render(
        request,
        "reports/review_table.html",
        {"filter": review_filter, "form": form, "rows": rows, "period": period_label(start, end),
         "start": start, "end": end, "province": province},
    )  # fmt: skip


def _review_workbook(rows, period):
    """The table as Excel, written row by row (write-only) into a temp file and streamed."""
    import tempfile

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Rà soát xã")
    sheet.append([f"Bảng rà soát các xã – {period}"])
    sheet.append(["Xã", "Gồm xã cũ", "Tổng giá trị (đồng)", "Tiền mặt (đồng)", "Tỷ lệ tiền mặt (%)",
                  "Tỷ lệ lâu dài (%)", "Hoạt động gần nhất", "90 ngày chưa hoạt động",
                  "Cơ quan chưa đủ ngày về xã", "Chờ xác nhận"])  # fmt: skip
    for r in rows:
        sheet.append([
            safe_text(r["commune"]), safe_text(", ".join(r["predecessors"])), r["total"], r["cash"],
            float(round(r["cash_share"], 1)) if r["cash_share"] is not None else None,
            float(round(r["lasting_share"], 1)) if r["lasting_share"] is not None else None,
            r["last"], "Có" if r["idle"] else "", ", ".join(r["below"]), r["waiting"],
        ])  # fmt: skip
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename="ra-soat-xa.xlsx")


@require_safe
@login_required
def agency_dashboard(request, pk):
    """An agency's page: its communes, totals, days on site, and per quarter whether it
    reported on time, late or not at all."""
    from assignments.models import Agency

    visible = Assignment.objects.visible_to(request.user).adopted()
    agency = get_object_or_404(
        Agency.objects.filter(pk__in=visible.values("agency")).select_related("province"), pk=pk
    )
    assignments = figures.scope_assignments(province=None, agency=agency, visible=visible)
    context = _context(request, assignments, agency.name)
    if request.GET.get("format") == "xlsx":
        return _workbook_response(assignments, context, f"co-quan-{agency.pk}")
    context.update(
        agency=agency,
        tasks=_open_tasks(request.user, Q(agency=agency)),
        timeliness=figures.reporting_by_quarter(
            context["scope"], context["start"], context["end"], timezone.localdate()
        ),
        communes=figures.commune_review(
            context["scope"], context["start"], context["end"], timezone.localdate()
        ),
    )
    return render(request, "reports/dashboard_agency.html", context)
