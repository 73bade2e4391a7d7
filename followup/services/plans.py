"""Writes of annual plans: the agency assigned to the commune makes the plan for a year of
the assignment and adds or removes its planned activities."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from contributions.services import may_log

from ..models import AnnualPlan, PlanItem


def may_plan(user, assignment) -> bool:
    return may_log(user, assignment)


@transaction.atomic
def plan_save(*, user, assignment, year: int, fields: dict) -> AnnualPlan:
    """Create or update the assignment's plan for `year` (within the assignment's years)."""
    if not may_plan(user, assignment):
        raise PermissionDenied("Chỉ cơ quan được phân công mới lập kế hoạch giúp xã.")
    if not assignment.valid_from.year <= year <= assignment.valid_to.year:
        raise ValidationError(
            f"Năm {year} nằm ngoài thời gian phân công "
            f"({assignment.valid_from:%d/%m/%Y} – {assignment.valid_to:%d/%m/%Y})."
        )
    plan = AnnualPlan.objects.filter(assignment=assignment, year=year).first() or AnnualPlan(
        assignment=assignment, year=year, created_by=user
    )
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean(exclude=["created_by"])
    plan.save()
    return plan


@transaction.atomic
def plan_item_add(*, user, plan: AnnualPlan, fields: dict) -> PlanItem:
    if not may_plan(user, plan.assignment):
        raise PermissionDenied("Chỉ cơ quan được phân công mới lập kế hoạch giúp xã.")
    item = PlanItem(plan=plan, **fields)
    item.title = " ".join(item.title.split())
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def plan_item_delete(*, user, item: PlanItem) -> None:
    if not may_plan(user, item.plan.assignment):
        raise PermissionDenied("Chỉ cơ quan được phân công mới sửa kế hoạch.")
    item.delete()
