"""Annual plans: an assignment's plan for a year, its planned activities, results against it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from assignments.models import Assignment
from core.forms import add_service_errors
from core.periods import quarter_bounds

from ..forms.plans import PlanForm, PlanItemForm
from ..models import AnnualPlan, PlanItem
from ..plans import progress
from ..services import plans as services


def _plan_assignment(request, pk):
    return get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("agency", "commune"), pk=pk
    )


@require_safe
@login_required
def plan_detail(request, pk, year):
    assignment = _plan_assignment(request, pk)
    return _plan_page(request, assignment, year)


def _quarter_rows(year: int, days: list[int]) -> list[tuple[int, int, str]]:
    """(quarter, days on site, "past" | "current" | "future") for the plan page."""
    today = timezone.localdate()
    rows = []
    for quarter, got in zip(range(1, 5), days, strict=True):
        start, end = quarter_bounds(year, quarter)
        when = "future" if start > today else "current" if end >= today else "past"
        rows.append((quarter, got, when))
    return rows


def _plan_page(request, assignment, year, plan_form=None, item_form=None):
    plan = (
        AnnualPlan.objects.filter(assignment=assignment, year=year)
        .prefetch_related("items__category", "items__target_item")
        .first()
    )
    result = progress([plan])[plan.pk] if plan else None
    may_plan = services.may_plan(request.user, assignment)
    return render(
        request,
        "followup/plan_detail.html",
        {
            "assignment": assignment,
            "year": year,
            "plan": plan,
            "result": result,
            "quarters": _quarter_rows(year, result.days) if result else [],
            "may_plan": may_plan,
            "plan_form": plan_form or (PlanForm(instance=plan) if may_plan else None),
            "item_form": item_form or (PlanItemForm() if may_plan and plan else None),
            "years": range(assignment.valid_from.year, assignment.valid_to.year + 1),
        },
    )


@require_POST
@login_required
def plan_save(request, pk, year):
    assignment = _plan_assignment(request, pk)
    if not services.may_plan(request.user, assignment):
        raise PermissionDenied("Chỉ cơ quan được phân công mới lập kế hoạch giúp xã.")
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_save(
                user=request.user, assignment=assignment, year=year, fields=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Đã lưu kế hoạch năm {year}.")
            return redirect("plan_detail", assignment.pk, year)
    return _plan_page(request, assignment, year, plan_form=form)


@require_POST
@login_required
def plan_item_add(request, pk, year):
    assignment = _plan_assignment(request, pk)
    plan = get_object_or_404(AnnualPlan, assignment=assignment, year=year)
    if not services.may_plan(request.user, assignment):
        raise PermissionDenied("Chỉ cơ quan được phân công mới lập kế hoạch giúp xã.")
    form = PlanItemForm(request.POST)
    if form.is_valid():
        services.plan_item_add(user=request.user, plan=plan, fields=form.cleaned_data)
        messages.success(request, "Đã thêm hoạt động vào kế hoạch.")
        return redirect("plan_detail", assignment.pk, year)
    return _plan_page(request, assignment, year, item_form=form)


@require_POST
@login_required
def plan_item_delete(request, pk):
    item = get_object_or_404(
        PlanItem.objects.filter(
            plan__in=AnnualPlan.objects.visible_to(request.user)
        ).select_related("plan__assignment"),
        pk=pk,
    )
    services.plan_item_delete(user=request.user, item=item)
    messages.success(request, "Đã bỏ hoạt động khỏi kế hoạch.")
    return redirect("plan_detail", item.plan.assignment_id, item.plan.year)
