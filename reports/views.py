"""Báo cáo: start a report, watch it build, write its text, issue it, download it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from assignments.permissions import managed_province, secretariat_provinces
from assignments.scoping import RoleKind, role_kinds
from contributions import rollup
from core import jobs

from . import builder, figures, services
from .forms import ReportRequestForm, ReportTextForm
from .models import ReportRun


def _queue_down() -> bool:
    from .tasks import build_report_run

    return not jobs.queue_available(build_report_run.app)


def _get_run(request, pk) -> ReportRun:
    runs = ReportRun.objects.visible_to(request.user).select_related(
        "province", "district", "commune", "agency", "requested_by", "issued_by"
    )
    return get_object_or_404(runs, pk=pk)


def _secretariat_run(request, pk) -> ReportRun:
    run = _get_run(request, pk)
    if run.province_id != managed_province(request.user).pk:
        raise PermissionDenied("Chỉ văn phòng thường trực của tỉnh được làm việc này.")
    return run


@require_safe
@login_required
def report_list(request):
    runs = ReportRun.objects.visible_to(request.user).select_related(
        "province", "district", "commune", "agency"
    )
    return render(
        request,
        "reports/report_list.html",
        {"runs": runs[:200], "may_create": RoleKind.SECRETARIAT in role_kinds(request.user),
         "queue_down": _queue_down()},
    )  # fmt: skip


@login_required
def report_create(request):
    province = managed_province(request.user)
    form = ReportRequestForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run = services.report_run_create(
            province=province,
            scope=data["scope"],
            former_province=data["former_province"],
            district=data["district"],
            commune=data["commune"],
            agency=data["agency"],
            period_start=data["start"],
            period_end=data["end"],
            include_awaiting=data["include_awaiting"],
            requested_by=request.user,
        )
        messages.success(
            request, "Đã bắt đầu lập báo cáo. Có thể đóng trang: việc lập vẫn tiếp tục."
        )
        return redirect("report_detail", pk=run.pk)
    return render(request, "reports/report_form.html", {"form": form, "queue_down": _queue_down()})


def _changes_since_issue(run: ReportRun) -> dict | None:
    """Today's totals of the same scope and period beside the issued snapshot."""
    if not run.is_issued or not run.figures:
        return None
    now = figures.totals(
        figures.scope_assignments(
            province=run.province,
            former_province=run.former_province,
            district=run.district,
            commune=run.commune,
            agency=run.agency,
        ),  # fmt: skip
        run.period_start,
        run.period_end,
        rollup.counted(run.include_awaiting),
    )
    then = run.figures
    if (now.total_value, now.cash_value, now.activities) == (
        then.get("total_value"), then.get("cash_value"), then.get("activities")
    ):  # fmt: skip
        return {"changed": False}
    return {
        "changed": True,
        "total_then": then.get("total_value", 0),
        "total_now": now.total_value,
        "activities_then": then.get("activities", 0),
        "activities_now": now.activities,
    }


@require_safe
@login_required
def report_detail(request, pk):
    run = _get_run(request, pk)
    is_secretariat = run.province_id in secretariat_provinces(request.user)
    return render(
        request,
        "reports/report_detail.html",
        {"run": run, "is_secretariat": is_secretariat, "changes": _changes_since_issue(run),
         "queue_down": _queue_down()},
    )  # fmt: skip


@require_safe
@login_required
def report_progress(request, pk):
    """The progress fragment htmx polls; it stops polling once the job has ended."""
    run = _get_run(request, pk)
    return render(request, "reports/report_detail.html#progress", {"run": run})


@login_required
def report_edit(request, pk):
    run = _secretariat_run(request, pk)
    if run.is_issued or run.final:
        raise PermissionDenied("Báo cáo đã ban hành: không sửa được nữa.")
    initial = {}
    if not any(getattr(run, name) for name in ("strengths", "shortcomings", "directions")):
        initial = services.previous_text(run)
    form = ReportTextForm(request.POST or None, instance=run, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.report_run_update_text(run=run, values=form.cleaned_data)
        if "rebuild" in request.POST:
            try:
                services.report_run_rebuild(run=run)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Đã lưu; đang lập lại bản xem trước.")
        else:
            messages.success(request, "Đã lưu nội dung báo cáo.")
        return redirect("report_detail", pk=run.pk)
    return render(
        request,
        "reports/report_text.html",
        {"run": run, "form": form, "from_previous": bool(initial),
         "default_title": builder.report_title(run.period_start, run.period_end)},
    )  # fmt: skip


@require_POST
@login_required
def report_rebuild(request, pk):
    run = _secretariat_run(request, pk)
    try:
        services.report_run_rebuild(run=run)
        messages.success(request, "Đang lập lại báo cáo.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("report_detail", pk=run.pk)


@require_POST
@login_required
def report_issue(request, pk):
    run = _secretariat_run(request, pk)
    try:
        services.report_run_issue(run=run, user=request.user)
        messages.success(request, "Đang lập bản chính thức để ban hành.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("report_detail", pk=run.pk)


@require_POST
@login_required
def report_resend(request, pk):
    run = _secretariat_run(request, pk)
    try:
        services.report_run_resend(run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("report_detail", pk=run.pk)


@require_safe
@login_required
def report_download(request, pk, kind):
    run = _get_run(request, pk)
    if kind not in ("pdf", "xlsx"):
        raise Http404
    file = run.pdf if kind == "pdf" else run.xlsx
    if not file:
        raise Http404
    name = f"bao-cao-so-ket-{run.period_start:%Y%m%d}-{run.period_end:%Y%m%d}.{kind}"
    return FileResponse(file.open("rb"), as_attachment=True, filename=name)
