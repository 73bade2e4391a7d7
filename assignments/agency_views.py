"""The secretariat keeps its province's agencies: adds one, renames one (the history keeps
its former names, which the reports of earlier periods may carry), retires one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render

from . import history
from .forms import AgencyForm
from .models import Agency
from .permissions import managed_province


def former_names(agency) -> list[tuple[str, object]]:
    """(name, until) for each name the agency had before its current one, oldest first."""
    rows = agency.history.order_by("history_date", "history_id").values_list("name", "history_date")
    names, previous = [], None
    for name, when in rows:
        if previous is not None and name != previous[0]:
            names.append((previous[0], when))
        previous = (name, when)
    return names


@login_required
def agency_list(request):
    province = managed_province(request.user)
    form = AgencyForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        agency = form.save(commit=False)
        agency.province = province
        agency._change_reason = "Thêm cơ quan"
        agency.save()
        messages.success(request, f"Đã thêm {agency.name}.")
        return redirect("agency_list")
    agencies = (
        Agency.objects.filter(province=province)
        .annotate(
            assignment_count=Count("assignments"), people_count=Count("people", distinct=True)
        )
        .order_by("-is_active", "name")
    )
    return render(
        request, "assignments/agency_list.html",
        {"agencies": agencies, "form": form, "province": province},
    )  # fmt: skip


@login_required
def agency_edit(request, pk):
    province = managed_province(request.user)
    agency = get_object_or_404(Agency.objects.filter(province=province), pk=pk)
    before = agency.name
    form = AgencyForm(request.POST or None, instance=agency, province=province)
    if request.method == "POST" and form.is_valid():
        agency = form.save(commit=False)
        agency._change_reason = (
            f"Đổi tên từ «{before}»" if agency.name != before else "Sửa thông tin cơ quan"
        )
        agency.save()
        messages.success(request, f"Đã lưu {agency.name}.")
        return redirect("agency_edit", pk=agency.pk)
    return render(
        request, "assignments/agency_form.html",
        {"agency": agency, "form": form, "former": former_names(agency),
         "merged": history.merged_agencies(agency)},
    )  # fmt: skip
