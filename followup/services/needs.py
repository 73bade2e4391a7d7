"""Writes of commune needs: the commune's officer raises a need and confirms it met; the
agencies assigned to the commune answer it and link the activities that meet it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assignments.models import Assignment
from assignments.scoping import AGENCY_ROLES, agency_ids, commune_ids
from contributions.models import Activity

from ..models import CommuneNeed, NeedResponse

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
