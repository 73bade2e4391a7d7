"""Agencies, the decisions that assign them to communes, the assignments, people and roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .querysets import (
    AgencyQuerySet,
    AssignmentQuerySet,
    DecisionQuerySet,
    RoleQuerySet,
    UserQuerySet,
)
from .scoping import RoleKind


class UserObjects(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in. What they may see comes from their `Role` rows."""

    objects = UserObjects()
    history = HistoricalRecords(
        verbose_name="lịch sử người dùng", excluded_fields=["password", "last_login"]
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names first (Lường Thị Thu)."""
        return f"{self.last_name} {self.first_name}".strip()


class Agency(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "so_nganh", "Sở, ban, ngành"
        PARTY_BOARD = "ban_dang", "Cơ quan Đảng"
        FRONT = "mat_tran", "Mặt trận Tổ quốc và đoàn thể"
        ARMED_FORCES = "luc_luong_vu_trang", "Lực lượng vũ trang, biên phòng"
        BANK = "ngan_hang", "Ngân hàng"
        COMPANY = "doanh_nghiep", "Doanh nghiệp"
        DISTRICT_BODY = "cap_huyen", "Cơ quan cấp huyện"
        COMMUNE_BODY = "cap_xa", "Cơ quan, đoàn thể cấp xã"
        WORKING_GROUP = "to_cong_tac", "Tổ công tác"
        OTHER = "khac", "Khác"

    province = models.ForeignKey(
        "communes.Province",
        verbose_name="tỉnh",
        on_delete=models.PROTECT,
        related_name="agencies",
        limit_choices_to={"valid_to__isnull": True},
    )
    name = models.CharField("tên", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=100, blank=True)
    kind = models.CharField("loại", max_length=30, choices=Kind.choices)
    is_active = models.BooleanField("đang hoạt động", default=True)
    # A working group (tổ công tác) of a Party committee or a commune: who leads it and which
    # units send members. Its members log in as its staff and log under the group.
    leader = models.CharField("tổ trưởng", max_length=200, blank=True, help_text="Họ tên, chức vụ")
    deputy = models.CharField("tổ phó", max_length=200, blank=True, help_text="Họ tên, chức vụ")
    member_units = models.TextField(
        "đơn vị thành viên", blank=True, help_text="Mỗi đơn vị một dòng"
    )

    objects = AgencyQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="lịch sử cơ quan")  # former names

    class Meta:
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="agency_unique_name")
        ]

    def __str__(self):
        """The full name everywhere: a code such as BDVTU or E741 means nothing to a reader
        outside the agency (choice lists add it as a hint: `choice_label`)."""
        return self.name

    @property
    def choice_label(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    @property
    def is_working_group(self) -> bool:
        return self.kind == self.Kind.WORKING_GROUP

    @property
    def member_unit_list(self) -> list[str]:
        return [line.strip() for line in self.member_units.splitlines() if line.strip()]


class Person(models.Model):
    """Someone who works for an agency: goes on field visits, may or may not log in."""

    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", on_delete=models.CASCADE, related_name="people"
    )
    full_name = models.CharField("họ và tên", max_length=150)
    position = models.CharField("chức vụ", max_length=150, blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    is_active = models.BooleanField("đang công tác", default=True)

    class Meta:
        verbose_name = "cán bộ"
        verbose_name_plural = "cán bộ"
        ordering = ["agency", "full_name"]

    def __str__(self):
        return self.full_name


class Decision(models.Model):
    """A decision of the provincial People's Committee assigning agencies to communes."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        IN_FORCE = "in_force", "Đang hiệu lực"
        REPLACED = "replaced", "Đã được thay thế"

    class Level(models.TextChoices):
        PROVINCE = "province", "Cấp tỉnh (UBND tỉnh, Tỉnh ủy)"
        COMMUNE = "commune", "Cấp xã (Đảng ủy xã, UBND xã): tổ công tác giúp thôn, tổ dân phố"

    province = models.ForeignKey(
        "communes.Province",
        verbose_name="tỉnh",
        on_delete=models.PROTECT,
        related_name="decisions",
        limit_choices_to={"valid_to__isnull": True},
    )
    number = models.CharField("số hiệu", max_length=50, help_text="Ví dụ: 708/QĐ-UBND")
    signed_on = models.DateField("ngày ký")
    issuer = models.CharField("cơ quan ban hành", max_length=150, default="UBND tỉnh")
    # The province as it was on the signing day: a decision of 2022 was issued by a province
    # of before 1 July 2025 (one of `province`'s predecessors). `province` is always the
    # current province whose programme the decision belongs to: scoping keys on it.
    issuing_province = models.ForeignKey(
        "communes.Province",
        verbose_name="tỉnh ban hành (địa giới tại ngày ký)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField(
        "cấp ban hành", max_length=20, choices=Level.choices, default=Level.PROVINCE
    )
    issuing_commune = models.ForeignKey(
        "communes.Commune",
        verbose_name="xã ban hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Với quyết định, kết luận cấp xã: xã có các thôn, tổ dân phố được giúp.",
    )
    title = models.CharField("trích yếu", max_length=500)
    phase_start = models.DateField("giai đoạn từ")
    phase_end = models.DateField("giai đoạn đến")
    required_days_per_quarter = models.PositiveSmallIntegerField(
        "số ngày tối thiểu ở xã mỗi quý", default=15
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.IN_FORCE
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name="thay thế quyết định",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="lịch sử quyết định")

    class Meta:
        verbose_name = "quyết định phân công"
        verbose_name_plural = "quyết định phân công"
        ordering = ["-phase_start", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "number"],
                name="decision_unique_number",
                violation_error_message="Tỉnh đã có quyết định mang số hiệu này.",
            ),
            models.CheckConstraint(
                condition=Q(phase_end__gte=F("phase_start")),
                name="decision_phase_dates",
                violation_error_message="Ngày kết thúc giai đoạn phải sau ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=Q(required_days_per_quarter__lte=92),
                name="decision_days_per_quarter",
                violation_error_message="Một quý có nhiều nhất 92 ngày.",
            ),
        ]

    def __str__(self):
        return f"Quyết định số {self.number} ngày {self.signed_on:%d/%m/%Y}"


