"""Annual plans: an assignment's plan for a year and its planned activities."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..querysets import AnnualPlanQuerySet


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
