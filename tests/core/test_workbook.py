"""User text in a workbook stays text, never a formula."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from core.workbook import safe_text, text_cell


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
