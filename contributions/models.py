"""What agencies do for their communes: activities, their contributions, and days on site."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core import jobs
from core.formatting import dong, trimmed_number

from .querysets import (
    ActivityQuerySet,
    ContributionQuerySet,
    FieldVisitQuerySet,
    ImportJobQuerySet,
)


class Category(models.Model):
    """A field of work (lĩnh vực): production models, infrastructure, housing, health, ..."""

    code = models.SlugField("mã", max_length=40, unique=True)
    name = models.CharField("tên", max_length=150, unique=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "lĩnh vực hoạt động"
        verbose_name_plural = "lĩnh vực hoạt động"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Item(models.Model):
    """An in-kind item of the catalogue with its unit and a reference value per unit."""

    name = models.CharField("tên", max_length=150, unique=True)
    unit = models.CharField("đơn vị tính", max_length=50)
    reference_unit_value = models.BigIntegerField(
        "đơn giá tham khảo (đồng)", default=0, help_text="Đề xuất khi nhập, có thể sửa."
    )
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "hiện vật"
        verbose_name_plural = "danh mục hiện vật"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference_unit_value__gte=0),
                name="item_reference_value_not_negative",
                violation_error_message="Đơn giá không được âm.",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Đã gửi, chờ xã xác nhận"
    CONFIRMED = "confirmed", "Xã đã xác nhận"
    RETURNED = "returned", "Bị trả lại"


class Activity(models.Model):
    assignment = models.ForeignKey(
        "assignments.Assignment",
        verbose_name="phân công",
        on_delete=models.PROTECT,
        related_name="activities",
    )
    start_date = models.DateField("ngày thực hiện")
    end_date = models.DateField("đến ngày", null=True, blank=True)
    category = models.ForeignKey(
        Category, verbose_name="lĩnh vực", on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField("nội dung", max_length=300)
    description = models.TextField("mô tả", blank=True)
    village = models.ForeignKey(
        "communes.Village",
        verbose_name="thôn, bản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    beneficiaries_count = models.PositiveIntegerField("số người, hộ hưởng lợi", default=0)
    beneficiaries_kind = models.CharField(
        "đối tượng hưởng lợi", max_length=150, blank=True, help_text="Ví dụ: hộ nghèo, học sinh"
    )
    is_lasting = models.BooleanField(
        "hỗ trợ lâu dài", default=False, help_text="Sinh kế, hạ tầng, đào tạo: không chỉ tặng quà"
    )
    is_notable = models.BooleanField("điển hình", default=False)
    status = models.CharField(
        "trạng thái", max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    return_reason = models.TextField("lý do trả lại", blank=True)
    version = models.PositiveIntegerField(
        "phiên bản",
        default=1,
        help_text="Tăng mỗi lần lưu: hai người sửa cùng lúc không ghi đè nhau",
    )
    submission_token = models.UUIDField(
        "mã lần gửi biểu mẫu", null=True, blank=True, unique=True, editable=False
    )
    import_batch = models.ForeignKey(
        "ImportBatch",
        verbose_name="nhập từ tệp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật", auto_now=True)
    submitted_at = models.DateTimeField("ngày gửi", null=True, blank=True)
    confirmed_at = models.DateTimeField("ngày xác nhận", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xác nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="lịch sử hoạt động")

    class Meta:
        verbose_name = "hoạt động"
        verbose_name_plural = "hoạt động"
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="activity_dates",
                violation_error_message="Ngày kết thúc phải từ ngày bắt đầu trở đi.",
            ),
            # The activity must fall in its decision's phase: a trigger enforces that
            # (see migration 0002), since a CHECK cannot look at another table.
        ]
        indexes = [
            models.Index(fields=["assignment", "start_date"], name="activity_assignment_date"),
            models.Index(fields=["start_date"], name="activity_date"),
            models.Index(fields=["status", "start_date"], name="activity_status_date"),
            models.Index(fields=["category", "start_date"], name="activity_category_date"),
            models.Index(
                fields=["start_date"], condition=Q(is_notable=True), name="activity_notable_date"
            ),
            models.Index(
                fields=["assignment"], condition=Q(status="submitted"), name="activity_waiting"
            ),
        ]

    def __str__(self):
        return self.title


class Contribution(models.Model):
    class Kind(models.TextChoices):
        CASH = "cash", "Tiền mặt"
        IN_KIND = "in_kind", "Hiện vật"

    class Source(models.TextChoices):
        BUDGET = "budget", "Kinh phí của cơ quan"
        STAFF = "staff", "Cán bộ, công chức quyên góp"
        MOBILISED = "mobilised", "Doanh nghiệp, nhà tài trợ được vận động"
        # Programmes and projects folded into the help (lồng ghép), as Hà Tĩnh's review counts
        INTEGRATED = "integrated", "Lồng ghép chương trình, dự án"

    activity = models.ForeignKey(
        Activity, verbose_name="hoạt động", on_delete=models.CASCADE, related_name="contributions"
    )
    kind = models.CharField("hình thức", max_length=20, choices=Kind.choices)
    item = models.ForeignKey(
        Item,
        verbose_name="hiện vật",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    quantity = models.DecimalField(
        "số lượng", max_digits=14, decimal_places=2, null=True, blank=True
    )
    value = models.BigIntegerField("giá trị (đồng)")
    source = models.CharField("nguồn", max_length=20, choices=Source.choices)
    donor_name = models.CharField("tên nhà tài trợ", max_length=255, blank=True)

    objects = ContributionQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="lịch sử đóng góp")

    class Meta:
        verbose_name = "đóng góp"
        verbose_name_plural = "đóng góp"
        ordering = ["activity", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="contribution_value_not_negative",
                violation_error_message="Giá trị không được âm.",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="contribution_quantity_not_negative",
                violation_error_message="Số lượng không được âm.",
            ),
            models.CheckConstraint(
                condition=Q(kind="cash", item__isnull=True, quantity__isnull=True)
                | Q(kind="in_kind", item__isnull=False, quantity__isnull=False),
                name="contribution_kind_fields",
                violation_error_message="Tiền mặt không có hiện vật; hiện vật cần tên và số lượng.",
            ),
        ]
        indexes = [models.Index(fields=["kind", "item"], name="contribution_kind_item")]

    def __str__(self):
        if self.kind == self.Kind.CASH:
            return f"Tiền mặt {dong(self.value)}"
        return (
            f"{trimmed_number(self.quantity)} {self.item.unit} {self.item.name}, {dong(self.value)}"
        )


class Attachment(models.Model):
    """A photo, minutes or receipt attached to an activity."""

    class Kind(models.TextChoices):
        PHOTO = "photo", "Ảnh"
        MINUTES = "minutes", "Biên bản"
        RECEIPT = "receipt", "Chứng từ, biên nhận"
        OTHER = "other", "Khác"

    activity = models.ForeignKey(
        Activity, verbose_name="hoạt động", on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.PHOTO)
    file = models.FileField("tệp", upload_to="attachments/%Y/%m/")
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField("kiểu tệp", max_length=100)
    size = models.PositiveIntegerField("dung lượng (byte)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        verbose_name = "tệp đính kèm"
        verbose_name_plural = "tệp đính kèm"
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Comment(models.Model):
    """A remark on an activity by anyone who may see it: a reviewer's question, an answer."""

    activity = models.ForeignKey(
        Activity, verbose_name="hoạt động", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người viết",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField("nội dung")
    created_at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        verbose_name = "ý kiến"
        verbose_name_plural = "ý kiến"
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


class ImportBatch(models.Model):
    """One Excel file imported by an agency: the same file twice creates nothing new."""

    agency = models.ForeignKey(
        "assignments.Agency", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="+"
    )
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    file_name = models.CharField("tên tệp", max_length=255)
    rows = models.PositiveIntegerField("số dòng", default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField("nhập lúc", auto_now_add=True)

    class Meta:
        verbose_name = "lần nhập từ Excel"
        verbose_name_plural = "các lần nhập từ Excel"
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "sha256"], name="import_once_per_file")
        ]

    def __str__(self):
        return f"{self.file_name} ({self.imported_at:%d/%m/%Y})"


