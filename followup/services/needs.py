"""Writes of commune needs: the commune's officer raises a need and alone confirms it met; the
agencies assigned to the commune answer it and link the activities that meet it; the agency
whose activity it is, or the province's secretariat, removes a link.

What counts toward a need (`CommuneNeedQuerySet.with_delivery`): linked activities the
commune confirmed, done on or after the day the need was raised. An agency may link its
activities in the commune (or the pre-reform communes it absorbed) of that date once they
were sent to the commune: awaiting confirmation, they show beside the need's figure; drafts
and returned records are not offered, since the commune has nothing of them to check."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assignments.models import Assignment
from assignments.scoping import AGENCY_ROLES, RoleKind, agency_ids, commune_ids, role_provinces
from contributions.models import Activity, ReviewStatus

from ..models import CommuneNeed, NeedResponse

LINKABLE = (ReviewStatus.SUBMITTED, ReviewStatus.CONFIRMED)
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


def may_unlink(user, need: CommuneNeed, activity: Activity) -> bool:
    """The agency whose activity it is (only it could link it), or the province's secretariat."""
    return activity.assignment.agency_id in agency_ids(user) or (
        need.commune.province_id in role_provinces(user, kinds={RoleKind.SECRETARIAT})
    )


def linkable_activities(user, need: CommuneNeed):
    """Activities the user's agencies did in the need's commune (or the communes it absorbed)
    on or after the day it was raised, sent to the commune or confirmed, not yet linked."""
    agencies = helping_agencies(user, need.commune)
    return (
        Activity.objects.visible_to(user, kinds=AGENCY_ROLES)
        .filter(assignment__agency__in=agencies)
        .filter(
            Q(assignment__commune=need.commune) | Q(assignment__commune__successors=need.commune)
        )
        .filter(start_date__gte=need.raised_on, status__in=LINKABLE)
        .exclude(pk__in=need.activities.values("pk"))
    )


def linked_activities(user, need: CommuneNeed) -> list[Activity]:
    """The need's linked activities, each with `counted` (True when it counts toward the
    need, see the module docstring), `why_not` (why it does not, for the page) and
    `may_unlink` (for `user`). One query."""
    activities = list(
        need.activities.select_related("assignment__agency").order_by("start_date", "pk")
    )
    for activity in activities:
        if activity.start_date < need.raised_on:
            activity.why_not = "làm trước ngày nêu nhu cầu, không tính"
        elif activity.status == ReviewStatus.SUBMITTED:
            activity.why_not = "chờ xã xác nhận"
        elif activity.status != ReviewStatus.CONFIRMED:
            activity.why_not = f"{activity.get_status_display().lower()}, chưa tính"
        else:
            activity.why_not = ""
        activity.counted = not activity.why_not
        activity.may_unlink = may_unlink(user, need, activity)
    return activities


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
            "Chỉ gắn được hoạt động của cơ quan bạn tại xã nêu nhu cầu, thực hiện từ ngày nêu "
            "nhu cầu trở đi và đã gửi xã."
        )
    need.activities.add(activity)


@transaction.atomic
def need_unlink(*, user, need: CommuneNeed, activity: Activity) -> None:
    if not may_unlink(user, need, activity):
        raise PermissionDenied(
            "Chỉ cơ quan thực hiện hoạt động hoặc thường trực tỉnh mới bỏ được liên kết này."
        )
    need.activities.remove(activity)


@transaction.atomic
def need_mark_met(*, user, need: CommuneNeed) -> CommuneNeed:
    if not may_mark_met(user, need):
        raise PermissionDenied("Chỉ cán bộ xã nêu nhu cầu mới xác nhận đã được đáp ứng.")
    CommuneNeed.objects.filter(pk=need.pk, met_at=None).update(met_at=timezone.now())
    need.refresh_from_db()
    return need
