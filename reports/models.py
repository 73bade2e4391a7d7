"""A report run: one build of the sơ kết report for a scope and a period."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core import jobs
from core.periods import period_label

from .querysets import ReportRunQuerySet


class ReportRun(models.Model):
    class Scope(models.TextChoices):
        PROVINCE = "province", "Toàn tỉnh"
        FORMER_PROVINCE = "former_province", "Một tỉnh trước sắp xếp (trước 01/7/2025)"
        DISTRICT = "district", "Một huyện"
        COMMUNE = "commune", "Một xã"
        AGENCY = "agency", "Một cơ quan, đơn vị"

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        UNSENT = "unsent", "Chưa gửi được"
        RUNNING = "running", "Đang lập"
        DONE = "done", "Đã lập xong"
        FAILED = "failed", "Lỗi"
        ISSUED = "issued", "Đã ban hành"

    province = models.ForeignKey(
        "communes.Province", verbose_name="tỉnh", on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField(
        "phạm vi", max_length=20, choices=Scope.choices, default=Scope.PROVINCE
    )
    former_province = models.ForeignKey(
        "communes.Province",
        verbose_name="tỉnh trước sắp xếp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"valid_to__isnull": False},
    )
    district = models.ForeignKey(
        "communes.District", verbose_name="huyện", null=True, blank=True, on_delete=models.PROTECT
    )
    commune = models.ForeignKey(
        "communes.Commune", verbose_name="xã", null=True, blank=True, on_delete=models.PROTECT
    )
    agency = models.ForeignKey(
        "assignments.Agency",
        verbose_name="cơ quan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    include_awaiting = models.BooleanField(
        "tính cả hoạt động đang chờ xã xác nhận",
        default=False,
        help_text="Mặc định báo cáo chỉ tính số liệu các xã đã xác nhận; lựa chọn này được "
        "ghi rõ trong báo cáo.",
    )
    title = models.CharField("tiêu đề", max_length=300, blank=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    step = models.CharField("bước đang làm", max_length=200, blank=True)
    error = models.TextField("lỗi", blank=True)
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    queued_at = models.DateTimeField("vào hàng đợi lúc", null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        "tín hiệu gần nhất của tiến trình lập", null=True, blank=True
    )
    unsent_at = models.DateTimeField(
        "lần gửi vào hàng đợi không thành lúc",
        null=True,
        blank=True,
        help_text="Yêu cầu lập (lại) không gửi được vì hàng đợi không hoạt động.",
    )
    figures = models.JSONField("số liệu", default=dict, blank=True)

    # The document's header and signature, written by the secretariat (Nghị định 30/2020).
    parent_body = models.CharField("cơ quan chủ quản", max_length=200, blank=True)
    issuing_body = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    document_number = models.CharField(
        "số, ký hiệu", max_length=50, blank=True, help_text="Ví dụ: 12/BC-UBND"
    )
    place = models.CharField("địa danh", max_length=100, blank=True)
    document_date = models.DateField("ngày ban hành", null=True, blank=True)
    signature_title = models.TextField(
        "chức danh ký", blank=True, help_text="Mỗi dòng một dòng, ví dụ: TM. ỦY BAN NHÂN DÂN"
    )
    signer_name = models.CharField("người ký", max_length=100, blank=True)
    recipients = models.TextField("nơi nhận", blank=True, help_text="Mỗi dòng một nơi nhận")
    # Sections III–V, written before issuing.
    strengths = models.TextField("ưu điểm", blank=True)
    shortcomings = models.TextField("tồn tại, hạn chế và nguyên nhân", blank=True)
    directions = models.TextField("phương hướng, nhiệm vụ thời gian tới", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị", blank=True)
    # Issuing freezes the figures and the files.
    issued_at = models.DateTimeField("ban hành lúc", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ban hành",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    final = models.BooleanField(
        "bản ban hành", default=False, help_text="Đang lập bản chính thức để ban hành"
    )
    pdf_sha256 = models.CharField("SHA-256 tệp PDF", max_length=64, blank=True)
    xlsx_sha256 = models.CharField("SHA-256 tệp Excel", max_length=64, blank=True)
    pdf = models.FileField("tệp PDF", upload_to="reports/", blank=True)
    xlsx = models.FileField("tệp Excel", upload_to="reports/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người yêu cầu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("yêu cầu lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    objects = ReportRunQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo"
        verbose_name_plural = "báo cáo"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_period_dates",
                violation_error_message="Ngày cuối kỳ phải sau ngày đầu kỳ.",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_percent"),
            models.CheckConstraint(
                condition=Q(scope="province")
                | Q(scope="former_province", former_province__isnull=False)
                | Q(scope="district", district__isnull=False)
                | Q(scope="commune", commune__isnull=False)
                | Q(scope="agency", agency__isnull=False),
                name="report_scope_object",
                violation_error_message=(
                    "Phạm vi báo cáo cần tỉnh cũ, huyện, xã hoặc cơ quan tương ứng."
                ),
            ),
        ]
        indexes = [models.Index(fields=["province", "status"], name="report_province_status")]

    def __str__(self):
        return self.title or f"Báo cáo sơ kết {period_label(self.period_start, self.period_end)}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

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
    def may_resend(self) -> bool:
        return self.status == self.Status.UNSENT

    @property
    def scope_object(self):
        return self.agency or self.commune or self.district or self.former_province or self.province
