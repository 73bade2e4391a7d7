"""Dates typed in Excel or LibreOffice in any locale land on the right day, on every row;
an impossible or ambiguous one is a problem naming its row, never a swap of day and month.
The 5th of March is used throughout: read month first it would be the 3rd of May."""

import datetime
import shutil
import subprocess

import pytest
from openpyxl import Workbook

from contributions import imports
from contributions.models import Activity
from core import spreadsheets as cells
from tests.contributions.workbooks import (
    cash_row,
    commit,
    counts,
    messages,
    save,
    upload,
    workbook_bytes,
)

MARCH_5 = datetime.date(2026, 3, 5)
SERIAL = (MARCH_5 - datetime.date(1899, 12, 30)).days  # 46086, Excel's day number


@pytest.mark.parametrize(
    "typed",
    [
        "05/03/2026",
        "5/3/2026",
        "05-03-2026",
        "5-3-2026",
        "05.03.2026",
        "5.3.2026",
        " 05/03/2026 ",
        "2026-03-05",
        "2026-03-05 00:00:00",
        "05/03/2026 00:00",
        datetime.datetime(2026, 3, 5, 0, 0),
        datetime.date(2026, 3, 5),
        SERIAL,
        float(SERIAL) + 0.5,  # noon
    ],
)
def test_every_accepted_form_is_the_fifth_of_march(typed):
    assert cells.date(typed) == MARCH_5


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("03/15/2026", "Ngày «03/15/2026» không có thật (có vẻ đã ghi tháng trước ngày)"),
        ("31/02/2026", "Ngày «31/02/2026» không có thật: ghi theo thứ tự ngày/tháng/năm"),
        ("05/03/26", "năm phải ghi đủ 4 chữ số"),
        ("5/3", "«5/3» không phải ngày"),
        ("05/03-2026", "«05/03-2026» không phải ngày"),
        ("mùng 5 tháng 3", "không phải ngày"),
        ("", "Thiếu ngày"),
        (None, "Thiếu ngày"),
        (15, "Ngày «15» nằm ngoài khoảng hợp lý"),  # day 15 of 1900
        (5032026, "Ô ngày chứa số 5032026"),
        ("05/03/1926", "nằm ngoài khoảng hợp lý"),
        (True, "«True» không phải ngày"),
    ],
)
def test_an_impossible_or_ambiguous_date_is_a_problem(typed, message):
    with pytest.raises(cells.CellError, match=message.replace("(", r"\(").replace(")", r"\)")):
        cells.date(typed)


def test_a_mac_workbooks_serial_uses_its_own_epoch():
    serial_1904 = (MARCH_5 - datetime.date(1904, 1, 1)).days
    assert cells.date(serial_1904, epoch=datetime.datetime(1904, 1, 1)) == MARCH_5


def date_rows():
    forms = ["05/03/2026", "5/3/2026", "05-03-2026", "5.3.2026", "2026-03-05",
             datetime.datetime(2026, 3, 5), SERIAL]  # fmt: skip
    return [cash_row("Mới Mường", typed, title=f"Hoạt động {n}") for n, typed in enumerate(forms)]


@pytest.mark.django_db
def test_dates_in_every_form_and_a_date_cell_land_on_the_right_day(client, world):
    client.force_login(world.users["agency_staff_a"])
    preview = upload(client, workbook_bytes(date_rows()))
    assert preview.parsed.ok, messages(preview.parsed)
    commit(client, preview)
    imported = Activity.objects.filter(import_batch__isnull=False)
    assert imported.count() == 7
    assert set(imported.values_list("start_date", flat=True)) == {MARCH_5}


@pytest.mark.django_db
def test_a_bad_date_names_its_row_and_nothing_is_saved(client, world):
    client.force_login(world.users["agency_staff_a"])
    rows = [*date_rows(), cash_row("Mới Mường", "03/15/2026", title="Tháng trước ngày")]
    before = counts()
    result = upload(client, workbook_bytes(rows)).parsed
    assert messages(result) == (
        "Hoạt động:9:Ngày (dd/mm/yyyy):Ngày «03/15/2026» không có thật (có vẻ đã ghi tháng"
        " trước ngày): ghi theo thứ tự ngày/tháng/năm, ví dụ 15/01/2026."
    )
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_dates_in_a_workbook_saved_by_libreoffice(client, world, tmp_path):
    """Text dates and a real date cell, after LibreOffice has opened and saved the file."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = imports.SHEET
    sheet.append([title for title, _ in imports.COLUMNS])
    for row in date_rows():
        sheet.append(row)
    sheet["B7"].number_format = "DD/MM/YYYY"  # the datetime row, shown the Vietnamese way
    source = tmp_path / "ngay.xlsx"
    source.write_bytes(save(workbook))
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo"),
         str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    client.force_login(world.users["agency_staff_a"])
    result = upload(client, (tmp_path / "lo" / "ngay.xlsx").read_bytes()).parsed
    assert result.ok, messages(result)
    assert {row.date for row in result.rows} == {MARCH_5}
