"""Commune needs: raised by the commune, answered by its agencies, met by activities."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from assignments.models import Assignment
from assignments.permissions import managed_province, secretariat_provinces
from contributions.models import Activity
from core.forms import add_service_errors

from . import plans, services
from .forms import (
    CheckForm,
    LinkForm,
    MeetingForm,
    NeedForm,
    PlanForm,
    PlanItemForm,
    ReminderSettingsForm,
    ResponseForm,
    SupportForm,
    TaskDoneForm,
    TaskForm,
)
from .models import (
    AnnualPlan,
    CommuneNeed,
    FollowUpCheck,
    Meeting,
    PlanItem,
    ReminderSettings,
    Task,
)


def _get_need(request, pk) -> CommuneNeed:
    return get_object_or_404(
        CommuneNeed.objects.visible_to(request.user)
        .with_delivery()
        .select_related("commune", "village", "category", "raised_by"),
        pk=pk,
    )


@require_safe
@login_required
def need_list(request):
    needs = (
        CommuneNeed.objects.visible_to(request.user)
        .with_delivery()
        .select_related("commune", "village")
        .order_by("met_at", "-raised_at", "-pk")
    )
    page = Paginator(needs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "followup/need_list.html",
        {"page": page, "may_raise": bool(services.officer_communes(request.user))},
    )


@login_required
def need_create(request):
    communes = services.officer_communes(request.user)
    if not communes:
        raise PermissionDenied("Chỉ cán bộ xã được nêu nhu cầu của xã mình.")
    form = NeedForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        commune = data.pop("commune")
        try:
            need = services.need_create(user=request.user, commune=commune, fields=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Đã gửi nhu cầu tới các cơ quan giúp xã.")
            return redirect("need_detail", need.pk)
    return render(request, "followup/need_form.html", {"form": form})


@require_safe
@login_required
def need_detail(request, pk):
    need = _get_need(request, pk)
    user = request.user
    may_respond = services.may_respond(user, need)
    return render(
        request,
        "followup/need_detail.html",
        {
            "need": need,
            "responses": need.responses.select_related("agency", "author"),
            "activities": need.activities.select_related("assignment__agency").order_by(
                "start_date"
            ),
            "may_respond": may_respond,
            "may_mark_met": services.may_mark_met(user, need),
            "response_form": ResponseForm(),
            "link_form": LinkForm(activities=services.linkable_activities(user, need))
            if may_respond
            else None,
        },
    )


@require_POST
@login_required
def need_respond(request, pk):
    need = _get_need(request, pk)
    form = ResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("need_detail", need.pk)
    services.need_respond(user=request.user, need=need, **form.cleaned_data)
    messages.success(request, "Đã gửi trả lời cho xã.")
    return redirect("need_detail", need.pk)


@require_POST
@login_required
def need_link(request, pk):
    need = _get_need(request, pk)
    if not services.may_respond(request.user, need):
        raise PermissionDenied("Chỉ cơ quan được phân công giúp xã này mới gắn hoạt động.")
    form = LinkForm(request.POST, activities=services.linkable_activities(request.user, need))
    if form.is_valid():
        services.need_link(user=request.user, need=need, activity=form.cleaned_data["activity"])
        messages.success(request, "Đã gắn hoạt động với nhu cầu.")
    else:
        messages.error(request, " ".join(form.errors["activity"]))
    return redirect("need_detail", need.pk)


@require_POST
@login_required
def need_mark_met(request, pk):
    need = _get_need(request, pk)
    services.need_mark_met(user=request.user, need=need)
    messages.success(request, "Đã xác nhận nhu cầu được đáp ứng.")
    return redirect("need_detail", need.pk)


# -- household follow-ups -------------------------------------------------------------------


@require_safe
@login_required
def follow_up_list(request):
    """Households whose support is followed, the checks due first."""
    today = timezone.localdate()
    checks = (
        FollowUpCheck.objects.visible_to(request.user)
        .select_related("support__activity__assignment__commune", "support__village")
        .order_by(F("checked_on").asc(nulls_first=True), "due_date", "pk")
    )
    page = Paginator(checks, 40).get_page(request.GET.get("page"))
    return render(
        request,
        "followup/follow_up_list.html",
        {"page": page, "today": today, "soon": today + datetime.timedelta(days=14)},
    )


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
    return render(request, "followup/support_form.html", {"form": form, "activity": activity})


def _get_check(request, pk) -> FollowUpCheck:
    return get_object_or_404(
        FollowUpCheck.objects.visible_to(request.user).select_related(
            "support__activity__assignment__commune", "support__village"
        ),
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
    return render(request, "followup/check_form.html", {"form": form, "check": check})


@require_safe
@login_required
def check_photo(request, pk):
    """The photo of a check, served through the access rules."""
    check = _get_check(request, pk)
    if not check.photo:
        raise Http404
    return FileResponse(check.photo.open("rb"), filename=check.photo.name.rsplit("/", 1)[-1])


# -- meetings and tasks ---------------------------------------------------------------------


@require_safe
@login_required
def meeting_list(request):
    meetings = (
        Meeting.objects.visible_to(request.user)
        .annotate(
            open_tasks=Count("tasks", filter=Q(tasks__status="open")),
            overdue=Count(
                "tasks", filter=Q(tasks__status="open", tasks__due_date__lt=timezone.localdate())
            ),
        )
        .order_by("-held_on", "-pk")
    )
    page = Paginator(meetings, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "followup/meeting_list.html",
        {"page": page, "may_record": bool(secretariat_provinces(request.user))},
    )


@login_required
def meeting_create(request):
    managed_province(request.user)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(user=request.user, fields=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Đã ghi cuộc họp. Giao các nhiệm vụ theo kết luận.")
            return redirect("meeting_detail", meeting.pk)
    return render(request, "followup/meeting_form.html", {"form": form})


def _task_form(request, meeting, data=None):
    if meeting.province_id not in secretariat_provinces(request.user):
        return None
    return TaskForm(data, province=meeting.province)


@require_safe
@login_required
def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    return _meeting_page(request, meeting, _task_form(request, meeting))


def _meeting_page(request, meeting, task_form):
    today = timezone.localdate()
    tasks = list(meeting.tasks.select_related("meeting", "agency", "commune", "village", "person"))
    reportable = services.reportable(request.user, tasks)
    for task in tasks:
        task.overdue = task.is_overdue(today)
        task.may_report = task.pk in reportable
    return render(
        request,
        "followup/meeting_detail.html",
        {"meeting": meeting, "tasks": tasks, "task_form": task_form, "done_form": TaskDoneForm()},
    )


@require_POST
@login_required
def task_create(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    form = _task_form(request, meeting, request.POST)
    if form is None:
        raise PermissionDenied("Chỉ văn phòng thường trực của tỉnh được giao nhiệm vụ.")
    if form.is_valid():
        try:
            services.task_create(user=request.user, meeting=meeting, fields=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Đã giao nhiệm vụ.")
            return redirect("meeting_detail", meeting.pk)
    return _meeting_page(request, meeting, form)


@require_safe
@login_required
def task_list(request):
    """The tasks the user answers for first, then every task of the province."""
    today = timezone.localdate()
    visible = Task.objects.visible_to(request.user).select_related(
        "meeting", "agency", "commune", "village", "person"
    )
    mine = list(visible.responsible(request.user).filter(status="open").order_by("due_date"))
    page = Paginator(visible.order_by("status", "due_date", "pk"), 40).get_page(
        request.GET.get("page")
    )
    tasks = [*mine, *page.object_list]
    reportable = services.reportable(request.user, tasks)
    for task in tasks:
        task.overdue = task.is_overdue(today)
        task.may_report = task.pk in reportable
    return render(
        request,
        "followup/task_list.html",
        {"mine": mine, "page": page, "done_form": TaskDoneForm()},
    )


@require_POST
@login_required
def task_done(request, pk):
    task = get_object_or_404(Task.objects.visible_to(request.user).select_related("meeting"), pk=pk)
    form = TaskDoneForm(request.POST)
    if not services.may_report_task(request.user, task):
        raise PermissionDenied("Chỉ nơi được giao nhiệm vụ mới báo hoàn thành.")
    if form.is_valid():
        try:
            services.task_done(user=request.user, task=task, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Đã báo hoàn thành nhiệm vụ.")
    else:
        messages.error(request, "Ghi kết quả, minh chứng đã hoàn thành.")
    return redirect("meeting_detail", task.meeting_id)


# -- notifications --------------------------------------------------------------------------


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


# -- annual plans ---------------------------------------------------------------------------


def _plan_assignment(request, pk):
    return get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("agency", "commune"), pk=pk
    )


@require_safe
@login_required
def plan_detail(request, pk, year):
    assignment = _plan_assignment(request, pk)
    return _plan_page(request, assignment, year)


def _quarter_rows(year: int, days: list[int]) -> list[tuple[int, int, str]]:
    """(quarter, days on site, "past" | "current" | "future") for the plan page."""
    from core.periods import quarter_bounds

    today = timezone.localdate()
    rows = []
    for quarter, got in zip(range(1, 5), days, strict=True):
        start, end = quarter_bounds(year, quarter)
        when = "future" if start > today else "current" if end >= today else "past"
        rows.append((quarter, got, when))
    return rows


def _plan_page(request, assignment, year, plan_form=None, item_form=None):
    plan = (
        AnnualPlan.objects.filter(assignment=assignment, year=year)
        .prefetch_related("items__category", "items__target_item")
        .first()
    )
    result = plans.progress([plan])[plan.pk] if plan else None
    may_plan = services.may_plan(request.user, assignment)
    return render(
        request,
        "followup/plan_detail.html",
        {
            "assignment": assignment,
            "year": year,
            "plan": plan,
            "result": result,
            "quarters": _quarter_rows(year, result.days) if result else [],
            "may_plan": may_plan,
            "plan_form": plan_form or (PlanForm(instance=plan) if may_plan else None),
            "item_form": item_form or (PlanItemForm() if may_plan and plan else None),
            "years": range(assignment.valid_from.year, assignment.valid_to.year + 1),
        },
    )


@require_POST
@login_required
def plan_save(request, pk, year):
    assignment = _plan_assignment(request, pk)
    if not services.may_plan(request.user, assignment):
        raise PermissionDenied("Chỉ cơ quan được phân công mới lập kế hoạch giúp xã.")
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_save(
                user=request.user, assignment=assignment, year=year, fields=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Đã lưu kế hoạch năm {year}.")
            return redirect("plan_detail", assignment.pk, year)
    return _plan_page(request, assignment, year, plan_form=form)


@require_POST
@login_required
def plan_item_add(request, pk, year):
    assignment = _plan_assignment(request, pk)
    plan = get_object_or_404(AnnualPlan, assignment=assignment, year=year)
    if not services.may_plan(request.user, assignment):
        raise PermissionDenied("Chỉ cơ quan được phân công mới lập kế hoạch giúp xã.")
    form = PlanItemForm(request.POST)
    if form.is_valid():
        services.plan_item_add(user=request.user, plan=plan, fields=form.cleaned_data)
        messages.success(request, "Đã thêm hoạt động vào kế hoạch.")
        return redirect("plan_detail", assignment.pk, year)
    return _plan_page(request, assignment, year, item_form=form)


@require_POST
@login_required
def plan_item_delete(request, pk):
    item = get_object_or_404(
        PlanItem.objects.filter(
            plan__in=AnnualPlan.objects.visible_to(request.user)
        ).select_related("plan__assignment"),
        pk=pk,
    )
    services.plan_item_delete(user=request.user, item=item)
    messages.success(request, "Đã bỏ hoạt động khỏi kế hoạch.")
    return redirect("plan_detail", item.plan.assignment_id, item.plan.year)
