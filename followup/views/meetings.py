"""Meetings and the tasks their conclusions give, reported done by whom they are for."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from assignments.permissions import managed_province, secretariat_provinces
from core.forms import add_service_errors

from ..forms.meetings import MeetingForm, TaskDoneForm, TaskForm
from ..models import Meeting, Task
from ..services import meetings as services


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
