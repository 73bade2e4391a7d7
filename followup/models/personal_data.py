"""Personal data of households (Luật Bảo vệ dữ liệu cá nhân, in force 1 January 2026): who
viewed, exported, corrected or erased which household's data, and when."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..querysets import PersonalDataAccessQuerySet


class PersonalDataAccess(models.Model):
    """One view, export, correction or erasure of household data: who, when, which
    households (the supports shown or changed), on which page. Written by the views and jobs
    through `services.personal_data.log_access`; read by the secretariat of the province."""

    class Action(models.TextChoices):
        VIEW = "view", "Xem"
        EXPORT = "export", "Xuất dữ liệu theo yêu cầu"
        CORRECT = "correct", "Sửa theo yêu cầu"
        ERASE = "erase", "Xóa theo yêu cầu"
        EXPIRE = "expire", "Xóa khi hết thời hạn lưu trữ"

    at = models.DateTimeField("thời gian", default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người truy cập", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip  # None: the retention job
    province = models.ForeignKey(
        "communes.Province", verbose_name="tỉnh", on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("thao tác", max_length=10, choices=Action.choices)
    page = models.CharField("trang", max_length=200)
    names_shown = models.BooleanField("thấy họ tên", default=False)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    supports = models.ManyToManyField(
        "followup.HouseholdSupport", verbose_name="hộ", related_name="accesses"
    )

    objects = PersonalDataAccessQuerySet.as_manager()

    class Meta:
        verbose_name = "truy cập dữ liệu cá nhân"
        verbose_name_plural = "truy cập dữ liệu cá nhân"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["province", "-at"], name="pd_access_province_at")]

    def __str__(self):
        return f"{self.get_action_display()} – {self.page}"
