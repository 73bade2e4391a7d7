"""Build a report run's files: figures (SQL), then the PDF and the workbook (pure)."""

import datetime
import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from core.periods import period_label

from . import figures as figures_module
from . import pdf, xlsx
from .models import ReportRun

DEFAULT_SIGNATURE = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
DEFAULT_RECIPIENTS = [
    "Thường trực Tỉnh ủy (b/c);",
    "Thường trực HĐND tỉnh (b/c);",
    "Các sở, ban, ngành, đoàn thể tỉnh;",
    "Các cơ quan, đơn vị được phân công giúp xã;",
    "Lưu: VT.",
]


def scope_label(*, province, former_province=None, district=None, commune=None, agency=None):
    if agency is not None:
        return agency.name
    if commune is not None:
        return commune.name
    if district is not None:
        return f"{district.name} (trước 01/7/2025)"
    if former_province is not None:
        return f"{former_province.name} (trước 01/7/2025)"
    return province.name


def _scope(run: ReportRun) -> dict:
    return {"province": run.province, "former_province": run.former_province,
            "district": run.district, "commune": run.commune, "agency": run.agency}  # fmt: skip


def report_title(start: datetime.date, end: datetime.date) -> str:
    return f"Sơ kết công tác giúp đỡ các xã đặc biệt khó khăn {period_label(start, end)}"


def compute_for(run: ReportRun, *, today=None):
    assignments = figures_module.scope_assignments(**_scope(run))
    label = scope_label(**_scope(run))
    figures = figures_module.compute(
        assignments,
        run.period_start,
        run.period_end,
        scope_label=label,
        today=today,
        include_awaiting=run.include_awaiting,
    )
    return assignments, figures


def document_for(run: ReportRun, figures) -> pdf.ReportDocument:
    province = run.former_province or run.province
    return pdf.ReportDocument(
        figures=figures,
        title=run.title or report_title(run.period_start, run.period_end),
        parent_body=run.parent_body,
        # A report on a pre-reform province as it was is issued in that province's name.
        issuing_body=run.issuing_body or f"UBND {province.name[:1].lower()}{province.name[1:]}",
        document_number=run.document_number,
        place=run.place or province.short_name,
        document_date=run.document_date,
        signature_title=(
            run.signature_title.splitlines() if run.signature_title else DEFAULT_SIGNATURE
        ),
        signer_name=run.signer_name,
        recipients=(run.recipients.splitlines() if run.recipients else DEFAULT_RECIPIENTS),
        strengths=run.strengths,
        shortcomings=run.shortcomings,
        directions=run.directions,
        proposals=run.proposals,
        draft=not run.final,
    )


def build_files(run: ReportRun, *, progress=None, today=None) -> tuple[bytes, bytes, dict]:
    """Figures, then the PDF and the workbook; `progress(percent, step)` reports each phase."""
    report = progress or (lambda percent, step: None)
    report(10, "Tổng hợp số liệu")
    assignments, figures = compute_for(run, today=today)
    report(40, "Vẽ biểu đồ và dàn trang PDF")
    document = document_for(run, figures)
    pdf_bytes = pdf.build(document)
    report(75, "Lập phụ lục Excel")
    xlsx_bytes = xlsx.build(
        figures,
        figures_module.activity_rows(
            assignments, run.period_start, run.period_end, statuses=figures.counted_statuses
        ),
        title=document.title,
    )
    return pdf_bytes, xlsx_bytes, figures.as_json()


def save_files(run: ReportRun, pdf_bytes: bytes, xlsx_bytes: bytes, figures: dict) -> None:
    """Files under a fixed name per run, replacing the previous build (idempotent)."""
    for field_name, data, extension in (("pdf", pdf_bytes, "pdf"), ("xlsx", xlsx_bytes, "xlsx")):
        field = getattr(run, field_name)
        if field:
            field.delete(save=False)
        name = field.field.generate_filename(run, f"bao-cao-{run.pk}.{extension}")
        if field.storage.exists(name):  # left by a restore or another database: replaced
            field.storage.delete(name)
        field.save(name.rsplit("/", 1)[-1], ContentFile(data), save=False)
    run.pdf_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    run.xlsx_sha256 = hashlib.sha256(xlsx_bytes).hexdigest()
    run.figures = figures
    run.finished_at = timezone.now()
