"""The report's annexes as an Excel workbook (XlsxWriter, in constant memory).

Pure like pdf.py: figures and the activity rows in, bytes out. Totals rows are SUM
formulas that also store their result, so a spreadsheet program that recalculates and a
reader that does not (pandas, a phone's viewer) show the same totals as the PDF. User text
is written as strings, never as formulas.

Rows are flushed as they are written (the activity list can run to a hundred thousand
rows), so each sheet is written top to bottom: title, header, rows, totals.
"""

import io

from core.periods import period_label
from core.workbook import (
    Styles,
    fit_row,
    new_workbook,
    quantity_format,
    table_header,
    write_date,
    write_percent,
    write_quantity,
    write_sum,
    write_text,
)

from .figures import ReportFigures

HEADER_ROW = 3  # 0-based: the title, the period, a blank row, then the header (Excel row 4)
FIRST = HEADER_ROW + 1


def build(figures: ReportFigures, activity_rows, *, title: str) -> bytes:
    period = period_label(figures.period_start, figures.period_end)
    output = io.BytesIO()
    workbook = new_workbook(output, constant_memory=True)
    styles = Styles(workbook)
    _summary(workbook, styles, figures, title, period)
    _annex_agencies(workbook.add_worksheet("PL1 Cơ quan - Xã"), styles, figures, period)
    _annex_days(workbook.add_worksheet("PL2 Ngày ở xã"), styles, figures, period)
    _annex_indicators(workbook.add_worksheet("PL3 Chỉ tiêu xã"), styles, figures, period)
    _annex_needs(workbook.add_worksheet("PL4 Nhu cầu xã"), styles, figures, period)
    _annex_kept(workbook.add_worksheet("PL5 Theo dõi hộ"), styles, figures, period)
    _annex_plans(workbook.add_worksheet("PL6 Kế hoạch năm"), styles, figures, period)
    _activities(workbook.add_worksheet("Danh sách hoạt động"), styles, activity_rows, period)
    workbook.close()
    return output.getvalue()


def _title(sheet, styles, title: str, subtitle: str, width: int):
    # merge_range() writes its data with write(), which makes "=…" a formula: merge blank
    # cells, then put the user's text in as a string.
    # (Row by row: in constant-memory mode a row is written out once the next one starts.)
    for row, text, style in ((0, title, styles.title), (1, subtitle, styles.subtitle)):
        if width > 1:
            sheet.merge_range(row, 0, row, width - 1, "", style)
        write_text(sheet, row, 0, text, style)


def _table(sheet, styles, title: str, period: str, headers: list[tuple[str, float]]) -> list:
    """Title rows, the header with frozen panes, printed landscape with the header on each
    page; returns the column widths."""
    _title(sheet, styles, title, period, len(headers))
    widths = table_header(sheet, HEADER_ROW, headers, styles)
    sheet.repeat_rows(HEADER_ROW)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    return widths


def _filter(sheet, width: int, rows: int):
    """The autofilter over the header and the body (never the totals row)."""
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(rows, 1), width - 1)


def _totals(sheet, styles, rows: int, values: dict[int, object]) -> int:
    """A "Tổng cộng" row under a body of `rows` rows, {column: the sum already known};
    returns its row."""
    last = FIRST + max(rows, 1) - 1
    write_text(sheet, last + 1, 1, "Tổng cộng", styles.total_label)
    for column, value in values.items():
        write_sum(sheet, last + 1, column, FIRST, last, value, styles.total_money)
    return last + 1


