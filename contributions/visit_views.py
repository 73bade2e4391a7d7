"""Field visits: who went to the commune, when, and the quarter's days on site."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.forms import add_service_errors

from . import selectors, services
from .forms import FieldVisitForm
from .models import FieldVisit


@require_safe
@login_required
def field_visit_list(request):
    visits = (
        FieldVisit.objects.visible_to(request.user)
        .select_related("assignment__commune", "assignment__agency")
        .prefetch_related("people")
        .order_by("-start_date", "-pk")
    )
    page = Paginator(visits, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "contributions/field_visit_list.html",
        {"page": page, "may_log": selectors.may_log_any(request.user)},
    )


@login_required
def field_visit_create(request):
    if not selectors.may_log_any(request.user):
        raise PermissionDenied(
            "Chỉ cán bộ, lãnh đạo cơ quan được giao giúp xã mới ghi chuyến công tác."
        )
    form = FieldVisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.field_visit_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã ghi chuyến công tác {visit.days_on_site} ngày "
                f"tại {visit.assignment.commune.name}.",
            )
            return redirect("my_communes")
    else:
        today = timezone.localdate()
        form.initial.setdefault("start_date", today)
        form.initial.setdefault("end_date", today)
    return render(request, "contributions/field_visit_form.html", {"form": form})
