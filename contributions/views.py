from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from assignments import history

from .models import Activity, Contribution


@require_safe
@login_required
def activity_detail(request, pk):
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user)
        .with_related()
        .select_related("assignment__decision", "created_by", "confirmed_by"),
        pk=pk,
    )
    contributions = activity.contributions.select_related("item")
    return render(
        request,
        "contributions/activity_detail.html",
        {
            "activity": activity,
            "contributions": contributions,
            "money": contributions.totals(),
            "history": history.record_history(
                activity,
                related={"contribution": Contribution.history.filter(activity_id=activity.pk)},
            ),
        },
    )