def _summary(workbook, styles, figures, title, period):
    sheet = workbook.add_worksheet("Tổng hợp")
    _title(sheet, styles, title.upper(), f"{figures.scope_label} – {period}", 4)
    widths = [46, 22, 22, 14]
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
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
    for row, (label, value) in enumerate(rows, start=3):
        sheet.write_string(row, 0, label, styles.label)
        sheet.write_number(row, 1, value, styles.plain_money)
    change = 3 + len(rows)
    sheet.write_string(change, 0, "Tăng (+), giảm (−) so với cùng kỳ", styles.label)
    write_percent(sheet, change, 1, figures.change, styles.plain_percent)
    basis = change + 1
    write_text(sheet, basis, 0, figures.basis_note, styles.note)
    if figures.comparison_note:
        write_text(sheet, basis + 1, 0, "Cùng kỳ: " + figures.comparison_note, styles.note)

    sources = basis + 3
    sheet.write_string(sources, 0, "Giá trị theo nguồn", styles.heading)
    for column, header in enumerate(["Nguồn", "Giá trị (đồng)"]):
        sheet.write_string(sources + 1, column, header, styles.header)
    first_source = sources + 2
    for row, item in enumerate(figures.by_source, start=first_source):
        write_text(sheet, row, 0, item["source"], styles.text)
        sheet.write_number(row, 1, item["value"], styles.money)
    last_source = first_source + max(len(figures.by_source), 1) - 1
    write_text(sheet, last_source + 1, 0, "Tổng theo nguồn (đồng)", styles.total_label)
    write_sum(sheet, last_source + 1, 1, first_source, last_source,
              sum(r["value"] for r in figures.by_source), styles.total_money)  # fmt: skip

    start = last_source + 3
    sheet.write_string(start, 0, "Giá trị theo lĩnh vực", styles.heading)
    headers = ["Lĩnh vực", "Số hoạt động", "Giá trị (đồng)"]
    for column, header in enumerate(headers):
        sheet.write_string(start + 1, column, header, styles.header)
    first = start + 2
    for row, item in enumerate(figures.by_category, start=first):
        fit_row(sheet, row, {0: item["name"]}, widths)
        write_text(sheet, row, 0, item["name"], styles.text)
        sheet.write_number(row, 1, item["activities"], styles.money)
        sheet.write_number(row, 2, item["value"], styles.money)
    last = first + max(len(figures.by_category), 1) - 1
    total_row = last + 1
    write_text(sheet, total_row, 0, "Tổng cộng", styles.total_label)
    activities = sum(r["activities"] for r in figures.by_category)
    value = sum(r["value"] for r in figures.by_category)
    write_sum(sheet, total_row, 1, first, last, activities, styles.total_money)
    write_sum(sheet, total_row, 2, first, last, value, styles.total_money)

    kind_row = total_row + 2
    sheet.write_string(kind_row, 0, "Hiện vật", styles.heading)
    for column, header in enumerate(["Hiện vật", "Số lượng", "Giá trị (đồng)", "Đơn vị"]):
        sheet.write_string(kind_row + 1, column, header, styles.header)
    row = kind_row + 2
    for row, item in enumerate(figures.in_kind, start=kind_row + 2):
        fit_row(sheet, row, {0: item["item"], 3: item["unit"]}, widths)
        write_text(sheet, row, 0, item["item"], styles.text)
        write_quantity(sheet, row, 1, item["quantity"], styles)
        sheet.write_number(row, 2, item["value"], styles.money)
        write_text(sheet, row, 3, item["unit"], styles.text)
    if figures.by_category:
        # Under the tables, so the printed page keeps their width.
        sheet.insert_chart(row + 2, 0, _category_chart(workbook, sheet.name, figures, first, last))
    sheet.set_portrait()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def _category_chart(workbook, sheet_name: str, figures, first: int, last: int):
    chart = workbook.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Giá trị (đồng)",
            "categories": [sheet_name, first, 0, last, 0],
            "values": [sheet_name, first, 2, last, 2],
            "fill": {"color": "#4F81BD"},
        }
    )
    chart.set_title({"name": "Giá trị theo lĩnh vực (đồng)", "name_font": {"size": 12}})
    chart.set_x_axis({"name": "đồng", "num_format": "#,##0", "major_gridlines": {"visible": True}})
    chart.set_y_axis({"reverse": True})  # the first category on top, as in the table
    chart.set_legend({"none": True})
    chart.set_size({"width": 760, "height": 120 + 28 * len(figures.by_category)})
    return chart


def _annex_agencies(sheet, styles, figures, period):
    items = [f"{name} ({unit})" for name, unit in figures.annex_items]
    headers = [("TT", 6), ("Cơ quan, đơn vị", 40), ("Xã", 24), ("Gồm xã cũ", 24),
               ("Tiền mặt (đồng)", 16)]  # fmt: skip
    headers += [(item, 14) for item in items] + [("Tổng giá trị (đồng)", 18)]
    title = "PHỤ LỤC 1. KẾT QUẢ GIÚP ĐỠ THEO CƠ QUAN, ĐƠN VỊ VÀ XÃ"
    widths = _table(sheet, styles, title, period, headers)
    total_column = 5 + len(items)
    for index, row in enumerate(figures.annex):
        r = FIRST + index
        texts = {1: row["agency"], 2: row["commune"], 3: ", ".join(row["predecessors"])}
        fit_row(sheet, r, texts, widths)
        sheet.write_number(r, 0, index + 1, styles.integer)
        for column, text in texts.items():
            write_text(sheet, r, column, text, styles.text)
        sheet.write_number(r, 4, row["cash"], styles.money)
        for offset, quantity in enumerate(row["items"]):
            write_quantity(sheet, r, 5 + offset, quantity, styles)
        sheet.write_number(r, total_column, row["total"], styles.money)
    rows = len(figures.annex)
    totals_row = _totals(sheet, styles, rows, {4: sum(r["cash"] for r in figures.annex)})
    last = FIRST + max(rows, 1) - 1
    for offset in range(len(items)):
        quantity = sum(r["items"][offset] for r in figures.annex)
        column = 5 + offset
        cell_format = quantity_format(quantity, styles, total=True)
        write_sum(sheet, totals_row, column, FIRST, last, quantity, cell_format)
    total = sum(r["total"] for r in figures.annex)
    write_sum(sheet, totals_row, total_column, FIRST, last, total, styles.total_money)
    _filter(sheet, len(headers), rows)


