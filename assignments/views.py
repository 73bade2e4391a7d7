from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .scoping import user_roles
from .selectors import home_summary


@login_required
def home(request):
    summary = home_summary(request.user, timezone.localdate())
    return render(
        request, "assignments/home.html", {"summary": summary, "roles": user_roles(request.user)}
    )
