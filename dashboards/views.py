"""The dashboards: home, "Xã tôi phụ trách", the province overview, the review table, and the
commune and agency pages. Every figure is scoped by the access rules (a page shows only what
the user may see) and comes from `reports.figures`, so a page runs the same bounded number of
queries whatever the data size."""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from assignments.models import Agency, Assignment
from assignments.scoping import (
    PROVINCE_WIDE,
    RoleKind,
    role_kinds,
    role_provinces,
    user_province,
    user_roles,
)
from communes.models import Commune, CommuneIndicator, Province
from contributions.selectors import waiting_for
from core.formatting import million_dong, percent
from core.periods import period_label, quarter_bounds, quarter_of
from reports import charts, figures

from . import downloads, selectors
from .filters import ReviewFilter, sorted_rows
from .forms import PeriodForm


def _centre_only(request) -> bool:
    """A national account with no province role, on a page about "my province" without
    ?province=: its page is the comparison of provinces."""
    return "province" not in request.GET and role_kinds(request.user) == {RoleKind.NATIONAL}


@require_safe
@login_required
def home(request):
    if _centre_only(request):
        return redirect("national_overview")
    today = timezone.localdate()
    due_soon = Q(due_date__lte=today + datetime.timedelta(days=7))
    roles = user_roles(request.user)
    national = [r for r in roles if r.kind == RoleKind.NATIONAL][:1]  # one per province
    return render(
        request,
        "dashboards/home.html",
        {
            "summary": selectors.home_summary(request.user, today),
            "roles": [r for r in roles if r.kind != RoleKind.NATIONAL] + national,
            # The user's open tasks due within a week or overdue (overdue ones in red).
            "tasks": selectors.open_tasks(request.user, due_soon, responsible=True),
        },
    )


@require_safe
@login_required
def my_communes(request):
    """Xã tôi phụ trách: the agency's communes, this quarter's work, what waits for me."""
    today = timezone.localdate()
    drafts_and_returned, to_review = waiting_for(request.user)
    return render(
        request,
        "dashboards/my_communes.html",
        {
            "assignments": selectors.my_assignments(request.user, today),
            "today": today,
            "mine": drafts_and_returned.with_related()[:20],
            "to_review": to_review.with_related()[:20],
        },
    )


