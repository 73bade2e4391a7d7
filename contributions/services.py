"""Every write to activities, contributions and field visits, with the review flow.

Who may do what (the view has already found the record inside the user's scope):
- agency staff and leaders log and edit their agency's drafts and returned records;
- the agency leader submits them for the commune to confirm;
- the commune officer confirms what was received, or returns it with a reason;
- the district officer may return a submitted record with a reason;
- the secretariat reopens a confirmed record, with a reason (audited).
Status changes are conditional UPDATEs, so a double click or two reviewers at once change
the record once.
"""

import datetime
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.utils import update_change_reason

from assignments.models import Assignment
from assignments.scoping import AGENCY_ROLES, PROVINCE_KINDS, REVIEWERS, RoleKind
from core.uploads import CleanFile

from . import rollup
from .models import Activity, Contribution, FieldVisit, ReviewStatus

EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
ACTIVITY_FIELDS = (
    "assignment",
    "start_date",
    "end_date",
    "category",
    "title",
    "description",
    "village",
    "beneficiaries_count",
    "beneficiaries_kind",
    "is_lasting",
    "is_notable",
)


class EditConflict(Exception):
    """Someone else saved the record since this user opened it."""

    def __init__(self, current: Activity):
        super().__init__("Hoạt động đã được người khác sửa.")
        self.current = current


@dataclass(frozen=True)
class ContributionData:
    kind: str
    value: int
    source: str
    item: object | None = None
    quantity: object | None = None
    donor_name: str = ""


def _can(user, activity_or_assignment, kinds: set[str]) -> bool:
    assignment_id = getattr(activity_or_assignment, "assignment_id", activity_or_assignment.pk)
    return Assignment.objects.visible_to(user, kinds=kinds).filter(pk=assignment_id).exists()


def may_log(user, assignment: Assignment) -> bool:
    """May `user` log work for this assignment (their agency's, of an adopted decision)?"""
    return Assignment.objects.loggable_by(user).filter(pk=assignment.pk).exists()


def may_edit(user, activity: Activity) -> bool:
    return activity.status in EDITABLE and _can(user, activity, AGENCY_ROLES)


def may_submit(user, activity: Activity) -> bool:
    return activity.status in EDITABLE and _can(user, activity, {RoleKind.AGENCY_LEADER})


def may_confirm(user, activity: Activity) -> bool:
    return activity.status == ReviewStatus.SUBMITTED and _can(
        user, activity, {RoleKind.COMMUNE_OFFICER}
    )


def may_return(user, activity: Activity) -> bool:
    return activity.status == ReviewStatus.SUBMITTED and _can(user, activity, REVIEWERS)


def may_comment(user, activity: Activity) -> bool:
    return _can(user, activity, PROVINCE_KINDS)  # the centre reads, never writes


def may_reopen(user, activity: Activity) -> bool:
    return activity.status == ReviewStatus.CONFIRMED and _can(
        user, activity, {RoleKind.SECRETARIAT}
    )


def _check_phase(assignment: Assignment, start: datetime.date, end: datetime.date | None):
    """The form-level twin of the database trigger, with a message that names the dates."""
    errors = {}
    if start < assignment.valid_from or start > assignment.valid_to:
        errors["start_date"] = (
            f"Ngày {start:%d/%m/%Y} nằm ngoài thời gian phân công "
            f"({assignment.valid_from:%d/%m/%Y} – {assignment.valid_to:%d/%m/%Y})."
        )
    if end and end > assignment.valid_to:
        errors["end_date"] = f"Ngày kết thúc phải trước {assignment.valid_to:%d/%m/%Y}."
    if errors:
        raise ValidationError(errors)


def _write_contributions(activity: Activity, contributions: list[ContributionData]) -> None:
    activity.contributions.all().delete()
    rows = []
    for data in contributions:
        row = Contribution(activity=activity, **data.__dict__)
        row.full_clean(exclude=["activity"])
        rows.append(row)
    for row in rows:
        row.save()