def _annex_days(sheet, styles, figures, period):
    headers = [("TT", 6), ("Cơ quan, đơn vị", 40), ("Xã", 24), ("Yêu cầu mỗi quý", 12)]
    headers += [(q, 12) for q in figures.days_quarters]
    widths = _table(sheet, styles, "PHỤ LỤC 2. SỐ NGÀY CÁN BỘ VỀ XÃ THEO QUÝ", period, headers)
    for index, row in enumerate(figures.days):
        r = FIRST + index
        fit_row(sheet, r, {1: row["agency"], 2: row["commune"]}, widths)
        sheet.write_number(r, 0, index + 1, styles.integer)
        write_text(sheet, r, 1, row["agency"], styles.text)
        write_text(sheet, r, 2, row["commune"], styles.text)
        sheet.write_number(r, 3, row["required"], styles.integer)
        for offset, value in enumerate(row["values"]):
            if value is None:  # the quarter is outside the assignment
                sheet.write_string(r, 4 + offset, "–", styles.center)
            else:
                short = value < row["required"]
                sheet.write_number(r, 4 + offset, value, styles.short if short else styles.integer)
    _filter(sheet, len(headers), len(figures.days))


def _annex_indicators(sheet, styles, figures, period):
    headers = [("TT", 6), ("Xã", 28), ("Năm đầu kỳ", 10), ("Tỷ lệ hộ nghèo đầu kỳ (%)", 16),
               ("Năm gần nhất", 10), ("Tỷ lệ hộ nghèo gần nhất (%)", 16), ("Tiêu chí NTM đạt", 12),
               ("Tổng tiêu chí", 10), ("Đạt chuẩn NTM", 12)]  # fmt: skip
    widths = _table(sheet, styles, "PHỤ LỤC 3. CHỈ TIÊU KẾT QUẢ CỦA CÁC XÃ", period, headers)
    for index, row in enumerate(figures.indicators):
        r = FIRST + index
        fit_row(sheet, r, {1: row["commune"]}, widths)
        sheet.write_number(r, 0, index + 1, styles.integer)
        write_text(sheet, r, 1, row["commune"], styles.text)
        _integer(sheet, r, 2, row["start_year"], styles)
        write_percent(sheet, r, 3, row["start_rate"], styles.rate)
        _integer(sheet, r, 4, row["year"], styles)
        write_percent(sheet, r, 5, row["rate"], styles.rate)
        _integer(sheet, r, 6, row["criteria"], styles)
        _integer(sheet, r, 7, row["criteria_total"], styles)
        sheet.write_string(r, 8, "Đạt" if row["ntm"] else "Chưa", styles.center)
    _filter(sheet, len(headers), len(figures.indicators))


def _integer(sheet, row: int, column: int, value, styles):
    if value is None:
        return sheet.write_blank(row, column, None, styles.integer)
    return sheet.write_number(row, column, value, styles.integer)


def _annex_needs(sheet, styles, figures, period):
    headers = [("TT", 6), ("Xã", 28), ("Số nhu cầu", 10), ("Đã đáp ứng", 10),
               ("Đáp ứng một phần", 12), ("Chưa đáp ứng", 10), ("Kinh phí ước tính (đồng)", 18),
               ("Giá trị đã đáp ứng (đồng)", 18)]  # fmt: skip
    title = "PHỤ LỤC 4. NHU CẦU DO XÃ NÊU VÀ MỨC ĐỘ ĐÁP ỨNG"
    widths = _table(sheet, styles, title, period, headers)
    keys = ("raised", "met", "partly", "open", "cost", "delivered")
    for index, row in enumerate(figures.needs):
        r = FIRST + index
        fit_row(sheet, r, {1: row["commune"]}, widths)
        sheet.write_number(r, 0, index + 1, styles.integer)
        write_text(sheet, r, 1, row["commune"], styles.text)
        for column, key in enumerate(keys, start=2):
            sheet.write_number(r, column, row[key] or 0, styles.money)
    if figures.needs:
        sums = {column: sum(r[key] or 0 for r in figures.needs)
                for column, key in enumerate(keys, start=2)}  # fmt: skip
        _totals(sheet, styles, len(figures.needs), sums)
    _filter(sheet, len(headers), len(figures.needs))


