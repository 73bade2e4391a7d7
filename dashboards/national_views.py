"""The centre's pages: provinces side by side, a map of them, their issued reports; each
province's own dashboards are a click away (read-only: the national role writes nothing)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from assignments.scoping import RoleKind, role_provinces
from communes.models import Province
from reports import charts
from reports.models import ReportRun

from . import national


def _year(request, today) -> int:
    wanted = request.GET.get("year", "")
    if wanted.isdigit() and 2015 <= int(wanted) <= today.year:
        return int(wanted)
    return today.year


def _map(rows) -> str:
    backdrop = [
        (float(lon), float(lat))
        for lat, lon in Province.objects.current()
        .exclude(latitude=None)
        .values_list("latitude", "longitude")
    ]
    points = [
        {"name": r.province.name, "value": r.total, "lat": float(r.province.latitude),
         "lon": float(r.province.longitude),
         "below": bool(r.days_counted) and r.days_met < r.days_counted,
         "url": f"{reverse('province_dashboard')}?province={r.province.pk}"}
        for r in rows if r.active and r.province.latitude is not None
    ]  # fmt: skip
    # a tall box: the country is twice as long as it is wide
    return charts.commune_map(backdrop, points, title="Các tỉnh, thành phố", width=440, height=640)


@require_safe
@login_required
def national_overview(request):
    provinces = role_provinces(request.user, kinds={RoleKind.NATIONAL})
    if not provinces:
        raise PermissionDenied("Chỉ tài khoản trung ương xem được trang này.")
    today = timezone.localdate()
    year = _year(request, today)
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    rows = national.comparison(provinces, start, end, today)
    active = [r for r in rows if r.active]
    inactive = [r for r in rows if not r.active]
    reports = (
        ReportRun.objects.visible_to(request.user)
        .filter(status=ReportRun.Status.ISSUED)
        .select_related("province")
        .order_by("-issued_at")[:50]
    )
    return render(
        request, "dashboards/national.html",
        {"rows": rows, "active": active, "inactive": inactive, "year": year, "start": start,
         "end": end,
         "years": range(today.year, 2020, -1), "map": _map(rows), "reports": reports,
         "total": sum(r.total for r in active), "cash": sum(r.cash for r in active)},
    )  # fmt: skip