def _context(request, assignments, scope_label: str, *, detail: bool = True) -> dict:
    """The period, the figures and the charts every dashboard page shows."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = form.bounds(today, selectors.phase_of(assignments))
    scope = figures.scope_of(assignments)
    result = figures.compute(scope, start, end, scope_label=scope_label, today=today, detail=detail)
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
        "on_time": len(result.agencies_in("on_time")),
        "late": result.agencies_in("late"),
        "missing": result.agencies_in("missing"),
        "back_entered": len(result.agencies_in("back_entered")),
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


def _province_map(province, scope, start, end, today) -> str:
    """The map of the province: assigned communes over the faint backdrop of all of them."""
    rows = selectors.commune_review(scope, start, end, today)
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


def chosen_province(request):
    """The province a page is about: the user's (their widest role's), or for someone who
    reads several (the centre) the one named by ?province=, among theirs; another is 404."""
    wanted = request.GET.get("province")
    if not wanted:
        return user_province(request.user)
    if not wanted.isdigit() or int(wanted) not in role_provinces(request.user):
        raise Http404("Tỉnh này ngoài phạm vi của bạn.")
    return Province.objects.get(pk=int(wanted))


@require_safe
@login_required
def province_dashboard(request):
    """Tổng quan tỉnh: for the leadership and the secretariat (and, narrowed to their own
    assignments, everyone else: the numbers are always those the user may see); the centre
    picks the province with ?province=."""
    if _centre_only(request):
        return redirect("national_overview")
    province = chosen_province(request)
    if province is None:
        return render(request, "dashboards/province.html", {"no_role": True})
    assignments = selectors.visible_assignments(request.user).filter(decision__province=province)
    # The overview page shows no annex item columns, needs, follow-ups or plans: those are
    # read for its Excel download, on the commune and agency pages and in the report (a
    # province's plans alone cost 0,3 s at a million rows).
    download = request.GET.get("format") == "xlsx"
    context = _context(request, assignments, province.name, detail=download)
    if download:
        return downloads.dashboard_workbook(assignments, context, "tong-quan")
    today = timezone.localdate()
    context.update(
        province=province,
        wide=bool(PROVINCE_WIDE & role_kinds(request.user)),
        # the chosen province's: the centre sees every province's tasks
        tasks=selectors.open_tasks(request.user, Q(due_date__lt=today, meeting__province=province)),
        map=_province_map(province, context["scope"], context["start"], context["end"], today),
    )
    return render(request, "dashboards/province.html", context)


@require_safe
@login_required
def commune_dashboard(request, pk):
    """A commune's page: its agencies, support over time, indicators, predecessors."""
    visible = selectors.visible_assignments(request.user)
    communes = Commune.objects.filter(pk__in=visible.values("commune")) | Commune.objects.filter(
        pk__in=visible.values("commune__successors")
    )
    commune = get_object_or_404(communes.distinct().select_related("district", "province"), pk=pk)
    assignments = figures.scope_assignments(province=None, commune=commune, visible=visible)
    context = _context(request, assignments, commune.name)
    if request.GET.get("format") == "xlsx":
        return downloads.dashboard_workbook(assignments, context, f"xa-{commune.code}")
    indicators = list(
        CommuneIndicator.objects.filter(
            commune__in=[commune.pk, *commune.predecessors.values_list("pk", flat=True)]
        )
        .select_related("commune")
        .order_by("year", "commune__name")
    )
    if indicators:
        support = selectors.yearly_support(
            context["scope"], indicators[0].year, indicators[-1].year
        )
        for row in indicators:  # this commune's rows count its pre-reform communes in
            row.support = sum(
                value
                for (commune_id, year), value in support.items()
                if year == row.year and (row.commune_id in (commune_id, commune.pk))
            )
    today = timezone.localdate()
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
        quarter_days=selectors.quarter_days(
            context["scope"], *quarter_bounds(today.year, quarter_of(today))
        ),
        tasks=selectors.open_tasks(request.user, Q(commune=commune) | Q(village__commune=commune)),
    )
    return render(request, "dashboards/commune.html", context)


@require_safe
@login_required
def review_table(request):
    """Bảng rà soát: communes with value, shares, last activity, compliance, waiting records;
    flags for 90 days without activity and agencies below the days on site."""
    if _centre_only(request):
        return redirect("national_overview")
    province = chosen_province(request)
    if province is None:
        raise Http404
    visible = selectors.visible_assignments(request.user).filter(decision__province=province)
    review_filter = ReviewFilter(request.GET or None, queryset=visible, province=province)
    assignments = Assignment.objects.filter(pk__in=review_filter.qs.values("pk"))
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = form.bounds(today, selectors.phase_of(visible))
    data = review_filter.form.cleaned_data if review_filter.form.is_valid() else {}
    rows = sorted_rows(selectors.commune_review(assignments, start, end, today), data)
    if request.GET.get("format") == "xlsx":
        return downloads.review_workbook(rows, period_label(start, end))
    return render(
        request,
        "dashboards/review_table.html",
        {"filter": review_filter, "form": form, "rows": rows, "period": period_label(start, end),
         "start": start, "end": end, "province": province},
    )  # fmt: skip


@require_safe
@login_required
def agency_dashboard(request, pk):
    """An agency's page: its communes, totals, days on site, and per quarter whether it
    reported on time, late or not at all."""
    visible = selectors.visible_assignments(request.user)
    agency = get_object_or_404(
        Agency.objects.filter(pk__in=visible.values("agency")).select_related("province"), pk=pk
    )
    assignments = figures.scope_assignments(province=None, agency=agency, visible=visible)
    context = _context(request, assignments, agency.name)
    if request.GET.get("format") == "xlsx":
        return downloads.dashboard_workbook(assignments, context, f"co-quan-{agency.pk}")
    today = timezone.localdate()
    context.update(
        agency=agency,
        tasks=selectors.open_tasks(request.user, Q(agency=agency)),
        timeliness=selectors.reporting_by_quarter(
            context["scope"], context["start"], context["end"], today
        ),
        communes=selectors.commune_review(
            context["scope"], context["start"], context["end"], today
        ),
    )
    return render(request, "dashboards/agency.html", context)
