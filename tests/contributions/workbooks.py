"""Workbooks for the import tests, built with openpyxl the way an agency's file would be."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from contributions import imports
from contributions.models import Activity, Contribution, FieldVisit, ImportBatch

CATEGORY = "Tặng quà hộ nghèo, gia đình chính sách, dịp Tết"
BUDGET = "Kinh phí của cơ quan"


def workbook_bytes(rows=(), sheet_name=imports.SHEET, visits=None) -> bytes:
    """A data sheet with the template's headers and `rows` (in imports.COLUMNS order), and
    a field-visit sheet when `visits` is given."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    sheet.append([title for title, _ in imports.COLUMNS])
    for row in rows:
        sheet.append(row)
    if visits is not None:
        visit_sheet = workbook.create_sheet(imports.VISIT_SHEET)
        visit_sheet.append([column.title for column in imports.VISIT_COLUMNS.values()])
        for row in visits:
            visit_sheet.append(row)
    return save(workbook)


def save(workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def cash_row(commune, day, title="Tặng quà Tết", value=1_000_000, **extra):
    """A cash contribution row; `extra` sets other columns by key (see layout.py)."""
    values = {
        "commune": commune, "date": day, "category": CATEGORY, "title": title,
        "kind": "Tiền mặt", "value": value, "source": BUDGET, **extra,
    }  # fmt: skip
    return [values.get(key) for key in imports.layout.ACTIVITY_COLUMNS]


def upload(client, data, name="nhap.xlsx"):
    """Upload and follow to the job's page; the check runs (in-process) once the upload's
    transaction commits, as it would on a worker."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("import_upload"), {"file": SimpleUploadedFile(name, data)})
    if response.status_code != 302:
        response.parsed = None
        return response
    page = client.get(response["Location"])
    page.parsed = parsed(page.context["job"])
    return page


def parsed(job):
    """What the job's check found, row by row: the stored file parsed again for its uploader
    (the job keeps only the summary and the problems), and checked to agree with the job."""
    job.refresh_from_db()
    if not job.file:
        return None
    with job.file.open("rb") as handle:
        result = imports.parse(handle.read(), user=job.created_by, file_name=job.file_name)
    assert job.result["ok"] == result.ok
    assert job.result["problems"] == [[p.sheet, p.row, p.column, p.message]
                                      for p in result.problems]  # fmt: skip
    return result


def commit(client, response):
    """Press «Lưu vào hệ thống» on a checked file's page."""
    job = response.context["job"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        posted = client.post(reverse("import_job_commit", args=[job.pk]))
    return client.get(posted["Location"])


def counts():
    return (
        Activity.objects.count(),
        Contribution.objects.count(),
        FieldVisit.objects.count(),
        ImportBatch.objects.count(),
    )


def template(client) -> Workbook:
    return load_workbook(io.BytesIO(client.get(reverse("import_template")).content))


def messages(result) -> str:
    return " | ".join(f"{p.sheet}:{p.row}:{p.column}:{p.message}" for p in result.problems)
