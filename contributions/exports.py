"""The activity list as an Excel workbook: write-only openpyxl, rows fetched in chunks."""

import tempfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.workbook import safe_text

HEADERS = [
    ("Ngày", 12),
    ("Xã", 22),
    ("Huyện (cũ)", 18),
    ("Cơ quan", 30),
    ("Lĩnh vực", 30),
    ("Nội dung", 50),
    ("Lâu dài", 9),
    ("Điển hình", 9),
    ("Trạng thái", 22),
    ("Tổng giá trị (đồng)", 18),
]


def activities_workbook(activities):
    """Write the activities (a queryset annotated with `total`) to an anonymous temp file.

    Returns the open file, rewound: the response streams it and closing it deletes it.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Hoạt động")
    sheet.freeze_panes = "A2"
    for index, (_, width) in enumerate(HEADERS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    header = []
    for title, _ in HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    rows = activities.select_related(
        "assignment__commune__district", "assignment__agency", "category"
    ).iterator(chunk_size=2000)
    for activity in rows:
        date = WriteOnlyCell(sheet, value=activity.start_date)
        date.number_format = "DD/MM/YYYY"
        total = WriteOnlyCell(sheet, value=int(activity.total))
        total.number_format = "#,##0"
        sheet.append(
            [
                date,
                safe_text(activity.assignment.commune.name),
                safe_text(getattr(activity.assignment.commune.district, "name", "")),
                safe_text(activity.assignment.agency.name),
                safe_text(activity.category.name),
                safe_text(activity.title),
                "Có" if activity.is_lasting else "",
                "Có" if activity.is_notable else "",
                activity.get_status_display(),
                total,
            ]
        )
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(output)
    output.seek(0)
    return output