@transaction.atomic
def activity_create(
    *,
    user,
    fields: dict,
    contributions: list[ContributionData],
    submission_token: uuid.UUID | None = None,
) -> Activity:
    """A new draft. The same submission token twice (a double click) returns the first one."""
    assignment = fields["assignment"]
    if not may_log(user, assignment):
        raise PermissionDenied("Bạn chỉ ghi nhận được hoạt động cho xã cơ quan mình phụ trách.")
    if submission_token:
        existing = Activity.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    _check_phase(assignment, fields["start_date"], fields.get("end_date"))
    activity = Activity(
        **{k: fields.get(k) for k in ACTIVITY_FIELDS if k in fields},
        created_by=user,
        submission_token=submission_token,
    )
    activity.full_clean(exclude=["submission_token"])
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        existing = Activity.objects.filter(submission_token=submission_token).first()
        if submission_token and existing is not None:
            return existing
        raise
    _write_contributions(activity, contributions)
    rollup.refresh([rollup.key_of(activity)])
    return activity


@transaction.atomic
def activity_update(
    *,
    user,
    activity: Activity,
    version: int,
    fields: dict,
    contributions: list[ContributionData],
) -> Activity:
    """Save an edit made on `version`; raise EditConflict if someone saved in between."""
    if not may_edit(user, activity):
        raise PermissionDenied("Hoạt động đã gửi hoặc đã được xác nhận thì không sửa được nữa.")
    _check_phase(fields["assignment"], fields["start_date"], fields.get("end_date"))
    bumped = Activity.objects.filter(pk=activity.pk, version=version).update(
        version=F("version") + 1
    )
    if not bumped:
        raise EditConflict(Activity.objects.get(pk=activity.pk))
    activity.refresh_from_db()
    before = rollup.key_of(activity)
    for name in ACTIVITY_FIELDS:
        if name in fields:
            setattr(activity, name, fields[name])
    activity.full_clean(exclude=["submission_token"])
    activity.save()
    _write_contributions(activity, contributions)
    rollup.refresh([before, rollup.key_of(activity)])
    return activity


