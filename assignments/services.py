"""Writes to decisions and assignments."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
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
        issuing_province=decision.province
        if signed_on >= REFORM_DATE
        else decision.issuing_province or decision.province,
        level=decision.level,
        issuing_commune=decision.issuing_commune,
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
    """A draft takes effect; the decision it replaces is marked replaced (kept for history)
    and its assignments still running end the day before the new phase starts, so one
    commune is never helped under two decisions at once."""
    if decision.status != Decision.Status.DRAFT:
        raise ValueError("Chỉ quyết định dự thảo mới xác nhận ban hành được.")
    decision.status = Decision.Status.IN_FORCE
    decision._change_reason = "Ban hành"
    decision.save()
    if decision.replaces_id:
        replaced = decision.replaces
        replaced.status = Decision.Status.REPLACED
        replaced._change_reason = f"Được thay thế bởi {decision.number}"
        replaced.save()
        last_day = decision.phase_start - datetime.timedelta(days=1)
        for old in replaced.assignments.filter(valid_to__gt=last_day, valid_from__lte=last_day):
            old.valid_to = last_day
            old._change_reason = f"Kết thúc khi {decision.number} có hiệu lực"
            old.save()
    return decision


@transaction.atomic
def decision_save(*, decision: Decision, reason: str) -> Decision:
    """A new decision (a draft until adopted) or a correction of one, recorded in its
    history. `full_clean` turns a number already used into a message."""
    if decision.pk is None:
        decision.status = Decision.Status.DRAFT
    decision.full_clean(exclude=["replaces", "issuing_province", "issuing_commune"])
    decision._change_reason = reason
    decision.save()
    if decision.status == Decision.Status.DRAFT:
        # A draft's assignments follow its phase while it is being prepared.
        decision.assignments.filter(valid_from__lt=decision.phase_start).update(
            valid_from=decision.phase_start
        )
        decision.assignments.filter(valid_to__gt=decision.phase_end).update(
            valid_to=decision.phase_end
        )
    return decision


@transaction.atomic
def decision_delete(*, decision: Decision) -> None:
    """Only a draft is deleted (nothing was ever logged against it)."""
    if decision.status != Decision.Status.DRAFT:
        raise ValidationError(
            "Chỉ xóa được quyết định dự thảo; quyết định đã ban hành được lưu lại."
        )
    for assignment in decision.assignments.all():
        assignment._change_reason = f"Xóa dự thảo {decision.number}"
        assignment.delete()
    decision._change_reason = "Xóa dự thảo"
    decision.delete()


def _records_between(assignment: Assignment, after: datetime.date | None = None) -> int:
    """How many records (activities, field visits: whatever names this assignment and has a
    start date) start after `after` (all of them when None)."""
    count = 0
    for relation in Assignment._meta.related_objects:
        model = relation.related_model
        if model is Assignment or "start_date" not in {f.name for f in model._meta.fields}:
            continue
        records = model._default_manager.filter(**{relation.field.name: assignment})
        if after is not None:
            records = records.filter(start_date__gt=after)
        count += records.count()
    return count


def fit_to_decision(assignment: Assignment) -> None:
    """Keep an assignment inside its decision's phase and its commune's life."""
    decision = assignment.decision
    if assignment.valid_from < decision.phase_start or assignment.valid_to > decision.phase_end:
        raise ValidationError(
            f"Hiệu lực phải trong giai đoạn của quyết định ({decision.phase_start:%d/%m/%Y} –"
            f" {decision.phase_end:%d/%m/%Y})."
        )
    commune = assignment.commune
    if commune.valid_to and assignment.valid_to > commune.valid_to:
        assignment.valid_to = commune.valid_to
    if commune.valid_from and assignment.valid_from < commune.valid_from:
        assignment.valid_from = commune.valid_from
    if assignment.valid_to < assignment.valid_from:
        raise ValidationError(
            f"{commune.name} chỉ tồn tại đến {commune.valid_to:%d/%m/%Y}: ngoài giai đoạn này."
        )


@transaction.atomic
def assignment_add(*, assignment: Assignment, reason: str = "Thêm phân công") -> Assignment:
    fit_to_decision(assignment)
    assignment.full_clean()
    assignment._change_reason = reason
    assignment.save()
    return assignment


@transaction.atomic
def assignment_end(*, assignment: Assignment, last_day: datetime.date, reason: str) -> None:
    """The assignment stops after `last_day`: records up to then stay with it; a record
    already logged after that day would be orphaned, so it is refused with a count."""
    if not assignment.valid_from <= last_day <= assignment.valid_to:
        raise ValidationError(
            f"Ngày kết thúc phải trong hiệu lực hiện tại ({assignment.valid_from:%d/%m/%Y} –"
            f" {assignment.valid_to:%d/%m/%Y})."
        )
    later = _records_between(assignment, after=last_day)
    if later:
        raise ValidationError(
            f"{assignment.agency} đã ghi {later} hoạt động, chuyến về xã sau ngày"
            f" {last_day:%d/%m/%Y}: chọn ngày kết thúc sau các ghi nhận đó."
        )
    assignment.valid_to = last_day
    assignment._change_reason = f"Kết thúc: {reason}"[:100]
    assignment.save()


@transaction.atomic
def assignment_move(
    *, assignment: Assignment, agency, first_day: datetime.date, reason: str
) -> Assignment:
    """Another agency takes over the commune from `first_day`: the old assignment ends the
    day before (its records stay with the agency that did the work), a new one starts."""
    if not assignment.valid_from <= first_day <= assignment.valid_to:
        raise ValidationError(
            f"Ngày chuyển phải trong hiệu lực hiện tại ({assignment.valid_from:%d/%m/%Y} –"
            f" {assignment.valid_to:%d/%m/%Y})."
        )
    if agency.pk == assignment.agency_id or agency.province_id != assignment.decision.province_id:
        raise ValidationError("Chọn một cơ quan khác của tỉnh.")
    clash = Assignment.objects.filter(
        decision=assignment.decision, agency=agency, commune=assignment.commune,
        village=assignment.village,
    )  # fmt: skip
    if clash.exists():
        raise ValidationError(
            f"{agency} đã được phân công giúp {assignment.helped_label} trong quyết định này."
        )
    later = _records_between(assignment, after=first_day - datetime.timedelta(days=1))
    if later:
        raise ValidationError(
            f"{assignment.agency} đã ghi {later} hoạt động, chuyến về xã từ ngày"
            f" {first_day:%d/%m/%Y}: chọn ngày chuyển sau các ghi nhận đó."
        )
    moved = Assignment(
        decision=assignment.decision, agency=agency, commune=assignment.commune,
        village=assignment.village, role=assignment.role,
        paired_company=assignment.paired_company, valid_from=first_day,
        valid_to=assignment.valid_to, remapped_from=assignment,
    )  # fmt: skip
    if first_day == assignment.valid_from:
        # Nothing was logged yet: the old row keeps its history and simply never applied.
        if _records_between(assignment):
            raise ValidationError("Cơ quan cũ đã có ghi nhận: chọn ngày chuyển sau đó.")
        assignment._change_reason = f"Chuyển cho {agency}: {reason}"[:100]
        assignment.agency = agency
        assignment.full_clean()
        assignment.save()
        return assignment
    assignment.valid_to = first_day - datetime.timedelta(days=1)
    assignment._change_reason = f"Chuyển cho {agency}: {reason}"[:100]
    assignment.save()
    moved.full_clean()
    moved._change_reason = f"Nhận từ {assignment.agency}: {reason}"[:100]
    moved.save()
    return moved


@transaction.atomic
def assignment_delete(*, assignment: Assignment) -> None:
    if assignment.decision.status != Decision.Status.DRAFT:
        raise ValidationError(
            "Phân công của quyết định đã ban hành không xóa được: hãy kết thúc nó từ một ngày."
        )
    assignment._change_reason = "Xóa khỏi dự thảo"
    assignment.delete()


def province_settings_save(*, province, giupxa_since) -> None:
    """The day the province began with giupxa (`Province.giupxa_since`)."""
    province.giupxa_since = giupxa_since
    province.save(update_fields=["giupxa_since"])
