"""Follow-through: what communes ask for, and whether the help answers it.

A commune need (nhu cầu của xã) is raised by the commune's officer; the agencies assigned to
the commune answer it and link the activities that meet it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .querysets import (
    AnnualPlanQuerySet,
    CommuneNeedQuerySet,
    FollowUpCheckQuerySet,
    HouseholdSupportQuerySet,
    MeetingQuerySet,
    NeedResponseQuerySet,
    TaskQuerySet,
)


class CommuneNeed(models.Model):
    class Priority(models.TextChoices):
        HIGH = "high", "Cấp thiết"
        MEDIUM = "medium", "Cần"
        LOW = "low", "Mong muốn"

    class State(models.TextChoices):  # derived, see `state`
        OPEN = "open", "Chưa đáp ứng"
        PARTLY = "partly", "Đáp ứng một phần"
        MET = "met", "Đã đáp ứng"

    commune = models.ForeignKey(
        "communes.Commune", verbose_name="xã", on_delete=models.PROTECT, related_name="needs"
    )
    village = models.ForeignKey(
        "communes.Village",
        verbose_name="thôn, bản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )
    title = models.CharField("cần gì", max_length=300)
    reason = models.TextField("vì sao cần")
    category = models.ForeignKey(
        "contributions.Category",
        verbose_name="lĩnh vực",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    estimated_cost = models.BigIntegerField("kinh phí ước tính (đồng)", default=0)
    priority = models.CharField(
        "mức ưu tiên", max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    wanted_by = models.DateField("cần trước ngày", null=True, blank=True)
    activities = models.ManyToManyField(
        "contributions.Activity",
        verbose_name="hoạt động đáp ứng",
        blank=True,
        related_name="needs",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nêu",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_at = models.DateTimeField("ngày nêu", auto_now_add=True)
    met_at = models.DateTimeField("xã xác nhận đã đáp ứng lúc", null=True, blank=True)

    objects = CommuneNeedQuerySet.as_manager()

    class Meta:
        verbose_name = "nhu cầu của xã"
        verbose_name_plural = "nhu cầu của xã"
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__gte=0),
                name="need_cost_not_negative",
                violation_error_message="Kinh phí ước tính không được âm.",
            )
        ]
        indexes = [models.Index(fields=["commune", "raised_at"], name="need_commune_date")]

    def __str__(self):
        return self.title

    @property
    def state(self) -> str:
        """Met when the commune says so or the value delivered covers the estimate; partly
        met once any activity answers it; open otherwise. Needs `with_delivery()`."""
        if self.met_at or (self.estimated_cost and self.delivered >= self.estimated_cost):
            return self.State.MET
        return self.State.PARTLY if self.linked else self.State.OPEN

    def get_state_display(self) -> str:
        return self.State(self.state).label


class NeedResponse(models.Model):
    """An agency's answer to a need: accept, decline (with a reason) or ask for detail."""

    class Kind(models.TextChoices):
        ACCEPT = "accept", "Nhận giúp"
        DECLINE = "decline", "Chưa thể giúp"
        ASK = "ask", "Đề nghị xã nói rõ thêm"

    need = models.ForeignKey(CommuneNeed, on_delete=models.CASCADE, related_name="responses")
    agency = models.ForeignKey(
        "assignments.Agency", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("trả lời", max_length=10, choices=Kind.choices)
    text = models.TextField("nội dung", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NeedResponseQuerySet.as_manager()

    class Meta:
        verbose_name = "trả lời nhu cầu"
        verbose_name_plural = "trả lời nhu cầu"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="accept") | ~Q(text=""),
                name="need_response_reason",
                violation_error_message="Hãy nêu lý do hoặc điều cần xã nói rõ.",
            )
        ]

    def __str__(self):
        return f"{self.agency}: {self.get_kind_display()}"


class HouseholdSupport(models.Model):
    """Support given to one household, followed up 6 and 12 months later: is the breeding
    animal still raised, the house lived in, the model kept up?"""

    class Kind(models.TextChoices):
        ANIMAL = "animal", "Con giống"
        SEEDLINGS = "seedlings", "Cây giống"
        HOUSE = "house", "Nhà ở"
        MODEL = "model", "Mô hình sản xuất"
        OTHER = "other", "Khác"

    class Standing(models.TextChoices):
        POOR = "poor", "Hộ nghèo"
        NEAR_POOR = "near_poor", "Hộ cận nghèo"
        OTHER = "other", "Hộ khác"

    activity = models.ForeignKey(
        "contributions.Activity",
        verbose_name="hoạt động hỗ trợ",
        on_delete=models.CASCADE,
        related_name="household_supports",
    )
    household = models.CharField("chủ hộ", max_length=150)
    village = models.ForeignKey(
        "communes.Village",
        verbose_name="thôn, bản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    standing = models.CharField(
        "diện hộ", max_length=10, choices=Standing.choices, default=Standing.POOR
    )
    kind = models.CharField("loại hỗ trợ", max_length=10, choices=Kind.choices)
    given = models.CharField("đã hỗ trợ", max_length=300, help_text="Ví dụ: 1 con bò cái giống")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseholdSupportQuerySet.as_manager()

    class Meta:
        verbose_name = "hỗ trợ hộ gia đình cần theo dõi"
        verbose_name_plural = "hỗ trợ hộ gia đình cần theo dõi"
        ordering = ["household", "pk"]

    def __str__(self):
        return f"{self.household}: {self.given}"