def _transition(
    activity: Activity, *, user, to: str, allowed_from: tuple, reason: str = "", **changes
) -> Activity:
    updated = Activity.objects.filter(pk=activity.pk, status__in=allowed_from).update(
        status=to, version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise ValidationError("Trạng thái hoạt động vừa thay đổi; hãy tải lại trang.")
    activity.refresh_from_db()
    # The UPDATE above bypasses the history; save once more to record who did it and why.
    activity._history_user = user
    activity.save(update_fields=["status"])
    if reason:
        update_change_reason(activity, reason)
    rollup.refresh([rollup.key_of(activity)])
    return activity


@transaction.atomic
def activity_submit(*, user, activity: Activity) -> Activity:
    if not may_submit(user, activity):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan được gửi hoạt động cho xã xác nhận.")
    if not activity.contributions.exists() and activity.beneficiaries_count == 0:
        raise ValidationError("Hoạt động chưa có đóng góp hay người hưởng lợi nào để gửi.")
    return _transition(
        activity,
        user=user,
        to=ReviewStatus.SUBMITTED,
        allowed_from=EDITABLE,
        submitted_at=timezone.now(),
        return_reason="",
    )


@transaction.atomic
def activity_confirm(*, user, activity: Activity) -> Activity:
    if not may_confirm(user, activity):
        raise PermissionDenied("Chỉ cán bộ xã nhận hỗ trợ được xác nhận hoạt động đã gửi.")
    return _transition(
        activity,
        user=user,
        to=ReviewStatus.CONFIRMED,
        allowed_from=(ReviewStatus.SUBMITTED,),
        confirmed_at=timezone.now(),
        confirmed_by=user,
    )


def _require_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise ValidationError({"reason": "Hãy ghi rõ lý do (ít nhất 5 ký tự)."})
    return reason


@transaction.atomic
def activity_return(*, user, activity: Activity, reason: str) -> Activity:
    if not may_return(user, activity):
        raise PermissionDenied("Chỉ cán bộ xã, huyện được trả lại hoạt động đã gửi.")
    reason = _require_reason(reason)
    return _transition(
        activity,
        user=user,
        to=ReviewStatus.RETURNED,
        allowed_from=(ReviewStatus.SUBMITTED,),
        return_reason=reason,
        reason=f"Trả lại: {reason}",
    )


@transaction.atomic
def activity_reopen(*, user, activity: Activity, reason: str) -> Activity:
    if not may_reopen(user, activity):
        raise PermissionDenied("Chỉ văn phòng thường trực tỉnh được mở lại hoạt động đã xác nhận.")
    reason = _require_reason(reason)
    return _transition(
        activity,
        user=user,
        to=ReviewStatus.RETURNED,
        allowed_from=(ReviewStatus.CONFIRMED,),
        return_reason=f"Mở lại: {reason}",
        confirmed_at=None,
        confirmed_by=None,
        reason=f"Mở lại: {reason}",
    )


def field_visit_build(
    *,
    user,
    assignment: Assignment,
    start_date: datetime.date,
    end_date: datetime.date,
    purpose: str,
    days_on_site: int | None = None,
) -> FieldVisit:
    """A field visit checked but not saved: dates in order and inside the assignment's
    phase, days on site within the span (the whole span when not given), the model's rules.
    `field_visit_create` saves one; the Excel import checks each row of its sheet with this
    and saves them all together. Whether `user` may log for `assignment` is the caller's."""
    if end_date < start_date:
        raise ValidationError({"end_date": "Ngày về phải từ ngày đi trở đi."})
    _check_phase(assignment, start_date, end_date)
    span = (end_date - start_date).days + 1
    days = span if days_on_site is None else days_on_site
    if days > span:
        raise ValidationError(
            {"days_on_site": f"Từ {start_date:%d/%m} đến {end_date:%d/%m} chỉ có {span} ngày."}
        )
    visit = FieldVisit(
        assignment=assignment,
        start_date=start_date,
        end_date=end_date,
        days_on_site=days,
        purpose=purpose,
        created_by=user,
    )
    # The assignment and the user are objects in hand: checking that they exist would cost
    # two queries per visit of an imported sheet for nothing.
    visit.full_clean(exclude=["assignment", "created_by"])
    return visit


@transaction.atomic
def field_visit_create(
    *,
    user,
    assignment: Assignment,
    start_date: datetime.date,
    end_date: datetime.date,
    purpose: str,
    people: list,
    days_on_site: int | None = None,
) -> FieldVisit:
    if not may_log(user, assignment):
        raise PermissionDenied(
            "Bạn chỉ ghi nhận được chuyến công tác cho xã cơ quan mình phụ trách."
        )
    visit = field_visit_build(
        user=user,
        assignment=assignment,
        start_date=start_date,
        end_date=end_date,
        purpose=purpose,
        days_on_site=days_on_site,
    )
    visit.save()
    visit.people.set(people)
    rollup.refresh([rollup.key_of(visit)])
    return visit


@transaction.atomic
def attachments_add(*, user, activity: Activity, files: list[CleanFile], kind: str) -> int:
    """Store files already decoded and rewritten by `core.uploads.clean_upload`, each under a
    generated name, with the type found in its content."""
    from .models import Attachment

    if not may_edit(user, activity):
        raise PermissionDenied("Chỉ thêm tệp khi hoạt động còn là bản nháp hoặc bị trả lại.")
    for clean in files:
        Attachment.objects.create(
            activity=activity,
            kind=kind,
            file=clean.as_content_file(),
            original_name=clean.original_name[:255],
            content_type=clean.content_type,
            size=clean.size,
            uploaded_by=user,
        )
    return len(files)


def comment_add(*, user, activity: Activity, text: str):
    """Anyone with a province's role that sees the activity may comment (reviewers ask,
    agencies answer); the centre reads only."""
    from .models import Comment

    if not may_comment(user, activity):
        raise PermissionDenied("Bạn không có vai trò để góp ý về hoạt động này.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Hãy viết nội dung ý kiến."})
    return Comment.objects.create(activity=activity, author=user, text=text[:2000])
