"""Excel import pages: download the template, upload for a preview, then commit."""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from assignments.scoping import AGENCY_ROLES, user_roles

from . import imports
from .forms import agency_assignments


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx, tối đa 5 MB)")


def _agency(user):
    for role in user_roles(user):
        if role.kind in AGENCY_ROLES:
            return role.agency
    raise PermissionDenied("Chỉ cán bộ, lãnh đạo cơ quan được giao giúp xã mới nhập từ Excel.")


def _stored_path(sha256: str) -> str:
    return f"imports/{sha256}.xlsx"


@require_safe
@login_required
def import_template(request):
    agency = _agency(request.user)
    data = imports.template_workbook(agency, agency_assignments(request.user))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-hoat-dong.xlsx"'
    return response


@login_required
def import_upload(request):
    """Upload → a preview listing every problem; nothing is saved here."""
    agency = _agency(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    result = refused = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(imports.MAX_UPLOAD_BYTES + 1)
        try:
            result = imports.parse(data, user=request.user, file_name=upload.name)
        except imports.ImportRefused as error:
            refused = str(error)
        else:
            if result.ok:
                # Keep the file for the commit step, under its own hash.
                path = _stored_path(result.sha256)
                if not default_storage.exists(path):
                    default_storage.save(path, ContentFile(data))
    return render(
        request,
        "contributions/import.html",
        {"form": form, "result": result, "refused": refused, "agency": agency},
    )


@require_POST
@login_required
def import_commit(request):
    _agency(request.user)
    sha256 = request.POST.get("sha256", "")
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        messages.error(request, "Không thấy tệp đã kiểm tra: hãy tải tệp lên lại.")
        return redirect("import_upload")
    path = _stored_path(sha256)
    if not default_storage.exists(path):
        messages.error(request, "Không thấy tệp đã kiểm tra: hãy tải tệp lên lại.")
        return redirect("import_upload")
    with default_storage.open(path, "rb") as handle:
        data = handle.read()
    try:
        result = imports.parse(data, user=request.user, file_name=request.POST.get("name", ""))
        if result.already_imported:
            messages.info(request, "Tệp này đã được nhập trước đây: không tạo thêm dữ liệu.")
            return redirect("activity_list")
        imports.commit(result, user=request.user)
    except imports.ImportRefused as error:
        messages.error(request, str(error))
        return redirect("import_upload")
    default_storage.delete(path)
    visits = f", {len(result.visits)} chuyến công tác" if result.visits else ""
    messages.success(
        request,
        f"Đã nhập {result.activity_count} hoạt động, {len(result.rows)} khoản đóng góp"
        f"{visits} (bản nháp).",
    )
    return redirect("activity_list")
