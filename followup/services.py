"""Every write of the follow-through: needs, their answers and the activities that meet them."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assignments.models import Assignment
from assignments.permissions import managed_province, secretariat_provinces
from assignments.scoping import AGENCY_ROLES, agency_ids, commune_ids
from contributions.models import Activity
from contributions.services import may_log
from core.periods import add_months

from .models import (
    AnnualPlan,
    CommuneNeed,
    FollowUpCheck,
    HouseholdSupport,
    Meeting,
    NeedResponse,
    PlanItem,
    Task,
)

NEED_FIELDS = ("title", "reason", "village", "category", "estimated_cost", "priority", "wanted_by")


def officer_communes(user) -> set[int]:
    return commune_ids(user)


def helping_agencies(user, commune) -> set[int]:
    """The user's agencies that are assigned to help this commune (today or in the phase)."""
    mine = agency_ids(user)
    if not mine:
        return set()
    return set(
        Assignment.objects.filter(agency__in=mine, commune=commune)
        .adopted()
        .values_list("agency", flat=True)
    )


def may_raise(user, commune) -> bool:
    return commune.pk in officer_communes(user)


def may_respond(user, need: CommuneNeed) -> bool:
    return bool(helping_agencies(user, need.commune))


def may_mark_met(user, need: CommuneNeed) -> bool:
    return need.met_at is None and need.commune_id in officer_communes(user)


def linkable_activities(user, need: CommuneNeed):
    """Activities the user's agencies did in the need's commune (or the communes it absorbed)."""
    agencies = helping_agencies(user, need.commune)
    return (
        Activity.objects.visible_to(user, kinds=AGENCY_ROLES)
        .filter(assignment__agency__in=agencies)
        .filter(
            Q(assignment__commune=need.commune) | Q(assignment__commune__successors=need.commune)
        )
        .exclude(pk__in=need.activities.values("pk"))
    )


@transaction.atomic
def need_create(*, user, commune, fields: dict) -> CommuneNeed:
    if not may_raise(user, commune):
        raise PermissionDenied("Chỉ cán bộ của xã được nêu nhu cầu của xã mình.")
    errors = {}
    village = fields.get("village")
    if village is not None and village.commune_id != commune.pk:
        errors["village"] = "Thôn, bản đã chọn không thuộc xã này."
    wanted_by = fields.get("wanted_by")
    if wanted_by and wanted_by < timezone.localdate():
        errors["wanted_by"] = "Ngày cần phải từ hôm nay trở đi."
    if errors:
        raise ValidationError(errors)
    need = CommuneNeed(commune=commune, raised_by=user, **{k: fields.get(k) for k in NEED_FIELDS})
    need.estimated_cost = need.estimated_cost or 0
    need.full_clean()
    need.save()
    return need


@transaction.atomic
def need_respond(*, user, need: CommuneNeed, kind: str, text: str = "") -> NeedResponse:
    agencies = helping_agencies(user, need.commune)
    if not agencies:
        raise PermissionDenied("Chỉ cơ quan được phân công giúp xã này mới trả lời nhu cầu.")
    response = NeedResponse(
        need=need, agency_id=min(agencies), kind=kind, text=text.strip(), author=user
    )
    response.full_clean()
    response.save()
    return response


@transaction.atomic
def need_link(*, user, need: CommuneNeed, activity: Activity) -> None:
    if not linkable_activities(user, need).filter(pk=activity.pk).exists():
        raise PermissionDenied(
            "Chỉ gắn được hoạt động của cơ quan bạn thực hiện tại xã nêu nhu cầu."
        )
    need.activities.add(activity)


@transaction.atomic
def need_mark_met(*, user, need: CommuneNeed) -> CommuneNeed:
    if not may_mark_met(user, need):
        raise PermissionDenied("Chỉ cán bộ xã nêu nhu cầu mới xác nhận đã được đáp ứng.")
    CommuneNeed.objects.filter(pk=need.pk, met_at=None).update(met_at=timezone.now())
    need.refresh_from_db()
    return need


def unanswered_since(days: int, today: datetime.date):
    """Needs no agency has answered for `days` days or more (for reminders)."""
    cutoff = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min)) - (
        datetime.timedelta(days=days)
    )
    return CommuneNeed.objects.filter(raised_at__lt=cutoff, responses=None, met_at=None)


# -- household follow-ups -----------------------------------------------------------------

FOLLOW_UP_TERMS = (6, 12)  # months after the support was given


def may_follow(user, activity: Activity) -> bool:
    return may_log(user, activity.assignment)


@transaction.atomic
def support_create(*, user, activity: Activity, fields: dict) -> HouseholdSupport:
    """A household's support to follow up, with two checks: due 6 and 12 months later
    unless `first_due` / `second_due` say otherwise."""
    if not may_follow(user, activity):
        raise PermissionDenied("Chỉ cơ quan thực hiện hoạt động mới ghi hộ cần theo dõi.")
    fields = dict(fields)
    dues = [
        fields.pop("first_due", None) or add_months(activity.start_date, FOLLOW_UP_TERMS[0]),
        fields.pop("second_due", None) or add_months(activity.start_date, FOLLOW_UP_TERMS[1]),
    ]
    errors = {}
    if dues[0] <= activity.start_date:
        errors["first_due"] = f"Hạn theo dõi phải sau ngày hỗ trợ ({activity.start_date:%d/%m/%Y})."
    if dues[1] <= dues[0]:
        errors["second_due"] = "Lần theo dõi thứ hai phải sau lần thứ nhất."
    village = fields.get("village")
    commune = activity.assignment.commune
    if village is not None and not (
        village.commune_id == commune.pk
        or commune.successors.filter(pk=village.commune_id).exists()
    ):
        errors["village"] = "Thôn, bản đã chọn không thuộc xã được hỗ trợ."
    if errors:
        raise ValidationError(errors)
    support = HouseholdSupport(activity=activity, created_by=user, **fields)
    support.household = " ".join(support.household.split())
    support.full_clean()
    support.save()
    FollowUpCheck.objects.bulk_create(
        FollowUpCheck(support=support, months=months, due_date=due)
        for months, due in zip(FOLLOW_UP_TERMS, dues, strict=True)
    )
    return support


