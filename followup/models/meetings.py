"""Meetings and the tasks their conclusions give."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..querysets import MeetingQuerySet, TaskQuerySet


class Meeting(models.Model):
    """A review meeting (hội nghị sơ kết, họp giao ban) and its conclusions."""

    province = models.ForeignKey(
        "communes.Province", verbose_name="tỉnh", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("cuộc họp", max_length=300)
    held_on = models.DateField("ngày họp")
    chair = models.CharField("chủ trì", max_length=200)
    participants = models.TextField("thành phần", blank=True)
    place = models.CharField("địa điểm", max_length=200, blank=True)
    conclusions = models.TextField("kết luận")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "cuộc họp"
        verbose_name_plural = "cuộc họp"
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class Task(models.Model):
    """A task a meeting assigned: to an agency, a commune, a village or a named person."""

    class Assignee(models.TextChoices):
        AGENCY = "agency", "Cơ quan, đơn vị"
        COMMUNE = "commune", "Xã"
        VILLAGE = "village", "Thôn, bản"
        PERSON = "person", "Cá nhân"

    class Status(models.TextChoices):
        OPEN = "open", "Đang thực hiện"
        DONE = "done", "Đã hoàn thành"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tasks")
    what = models.TextField("nội dung nhiệm vụ")
    due_date = models.DateField("hoàn thành trước")
    assignee = models.CharField("giao cho", max_length=10, choices=Assignee.choices)
    agency = models.ForeignKey(
        "assignments.Agency", verbose_name="cơ quan", null=True, blank=True,
        on_delete=models.PROTECT, related_name="tasks",
    )  # fmt: skip
    commune = models.ForeignKey(
        "communes.Commune", verbose_name="xã", null=True, blank=True,
        on_delete=models.PROTECT, related_name="tasks",
    )  # fmt: skip
    village = models.ForeignKey(
        "communes.Village", verbose_name="thôn, bản", null=True, blank=True,
        on_delete=models.PROTECT, related_name="tasks",
    )  # fmt: skip
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người được giao", null=True, blank=True,
        on_delete=models.PROTECT, related_name="tasks",
    )  # fmt: skip
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    evidence = models.TextField("kết quả, minh chứng", blank=True)
    done_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["status", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee="agency", agency__isnull=False)
                | Q(assignee="commune", commune__isnull=False)
                | Q(assignee="village", village__isnull=False)
                | Q(assignee="person", person__isnull=False),
                name="task_has_its_assignee",
                violation_error_message="Chọn cơ quan, xã, thôn bản hoặc người được giao.",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(evidence="") & Q(done_on__isnull=False),
                name="task_done_with_evidence",
                violation_error_message="Ghi kết quả, minh chứng khi báo hoàn thành.",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="task_status_due")]

    def __str__(self):
        return self.what[:80]

    @property
    def assignee_name(self) -> str:
        target = {"agency": self.agency, "commune": self.commune, "village": self.village,
                  "person": self.person}[self.assignee]  # fmt: skip
        return str(target.name if hasattr(target, "name") else target)

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due_date < today
