"""User text in a workbook stays text, never a formula."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core.workbook import (
    LINE_HEIGHT,
    MONEY,
    QUANTITY,
    Styles,
    fit_row,
    new_workbook,
    safe_text,
    table_header,
    text_cell,
    text_lines,
    write_date,
    write_percent,
    write_quantity,
    write_sum,
    write_text,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+84 912 345 678", "'+84 912 345 678"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Trao quà = 5 suất", "Trao quà = 5 suất"),
        ("Xã Mường Phăng", "Xã Mường Phăng"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_safe_text(value, expected):
    assert safe_text(value) == expected


def test_text_cell_keeps_a_leading_equals_sign_as_text():
    sheet = Workbook().active
    plain = sheet["A2"]
    plain.value = '=HYPERLINK("http://x")'
    assert plain.data_type == "f"  # what openpyxl does unguarded

    cell = text_cell(sheet["A1"], '=HYPERLINK("http://x")')
    assert cell is sheet["A1"]
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"
    assert text_cell(sheet["B1"], None).value == ""
    assert text_cell(sheet["C1"], 42).value == "42"
    assert sheet["C1"].data_type == "s"


def test_a_text_cell_is_written_without_a_formula():
    book = Workbook()
    text_cell(book.active["A1"], "=1+1")
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    reopened = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert reopened["A1"].value == "=1+1"
    assert reopened["A1"].data_type == "s"


def _xlsxwriter_sheet(write) -> tuple[str, object]:
    """Write with XlsxWriter through `write(sheet, styles)`; the sheet's XML and its reading."""
    buffer = io.BytesIO()
    book = new_workbook(buffer, constant_memory=True)
    write(book.add_worksheet("S"), Styles(book))
    book.close()
    with zipfile.ZipFile(buffer) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    return sheet_xml, load_workbook(io.BytesIO(buffer.getvalue()), data_only=True).active


def test_write_text_never_writes_a_formula():
    def write(sheet, styles):
        write_text(sheet, 0, 0, '=HYPERLINK("http://x")', styles.text)
        write_text(sheet, 0, 1, None, styles.text)
        write_text(sheet, 0, 2, 42)

    sheet_xml, sheet = _xlsxwriter_sheet(write)
    assert "<f>" not in sheet_xml
    assert (sheet["A1"].value, sheet["A1"].data_type) == ('=HYPERLINK("http://x")', "s")
    assert sheet["B1"].value is None and sheet["C1"].value == "42"


def test_a_sum_stores_its_result_and_numbers_keep_their_formats():
    def write(sheet, styles):  # row by row: constant memory drops a cell of a row passed
        sheet.write_number(0, 0, 2_294_822_000, styles.money)
        write_percent(sheet, 0, 1, Decimal("31.5"), styles.percent)
        write_date(sheet, 0, 2, datetime.date(2025, 9, 2), styles.date)
        write_quantity(sheet, 1, 0, Decimal("2.50"), styles)
        write_date(sheet, 1, 2, None, styles.date)
        write_quantity(sheet, 2, 0, Decimal("3.00"), styles)
        write_sum(sheet, 3, 0, 0, 2, Decimal("2294822005.50"), styles.total_quantity)

    sheet_xml, sheet = _xlsxwriter_sheet(write)
    assert "<f>SUM(A1:A3)</f><v>2294822005.5</v>" in sheet_xml
    assert sheet["A4"].value == 2_294_822_005.5
    assert [sheet[f"A{r}"].number_format for r in (1, 2, 3)] == [MONEY, QUANTITY, MONEY]
    assert sheet["A3"].value == 3 and isinstance(sheet["A3"].value, int)
    assert (sheet["B1"].value, sheet["B1"].number_format) == (0.315, "0.0%")
    assert sheet["C1"].is_date and sheet["C1"].value == datetime.datetime(2025, 9, 2)
    assert sheet["C1"].number_format == "dd/mm/yyyy" and sheet["C2"].value is None


def test_a_table_header_freezes_its_row_and_wrapped_rows_grow():
    def write(sheet, styles):
        widths = table_header(sheet, 3, [("TT", 6), ("Cơ quan, đơn vị", 20)], styles)
        for row, name in ((4, "Ban Quản lý dự án các công trình dân dụng và công nghiệp"),
                          (5, "Sở Tư pháp")):  # fmt: skip
            fit_row(sheet, row, {1: name}, widths)
            write_text(sheet, row, 1, name, styles.text)

    _, sheet = _xlsxwriter_sheet(write)
    assert sheet.freeze_panes == "A5"
    assert sheet.column_dimensions["B"].width == pytest.approx(20, abs=1)
    assert sheet.row_dimensions[5].height == 3 * LINE_HEIGHT
    assert sheet.row_dimensions[6].height is None


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Sở Tư pháp", 20, 1),
        ("", 20, 1),
        ("Ban Quản lý dự án các công trình dân dụng và công nghiệp", 20, 3),
        ("Ban Quản lý dự án các công trình dân dụng và công nghiệp", 40, 2),
        ("x" * 23, 20, 1),  # a width of 20 holds 23 letters
        ("x" * 24, 20, 2),  # a word longer than the line breaks
        ("một\nhai", 20, 2),
    ],
)
def test_text_lines(text, width, lines):
    assert text_lines(text, width) == lines
