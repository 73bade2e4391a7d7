"""An agency's leader invites their own staff (the secretariat invites everyone else)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from . import accounts, invitations
from .forms import InviteForm
from .models import Agency, Person
from .scoping import RoleKind, agency_ids


def _led_agency(request) -> Agency:
    """The agency the user leads (the first, when several); 403 for anyone else."""
    ids = agency_ids(request.user, {RoleKind.AGENCY_LEADER})
    agency = Agency.objects.filter(pk__in=ids).order_by("name").first()
    if agency is None:
        raise PermissionDenied("Chỉ lãnh đạo cơ quan mời cán bộ của cơ quan mình.")
    return agency


@login_required
def agency_staff(request):
    agency = _led_agency(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = accounts.user_invite(
            username=form.cleaned_data["username"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            role={"kind": RoleKind.AGENCY_STAFF, "province": agency.province, "agency": agency},
            invited_by=request.user,
        )
        invitations.announce(request, user)
        return redirect("agency_staff")
    people = Person.objects.filter(agency=agency).select_related("user").order_by("full_name")
    return render(
        request, "assignments/agency_staff.html",
        {"agency": agency, "people": people, "form": form},
    )  # fmt: skip
