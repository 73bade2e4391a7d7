"""Writes of household follow-ups: the agency that did the activity records the households
to follow (with two checks due) and what each check found, once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from contributions.models import Activity
from contributions.services import may_log
from core.periods import add_months

from ..models import FollowUpCheck, HouseholdSupport

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
    photo = fields.get("photo")  # a CleanFile from core.uploads: decoded and rewritten
    if photo:
        check.photo_type = photo.content_type
        stored = photo.as_content_file()
        check.photo.save(stored.name, stored, save=False)
        check.save(update_fields=["photo", "photo_type"])
    return check
