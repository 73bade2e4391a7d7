"""The report's annexes as an Excel workbook (openpyxl).

Pure like pdf.py: figures and the activity rows in, bytes out. Totals rows are SUM
formulas, so a spreadsheet program recomputes the same totals as the PDF; user text that
begins with =, +, - or @ is written as text, never as a formula.
"""

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from core.periods import period_label
from core.workbook import text_cell

from .figures import ReportFigures

MONEY = "#,##0"
QUANTITY = "#,##0.##"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")


def _title(sheet, title: str, subtitle: str, width: int):
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = subtitle
    sheet["A2"].font = Font(italic=True)
    for cell in (sheet["A1"], sheet["A2"]):
        cell.alignment = Alignment(horizontal="center")


def _header(sheet, row: int, headers: list[tuple[str, int]]):
    for column, (title, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    sheet.print_title_rows = f"{row}:{row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _totals_row(sheet, row: int, first: int, last: int, columns: list[int], label_column: int = 2):
    sheet.cell(row=row, column=label_column, value="Tổng cộng").font = Font(bold=True)
    for column in columns:
        letter = get_column_letter(column)
        cell = sheet.cell(row=row, column=column, value=f"=SUM({letter}{first}:{letter}{last})")
        cell.font = Font(bold=True)
        cell.number_format = MONEY


def build(figures: ReportFigures, activity_rows, *, title: str) -> bytes:
    period = period_label(figures.period_start, figures.period_end)
    workbook = Workbook()
    _summary(workbook.active, figures, title, period)
    _annex_agencies(workbook.create_sheet("PL1 Cơ quan - Xã"), figures, period)
    _annex_days(workbook.create_sheet("PL2 Ngày ở xã"), figures, period)
    _annex_indicators(workbook.create_sheet("PL3 Chỉ tiêu xã"), figures, period)
    _annex_needs(workbook.create_sheet("PL4 Nhu cầu xã"), figures, period)
    _annex_kept(workbook.create_sheet("PL5 Theo dõi hộ"), figures, period)
    _annex_plans(workbook.create_sheet("PL6 Kế hoạch năm"), figures, period)
    _activities(workbook.create_sheet("Danh sách hoạt động"), activity_rows, period)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _summary(sheet, figures, title, period):
    sheet.title = "Tổng hợp"
    _title(sheet, title.upper(), f"{figures.scope_label} – {period}", 4)
    rows = [
        ("Tổng giá trị quy ra tiền (đồng)", figures.total_value),
        ("Trong đó tiền mặt (đồng)", figures.cash_value),
        ("Cùng kỳ năm trước, cùng những ngày (đồng)", figures.previous_total),
        ("Số hoạt động", figures.activities),
        ("Chờ xã xác nhận: số hoạt động", figures.awaiting_activities),
        ("Chờ xã xác nhận: giá trị (đồng)", figures.awaiting_value),
        ("Số xã", figures.communes),
        ("Số cơ quan, đơn vị", figures.agencies),
        ("Số lượt người hưởng lợi", figures.beneficiaries),
        ("Giá trị hỗ trợ lâu dài (đồng)", figures.lasting_value),
    ]
    for index, (label, value) in enumerate(rows, start=4):
        sheet.cell(row=index, column=1, value=label)
        sheet.cell(row=index, column=2, value=value).number_format = MONEY
    sheet.column_dimensions["A"].width = 46
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 22
    basis = 4 + len(rows)
    text_cell(sheet.cell(row=basis, column=1), figures.basis_note).font = Font(italic=True)
    if figures.comparison_note:
        text_cell(sheet.cell(row=basis + 1, column=1), "Cùng kỳ: " + figures.comparison_note)
    start = basis + 3
    sheet.cell(row=start, column=1, value="Giá trị theo lĩnh vực").font = Font(bold=True)
    _header(sheet, start + 1, [("Lĩnh vực", 46), ("Số hoạt động", 22), ("Giá trị (đồng)", 22)])
    sheet.freeze_panes = None
    first = start + 2
    for offset, row in enumerate(figures.by_category):
        text_cell(sheet.cell(row=first + offset, column=1), row["name"])
        sheet.cell(row=first + offset, column=2, value=row["activities"]).number_format = MONEY
        sheet.cell(row=first + offset, column=3, value=row["value"]).number_format = MONEY
    last = first + max(len(figures.by_category), 1) - 1
    _totals_row(sheet, last + 1, first, last, [2, 3], label_column=1)
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Giá trị theo lĩnh vực (đồng)"
    chart.y_axis.title = "đồng"
    chart.add_data(
        Reference(sheet, min_col=3, min_row=first - 1, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.height, chart.width = 10, 22
    chart.legend = None
    sheet.add_chart(chart, f"E{start}")
    kind_row = last + 3
    sheet.cell(row=kind_row, column=1, value="Hiện vật").font = Font(bold=True)
    _header(
        sheet,
        kind_row + 1,
        [("Hiện vật", 46), ("Số lượng", 22), ("Giá trị (đồng)", 22), ("Đơn vị", 14)],
    )
    sheet.freeze_panes = None
    for offset, row in enumerate(figures.in_kind, start=kind_row + 2):
        text_cell(sheet.cell(row=offset, column=1), row["item"])
        sheet.cell(row=offset, column=2, value=float(row["quantity"])).number_format = QUANTITY
        sheet.cell(row=offset, column=3, value=row["value"]).number_format = MONEY
        text_cell(sheet.cell(row=offset, column=4), row["unit"])
    sheet.page_setup.orientation = "portrait"


def _annex_agencies(sheet, figures, period):
    items = [f"{name} ({unit})" for name, unit in figures.annex_items]
    headers = [
        ("TT", 6),
        ("Cơ quan, đơn vị", 40),
        ("Xã", 24),
        ("Gồm xã cũ", 24),
        ("Tiền mặt (đồng)", 16),
    ]
    headers += [(item, 14) for item in items] + [("Tổng giá trị (đồng)", 18)]
    _title(sheet, "PHỤ LỤC 1. KẾT QUẢ GIÚP ĐỠ THEO CƠ QUAN, ĐƠN VỊ VÀ XÃ", period, len(headers))
    _header(sheet, 4, headers)
    first = 5
    for index, row in enumerate(figures.annex):
        r = first + index
        sheet.cell(row=r, column=1, value=index + 1)
        text_cell(sheet.cell(row=r, column=2), row["agency"])
        text_cell(sheet.cell(row=r, column=3), row["commune"])
        text_cell(sheet.cell(row=r, column=4), ", ".join(row["predecessors"]))
        sheet.cell(row=r, column=5, value=row["cash"]).number_format = MONEY
        for offset, quantity in enumerate(row["items"]):
            sheet.cell(row=r, column=6 + offset, value=float(quantity)).number_format = QUANTITY
        sheet.cell(row=r, column=6 + len(items), value=row["total"]).number_format = MONEY
    last = first + max(len(figures.annex), 1) - 1
    _totals_row(sheet, last + 1, first, last, list(range(5, 7 + len(items))))
    sheet.auto_filter.ref = f"A4:{get_column_letter(len(headers))}{last}"


def _annex_days(sheet, figures, period):
    headers = [("TT", 6), ("Cơ quan, đơn vị", 40), ("Xã", 24), ("Yêu cầu mỗi quý", 12)]
    headers += [(q, 12) for q in figures.days_quarters]
    _title(sheet, "PHỤ LỤC 2. SỐ NGÀY CÁN BỘ VỀ XÃ THEO QUÝ", period, len(headers))
    _header(sheet, 4, headers)
    short = Font(bold=True, color="C00000")
    for index, row in enumerate(figures.days):
        r = 5 + index
        sheet.cell(row=r, column=1, value=index + 1)
        text_cell(sheet.cell(row=r, column=2), row["agency"])
        text_cell(sheet.cell(row=r, column=3), row["commune"])
        sheet.cell(row=r, column=4, value=row["required"])
        for offset, value in enumerate(row["values"]):
            cell = sheet.cell(row=r, column=5 + offset, value=value if value is not None else "–")
            if value is not None and value < row["required"]:
                cell.font = short
    sheet.auto_filter.ref = f"A4:{get_column_letter(len(headers))}{4 + max(len(figures.days), 1)}"


def _annex_indicators(sheet, figures, period):
    headers = [("TT", 6), ("Xã", 28), ("Năm đầu kỳ", 10), ("Tỷ lệ hộ nghèo đầu kỳ (%)", 16),
               ("Năm gần nhất", 10), ("Tỷ lệ hộ nghèo gần nhất (%)", 16), ("Tiêu chí NTM đạt", 12),
               ("Tổng tiêu chí", 10), ("Đạt chuẩn NTM", 12)]  # fmt: skip
    _title(sheet, "PHỤ LỤC 3. CHỈ TIÊU KẾT QUẢ CỦA CÁC XÃ", period, len(headers))
    _header(sheet, 4, headers)
    for index, row in enumerate(figures.indicators):
        start_rate, rate = row["start_rate"], row["rate"]
        values = [
            index + 1,
            row["commune"],
            row["start_year"],
            float(start_rate) if start_rate is not None else None,
            row["year"],
            float(rate) if rate is not None else None,
            row["criteria"],
            row["criteria_total"],
            "Đạt" if row["ntm"] else "Chưa",
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=5 + index, column=column)
            if isinstance(value, str):
                text_cell(cell, value)
            else:
                cell.value = value
                if column in (4, 6):
                    cell.number_format = "0.00"
    sheet.auto_filter.ref = f"A4:I{4 + max(len(figures.indicators), 1)}"


def _annex_needs(sheet, figures, period):
    headers = [("TT", 6), ("Xã", 28), ("Số nhu cầu", 10), ("Đã đáp ứng", 10),
               ("Đáp ứng một phần", 12), ("Chưa đáp ứng", 10), ("Kinh phí ước tính (đồng)", 18),
               ("Giá trị đã đáp ứng (đồng)", 18)]  # fmt: skip
    _title(sheet, "PHỤ LỤC 4. NHU CẦU DO XÃ NÊU VÀ MỨC ĐỘ ĐÁP ỨNG", period, len(headers))
    _header(sheet, 4, headers)
    keys = ("raised", "met", "partly", "open", "cost", "delivered")
    for index, row in enumerate(figures.needs):
        sheet.cell(row=5 + index, column=1).value = index + 1
        text_cell(sheet.cell(row=5 + index, column=2), row["commune"])
        for column, key in enumerate(keys, start=3):
            cell = sheet.cell(row=5 + index, column=column)
            cell.value = row[key]
            if key in ("cost", "delivered"):
                cell.number_format = MONEY
    if figures.needs:
        _totals_row(sheet, 5 + len(figures.needs), 5, 4 + len(figures.needs), [3, 4, 5, 6, 7, 8])


def _annex_kept(sheet, figures, period):
    headers = [("Nhóm", 16), ("Tên", 36), ("Kiểm tra sau 6 tháng", 12), ("Còn duy trì", 12),
               ("Kiểm tra sau 12 tháng", 12), ("Còn duy trì", 12)]  # fmt: skip
    _title(sheet, "PHỤ LỤC 5. HỖ TRỢ HỘ GIA ĐÌNH CÒN DUY TRÌ SAU 6 VÀ 12 THÁNG", period, 6)
    _header(sheet, 4, headers)
    row_number = 5
    groups = [
        ("Loại hỗ trợ", figures.kept_by_kind),
        ("Cơ quan, đơn vị", figures.kept_by_agency),
        ("Xã", figures.kept_by_commune),
    ]
    for group, rows in groups:
        for row in rows:
            text_cell(sheet.cell(row=row_number, column=1), group)
            text_cell(sheet.cell(row=row_number, column=2), row["name"])
            for column, key in enumerate(("recorded_6", "kept_6", "recorded_12", "kept_12"), 3):
                sheet.cell(row=row_number, column=column).value = row[key]
            row_number += 1


def _annex_plans(sheet, figures, period):
    headers = [("TT", 6), ("Cơ quan, đơn vị", 36), ("Hoạt động trong kế hoạch", 12),
               ("Đạt chỉ tiêu", 10), ("Số hoạt động kế hoạch", 12), ("Đã thực hiện", 12),
               ("Giá trị kế hoạch (đồng)", 18), ("Đã thực hiện (đồng)", 18)]  # fmt: skip
    _title(sheet, "PHỤ LỤC 6. KẾT QUẢ SO VỚI KẾ HOẠCH NĂM", period, len(headers))
    _header(sheet, 4, headers)
    keys = ("items", "achieved", "planned_activities", "done_activities", "planned_value",
            "done_value")  # fmt: skip
    for index, row in enumerate(figures.plans_by_agency):
        sheet.cell(row=5 + index, column=1).value = index + 1
        text_cell(sheet.cell(row=5 + index, column=2), row["agency"])
        for column, key in enumerate(keys, start=3):
            cell = sheet.cell(row=5 + index, column=column)
            cell.value = row[key]
            if key.endswith("value"):
                cell.number_format = MONEY


def _activities(sheet, rows, period):
    headers = [("Ngày", 12), ("Xã", 24), ("Cơ quan, đơn vị", 36), ("Lĩnh vực", 30),
               ("Nội dung", 50), ("Lâu dài", 9), ("Điển hình", 9), ("Trạng thái", 20),
               ("Tiền mặt (đồng)", 16), ("Tổng giá trị (đồng)", 18)]  # fmt: skip
    _title(sheet, "DANH SÁCH HOẠT ĐỘNG", period, len(headers))
    _header(sheet, 4, headers)
    r = 4
    for r, row in enumerate(rows, start=5):
        day, commune, agency, category, title, lasting, notable, status, cash, total = row
        sheet.cell(row=r, column=1, value=day).number_format = "DD/MM/YYYY"
        for column, value in ((2, commune), (3, agency), (4, category), (5, title), (8, status)):
            text_cell(sheet.cell(row=r, column=column), value)
        sheet.cell(row=r, column=6, value="Có" if lasting else "")
        sheet.cell(row=r, column=7, value="Có" if notable else "")
        sheet.cell(row=r, column=9, value=int(cash)).number_format = MONEY
        sheet.cell(row=r, column=10, value=int(total)).number_format = MONEY
    last = max(r, 5)
    _totals_row(sheet, last + 1, 5, last, [9, 10])
    sheet.auto_filter.ref = f"A4:J{last}"
