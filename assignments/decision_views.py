"""The secretariat's decisions: create and correct one, keep it as a draft, fill its annex
from Excel or a pasted Word table, then add, end or move assignments, each in the history.

Every page asks `managed_province`: only the province's secretariat writes decisions; a
decision of another province is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from core import spreadsheets as sheets
from core.forms import add_service_errors
from core.workbook import CONTENT_TYPE

from . import annex_import, history, services
from .forms import (
    AnnexImportForm,
    AssignmentEndForm,
    AssignmentForm,
    AssignmentMoveForm,
    DecisionForm,
)
from .models import Decision
from .permissions import managed_province


def _decision(request, pk):
    province = managed_province(request.user)
    decision = get_object_or_404(
        Decision.objects.filter(province=province).select_related(
            "province", "issuing_province", "issuing_commune"
        ),
        pk=pk,
    )
    return decision


def _assignment(request, pk, assignment_pk):
    decision = _decision(request, pk)
    assignment = get_object_or_404(
        decision.assignments.select_related("agency", "commune", "village", "decision"),
        pk=assignment_pk,
    )
    return decision, assignment


@login_required
def decision_create(request):
    province = managed_province(request.user)
    form = DecisionForm(request.POST or None, province=province)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_save(
                decision=form.save(commit=False), reason="Tạo dự thảo"
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã lưu dự thảo {decision.number}. Tiếp theo: nhập phụ lục phân công, rồi"
                " bấm «Ban hành».",
            )
            return redirect("decision_detail", pk=decision.pk)
    return render(request, "assignments/decision_form.html", {"form": form, "province": province})


@login_required
def decision_edit(request, pk):
    decision = _decision(request, pk)
    form = DecisionForm(request.POST or None, instance=decision, province=decision.province)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_save(decision=form.save(commit=False), reason="Sửa thông tin")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Đã lưu {decision.number}.")
            return redirect("decision_detail", pk=decision.pk)
    return render(
        request, "assignments/decision_form.html",
        {"form": form, "decision": decision, "province": decision.province},
    )  # fmt: skip


@login_required
def decision_delete(request, pk):
    decision = _decision(request, pk)
    if request.method == "POST":
        try:
            services.decision_delete(decision=decision)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("decision_detail", pk=decision.pk)
        messages.success(request, f"Đã xóa dự thảo {decision.number}.")
        return redirect("decision_list")
    return render(
        request, "assignments/decision_delete.html",
        {"decision": decision, "count": decision.assignments.count()},
    )  # fmt: skip


@login_required
def decision_annex(request, pk):
    """Fill a draft's annex: every problem listed by row and column and nothing added, or
    every row added in one transaction."""
    decision = _decision(request, pk)
    if decision.status != Decision.Status.DRAFT:
        messages.error(
            request, "Quyết định đã ban hành: thêm, kết thúc hay chuyển từng phân công ở đây."
        )
        return redirect("decision_detail", pk=decision.pk)
    form = AnnexImportForm(request.POST or None, request.FILES or None)
    context = {"decision": decision, "form": form, "columns": annex_import.COLUMNS.values()}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            reading = annex_import.read(
                decision,
                data=upload.read(sheets.SMALL.upload + 1) if upload else None,
                pasted=form.cleaned_data.get("pasted", ""),
            )
            if reading.problems:
                context["problems"] = reading.problems
                context["readable"] = len(reading.rows)
            else:
                count = annex_import.add_all(reading, decision=decision, user=request.user)
                messages.success(
                    request, f"Đã thêm {count} phân công vào dự thảo {decision.number}."
                )
                return redirect("decision_detail", pk=decision.pk)
        except sheets.ImportRefused as error:
            form.add_error("file" if upload else "pasted", str(error))
    return render(request, "assignments/decision_annex.html", context)


@require_safe
@login_required
def decision_annex_template(request, pk):
    decision = _decision(request, pk)
    response = HttpResponse(annex_import.template(decision), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="phu-luc-phan-cong.xlsx"'
    return response


@login_required
def assignment_add(request, pk):
    decision = _decision(request, pk)
    form = AssignmentForm(request.POST or None, decision=decision)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_add(assignment=form.save(commit=False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Đã thêm phân công: {assignment}.")
            return redirect("decision_detail", pk=decision.pk)
    return render(request, "assignments/assignment_form.html", {"form": form, "decision": decision})


@login_required
def assignment_change(request, pk, assignment_pk):
    """End an assignment on a day, move it to another agency from a day, or (in a draft)
    remove it: each recorded with its reason in the assignment's history."""
    decision, assignment = _assignment(request, pk, assignment_pk)
    action = request.POST.get("action") if request.method == "POST" else None
    end_form = AssignmentEndForm(request.POST if action == "end" else None, prefix="end")
    move_form = AssignmentMoveForm(
        request.POST if action == "move" else None, prefix="move", assignment=assignment
    )
    if action == "delete":
        try:
            services.assignment_delete(assignment=assignment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Đã bỏ phân công {assignment} khỏi dự thảo.")
            return redirect("decision_detail", pk=decision.pk)
    elif action == "end" and end_form.is_valid():
        try:
            services.assignment_end(
                assignment=assignment, last_day=end_form.cleaned_data["ended_on"],
                reason=end_form.cleaned_data["reason"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(end_form, error)
        else:
            messages.success(
                request,
                f"Phân công {assignment} kết thúc sau ngày {assignment.valid_to:%d/%m/%Y}.",
            )
            return redirect("decision_detail", pk=decision.pk)
    elif action == "move" and move_form.is_valid():
        try:
            moved = services.assignment_move(
                assignment=assignment, agency=move_form.cleaned_data["agency"],
                first_day=move_form.cleaned_data["moved_on"],
                reason=move_form.cleaned_data["reason"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(move_form, error)
        else:
            messages.success(
                request,
                f"Từ ngày {moved.valid_from:%d/%m/%Y}, {moved.agency} giúp {moved.helped_label}.",
            )
            return redirect("decision_detail", pk=decision.pk)
    return render(
        request, "assignments/assignment_change.html",
        {"decision": decision, "assignment": assignment, "end_form": end_form,
         "move_form": move_form, "history": history.record_history(assignment),
         "is_draft": decision.status == Decision.Status.DRAFT},
    )  # fmt: skip
