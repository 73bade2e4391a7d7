"""Household follow-ups: the households to follow, their 6- and 12-month checks, the photos."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from contributions.models import Activity
from core import uploads
from core.forms import add_service_errors

from ..forms.follow_ups import CheckForm, SupportForm
from ..models import FollowUpCheck
from ..services import follow_ups as services
from ..services import personal_data


def _shown(request, checks, page: str) -> None:
    """Household data on a page: names masked where the reader does not need them, and
    the view logged (who, when, which households)."""
    supports = {}
    for check in checks:
        check.support.name_visible = check.name_visible
        supports[check.support_id] = check.support
    if supports:
        personal_data.log_access(
            user=request.user, action=personal_data.Action.VIEW, supports=supports.values(),
            page=page, names_shown=any(s.name_visible for s in supports.values()),
        )  # fmt: skip


CHECK_RELATED = (
    "support__activity__assignment__commune", "support__activity__assignment__decision",
    "support__village",
)  # fmt: skip


@require_safe
@login_required
def follow_up_list(request):
    """Households whose support is followed, the checks due first; `?activity=` those of
    one activity."""
    today = timezone.localdate()
    checks = (
        FollowUpCheck.objects.visible_to(request.user)
        .with_names_for(request.user)
        .select_related(*CHECK_RELATED)
        .order_by(F("checked_on").asc(nulls_first=True), "due_date", "pk")
    )
    activity = None
    if (activity_pk := request.GET.get("activity", "")).isdecimal() and len(activity_pk) < 12:
        activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=activity_pk)
        checks = checks.filter(support__activity=activity)
    page = Paginator(checks, 40).get_page(request.GET.get("page"))
    _shown(request, page.object_list, "Danh sách theo dõi hộ sau hỗ trợ")
    return render(
        request,
        "followup/follow_up_list.html",
        {"page": page, "today": today, "soon": today + datetime.timedelta(days=14),
         "activity": activity},
    )  # fmt: skip


@login_required
def support_create(request, pk):
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    if not services.may_follow(request.user, activity):
        raise PermissionDenied("Chỉ cơ quan thực hiện hoạt động mới ghi hộ cần theo dõi.")
    form = SupportForm(request.POST or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            support = services.support_create(
                user=request.user, activity=activity, fields=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            due = ", ".join(f"{c.due_date:%d/%m/%Y}" for c in support.checks.all())
            messages.success(request, f"Đã ghi hộ {support.household}; hạn theo dõi: {due}.")
            return redirect("activity_detail", activity.pk)
    return render(
        request,
        "followup/support_form.html",
        {"form": form, "activity": activity, "purpose": personal_data.purpose()},
    )


def _get_check(request, pk) -> FollowUpCheck:
    return get_object_or_404(
        FollowUpCheck.objects.visible_to(request.user)
        .with_names_for(request.user)
        .select_related(*CHECK_RELATED),
        pk=pk,
    )


@login_required
def check_record(request, pk):
    check = _get_check(request, pk)
    if not services.may_follow(request.user, check.support.activity):
        raise PermissionDenied("Chỉ cơ quan thực hiện hoạt động mới ghi kết quả theo dõi.")
    form = CheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_record(user=request.user, check=check, fields=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Đã ghi kết quả theo dõi hộ {check.support.household}.")
            return redirect("follow_up_list")
    elif request.method != "POST":
        form.initial["checked_on"] = timezone.localdate()
    _shown(request, [check], "Ghi kết quả theo dõi hộ")
    return render(request, "followup/check_form.html", {"form": form, "check": check})


@require_safe
@login_required
def check_photo(request, pk):
    """The photo of a check, served through the access rules."""
    check = _get_check(request, pk)
    if not check.photo:
        raise Http404
    _shown(request, [check], "Ảnh kiểm tra hộ sau hỗ trợ")
    return uploads.file_response(
        check.photo.open("rb"),
        content_type=check.photo_type,
        filename=f"theo-doi-{check.pk}.{check.photo.name.rsplit('.', 1)[-1]}",
        inline=True,
    )
