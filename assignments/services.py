"""Writes to decisions and assignments."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from communes.models import REFORM_DATE, CommuneSuccession

from .models import Assignment, Decision


@dataclass
class RemapResult:
    decision: Decision
    created: int = 0
    merged: int = 0
    without_successor: list = field(default_factory=list)


@transaction.atomic
def decision_remap(
    *,
    decision: Decision,
    number: str,
    signed_on: datetime.date,
    phase_start: datetime.date,
    phase_end: datetime.date,
    title: str = "",
) -> RemapResult:
    """A draft decision moving `decision`'s assignments onto the communes of 1 July 2025.

    Each pre-reform commune goes to its primary successor. When one agency helped several old
    communes that became one new commune, the assignments merge into one (lead if any was
    lead). Old communes without a successor are listed in the result, not dropped silently.
    The draft takes effect only when the secretariat confirms it (`decision_confirm`).
    """
    draft = Decision(
        province=decision.province,
        number=number,
        signed_on=signed_on,
        issuer=decision.issuer,
        title=title
        or f"Phân công giúp đỡ các xã sau sắp xếp đơn vị hành chính (thay thế {decision.number})",
        phase_start=phase_start,
        phase_end=phase_end,
        required_days_per_quarter=decision.required_days_per_quarter,
        status=Decision.Status.DRAFT,
        replaces=decision,
    )
    draft.full_clean()  # a number already used raises a ValidationError with a message
    draft.save()
    result = RemapResult(decision=draft)
    successors = dict(
        CommuneSuccession.objects.filter(
            predecessor__in=decision.assignments.values("commune"), is_primary=True
        ).values_list("predecessor_id", "successor_id")
    )
    merged: dict[tuple[int, int], Assignment] = {}
    for old in decision.assignments.select_related("commune").order_by("role", "pk"):
        if old.commune.is_current:
            new_commune_id = old.commune_id
        elif old.commune_id in successors:
            new_commune_id = successors[old.commune_id]
        else:
            result.without_successor.append(old.commune)
            continue
        key = (old.agency_id, new_commune_id)
        existing = merged.get(key)
        if existing is not None:
            result.merged += 1
            if old.role == Assignment.Role.LEAD:
                existing.role = Assignment.Role.LEAD
            existing.paired_company_id = existing.paired_company_id or old.paired_company_id
            continue
        merged[key] = Assignment(
            decision=draft,
            agency_id=old.agency_id,
            commune_id=new_commune_id,
            role=old.role,
            paired_company_id=old.paired_company_id,
            valid_from=max(phase_start, REFORM_DATE),
            valid_to=phase_end,
            remapped_from=old,
        )
    for assignment in merged.values():
        assignment.full_clean(exclude=["decision", "agency", "commune", "paired_company"])
    Assignment.objects.bulk_create(merged.values())
    result.created = len(merged)
    return result


@transaction.atomic
def decision_confirm(*, decision: Decision) -> Decision:
    """A draft takes effect; the decision it replaces is marked replaced (kept for history)."""
    if decision.status != Decision.Status.DRAFT:
        raise ValueError("Chỉ quyết định dự thảo mới xác nhận ban hành được.")
    decision.status = Decision.Status.IN_FORCE
    decision.save(update_fields=["status"])
    if decision.replaces_id:
        replaced = decision.replaces
        replaced.status = Decision.Status.REPLACED
        replaced.save(update_fields=["status"])
    return decision


def province_settings_save(*, province, giupxa_since) -> None:
    """The day the province began with giupxa (`Province.giupxa_since`)."""
    province.giupxa_since = giupxa_since
    province.save(update_fields=["giupxa_since"])