class FollowUpCheck(models.Model):
    """One follow-up of a household's support, due some months after it was given."""

    class Outcome(models.TextChoices):
        KEPT = "kept", "Còn duy trì, phát huy hiệu quả"
        SOLD = "sold", "Đã bán"
        LOST = "lost", "Bị chết, hư hỏng"
        UNUSED = "unused", "Không sử dụng, bỏ dở"

    support = models.ForeignKey(HouseholdSupport, on_delete=models.CASCADE, related_name="checks")
    months = models.PositiveSmallIntegerField("sau (tháng)")
    due_date = models.DateField("hạn theo dõi")
    checked_on = models.DateField("ngày kiểm tra", null=True, blank=True)
    outcome = models.CharField("kết quả", max_length=10, choices=Outcome.choices, blank=True)
    note = models.TextField("ghi chú", blank=True)
    photo = models.FileField("ảnh", upload_to="follow-ups/%Y/%m/", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    objects = FollowUpCheckQuerySet.as_manager()

    class Meta:
        verbose_name = "lần theo dõi"
        verbose_name_plural = "lần theo dõi"
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["support", "months"], name="check_once_per_term"),
            models.CheckConstraint(
                condition=Q(checked_on__isnull=True, outcome="")
                | Q(checked_on__isnull=False) & ~Q(outcome=""),
                name="check_recorded_whole",
                violation_error_message="Ghi ngày kiểm tra cùng kết quả.",
            ),
        ]
        indexes = [models.Index(fields=["due_date"], name="check_due", condition=Q(outcome=""))]

    def __str__(self):
        return f"{self.support} – sau {self.months} tháng"


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


class ReminderSettings(models.Model):
    """Which reminders a person wants in the morning digest (all, unless turned off)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings"
    )
    confirm = models.BooleanField("hồ sơ chờ xác nhận hoặc cần gửi lại", default=True)
    tasks = models.BooleanField("nhiệm vụ sắp đến hạn hoặc quá hạn", default=True)
    follow_ups = models.BooleanField("hộ đến hạn theo dõi sau hỗ trợ", default=True)
    needs = models.BooleanField("nhu cầu của xã chưa trả lời quá 30 ngày", default=True)
    days_on_site = models.BooleanField("xã chưa đủ số ngày cán bộ về trong quý", default=True)
    by_email = models.BooleanField("gửi kèm thư điện tử", default=True)

    class Meta:
        verbose_name = "cài đặt nhắc việc"
        verbose_name_plural = "cài đặt nhắc việc"

    def __str__(self):
        return f"Nhắc việc của {self.user}"


class Digest(models.Model):
    """One person's morning digest. Its (user, day) row is claimed before anything is sent:
    however many workers or retries run the job, nobody gets the same reminder twice a day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField("ngày")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField("gửi thư lúc", null=True, blank=True)
    email_error = models.CharField("lỗi gửi thư", max_length=300, blank=True)

    class Meta:
        verbose_name = "bản nhắc việc hằng ngày"
        verbose_name_plural = "bản nhắc việc hằng ngày"
        ordering = ["-day", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_a_day")]

    def __str__(self):
        return f"{self.user} {self.day:%d/%m/%Y}"


class Notification(models.Model):
    """An item of a digest, listed in the app with an unread count."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["user"], condition=Q(read_at=None), name="notification_unread")
        ]

    def __str__(self):
        return self.text


class AnnualPlan(models.Model):
    """An assignment's plan for a year, made with the commune: activities and days on site."""

    assignment = models.ForeignKey(
        "assignments.Assignment", verbose_name="phân công", on_delete=models.CASCADE,
        related_name="plans",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField("năm")
    planned_days_per_quarter = models.PositiveSmallIntegerField(
        "số ngày cán bộ về xã mỗi quý (kế hoạch)", default=15
    )
    agreed_on = models.DateField("ngày thống nhất với xã", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "kế hoạch năm"
        verbose_name_plural = "kế hoạch năm"
        ordering = ["-year", "assignment"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "year"], name="one_plan_a_year"),
            models.CheckConstraint(
                condition=Q(planned_days_per_quarter__lte=92),
                name="plan_days_within_quarter",
                violation_error_message="Một quý có nhiều nhất 92 ngày.",
            ),
        ]

    def __str__(self):
        return f"Kế hoạch {self.year} – {self.assignment}"


class PlanItem(models.Model):
    """A planned activity: its field, a target (a count, a quantity of an item, or a value)
    and the quarter it is planned for (none: any time in the year)."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.CASCADE, related_name="items")
    category = models.ForeignKey(
        "contributions.Category", verbose_name="lĩnh vực", on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    title = models.CharField("hoạt động dự kiến", max_length=300)
    quarter = models.PositiveSmallIntegerField(
        "quý", null=True, blank=True, choices=[(q, f"Quý {q}") for q in range(1, 5)]
    )
    target_activities = models.PositiveIntegerField("số hoạt động", null=True, blank=True)
    target_item = models.ForeignKey(
        "contributions.Item", verbose_name="hiện vật", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    target_quantity = models.DecimalField(
        "số lượng", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_value = models.BigIntegerField("giá trị (đồng)", null=True, blank=True)

    class Meta:
        verbose_name = "hoạt động trong kế hoạch"
        verbose_name_plural = "hoạt động trong kế hoạch"
        ordering = ["quarter", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_activities__isnull=False)
                | Q(target_item__isnull=False, target_quantity__isnull=False)
                | Q(target_value__isnull=False),
                name="plan_item_has_a_target",
                violation_error_message=(
                    "Ghi chỉ tiêu: số hoạt động, số lượng hiện vật hoặc giá trị."
                ),
            ),
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0),
                name="plan_item_value_not_negative",
                violation_error_message="Giá trị không được âm.",
            ),
            models.CheckConstraint(
                condition=Q(target_quantity__isnull=True) | Q(target_quantity__gt=0),
                name="plan_item_quantity_positive",
                violation_error_message="Số lượng phải lớn hơn 0.",
            ),
        ]

    def __str__(self):
        return self.title
