"""Activities: the list, the form with its contributions, and the review flow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from assignments import history
from assignments.models import Assignment
from core import uploads
from core.formatting import million_dong
from core.forms import add_service_errors
from core.pagination import CappedPaginator

from . import exports, selectors, services
from .filters import ActivityFilter
from .forms import ActivityForm, AttachmentForm, CommentForm, ContributionFormSet, ReasonForm
from .models import Activity, Attachment, Contribution, FieldVisit, Item


def _get_activity(request, pk) -> Activity:
    """An activity inside the user's scope, or 404."""
    return get_object_or_404(
        Activity.objects.visible_to(request.user)
        .with_related()
        .select_related("assignment__decision", "created_by", "confirmed_by"),
        pk=pk,
    )


def _filtered(request, *, totals: bool):
    """The activities the user may see, filtered. `totals` annotates each with its value: the
    export wants it on every row; the list adds it to its page of 25 only (`_with_totals`),
    never summing a province's million contributions before the LIMIT."""
    activities = Activity.objects.visible_to(request.user).with_related()
    if totals:
        activities = activities.annotate(total=Coalesce(Sum("contributions__value"), 0))
    activities = activities.order_by("-start_date", "-pk")
    return ActivityFilter(
        request.GET or None, queryset=activities, user=request.user, today=timezone.localdate()
    )


def _with_totals(activities) -> list:
    """Each activity of a page with `total`, its contributions' value, in one grouped query."""
    activities = list(activities)
    totals = dict(
        Contribution.objects.filter(activity__in=[a.pk for a in activities])
        .values_list("activity")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for activity in activities:
        activity.total = totals.get(activity.pk, 0)
    return activities


@require_safe
@login_required
def activity_list(request):
    activity_filter = _filtered(request, totals=False)
    page = CappedPaginator(activity_filter.qs, 25).get_page(request.GET.get("page"))
    page.object_list = _with_totals(page.object_list)
    template = "contributions/activity_list.html"
    if request.htmx and request.htmx.target == "activity-rows":
        template += "#rows"
    return render(
        request,
        template,
        {
            "filter": activity_filter,
            "page": page,
            "may_log": selectors.may_log_any(request.user),
        },
    )


@require_safe
@login_required
def activity_export(request):
    """The filtered list as an Excel workbook, scoped like the page, written row by row."""
    activity_filter = _filtered(request, totals=True)
    workbook = exports.activities_workbook(activity_filter.qs)
    name = f"hoat-dong-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(workbook, as_attachment=True, filename=name)


@require_safe
@login_required
def activity_detail(request, pk):
    activity = _get_activity(request, pk)
    contributions = activity.contributions.select_related("item")
    user = request.user
    return render(
        request,
        "contributions/activity_detail.html",
        {
            "activity": activity,
            "contributions": contributions,
            "attachments": activity.attachments.all(),
            # the households themselves are on the follow-up pages, which mask and log
            "household_count": activity.household_supports.count(),
            "may_follow": services.may_log(user, activity.assignment),
            "comments": activity.comments.select_related("author"),
            "comment_form": CommentForm(),
            "may_comment": services.may_comment(user, activity),
            "money": contributions.totals(),
            "may": {
                "edit": services.may_edit(user, activity),
                "submit": services.may_submit(user, activity),
                "confirm": services.may_confirm(user, activity),
                "return": services.may_return(user, activity),
                "reopen": services.may_reopen(user, activity),
            },
            "reason_form": ReasonForm(),
            "attachment_form": AttachmentForm(),
            "history": history.record_history(
                activity,
                related={"contribution": Contribution.history.filter(activity_id=activity.pk)},
            ),
        },
    )


@require_safe
@login_required
def assignment_detail(request, pk):
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).with_related(), pk=pk
    )
    activities = (
        Activity.objects.visible_to(request.user)
        .filter(assignment=assignment)
        .select_related("category")
        .annotate(total=Coalesce(Sum("contributions__value"), 0))[:20]
    )
    money = Contribution.objects.filter(activity__assignment=assignment).totals()
    visits = FieldVisit.objects.filter(assignment=assignment)
    return render(
        request,
        "contributions/assignment_detail.html",
        {
            "plan_year": min(
                max(timezone.localdate().year, assignment.valid_from.year), assignment.valid_to.year
            ),
            "assignment": assignment,
            "activities": activities,
            "money": money,
            "days": visits.total_days(),
            "history": history.record_history(assignment),
        },
    )


def _form_context(form, formset, attachments, **extra):
    items = Item.objects.filter(is_active=True)
    return {
        "form": form,
        "formset": formset,
        "items": items,
        "attachment_form": attachments,
        **extra,
    }


def _attachment_form(request):
    return AttachmentForm(request.POST or None, request.FILES or None, prefix="a")