class ImportJob(models.Model):
    """One uploaded workbook on its way in: checked by a background job (its problems listed
    on the page), then, if clean and the user says so, saved by a second one. The web
    request never parses the workbook: an untrusted file cannot hold a web worker."""

    class Phase(models.TextChoices):
        CHECK = "check", "Kiểm tra tệp"
        COMMIT = "commit", "Lưu vào hệ thống"

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        UNSENT = "unsent", "Chưa gửi được"
        RUNNING = "running", "Đang xử lý"
        FINISHED = "finished", "Xong"
        REFUSED = "refused", "Không đọc được tệp"
        FAILED = "failed", "Lỗi"

    agency = models.ForeignKey(
        "assignments.Agency", verbose_name="cơ quan", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        on_delete=models.CASCADE,
        related_name="+",
    )
    file_name = models.CharField("tên tệp", max_length=255)
    file = models.FileField("tệp", upload_to="imports/", blank=True)
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    size = models.PositiveIntegerField("dung lượng (byte)")
    phase = models.CharField("bước", max_length=10, choices=Phase.choices, default=Phase.CHECK)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    step = models.CharField("đang làm", max_length=200, blank=True)
    result = models.JSONField("kết quả kiểm tra", default=dict, blank=True)
    error = models.TextField("lý do", blank=True)
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    queued_at = models.DateTimeField("vào hàng đợi lúc", null=True, blank=True)
    heartbeat_at = models.DateTimeField("tín hiệu gần nhất", null=True, blank=True)
    batch = models.ForeignKey(
        ImportBatch, verbose_name="lần nhập", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "tệp Excel đang nhập"
        verbose_name_plural = "tệp Excel đang nhập"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="import_job_percent")
        ]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="import_job_mine")]

    def __str__(self):
        return f"{self.file_name} ({self.get_phase_display().lower()})"

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_stalled(self) -> bool:
        """Running, but its worker stopped beating: the sweeper will take it over."""
        return (
            self.status == self.Status.RUNNING
            and self.heartbeat_at is not None
            and self.heartbeat_at < timezone.now() - jobs.stale_after()
        )

    @property
    def may_commit(self) -> bool:
        return (
            self.phase == self.Phase.CHECK
            and self.status == self.Status.FINISHED
            and bool(self.result.get("ok"))
            and bool(self.file)
        )

    @property
    def is_saved(self) -> bool:
        return self.phase == self.Phase.COMMIT and self.status == self.Status.FINISHED


