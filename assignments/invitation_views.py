"""Accepting an invitation: the invited person sets their own password, once, before the
link expires; then logs in (a secretariat account enrols its second factor there)."""

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import accounts, invitations


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def invitation_accept(request, token):
    try:
        user = invitations.user_for(token)
    except invitations.InvitationExpired:
        return render(
            request, "registration/invitation_accept.html",
            {"state": "expired", "days": invitations.max_age().days}, status=410,
        )  # fmt: skip
    if user is None:
        return render(
            request, "registration/invitation_accept.html", {"state": "invalid"}, status=404
        )
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        messages.success(
            request, f"Đã đặt mật khẩu. Mời đăng nhập với tên đăng nhập {user.username}."
        )
        return redirect("login")
    return render(
        request, "registration/invitation_accept.html",
        {"state": "open", "form": form, "invited": user},
    )  # fmt: skip
