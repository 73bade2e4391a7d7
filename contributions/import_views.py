"""Excel import pages: download the template, upload for a background check, watch it,
then save what it found clean."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from assignments.scoping import AGENCY_ROLES, user_roles

from . import imports
from .forms import agency_assignments
from .imports import jobs as import_jobs
from .models import ImportJob


class UploadForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx, tối đa 5 MB)")


def _agency(user):
    for role in user_roles(user):
        if role.kind in AGENCY_ROLES:
            return role.agency
    raise PermissionDenied("Chỉ cán bộ, lãnh đạo cơ quan được giao giúp xã mới nhập từ Excel.")


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
    """Upload → stored and sent to a background check; nothing is parsed here."""
    agency = _agency(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    refused = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(imports.MAX_UPLOAD_BYTES + 1)
        try:
            job = import_jobs.import_job_create(
                user=request.user, agency=agency, file_name=upload.name, data=data
            )
        except imports.ImportRefused as error:
            refused = str(error)
        else:
            return redirect("import_job", pk=job.pk)
    recent = ImportJob.objects.visible_to(request.user).select_related("batch")[:10]
    return render(
        request,
        "contributions/import.html",
        {"form": form, "refused": refused, "agency": agency, "recent": recent},
    )


def _get_job(request, pk) -> ImportJob:
    return get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)


def _job_context(job: ImportJob) -> dict:
    return {
        "job": job,
        "result": job.result,
        "problems": import_jobs.problems_of(job) if job.result.get("problem_count") else [],
    }


@require_safe
@login_required
def import_job(request, pk):
    job = _get_job(request, pk)
    return render(request, "contributions/import_job.html", _job_context(job))


@require_safe
@login_required
def import_job_progress(request, pk):
    """The fragment htmx polls; it stops polling once the job has ended."""
    job = _get_job(request, pk)
    return render(request, "contributions/import_job.html#job", _job_context(job))


@require_POST
@login_required
def import_job_commit(request, pk):
    job = _get_job(request, pk)
    try:
        import_jobs.import_job_commit(job=job, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("import_job", pk=job.pk)


@require_POST
@login_required
def import_job_resend(request, pk):
    job = _get_job(request, pk)
    try:
        import_jobs.import_job_resend(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("import_job", pk=job.pk)