class FieldVisit(models.Model):
    """Staff of an agency on site in the commune: the days count toward the quarter's quota."""

    assignment = models.ForeignKey(
        "assignments.Assignment",
        verbose_name="phân công",
        on_delete=models.PROTECT,
        related_name="field_visits",
    )
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày")
    days_on_site = models.PositiveSmallIntegerField("số ngày ở xã")
    people = models.ManyToManyField(
        "assignments.Person", verbose_name="cán bộ đi", blank=True, related_name="field_visits"
    )
    purpose = models.TextField("nội dung công việc")
    status = models.CharField(
        "trạng thái", max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)

    objects = FieldVisitQuerySet.as_manager()
    history = HistoricalRecords(verbose_name="lịch sử chuyến công tác", m2m_fields=["people"])

    class Meta:
        verbose_name = "chuyến công tác xã"
        verbose_name_plural = "chuyến công tác xã"
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="field_visit_dates",
                violation_error_message="Ngày về phải từ ngày đi trở đi.",
            ),
            models.CheckConstraint(
                condition=Q(days_on_site__gte=1, days_on_site__lte=92),
                name="field_visit_days",
                violation_error_message="Số ngày ở xã phải từ 1 đến 92.",
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "start_date"], name="visit_assignment_date"),
            models.Index(fields=["start_date"], name="visit_date"),
        ]

    def __str__(self):
        return f"{self.assignment} {self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y}"


# -- Monthly rollups ----------------------------------------------------------------------
# Sums per assignment, calendar month and review status, kept current by
# `contributions.rollup.refresh` inside every write (services, import, admin, demo). The
# dashboards and reports read these few thousand rows instead of the million raw ones, and
# choose the statuses they count (the official figure: what the communes confirmed);
# `rollup.read` adds the raw rows of a period's partial first and last month, so any custom
# period is still exact.


class _Month(models.Model):
    """An assignment's month: the key every rollup row starts from."""

    assignment = models.ForeignKey(
        "assignments.Assignment", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField("tháng (ngày đầu tháng)")

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name} {self.month:%m/%Y} – phân công {self.assignment_id}"


class _Monthly(_Month):
    """A month of records of one review status."""

    status = models.CharField(max_length=20, choices=ReviewStatus.choices)

    class Meta:
        abstract = True


class MonthlyAssignment(_Monthly):
    """An assignment's month and status: its activities and their contributions."""

    activities = models.PositiveIntegerField(default=0)
    lasting_activities = models.PositiveIntegerField(default=0)
    beneficiaries = models.BigIntegerField(default=0)
    first_reported_at = models.DateTimeField(null=True)  # earliest submission
    last_reported_at = models.DateTimeField(null=True)
    last_date = models.DateField(null=True)
    total = models.BigIntegerField(default=0)
    cash = models.BigIntegerField(default=0)
    lasting_total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "tổng hợp tháng theo phân công"
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "month", "status"], name="monthly_assignment_key"
            )
        ]


class MonthlyVisit(_Month):
    """An assignment's field visits begun in a month: the days on site. Visits have no
    review flow, so every one logged counts."""

    days = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "tổng hợp tháng chuyến công tác"
        constraints = [
            models.UniqueConstraint(fields=["assignment", "month"], name="monthly_visit_key")
        ]


class MonthlyCategory(_Monthly):
    """Activities and their contributions per assignment × month × category."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    activities = models.PositiveIntegerField(default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "tổng hợp tháng theo lĩnh vực"
        indexes = [
            # Covering (PostgreSQL): a period's reads are index-only scans of its months.
            models.Index(
                fields=["month", "assignment"],
                include=["status", "category", "activities", "total"],
                name="monthly_category_read",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "month", "status", "category"],
                name="monthly_category_key",
            )
        ]


class MonthlyItem(_Monthly):
    """In-kind contributions per assignment × month × item: quantity and value."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "tổng hợp tháng theo hiện vật"
        indexes = [
            models.Index(
                fields=["month", "assignment"],
                include=["status", "item", "amount", "total"],
                name="monthly_item_read",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "month", "status", "item"], name="monthly_item_key"
            )
        ]


class MonthlySource(_Monthly):
    """Contributions per assignment × month × source (budget, staff, mobilised)."""

    source = models.CharField(max_length=20, choices=Contribution.Source.choices)
    total = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "tổng hợp tháng theo nguồn"
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "month", "status", "source"], name="monthly_source_key"
            )
        ]
