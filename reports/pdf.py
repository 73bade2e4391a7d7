"""The sơ kết report as a PDF in the official format (Nghị định 30/2020/NĐ-CP, Phụ lục I).

Pure: a `ReportDocument` (figures and header) in, PDF bytes out; no query happens here.
The font ships with the project (Liberation Serif 2, Times New Roman metrics, full
Vietnamese coverage) and is embedded; no system font is assumed.
"""

import logging
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from core.formatting import million_dong, number, percent, trimmed_number
from core.periods import document_date, period_label

from . import charts
from .figures import ReportFigures

FONTS = Path(settings.BASE_DIR) / "static" / "fonts"


@dataclass
class ReportDocument:
    """What the PDF and the workbook say besides the figures."""

    figures: ReportFigures
    title: str
    parent_body: str = ""
    issuing_body: str = "UBND TỈNH"
    document_number: str = ""
    place: str = ""
    document_date: object = None
    signature_title: list = field(default_factory=list)
    signer_name: str = ""
    recipients: list = field(default_factory=list)
    strengths: str = ""
    shortcomings: str = ""
    directions: str = ""
    proposals: str = ""
    draft: bool = True


def _nfc(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def _paragraphs(text: str) -> list[str]:
    return [_nfc(p.strip()) for p in (text or "").splitlines() if p.strip()]


def _numbered(present: list[tuple[str, bool]]) -> dict[str, int]:
    """Numbers 1, 2, 3… for the parts shown, in order: an empty part leaves no gap."""
    shown = [key for key, is_shown in present if is_shown]
    return {key: index for index, key in enumerate(shown, start=1)}


def _section_numbers(f: ReportFigures) -> dict[str, int]:
    """Part II's sections, numbered in the order they appear."""
    return _numbered([
        ("resources", True), ("fields", True), ("lasting", True), ("notable", bool(f.notable)),
        ("days", True), ("indicators", _indicators_summary(f) is not None),
        ("needs", bool(f.needs)), ("plans", bool(f.plans_by_agency)),
    ])  # fmt: skip


def _days_rows(f: ReportFigures) -> list[dict]:
    """Annex 2's rows: each quarter's days, marked short only where the quarter is judged."""
    return [
        {**row, "cells": [
            {"days": v, "short": v is not None and v < row["required"] and not back}
            for v, back in zip(row["values"], f.days_back_entered or [False] * len(row["values"]),
                               strict=True)
        ]}
        for row in f.days
    ]  # fmt: skip


def _annex_numbers(f: ReportFigures) -> dict[str, int]:
    """The annexes, numbered in the order they are printed."""
    return _numbered([
        ("agencies", True), ("days", True), ("indicators", bool(f.indicators)),
        ("needs", bool(f.needs)), ("kept", bool(f.kept_by_kind)),
        ("plans", bool(f.plans_by_agency)),
    ])  # fmt: skip


def _attached_to(document: "ReportDocument") -> str:
    """ "Kèm theo Báo cáo số 12/BC-UBND ngày 05/01/2024 của UBND tỉnh Điện Biên"."""
    number_text = document.document_number or "……/BC-……"
    day = f"{document.document_date:%d/%m/%Y}" if document.document_date else "…/…/……"
    return f"Kèm theo Báo cáo số {number_text} ngày {day} của {document.issuing_body}"


def _indicators_summary(f: ReportFigures) -> dict | None:
    rows = [r for r in f.indicators if r["start_rate"] is not None and r["rate"] is not None]
    if not rows:
        return None
    start = sum(Decimal(r["start_rate"]) for r in rows) / len(rows)
    now = sum(Decimal(r["rate"]) for r in rows) / len(rows)
    return {
        "communes": len(rows),
        "start": number(start, 2),
        "now": number(now, 2),
        "ntm": sum(1 for r in rows if r["ntm"]),
    }


def context(document: ReportDocument) -> dict:
    f = document.figures
    return {
        "doc": document,
        "f": f,
        "period": period_label(f.period_start, f.period_end),
        "date_line": document_date(document.place or "…", document.document_date)
        if document.document_date
        else f"{document.place or '…'}, ngày … tháng … năm …",
        "total": million_dong(f.total_value),
        "cash": million_dong(f.cash_value),
        "lasting_share": percent(f.lasting_value, f.total_value),
        "in_kind": [
            {
                **row,
                "quantity_text": trimmed_number(row["quantity"]),
                "value_text": million_dong(row["value"]),
            }
            for row in f.in_kind
        ],
        "category_chart": charts.bar_chart(
            [(r["name"], r["value"]) for r in sorted(f.by_category, key=lambda r: -r["value"])],
            title="Giá trị hỗ trợ theo lĩnh vực",
        ),
        "agency_chart": charts.bar_chart(
            [(r["name"], r["value"]) for r in f.by_agency[:10]],
            title="10 cơ quan, đơn vị huy động nhiều nhất",
        ),
        "quarter_chart": charts.column_chart(
            [(r["label"], r["value"]) for r in f.by_quarter], title="Giá trị hỗ trợ theo quý"
        ),
        "strengths": _paragraphs(document.strengths),
        "shortcomings": _paragraphs(document.shortcomings),
        "directions": _paragraphs(document.directions),
        "proposals": _paragraphs(document.proposals),
        "late": f.agencies_in("late"),
        "missing": f.agencies_in("missing"),
        "on_time": len(f.agencies_in("on_time")),
        "back_entered": len(f.agencies_in("back_entered")),
        "indicators_summary": _indicators_summary(f),
        "section": _section_numbers(f),
        "annex": _annex_numbers(f),
        "days_rows": _days_rows(f),
        "attached_to": _attached_to(document),
        "kept_tables": [
            ("Loại hỗ trợ", f.kept_by_kind),
            ("Cơ quan, đơn vị", f.kept_by_agency),
            ("Xã", f.kept_by_commune),
        ],
        "needs_total": {
            key: sum(r[key] for r in f.needs)
            for key in ("raised", "met", "partly", "open", "cost", "delivered")
        },
        "fonts": FONTS.as_uri(),
    }


def render_html(document: ReportDocument) -> str:
    return render_to_string("reports/report_pdf.html", context(document))


# Not a fault: without Debian's libharfbuzz-subset0 WeasyPrint subsets the fonts with
# fontTools (slower, same glyphs) and says so for every font.
_NOTICES = ("Using fontTools instead of HarfBuzz-Subset",)


class _MissingGlyph(logging.Handler):
    """WeasyPrint only logs a missing glyph; we refuse to ship a PDF with blank boxes."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        message = record.getMessage()
        if message.startswith(_NOTICES):
            return
        if "glyph" in message.lower() or "font" in message.lower():
            self.messages.append(message)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    watcher = _MissingGlyph()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(watcher)
    try:
        pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            font_config=FontConfiguration()
        )
    finally:
        logger.removeHandler(watcher)
    if watcher.messages:
        raise RuntimeError("Thiếu phông chữ khi in PDF: " + "; ".join(watcher.messages[:3]))
    return pdf


def build(document: ReportDocument) -> bytes:
    return render_pdf(render_html(document))
