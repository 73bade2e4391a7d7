import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from communes.models import REFORM_DATE
from core.forms import add_service_errors

from . import history, services
from .forms import AuditFilterForm, ProvinceSettingsForm, RemapForm
from .models import Assignment, Decision
from .permissions import managed_province, secretariat_provinces


@require_safe
@login_required
def decision_list(request):
    decisions = (
        Decision.objects.visible_to(request.user)
        .select_related("province", "replaces")
        .annotate(assignment_count=Count("assignments"))
    )
    return render(
        request, "assignments/decision_list.html",
        {"decisions": decisions, "is_secretariat": bool(secretariat_provinces(request.user))},
    )  # fmt: skip


@require_safe
@login_required
def decision_detail(request, pk):
    decision = get_object_or_404(
        Decision.objects.visible_to(request.user).select_related(
            "province", "replaces", "issuing_province", "issuing_commune"
        ),
        pk=pk,
    )
    assignments = (
        Assignment.objects.visible_to(request.user)
        .filter(decision=decision)
        .with_related()
        .order_by("commune__district__name", "commune__name", "role")
    )
    return render(
        request,
        "assignments/decision_detail.html",
        {
            "is_secretariat": decision.province_id in secretariat_provinces(request.user),
            "has_legacy": assignments.filter(commune__valid_to__isnull=False).exists(),
            "decision": decision,
            "assignments": assignments,
            "history": history.record_history(decision),
        },
    )


@login_required
def decision_remap(request, pk):
    """The secretariat moves a pre-reform decision onto the communes of 1 July 2025 as a
    draft decision, to be checked and confirmed."""
    province = managed_province(request.user)
    decision = get_object_or_404(Decision.objects.filter(province=province), pk=pk)
    form = RemapForm(
        request.POST or None,
        initial={"phase_start": REFORM_DATE, "phase_end": decision.phase_end},
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.decision_remap(decision=decision, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = f"Đã tạo dự thảo {result.decision.number} với {result.created} phân công"
            if result.merged:
                message += f" (gộp {result.merged} phân công vào cùng xã mới)"
            if result.without_successor:
                names = ", ".join(str(c) for c in result.without_successor)
                message += f". Chưa chuyển được: {names}"
            messages.success(request, message + ". Kiểm tra rồi bấm «Xác nhận ban hành».")
            return redirect("decision_detail", pk=result.decision.pk)
    return render(request, "assignments/decision_remap.html", {"decision": decision, "form": form})


@login_required
def decision_confirm(request, pk):
    """Adopt a draft, after a page that says what adopting does."""
    province = managed_province(request.user)
    decision = get_object_or_404(
        Decision.objects.filter(province=province).select_related("replaces"), pk=pk
    )
    if decision.status != Decision.Status.DRAFT:
        messages.error(request, "Chỉ quyết định dự thảo mới xác nhận ban hành được.")
        return redirect("decision_detail", pk=decision.pk)
    count = decision.assignments.count()
    if request.method == "POST":
        if not count:
            messages.error(request, "Dự thảo chưa có phân công nào: hãy nhập phụ lục trước.")
            return redirect("decision_detail", pk=decision.pk)
        services.decision_confirm(decision=decision)
        message = f"Đã ban hành {decision.number} với {count} phân công."
        if decision.replaces_id:
            message += f" {decision.replaces.number} được giữ lại, đánh dấu đã thay thế."
        messages.success(request, message)
        return redirect("decision_detail", pk=decision.pk)
    return render(
        request, "assignments/decision_confirm.html",
        {"decision": decision, "count": count,
         "last_day": decision.phase_start - datetime.timedelta(days=1)},
    )  # fmt: skip


@require_safe
@login_required
def audit_log(request):
    """The secretariat's searchable log of every change in its province."""
    province = managed_province(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = history.audit_rows(
        province_ids=[province.pk],
        kinds=[filters["kind"]] if filters.get("kind") else None,
        who=filters.get("who", ""),
        action=filters.get("action", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    entries = history.audit_entries(list(page.object_list))
    return render(
        request,
        "assignments/audit_log.html",
        {"form": form, "page": page, "entries": entries, "province": province},
    )


@login_required
def province_settings(request):
    """What the secretariat records about its province's use of giupxa: the day it began
    (periods that ended before it are back-entered, «nhập bù»)."""
    province = managed_province(request.user)
    form = ProvinceSettingsForm(
        request.POST or None, initial={"giupxa_since": province.giupxa_since}
    )
    if request.method == "POST" and form.is_valid():
        services.province_settings_save(
            province=province, giupxa_since=form.cleaned_data["giupxa_since"]
        )
        since = form.cleaned_data["giupxa_since"]
        messages.success(
            request,
            f"Đã lưu: {province.name} dùng Giúp xã từ ngày {since:%d/%m/%Y}."
            if since
            else f"Đã lưu: {province.name} dùng Giúp xã từ đầu giai đoạn.",
        )
        return redirect("province_settings")
    return render(
        request, "assignments/province_settings.html", {"form": form, "province": province}
    )
