"""Notifications: the digest's items with their unread count, and one's reminder settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from ..forms.notifications import ReminderSettingsForm
from ..models import ReminderSettings


@require_safe
@login_required
def notification_list(request):
    items = request.user.notifications.order_by("-created_at", "pk")
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    current = ReminderSettings.objects.filter(user=request.user).first()
    form = ReminderSettingsForm(instance=current or ReminderSettings(user=request.user))
    return render(request, "followup/notification_list.html", {"page": page, "form": form})


@require_POST
@login_required
def notification_settings(request):
    current = ReminderSettings.objects.filter(user=request.user).first()
    form = ReminderSettingsForm(
        request.POST, instance=current or ReminderSettings(user=request.user)
    )
    if form.is_valid():
        form.save()
        messages.success(request, "Đã lưu cài đặt nhắc việc.")
    return redirect("notification_list")


@require_POST
@login_required
def notification_read(request):
    count = request.user.notifications.filter(read_at=None).update(read_at=timezone.now())
    messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
    return redirect("notification_list")
