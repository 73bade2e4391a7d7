"""The secretariat manages the people of its province, their roles and scopes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe
from django_otp import user_has_device

from core import jobs
from core import spreadsheets as sheets
from core.workbook import CONTENT_TYPE

from . import accounts, invitations, people_import
from .forms import InviteForm, PeopleImportForm, RoleScopeForm, UserForm, UserSearchForm
from .models import Role, User
from .permissions import account_managed_by, managed_province, require_account_managed_by
from .tasks import send_invitations


def _roles_in(province):
    return Prefetch(
        "roles",
        queryset=Role.objects.filter(province=province).select_related(
            "agency", "district", "commune__district"
        ),
        to_attr="province_roles",
    )


def _get_user(request, pk, *, write=False, account=False):
    """A user of the secretariat's province, or 404. `write`: roles in the province change;
    `account`: the account itself changes, allowed only for a person whose roles all lie in
    the province (permissions.account_managed_by). Administrators' accounts are changed in
    Django admin only: a secretariat that could change one's email could take it over."""
    province = managed_province(request.user)
    users = User.objects.visible_to(request.user).prefetch_related(_roles_in(province))
    person = get_object_or_404(users, pk=pk)
    if write and (person.is_superuser or person.is_staff) and person != request.user:
        raise PermissionDenied("Tài khoản quản trị hệ thống chỉ được sửa trong trang quản trị.")
    if account:
        require_account_managed_by(person, province, request.user)
    return province, person


@require_safe
@login_required
def user_list(request):
    province = managed_province(request.user)
    users = (
        User.objects.visible_to(request.user)
        .prefetch_related(_roles_in(province))
        .order_by("-is_active", "first_name", "last_name")
    )
    search = UserSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(roles__agency__name__icontains=query)
        ).distinct()
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request, "assignments/user_list.html", {"page": page, "query": query, "province": province}
    )


@login_required
def user_create(request):
    """Invite one person: the account is created without a password and the person sets
    their own through the link (emailed, and shown here to pass on by other means)."""
    province = managed_province(request.user)
    form = InviteForm(request.POST or None)
    role_form = RoleScopeForm(request.POST or None, province=province, secretariat=request.user)
    if request.method == "POST" and form.is_valid() and role_form.is_valid():
        user = accounts.user_invite(
            username=form.cleaned_data["username"],
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            role=role_form.role_values(),
            invited_by=request.user,
        )
        invitations.announce(request, user)
        return redirect("user_detail", pk=user.pk)
    return render(
        request,
        "assignments/user_form.html",
        {"form": form, "role_form": role_form, "invitation_days": settings.INVITATION_DAYS},
    )


@require_POST
@login_required
def user_reinvite(request, pk):
    """A new link for someone whose invitation expired or was lost; the old one stops."""
    _, person = _get_user(request, pk, write=True, account=True)
    if not invitations.is_pending(person):
        messages.error(request, f"{person} đã đặt mật khẩu: không cần mời lại.")
        return redirect("user_detail", pk=person.pk)
    accounts.user_reinvite(user=person)
    invitations.announce(request, person)
    return redirect("user_detail", pk=person.pk)


@login_required
def user_detail(request, pk):
    writing = request.method == "POST"
    province, person = _get_user(request, pk, write=writing, account=writing)
    form = UserForm(request.POST or None, instance=person)
    if writing and form.is_valid():
        accounts.user_update(user=person, **form.cleaned_data)
        messages.success(request, "Đã lưu thông tin tài khoản.")
        return redirect("user_detail", pk=person.pk)
    return _detail(request, province, person, form=form)


def _detail(request, province, person, *, form=None, role_form=None, status=200):
    managed = account_managed_by(person, province, request.user)
    if form is None:
        form = UserForm(instance=person)
    if not managed:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "assignments/user_detail.html",
        {
            "person": person,
            "form": form,
            "role_form": role_form or RoleScopeForm(province=province, secretariat=request.user),
            "account_managed": managed,
            "has_two_factor": user_has_device(person, confirmed=True),
            "invitation_pending": invitations.is_pending(person),
        },
        status=status,
    )


@require_POST
@login_required
def user_role_add(request, pk):
    province, person = _get_user(request, pk, write=True)
    role_form = RoleScopeForm(request.POST, province=province, secretariat=request.user)
    if role_form.is_valid():
        accounts.role_add(user=person, **role_form.role_values())
        messages.success(request, "Đã thêm vai trò.")
        return redirect("user_detail", pk=person.pk)
    return _detail(request, province, person, role_form=role_form, status=400)


@require_POST
@login_required
def user_role_remove(request, pk, role_pk):
    province, person = _get_user(request, pk, write=True)
    role = get_object_or_404(Role, pk=role_pk, user=person, province=province)
    if role.kind == Role.Kind.NATIONAL:  # a province cannot hide its figures from the centre
        raise PermissionDenied("Vai trò trung ương chỉ quản trị hệ thống mới bỏ được.")
    accounts.role_remove(role=role)
    messages.success(request, "Đã bỏ vai trò.")
    return redirect("user_detail", pk=person.pk)


@require_POST
@login_required
def user_set_active(request, pk):
    _, person = _get_user(request, pk, write=True, account=True)
    active = request.POST.get("active") == "1"
    if person == request.user and not active:
        messages.error(request, "Bạn không thể tự khóa tài khoản của mình.")
        return redirect("user_detail", pk=person.pk)
    accounts.user_set_active(user=person, active=active)
    if active:
        messages.success(request, f"Đã mở lại tài khoản {person.username}.")
    else:
        messages.success(
            request,
            f"Đã khóa tài khoản {person.username}. Dữ liệu người này đã nhập vẫn được giữ nguyên.",
        )
    return redirect("user_detail", pk=person.pk)


@require_POST
@login_required
def user_two_factor_reset(request, pk):
    """A person who lost their phone and their recovery codes enrols again at next login."""
    _, person = _get_user(request, pk, write=True, account=True)
    if person == request.user:
        messages.error(request, "Hãy nhờ văn phòng thường trực khác hoặc quản trị viên đặt lại.")
        return redirect("user_detail", pk=person.pk)
    accounts.user_two_factor_reset(user=person)
    messages.success(
        request,
        f"Đã đặt lại xác thực hai lớp của {person}: lần đăng nhập sau người này cài lại ứng dụng"
        " xác thực.",
    )
    return redirect("user_detail", pk=person.pk)


@login_required
def user_import(request):
    """Invite a list of people from Excel: every problem listed by row and column and nobody
    invited, or everybody invited (one transaction) and their links listed."""
    province = managed_province(request.user)
    form = PeopleImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "province": province, "invitation_days": settings.INVITATION_DAYS}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(sheets.SMALL.upload + 1)
        try:
            reading = people_import.read(data, province=province)
            if reading.problems:
                context["problems"] = reading.problems
            else:
                users = people_import.invite_all(
                    reading, province=province, invited_by=request.user
                )
                links = [(user, invitations.link(user, request=request)) for user in users]
                # The emails go from a worker once the accounts are committed: a list of
                # hundreds must not hold the request.
                payload = [[user.pk, url] for user, url in links]
                context["mail_queued"] = jobs.send(
                    send_invitations, payload, request.user.pk, on_failure=lambda error: None
                )
                context["invited"] = links
                context["expires_at"] = invitations.expires_at()
        except sheets.ImportRefused as error:
            form.add_error("file", str(error))
    return render(request, "assignments/user_import.html", context)


@require_safe
@login_required
def user_import_template(request):
    province = managed_province(request.user)
    response = HttpResponse(people_import.template(province), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="moi-nguoi-dung.xlsx"'
    return response
