"""Every table of a dashboard as Excel: the report's workbook for the page's scope and period,
and the review table (XlsxWriter, with the same formats and a totals row that stores its
result)."""

import io
import tempfile

from django.http import FileResponse

from core.workbook import (
    Styles,
    fit_row,
    new_workbook,
    table_header,
    write_date,
    write_percent,
    write_sum,
    write_text,
)
from reports import figures, xlsx

REVIEW_HEADERS = [
    ("Xã", 26),
    ("Gồm xã cũ", 26),
    ("Tổng giá trị (đồng)", 18),
    ("Tiền mặt (đồng)", 16),
    ("Tỷ lệ tiền mặt (%)", 12),
    ("Tỷ lệ lâu dài (%)", 12),
    ("Hoạt động gần nhất", 13),
    ("90 ngày chưa hoạt động", 12),
    ("Cơ quan chưa đủ ngày về xã", 36),
    ("Chờ xác nhận", 11),
]


def dashboard_workbook(assignments, context: dict, name: str) -> FileResponse:
    """The report's workbook for the same scope and period as the page."""
    data = xlsx.build(
        context["f"],
        figures.activity_rows(assignments, context["start"], context["end"]),
        title=f"Số liệu giúp xã – {context['f'].scope_label}",
    )
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"{name}.xlsx")


def review_workbook(rows: list[dict], period: str) -> FileResponse:
    """The review table: a title, the header frozen under it, one row per commune and the
    totals, written into a temp file and streamed."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook = new_workbook(output, constant_memory=True)
    styles = Styles(workbook)
    sheet = workbook.add_worksheet("Rà soát xã")
    width = len(REVIEW_HEADERS)
    sheet.merge_range(0, 0, 0, width - 1, "", styles.title)
    write_text(sheet, 0, 0, f"Bảng rà soát các xã – {period}", styles.title)
    widths = table_header(sheet, 1, REVIEW_HEADERS, styles)
    for index, r in enumerate(rows, start=2):
        texts = {0: r["commune"], 1: ", ".join(r["predecessors"]), 8: ", ".join(r["below"])}
        fit_row(sheet, index, texts, widths)
        for column, text in texts.items():
            write_text(sheet, index, column, text, styles.text)
        sheet.write_number(index, 2, r["total"], styles.money)
        sheet.write_number(index, 3, r["cash"], styles.money)
        write_percent(sheet, index, 4, r["cash_share"], styles.percent)
        write_percent(sheet, index, 5, r["lasting_share"], styles.percent)
        write_date(sheet, index, 6, r["last"], styles.date)
        write_text(sheet, index, 7, "Có" if r["idle"] else "", styles.center)
        sheet.write_number(index, 9, r["waiting"], styles.money)
    last = max(len(rows) + 1, 2)
    write_text(sheet, last + 1, 0, "Tổng cộng", styles.total_label)
    for column, key in ((2, "total"), (3, "cash"), (9, "waiting")):
        value = sum(r[key] for r in rows)
        write_sum(sheet, last + 1, column, 2, last, value, styles.total_money)
    sheet.autofilter(1, 0, last, width - 1)
    sheet.repeat_rows(1)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    workbook.close()
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename="ra-soat-xa.xlsx")