class Assignment(models.Model):
    """One agency assigned to help one commune under one decision."""

    class Role(models.TextChoices):
        LEAD = "lead", "Chủ trì"
        SUPPORT = "support", "Phối hợp"

    decision = models.ForeignKey(
        Decision, verbose_name="quyết định", on_delete=models.CASCADE, related_name="assignments"
    )
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", on_delete=models.PROTECT, related_name="assignments"
    )
    commune = models.ForeignKey(
        "communes.Commune",
        verbose_name="xã",
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices, default=Role.LEAD)
    paired_company = models.ForeignKey(
        Agency,
        verbose_name="doanh nghiệp phối hợp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paired_assignments",
        limit_choices_to={"kind": Agency.Kind.COMPANY},
    )
    village = models.ForeignKey(
        "communes.Village",
        verbose_name="thôn, bản, tổ dân phố",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text="Khi tổ công tác giúp một thôn, tổ dân phố của xã: đơn vị được giúp là thôn.",
    )
    valid_from = models.DateField("hiệu lực từ")
    valid_to = models.DateField("hiệu lực đến")
    remapped_from = models.ForeignKey(
        "self",
        verbose_name="chuyển từ phân công",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="remapped_to",
    )

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="lịch sử phân công")

    class Meta:
        verbose_name = "phân công"
        verbose_name_plural = "phân công"
        ordering = ["decision", "commune__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "agency", "commune"],
                condition=Q(village__isnull=True),
                name="assignment_unique",
                violation_error_message="Quyết định đã phân công cơ quan này giúp xã này.",
            ),
            models.UniqueConstraint(
                fields=["decision", "agency", "village"],
                condition=Q(village__isnull=False),
                name="assignment_unique_village",
                violation_error_message="Quyết định đã phân công đơn vị này giúp thôn này.",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")),
                name="assignment_valid_dates",
                violation_error_message="Ngày hết hiệu lực phải sau ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=~Q(paired_company=F("agency")),
                name="assignment_paired_company_differs",
                violation_error_message="Doanh nghiệp phối hợp phải khác cơ quan được phân công.",
            ),
        ]
        indexes = [models.Index(fields=["agency", "valid_from"], name="assignment_agency_idx")]

    def __str__(self):
        if self.village_id:
            return f"{self.agency} giúp {self.village} ({self.commune.name})"
        return f"{self.agency} giúp {self.commune.name}"

    @property
    def helped_label(self) -> str:
        """The unit helped: the commune, or the village and its commune."""
        if self.village_id:
            return f"{self.village}, {self.commune.name}"
        return self.commune.name


class Role(models.Model):
    """A role a user holds, tied to its scope. One user may hold several."""

    Kind = RoleKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người dùng",
        on_delete=models.CASCADE,
        related_name="roles",
    )
    kind = models.CharField("vai trò", max_length=30, choices=Kind.choices)
    province = models.ForeignKey(
        "communes.Province",
        verbose_name="tỉnh",
        on_delete=models.CASCADE,
        related_name="roles",
        limit_choices_to={"valid_to__isnull": True},
    )
    agency = models.ForeignKey(
        Agency, verbose_name="cơ quan", null=True, blank=True, on_delete=models.CASCADE
    )
    district = models.ForeignKey(
        "communes.District", verbose_name="huyện", null=True, blank=True, on_delete=models.CASCADE
    )
    commune = models.ForeignKey(
        "communes.Commune", verbose_name="xã", null=True, blank=True, on_delete=models.CASCADE
    )

    objects = RoleQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="lịch sử vai trò")

    class Meta:
        verbose_name = "vai trò"
        verbose_name_plural = "vai trò"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=[RoleKind.AGENCY_LEADER, RoleKind.AGENCY_STAFF],
                        agency__isnull=False,
                    )
                    | Q(kind=RoleKind.DISTRICT_OFFICER, district__isnull=False)
                    | Q(kind=RoleKind.COMMUNE_OFFICER, commune__isnull=False)
                    | Q(kind__in=[RoleKind.SECRETARIAT, RoleKind.LEADERSHIP, RoleKind.NATIONAL])
                ),
                name="role_scope_present",
                violation_error_message="Vai trò này cần cơ quan, huyện hoặc xã tương ứng.",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "province", "agency", "district", "commune"],
                name="role_unique",
            ),
        ]

    def __str__(self):
        scope = self.agency or self.district or self.commune or self.province
        return f"{self.get_kind_display()} – {scope}"