@login_required
def activity_create(request):
    if not selectors.may_log_any(request.user):
        raise PermissionDenied(
            "Chỉ cán bộ, lãnh đạo cơ quan được giao giúp xã mới ghi nhận hoạt động."
        )
    form = ActivityForm(request.POST or None, user=request.user)
    # Initial rows only on GET: posted rows equal to their initial would count as unchanged
    # and be dropped by the formset.
    formset = ContributionFormSet(
        request.POST or None,
        prefix="c",
        initial=None if request.POST else [{"kind": "cash", "source": "budget"}],
    )
    attachments = _attachment_form(request)
    valid = form.is_valid() & formset.is_valid() & attachments.is_valid()
    if request.method == "POST" and valid:
        try:
            with transaction.atomic():
                activity = services.activity_create(
                    user=request.user,
                    fields=form.activity_fields(),
                    contributions=formset.contributions(),
                    submission_token=form.cleaned_data.get("submission_token"),
                )
                if not activity.attachments.exists():  # not a double submit
                    services.attachments_add(
                        user=request.user,
                        activity=activity,
                        files=attachments.cleaned_data["files"],
                        kind=attachments.cleaned_data["kind"],
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Đã lưu hoạt động «{activity.title}» (bản nháp).")
            return redirect("activity_detail", pk=activity.pk)
    return render(
        request, "contributions/activity_form.html", _form_context(form, formset, attachments)
    )


@login_required
def activity_edit(request, pk):
    activity = _get_activity(request, pk)
    if not services.may_edit(request.user, activity):
        raise PermissionDenied("Hoạt động đã gửi hoặc đã được xác nhận thì không sửa được nữa.")
    initial = [
        {
            "kind": c.kind,
            "item": c.item_id,
            "quantity": c.quantity,
            "value": c.value,
            "source": c.source,
            "donor_name": c.donor_name,
        }
        for c in activity.contributions.all()
    ]
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    formset = ContributionFormSet(
        request.POST or None, prefix="c", initial=None if request.POST else initial
    )
    attachments = _attachment_form(request)
    conflict = None
    valid = form.is_valid() & formset.is_valid() & attachments.is_valid()
    if request.method == "POST" and valid:
        try:
            with transaction.atomic():
                services.activity_update(
                    user=request.user,
                    activity=Activity.objects.get(pk=activity.pk),
                    version=form.cleaned_data.get("version") or 0,
                    fields=form.activity_fields(),
                    contributions=formset.contributions(),
                )
                services.attachments_add(
                    user=request.user,
                    activity=activity,
                    files=attachments.cleaned_data["files"],
                    kind=attachments.cleaned_data["kind"],
                )
        except services.EditConflict as error:
            conflict = _conflict_summary(activity, error.current)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("activity_detail", pk=activity.pk)
    return render(
        request,
        "contributions/activity_form.html",
        _form_context(form, formset, attachments, activity=activity, conflict=conflict),
        status=409 if conflict else 200,
    )


def _conflict_summary(mine: Activity, current: Activity) -> dict:
    """What the other person changed, so the user can merge by hand instead of losing it."""
    changes = [e for e in history.record_history(current) if e.changes][:1]
    return {
        "who": changes[0].who if changes else "người khác",
        "when": current.updated_at,
        "changes": changes[0].changes if changes else [],
        "total": million_dong(current.contributions.totals()["total"]),
    }


@require_safe
@login_required
def contribution_row(request):
    """One more empty contribution row for the activity form (htmx)."""
    try:
        index = int(request.GET.get("c-TOTAL_FORMS", 0))
    except ValueError:
        index = 0
    index = max(0, min(index, 99))
    formset = ContributionFormSet(prefix="c")
    form = formset._construct_form(index, initial={"kind": "cash", "source": "budget"})
    return render(
        request,
        "contributions/activity_form.html#contribution-row",
        {
            "row": form,
            "items": Item.objects.filter(is_active=True),
            "next_total": index + 1,
            "oob": True,
        },
    )


def _review(request, pk, action):
    activity = _get_activity(request, pk)
    form = ReasonForm(request.POST)
    try:
        if action == "submit":
            services.activity_submit(user=request.user, activity=activity)
            messages.success(request, "Đã gửi hoạt động cho xã xác nhận.")
        elif action == "confirm":
            services.activity_confirm(user=request.user, activity=activity)
            messages.success(request, "Đã xác nhận: xã đã nhận hỗ trợ này.")
        elif form.is_valid():
            service = services.activity_return if action == "return" else services.activity_reopen
            service(user=request.user, activity=activity, reason=form.cleaned_data["reason"])
            messages.success(
                request, "Đã trả lại hoạt động." if action == "return" else "Đã mở lại hoạt động."
            )
        else:
            messages.error(request, "Hãy ghi rõ lý do (ít nhất 5 ký tự).")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("activity_detail", pk=activity.pk)


@require_POST
@login_required
def activity_submit(request, pk):
    return _review(request, pk, "submit")


@require_POST
@login_required
def activity_confirm(request, pk):
    return _review(request, pk, "confirm")


@require_POST
@login_required
def activity_return(request, pk):
    return _review(request, pk, "return")


@require_POST
@login_required
def activity_reopen(request, pk):
    return _review(request, pk, "reopen")


@require_POST
@login_required
def attachment_upload(request, pk):
    activity = _get_activity(request, pk)
    if not services.may_edit(request.user, activity):
        raise PermissionDenied("Chỉ thêm tệp khi hoạt động còn là bản nháp hoặc bị trả lại.")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        count = services.attachments_add(
            user=request.user,
            activity=activity,
            files=form.cleaned_data["files"],
            kind=form.cleaned_data["kind"],
        )
        messages.success(request, f"Đã đính kèm {count} tệp.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("activity_detail", pk=activity.pk)


@require_safe
@login_required
def attachment_file(request, pk):
    """Attachments are served through the access rules, never from a public folder."""
    attachment = get_object_or_404(
        Attachment.objects.filter(activity__in=Activity.objects.visible_to(request.user)), pk=pk
    )
    return uploads.file_response(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        filename=attachment.original_name,
        inline=attachment.is_image,
    )


@require_POST
@login_required
def comment_add(request, pk):
    activity = _get_activity(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(user=request.user, activity=activity, text=form.cleaned_data["text"])
        messages.success(request, "Đã gửi ý kiến.")
    else:
        messages.error(request, "Hãy viết nội dung ý kiến (tối đa 2.000 ký tự).")
    return redirect("activity_detail", pk=activity.pk)