def _annex_kept(sheet, styles, figures, period):
    headers = [("Nhóm", 16), ("Tên", 36), ("Kiểm tra sau 6 tháng", 12), ("Còn duy trì", 12),
               ("Kiểm tra sau 12 tháng", 12), ("Còn duy trì", 12)]  # fmt: skip
    title = "PHỤ LỤC 5. HỖ TRỢ HỘ GIA ĐÌNH CÒN DUY TRÌ SAU 6 VÀ 12 THÁNG"
    widths = _table(sheet, styles, title, period, headers)
    groups = [
        ("Loại hỗ trợ", figures.kept_by_kind),
        ("Cơ quan, đơn vị", figures.kept_by_agency),
        ("Xã", figures.kept_by_commune),
    ]
    r = FIRST
    for group, rows in groups:
        for row in rows:
            fit_row(sheet, r, {0: group, 1: row["name"]}, widths)
            write_text(sheet, r, 0, group, styles.text)
            write_text(sheet, r, 1, row["name"], styles.text)
            for column, key in enumerate(("recorded_6", "kept_6", "recorded_12", "kept_12"), 2):
                sheet.write_number(r, column, row[key], styles.money)
            r += 1
    _filter(sheet, len(headers), r - FIRST)


def _annex_plans(sheet, styles, figures, period):
    headers = [("TT", 6), ("Cơ quan, đơn vị", 36), ("Hoạt động trong kế hoạch", 12),
               ("Đạt chỉ tiêu", 10), ("Số hoạt động kế hoạch", 12), ("Đã thực hiện", 12),
               ("Giá trị kế hoạch (đồng)", 18), ("Đã thực hiện (đồng)", 18)]  # fmt: skip
    widths = _table(sheet, styles, "PHỤ LỤC 6. KẾT QUẢ SO VỚI KẾ HOẠCH NĂM", period, headers)
    keys = ("items", "achieved", "planned_activities", "done_activities", "planned_value",
            "done_value")  # fmt: skip
    for index, row in enumerate(figures.plans_by_agency):
        r = FIRST + index
        fit_row(sheet, r, {1: row["agency"]}, widths)
        sheet.write_number(r, 0, index + 1, styles.integer)
        write_text(sheet, r, 1, row["agency"], styles.text)
        for column, key in enumerate(keys, start=2):
            sheet.write_number(r, column, row[key] or 0, styles.money)
    _filter(sheet, len(headers), len(figures.plans_by_agency))


ACTIVITY_HEADERS = [("Ngày", 12), ("Xã", 24), ("Cơ quan, đơn vị", 36), ("Lĩnh vực", 30),
                    ("Nội dung", 50), ("Lâu dài", 9), ("Điển hình", 9), ("Trạng thái", 20),
                    ("Tiền mặt (đồng)", 16), ("Tổng giá trị (đồng)", 18)]  # fmt: skip


def _activities(sheet, styles, rows, period):
    widths = _table(sheet, styles, "DANH SÁCH HOẠT ĐỘNG", period, ACTIVITY_HEADERS)
    r, cash_sum, total_sum = FIRST - 1, 0, 0
    for r, row in enumerate(rows, start=FIRST):
        day, commune, agency, category, title, lasting, notable, status, cash, total = row
        texts = {1: commune, 2: agency, 3: category, 4: title, 7: status}
        fit_row(sheet, r, texts, widths)
        write_date(sheet, r, 0, day, styles.date)
        for column, text in texts.items():
            write_text(sheet, r, column, text, styles.text)
        write_text(sheet, r, 5, "Có" if lasting else "", styles.center)
        write_text(sheet, r, 6, "Có" if notable else "", styles.center)
        sheet.write_number(r, 8, cash, styles.money)
        sheet.write_number(r, 9, total, styles.money)
        cash_sum += cash
        total_sum += total
    count = r - FIRST + 1
    _totals(sheet, styles, count, {8: cash_sum, 9: total_sum})
    _filter(sheet, len(ACTIVITY_HEADERS), count)
