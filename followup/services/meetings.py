"""Writes of meetings and their tasks: the province's secretariat records meetings and gives
tasks; the party a task is for, or the secretariat, reports it done."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assignments.permissions import managed_province, secretariat_provinces

from ..models import Meeting, Task

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
