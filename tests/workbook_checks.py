"""Reading a downloaded workbook back as the programs a user has would: openpyxl without
recalculation (as pandas and phone viewers read it) and LibreOffice recalculating every
formula."""

import datetime
import io
import subprocess
from pathlib import Path

from openpyxl import load_workbook

# LibreOffice trusts the results stored in a file it believes Excel wrote; this profile
# setting ("Recalculation on file load: always") makes it compute every formula itself.
ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
</oor:items>
"""


def stored_values(data: bytes):
    """The workbook as a reader that does not recalculate sees it; every formula cell must
    carry its result."""
    formulas = load_workbook(io.BytesIO(data))
    values = load_workbook(io.BytesIO(data), data_only=True)
    for sheet in formulas:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    stored = values[sheet.title][cell.coordinate].value
                    assert stored is not None, f"{sheet.title}!{cell.coordinate} {cell.value}"
    return values


def recalculated(data: bytes, tmp_path: Path):
    """The workbook after LibreOffice recalculated every formula and saved it again."""
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(ALWAYS_RECALCULATE)
    source = tmp_path / "in.xlsx"
    source.write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "out"),
         str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return load_workbook(tmp_path / "out" / "in.xlsx", data_only=True)


def formula_cells(data: bytes) -> list[tuple[str, str]]:
    """(sheet, coordinate) of every formula cell."""
    workbook = load_workbook(io.BytesIO(data))
    return [
        (sheet.title, cell.coordinate)
        for sheet in workbook
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def assert_table(sheet, header_row: int):
    """A table sheet: the header frozen, an autofilter from the header down."""
    assert sheet.freeze_panes == f"A{header_row + 1}", sheet.title
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith(f"A{header_row}:"), (
        sheet.title
    )


def assert_date_cell(cell, day: datetime.date):
    assert cell.is_date and cell.value.date() == day, (cell.coordinate, cell.value)
    assert cell.number_format == "dd/mm/yyyy"
