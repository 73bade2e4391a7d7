"""Reminders: one's settings, the morning digest and its items as notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q


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
