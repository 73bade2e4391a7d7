"""Every write of the follow-through: needs, their answers and the activities that meet them."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assignments.models import Assignment
from assignments.scoping import AGENCY_ROLES, user_roles
from contributions.models import Activity

from .models import CommuneNeed, FollowUpCheck, HouseholdSupport, NeedResponse

NEED_FIELDS = ("title", "reason", "village", "category", "estimated_cost", "priority", "wanted_by")


def officer_communes(user) -> set[int]:
    return {r.commune_id for r in user_roles(user) if r.kind == "commune_officer"}


def helping_agencies(user, commune) -> set[int]:
    """The user's agencies that are assigned to help this commune (today or in the phase)."""
    mine = {r.agency_id for r in user_roles(user) if r.kind in AGENCY_ROLES}
    if not mine:
        return set()
    return set(
        Assignment.objects.filter(agency__in=mine, commune=commune)
        .exclude(decision__status="draft")
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


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def may_follow(user, activity: Activity) -> bool:
    from contributions.services import may_log

    return may_log(user, activity.assignment)


@transaction.atomic
def support_create(*, user, activity: Activity, fields: dict) -> HouseholdSupport:
    """A household's support to follow up, with its checks due 6 and 12 months later."""
    if not may_follow(user, activity):
        raise PermissionDenied("Chỉ cơ quan thực hiện hoạt động mới ghi hộ cần theo dõi.")
    village = fields.get("village")
    commune = activity.assignment.commune
    if village is not None and not (
        village.commune_id == commune.pk
        or commune.successors.filter(pk=village.commune_id).exists()
    ):
        raise ValidationError({"village": "Thôn, bản đã chọn không thuộc xã được hỗ trợ."})
    support = HouseholdSupport(activity=activity, created_by=user, **fields)
    support.household = " ".join(support.household.split())
    support.full_clean()
    support.save()
    FollowUpCheck.objects.bulk_create(
        FollowUpCheck(support=support, months=m, due_date=add_months(activity.start_date, m))
        for m in FOLLOW_UP_TERMS
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
