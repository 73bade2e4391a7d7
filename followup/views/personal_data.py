"""The secretariat's work on households' personal data: find a household, see what is stored
about it and who looked, export, correct or erase it on its request; and the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Min, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from assignments.permissions import managed_province
from core.forms import add_service_errors
from core.workbook import CONTENT_TYPE

from ..forms.personal_data import AccessFilterForm, CorrectForm, EraseForm, HouseholdSearchForm
from ..models import FollowUpCheck, HouseholdSupport, PersonalDataAccess
from ..services import personal_data as services

RESULTS = 50


def _province_supports(request):
    province = managed_province(request.user)  # 403 for anyone but a secretariat
    return province, HouseholdSupport.objects.filter(
        activity__assignment__decision__province=province
    )


@require_safe
@login_required
def household_search(request):
    """Find a household by its name (part of it, any case) among the province's supports."""
    province, supports = _province_supports(request)
    form = HouseholdSearchForm(request.GET or None)
    results = []
    if form.is_valid() and form.cleaned_data["q"]:
        results = list(
            supports.identified()
            .filter(household__icontains=form.cleaned_data["q"])
            .values("household", "village__name", "activity__assignment__commune__name")
            .annotate(first=Min("pk"), supports=Count("pk"))
            .order_by("household", "activity__assignment__commune__name", "village__name")[:RESULTS]
        )
        if results:
            shown = supports.filter(pk__in=[row["first"] for row in results]).select_related(
                "activity__assignment__decision"
            )
            services.log_access(
                user=request.user, action=services.Action.VIEW, supports=shown,
                page="Tìm hộ theo yêu cầu về dữ liệu cá nhân", names_shown=True,
            )  # fmt: skip
    return render(
        request,
        "followup/household_search.html",
        {"form": form, "results": results, "province": province, "limit": RESULTS},
    )


def _household(request, pk) -> tuple[HouseholdSupport, list[HouseholdSupport]]:
    """The support `pk` of the secretariat's province and every support of its household
    (itself alone once erased), with what the pages and the export read."""
    _, supports = _province_supports(request)
    support = get_object_or_404(supports.select_related("activity__assignment__commune"), pk=pk)
    rows = supports.filter(pk=pk) if support.erased_at else supports.household_of(support)
    household = list(
        rows.select_related(
            "village", "activity__assignment__commune", "activity__assignment__agency",
            "activity__assignment__decision",
        )
        .prefetch_related(Prefetch("checks", FollowUpCheck.objects.order_by("months")))
        .order_by("activity__start_date", "pk")
    )  # fmt: skip
    return support, household


@require_safe
@login_required
def household_detail(request, pk):
    support, household = _household(request, pk)
    accesses = (
        PersonalDataAccess.objects.filter(supports__in=household)
        .select_related("user")
        .distinct()
        .order_by("-at", "-pk")[:20]
    )
    services.log_access(
        user=request.user, action=services.Action.VIEW, supports=household,
        page="Dữ liệu cá nhân của hộ", names_shown=True,
    )  # fmt: skip
    return render(
        request,
        "followup/household_detail.html",
        {"support": support, "household": household, "accesses": accesses},
    )


def _refuse_erased(request, support) -> bool:
    if support.erased_at:
        messages.error(
            request,
            f"Thông tin cá nhân của hộ này đã được xóa lúc "
            f"{timezone.localtime(support.erased_at):%H:%M %d/%m/%Y}.",
        )
        return True
    return False


@require_safe
@login_required
def household_export(request, pk):
    support, household = _household(request, pk)
    if _refuse_erased(request, support):
        return redirect("household_detail", pk)
    data = services.household_export(user=request.user, supports=household)
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    name = f"du-lieu-ho-{support.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def household_correct(request, pk):
    support, household = _household(request, pk)
    if _refuse_erased(request, support):
        return redirect("household_detail", pk)
    initial = {"household": support.household, "village": support.village_id,
               "standing": support.standing}  # fmt: skip
    form = CorrectForm(
        request.POST or None, initial=initial, villages=services.village_choices(support)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.household_correct(
                user=request.user, supports=household, fields=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Đã sửa thông tin của hộ ở {len(household)} lượt hỗ trợ.")
            return redirect("household_detail", pk)
    return render(
        request,
        "followup/household_correct.html",
        {"form": form, "support": support, "household": household},
    )


@login_required
def household_erase(request, pk):
    """A page that says what erasure does, then the erasure (a POST with the request's
    reference)."""
    support, household = _household(request, pk)
    if _refuse_erased(request, support):
        return redirect("household_detail", pk)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.household_erase(
                user=request.user, supports=household, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã xóa thông tin cá nhân của hộ ở {count} lượt hỗ trợ; số liệu được giữ lại.",
            )
            return redirect("household_detail", pk)
    photos = sum(1 for s in household for c in s.checks.all() if c.photo)
    return render(
        request,
        "followup/household_erase.html",
        {"form": form, "support": support, "household": household, "photos": photos},
    )


@require_safe
@login_required
def personal_data_log(request):
    """Every view, export, correction and erasure of household data in the province."""
    province = managed_province(request.user)
    form = AccessFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = PersonalDataAccess.objects.visible_to(request.user).filter(province=province)
    if filters.get("action"):
        rows = rows.filter(action=filters["action"])
    if who := filters.get("who"):
        rows = rows.filter(
            Q(user__username__icontains=who)
            | Q(user__last_name__icontains=who)
            | Q(user__first_name__icontains=who)
        )
    rows = rows.select_related("user").annotate(households=Count("supports")).order_by("-at", "-pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "followup/personal_data_log.html",
        {"form": form, "page": page, "province": province},
    )
