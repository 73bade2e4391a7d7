"""The import template an agency downloads: two empty data sheets with drop-downs, the
examples on a sheet of their own, the lists, and the instructions.

Every drop-down shows labels the parser reads back exactly, unique even where two
communes share a name: "Nậm Chảy (huyện Mường Khương cũ, mã 02770)". Date columns are
formatted as text, so a date typed as 05/03/2026 stays the 5th of March in any locale.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from communes.labels import commune_label, village_label
from communes.models import Village
from core.text import fold
from core.workbook import text_cell

from ..models import Category, Contribution, Item
from .layout import (
    ACTIVITY_COLUMNS,
    DATE_COLUMNS,
    EXAMPLE_SHEET,
    EXAMPLES,
    GUIDE_SHEET,
    LISTS_SHEET,
    MAX_ROWS,
    SHEET,
    VISIT_COLUMNS,
    VISIT_SHEET,
)

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")

GUIDE = [
    f"Trang «{SHEET}»: mỗi dòng là một khoản đóng góp. Các dòng cùng xã, cùng thôn, cùng ngày,"
    " cùng lĩnh vực và cùng nội dung được gộp thành một hoạt động.",
    f"Trang «{VISIT_SHEET}»: mỗi dòng là một chuyến cán bộ về xã (từ ngày, đến ngày, số ngày ở"
    " xã; để trống số ngày thì tính cả chuyến), nằm trong thời gian phân công.",
    f"Trang «{EXAMPLE_SHEET}» chỉ để xem cách điền: không bao giờ được nhập. Đừng chép dòng ví"
    " dụ sang trang số liệu.",
    "Xã: chọn trong danh sách (tên, huyện cũ nếu là xã trước 01/7/2025, và mã xã). Cũng có thể"
    " ghi mã xã, hoặc tên xã có dấu đầy đủ. Tên không dấu chỉ được nhận khi không trùng với xã"
    " nào khác cơ quan phụ trách.",
    "Với hoạt động trước 01/7/2025, chọn xã cũ (có ghi huyện); từ 01/7/2025, chọn xã mới.",
    "Ngày: ghi dạng ngày/tháng/năm, ví dụ 15/01/2026 (cũng nhận 15-01-2026, 15.01.2026,"
    " 2026-01-15, hoặc ô kiểu ngày của Excel). Không ghi tháng trước ngày.",
    "Thôn, bản: không bắt buộc; nếu ghi, phải là thôn, bản của xã ở cùng dòng.",
    "Hình thức: Tiền mặt, hoặc Hiện vật (khi đó cần Hiện vật, Đơn vị tính và Số lượng).",
    "Giá trị: số tiền quy đổi, đơn vị đồng, số nguyên không âm (ví dụ 15000000).",
    "Nguồn: Kinh phí của cơ quan; Cán bộ, công chức quyên góp; hoặc Doanh nghiệp, nhà tài trợ"
    " được vận động (khi đó ghi tên nhà tài trợ).",
    "Không dùng công thức trong các ô; không đổi tên cột.",
    "Tệp được kiểm tra toàn bộ (cả hai trang) trước khi lưu: chỉ khi không còn lỗi nào mới lưu;"
    " nhập lại cùng một tệp không tạo thêm dữ liệu.",
]


def template_workbook(agency, assignments) -> bytes:
    """The import template for one agency and the assignments it may log work for."""
    assignments = list(assignments)
    communes = sorted(
        {a.commune_id: a.commune for a in assignments}.values(),
        key=lambda c: (not c.is_current, fold(c.short_name), c.code),
    )
    villages = [
        village_label(v, v.commune)
        for v in Village.objects.open()
        .filter(commune__in=[c.pk for c in communes])
        .select_related("commune")
        .order_by("commune__name", "name")
    ]
    categories = [c.name for c in Category.objects.filter(is_active=True)]
    items = list(Item.objects.filter(is_active=True))
    lists = {
        "commune": [commune_label(c) for c in communes] or ["(chưa có xã)"],
        "category": categories,
        "item": [i.name for i in items],
        "unit": sorted({i.unit for i in items}),
        "kind": [label for _, label in Contribution.Kind.choices],
        "source": [label for _, label in Contribution.Source.choices],
        "lasting": ["Có", "Không"],
        "village": villages or ["(chưa có thôn, bản)"],
    }

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    visits = workbook.create_sheet(VISIT_SHEET)
    examples = workbook.create_sheet(EXAMPLE_SHEET)
    list_sheet = workbook.create_sheet(LISTS_SHEET)
    ranges = _write_lists(list_sheet, lists)
    _data_sheet(sheet, ACTIVITY_COLUMNS, ranges)
    _data_sheet(visits, VISIT_COLUMNS, ranges)
    _examples(examples, lists["commune"][0], categories, items)
    _guide(workbook.create_sheet(GUIDE_SHEET), agency)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _write_lists(sheet, lists: dict[str, list[str]]) -> dict[str, str]:
    """One column per list on the lists sheet; the range formula of each, by column key."""
    titles = {**{k: c.title for k, c in ACTIVITY_COLUMNS.items()}, "lasting": "Có/Không"}
    ranges = {}
    for index, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=titles[key].split(" (")[0])
        header.font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            text_cell(sheet.cell(row=row, column=index), value)
        sheet.column_dimensions[letter].width = 40 if key in {"commune", "village"} else 28
        ranges[key] = f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    return ranges


ERRORS = {
    "commune": "Chọn một xã cơ quan được phân công (hoặc ghi mã xã).",
    "category": "Chọn một lĩnh vực trong danh sách.",
    "item": "Chọn hiện vật trong danh mục.",
    "unit": "Chọn đơn vị tính trong danh mục.",
    "kind": "Chọn Tiền mặt hoặc Hiện vật.",
    "source": "Chọn nguồn đóng góp trong danh sách.",
    "lasting": "Chọn Có hoặc Không.",
    "village": "Chọn thôn, bản trong danh sách, hoặc để trống.",
}


def _data_sheet(sheet, columns, ranges: dict[str, str]) -> None:
    """Header, widths, text format on date columns, and a drop-down per listed column."""
    for index, (key, column) in enumerate(columns.items(), start=1):
        cell = sheet.cell(row=1, column=index, value=column.title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        letter = cell.column_letter
        dimension = sheet.column_dimensions[letter]
        dimension.width = column.width
        if key in DATE_COLUMNS:
            dimension.number_format = "@"
        elif key == "value":
            dimension.number_format = "#,##0"
        if key in ERRORS:
            rule = DataValidation(
                type="list",
                formula1=ranges[key],
                allow_blank=True,
                # The commune column also takes a typed code or name: warn, do not block.
                errorStyle="warning" if key in {"commune", "village"} else "stop",
                showErrorMessage=True,
                errorTitle="Giá trị không có trong danh mục",
                error=ERRORS[key],
            )
            rule.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"


def _examples(sheet, commune: str, categories: list[str], items: list) -> None:
    note = sheet.cell(
        row=1,
        column=1,
        value=f"VÍ DỤ CÁCH ĐIỀN – trang này không được nhập. Điền số liệu ở trang «{SHEET}»"
        f" và «{VISIT_SHEET}».",
    )
    note.font = Font(bold=True, color="C00000")
    for index, column in enumerate(ACTIVITY_COLUMNS.values(), start=1):
        sheet.cell(row=3, column=index, value=column.title).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    cement = next((i for i in items if i.unit == "tấn"), items[0] if items else None)
    gift = categories[-2] if len(categories) > 1 else ""
    works = categories[4] if len(categories) > 4 else ""
    cash, in_kind = EXAMPLES
    rows = [
        [commune, f"{cash.date:%d/%m/%Y}", gift, cash.title, "Tiền mặt", "", "", None,
         cash.value, "Kinh phí của cơ quan", "", "Không", 60, ""],
        [commune, f"{in_kind.date:%d/%m/%Y}", works, in_kind.title, "Hiện vật",
         cement.name if cement else "", cement.unit if cement else "", 12.5, in_kind.value,
         "Doanh nghiệp, nhà tài trợ được vận động", "Công ty Xi măng Điện Biên", "Có", 120, ""],
    ]  # fmt: skip
    for row_number, values in enumerate(rows, start=4):
        _write_row(sheet, row_number, values)
    sheet.cell(row=7, column=1, value=VISIT_SHEET).font = Font(bold=True, color="C00000")
    for index, column in enumerate(VISIT_COLUMNS.values(), start=1):
        sheet.cell(row=8, column=index, value=column.title).font = Font(bold=True)
    visit = [commune, "02/03/2026", "06/03/2026", 5, "Làm việc với Đảng ủy xã về kế hoạch năm"]
    _write_row(sheet, 9, visit)


def _write_row(sheet, row: int, values: list) -> None:
    """Text stays text (a name never becomes a formula, a date typed as text stays text)."""
    for index, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=index)
        if isinstance(value, str):
            text_cell(cell, value)
        else:
            cell.value = value


def _guide(sheet, agency) -> None:
    text_cell(sheet["A1"], f"Mẫu nhập hoạt động giúp xã – {agency.name}")
    sheet["A1"].font = Font(bold=True, size=14)
    for row, line in enumerate(GUIDE, start=3):
        sheet[f"A{row}"] = f"{row - 2}. {line}"
    sheet.column_dimensions["A"].width = 120
