"""Every table of a dashboard as Excel: the report's workbook for the page's scope and period,
and the review table written row by row."""

import io
import tempfile

from django.http import FileResponse
from openpyxl import Workbook

from core.workbook import safe_text
from reports import figures, xlsx


def dashboard_workbook(assignments, context: dict, name: str) -> FileResponse:
    """The report's workbook for the same scope and period as the page."""
    data = xlsx.build(
        context["f"],
        figures.activity_rows(assignments, context["start"], context["end"]),
        title=f"Số liệu giúp xã – {context['f'].scope_label}",
    )
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"{name}.xlsx")


def review_workbook(rows: list[dict], period: str) -> FileResponse:
    """The review table, written row by row (write-only) into a temp file and streamed."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Rà soát xã")
    sheet.append([f"Bảng rà soát các xã – {period}"])
    sheet.append(["Xã", "Gồm xã cũ", "Tổng giá trị (đồng)", "Tiền mặt (đồng)", "Tỷ lệ tiền mặt (%)",
                  "Tỷ lệ lâu dài (%)", "Hoạt động gần nhất", "90 ngày chưa hoạt động",
                  "Cơ quan chưa đủ ngày về xã", "Chờ xác nhận"])  # fmt: skip
    for r in rows:
        sheet.append([
            safe_text(r["commune"]), safe_text(", ".join(r["predecessors"])), r["total"], r["cash"],
            float(round(r["cash_share"], 1)) if r["cash_share"] is not None else None,
            float(round(r["lasting_share"], 1)) if r["lasting_share"] is not None else None,
            r["last"], "Có" if r["idle"] else "", safe_text(", ".join(r["below"])), r["waiting"],
        ])  # fmt: skip
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename="ra-soat-xa.xlsx")
