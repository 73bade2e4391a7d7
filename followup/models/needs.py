"""Commune needs (nhu cầu của xã): raised by the commune's officer; the agencies assigned to
the commune answer them and link the activities that meet them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..querysets import CommuneNeedQuerySet, NeedResponseQuerySet


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
    def raised_on(self):
        """The day the need was raised (in the province's time zone): activities count
        toward it from this day on."""
        return timezone.localdate(self.raised_at)

    @property
    def state(self) -> str:
        """Met only when the commune confirmed it; partly met once a counted activity (the
        commune confirmed it, done on or after the day the need was raised) answers it; open
        otherwise. The value's share of the estimate never decides. Needs `with_delivery()`."""
        if self.met_at:
            return self.State.MET
        return self.State.PARTLY if self.counted else self.State.OPEN

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def beyond_estimate(self) -> bool:
        """The value delivered is above the rough cost (said as such, never as "met")."""
        return bool(self.estimated_cost) and self.delivered > self.estimated_cost


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
