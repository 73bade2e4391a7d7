"""The activity list as an Excel workbook: XlsxWriter in constant memory, rows fetched in
chunks, a totals row that stores its result."""

import tempfile

from core.workbook import (
    Styles,
    fit_row,
    new_workbook,
    table_header,
    write_date,
    write_sum,
    write_text,
)

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
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook = new_workbook(output, constant_memory=True)
    styles = Styles(workbook)
    sheet = workbook.add_worksheet("Hoạt động")
    widths = table_header(sheet, 0, HEADERS, styles)
    rows = activities.select_related(
        "assignment__commune__district", "assignment__agency", "category"
    ).iterator(chunk_size=2000)
    row, total = 0, 0
    for row, activity in enumerate(rows, start=1):
        commune = activity.assignment.commune
        texts = {
            1: commune.name,
            2: getattr(commune.district, "name", ""),
            3: activity.assignment.agency.name,
            4: activity.category.name,
            5: activity.title,
            6: "Có" if activity.is_lasting else "",
            7: "Có" if activity.is_notable else "",
            8: activity.get_status_display(),
        }
        fit_row(sheet, row, texts, widths)
        write_date(sheet, row, 0, activity.start_date, styles.date)
        for column, text in texts.items():
            write_text(sheet, row, column, text, styles.center if column in (6, 7) else styles.text)
        sheet.write_number(row, 9, activity.total, styles.money)
        total += activity.total
    last = max(row, 1)
    write_text(sheet, last + 1, 0, "Tổng cộng", styles.total_label)
    write_sum(sheet, last + 1, 9, 1, last, total, styles.total_money)
    sheet.autofilter(0, 0, last, len(HEADERS) - 1)
    workbook.close()
    output.seek(0)
    return output