@transaction.atomic
def check_record(*, user, check: FollowUpCheck, fields: dict) -> FollowUpCheck:
    """Record what was found; a check is recorded once (a correction is a new note)."""
    activity = check.support.activity
    if not may_follow(user, activity):
        raise PermissionDenied("Chỉ cơ quan thực hiện hoạt động mới ghi kết quả theo dõi.")
    checked_on = fields["checked_on"]
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": "Ngày kiểm tra không được ở tương lai."})
    if checked_on < activity.start_date:
        raise ValidationError(
            {"checked_on": f"Ngày kiểm tra phải sau ngày hỗ trợ ({activity.start_date:%d/%m/%Y})."}
        )
    updated = FollowUpCheck.objects.filter(pk=check.pk, outcome="").update(
        checked_on=checked_on,
        outcome=fields["outcome"],
        note=fields.get("note", "").strip(),
        checked_by=user,
    )
    if not updated:
        raise ValidationError("Lần theo dõi này đã được ghi kết quả.")
    check.refresh_from_db()
    if fields.get("photo"):
        check.photo.save(fields["photo"].name, fields["photo"], save=True)
    return check


# -- meetings and their tasks -------------------------------------------------------------

ASSIGNEE_FIELDS = ("agency", "commune", "village", "person")


@transaction.atomic
def meeting_create(*, user, fields: dict) -> Meeting:
    province = managed_province(user)
    if fields["held_on"] > timezone.localdate():
        raise ValidationError({"held_on": "Ngày họp không được ở tương lai."})
    meeting = Meeting(province=province, created_by=user, **fields)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def task_create(*, user, meeting: Meeting, fields: dict) -> Task:
    """A task of the meeting, to exactly the assignee its kind names, within the province."""
    if meeting.province_id != managed_province(user).pk:
        raise PermissionDenied("Chỉ văn phòng thường trực của tỉnh được giao nhiệm vụ.")
    kind = fields["assignee"]
    data = {k: fields.get(k) if k == kind else None for k in ASSIGNEE_FIELDS}
    target = data[kind]
    errors = {}
    if target is None:
        errors[kind] = "Chọn người hoặc nơi được giao nhiệm vụ."
    elif kind == "agency" and target.province_id != meeting.province_id:
        errors[kind] = "Cơ quan không thuộc tỉnh."
    elif kind == "commune" and target.province_id != meeting.province_id:
        errors[kind] = "Xã không thuộc tỉnh."
    elif kind == "village" and target.commune.province_id != meeting.province_id:
        errors[kind] = "Thôn, bản không thuộc tỉnh."
    elif kind == "person" and not target.roles.filter(province=meeting.province).exists():
        errors[kind] = "Người được giao không tham gia chương trình của tỉnh."
    if fields["due_date"] < meeting.held_on:
        errors["due_date"] = "Hạn hoàn thành phải sau ngày họp."
    if errors:
        raise ValidationError(errors)
    task = Task(meeting=meeting, what=fields["what"].strip(), due_date=fields["due_date"],
                assignee=kind, **data)  # fmt: skip
    task.full_clean()
    task.save()
    return task


def reportable(user, tasks: list[Task]) -> set[int]:
    """Of these tasks, the ids `user` may report done (one query, for list pages)."""
    open_tasks = [t for t in tasks if t.status == Task.Status.OPEN]
    provinces = set(secretariat_provinces(user))
    mine = {t.pk for t in open_tasks if t.meeting.province_id in provinces}
    rest = [t.pk for t in open_tasks if t.pk not in mine]
    if rest:
        mine |= set(Task.objects.filter(pk__in=rest).responsible(user).values_list("pk", flat=True))
    return mine


def may_report_task(user, task: Task) -> bool:
    """The party the task is for, or the province's secretariat."""
    if task.status != Task.Status.OPEN:
        return False
    if task.meeting.province_id in secretariat_provinces(user):
        return True
    return Task.objects.filter(pk=task.pk).responsible(user).exists()


@transaction.atomic
def task_done(*, user, task: Task, evidence: str) -> Task:
    if not may_report_task(user, task):
        raise PermissionDenied("Chỉ nơi được giao nhiệm vụ mới báo hoàn thành.")
    evidence = evidence.strip()
    if not evidence:
        raise ValidationError({"evidence": "Ghi kết quả, minh chứng đã hoàn thành."})
    updated = Task.objects.filter(pk=task.pk, status=Task.Status.OPEN).update(
        status=Task.Status.DONE, evidence=evidence, done_on=timezone.localdate(), done_by=user
    )
    if not updated:
        raise ValidationError("Nhiệm vụ đã được báo hoàn thành.")
    task.refresh_from_db()
    return task


# -- annual plans ---------------------------------------------------------------------------


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
