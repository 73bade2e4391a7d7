"""Household follow-ups: support given to a household and its checks months later."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.text import initials

from ..querysets import FollowUpCheckQuerySet, HouseholdSupportQuerySet


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
    household = models.CharField(
        "chủ hộ", max_length=150,
        help_text="Họ tên chủ hộ, để cơ quan và xã tìm lại hộ khi kiểm tra sau 6 và 12 tháng.",
    )  # fmt: skip
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
    # When the household's identity was removed (on its request, or at the end of the
    # retention period): name, village, notes and photos gone; the figures kept.
    erased_at = models.DateTimeField("đã xóa thông tin cá nhân lúc", null=True, blank=True)

    objects = HouseholdSupportQuerySet.as_manager()

    class Meta:
        verbose_name = "hỗ trợ hộ gia đình cần theo dõi"
        verbose_name_plural = "hỗ trợ hộ gia đình cần theo dõi"
        ordering = ["household", "pk"]

    def __str__(self):
        return f"{self.shown_name}: {self.given}"

    @property
    def shown_name(self) -> str:
        """The name as this page may show it: whole where the queryset found the viewer
        needs it (`with_names_for(user)` sets `name_visible`), otherwise initials only
        ("Giàng A Páo" → "G. A. P."). Masked unless a page asked."""
        if getattr(self, "name_visible", False) or self.erased_at:
            return self.household
        return initials(self.household)


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
    photo_type = models.CharField("kiểu ảnh", max_length=50, blank=True)
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
