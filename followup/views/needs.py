"""Commune needs: raised by the commune, answered by its agencies, met by activities."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_errors

from ..forms.needs import LinkForm, NeedForm, ResponseForm
from ..models import CommuneNeed
from ..services import needs as services


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
            "activities": services.linked_activities(user, need),
            "may_respond": may_respond,
            "may_mark_met": services.may_mark_met(user, need),
            "response_form": ResponseForm(),
            "link_form": LinkForm(
                activities=services.linkable_activities(user, need), since=need.raised_on
            )
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
    form = LinkForm(
        request.POST,
        activities=services.linkable_activities(request.user, need),
        since=need.raised_on,
    )
    if form.is_valid():
        services.need_link(user=request.user, need=need, activity=form.cleaned_data["activity"])
        messages.success(request, "Đã gắn hoạt động với nhu cầu.")
    else:
        messages.error(request, " ".join(form.errors["activity"]))
    return redirect("need_detail", need.pk)


@require_POST
@login_required
def need_unlink(request, pk, activity_pk):
    need = _get_need(request, pk)
    activity = get_object_or_404(need.activities.select_related("assignment"), pk=activity_pk)
    services.need_unlink(user=request.user, need=need, activity=activity)
    messages.success(request, f"Đã bỏ liên kết hoạt động “{activity.title}” khỏi nhu cầu.")
    return redirect("need_detail", need.pk)


@require_POST
@login_required
def need_mark_met(request, pk):
    need = _get_need(request, pk)
    services.need_mark_met(user=request.user, need=need)
    messages.success(request, "Đã xác nhận nhu cầu được đáp ứng.")
    return redirect("need_detail", need.pk)
