"""Excel import: the template, a preview listing every problem, an all-or-nothing commit."""

import io
import shutil
import subprocess
import unicodedata
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from contributions import imports
from contributions.models import Activity
from tests.contributions.workbooks import (
    CATEGORY,
    cash_row,
    commit,
    counts,
    messages,
    save,
    template,
    upload,
    workbook_bytes,
)
from tests.factories import CategoryFactory, ItemFactory

pytestmark = pytest.mark.django_db


def good_rows():
    ItemFactory()  # Xi măng, tấn
    CategoryFactory()
    return [
        ["Mới Mường", "15/03/2026", CATEGORY, "Tặng quà Tết", "Tiền mặt", None, None, None,
         30_000_000, "Kinh phí của cơ quan", None, "Không", 60],
        ["Xã Mới Mường", "15/03/2026", CATEGORY, "Tặng quà Tết", "Hiện vật", "Xi măng", "tấn",
         "12,5", "20.000.000", "Doanh nghiệp, nhà tài trợ được vận động", "Công ty Xi măng",
         "Có", 60],
        # a pre-reform commune name for a date before 1 July 2025, typed without accents
        ["cu muong", "02/05/2024", CATEGORY, "Tặng vở học sinh", "Tiền mặt", None, None, None,
         5_000_000, "Cán bộ, công chức quyên góp", None, None, 40],
    ]  # fmt: skip


def test_template_has_drop_downs_and_instructions_and_no_example_rows(client, world):
    client.force_login(world.users["agency_staff_a"])
    response = client.get(reverse("import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        imports.SHEET, "Chuyến công tác", "Ví dụ", "Danh mục", "Hướng dẫn"
    ]  # fmt: skip
    sheet = workbook[imports.SHEET]
    assert [c.value for c in sheet[1]][:4] == [
        "Xã",
        "Ngày (dd/mm/yyyy)",
        "Lĩnh vực",
        "Nội dung hoạt động",
    ]
    ranges = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert {"A2", "C2", "E2", "F2", "J2", "N2"} <= ranges
    assert sheet.max_row == 1  # the data sheet starts empty below its header
    assert workbook["Chuyến công tác"].max_row == 1
    assert sheet.column_dimensions["B"].number_format == "@"  # dates typed stay text
    communes = [c.value for c in workbook["Danh mục"]["A"][1:] if c.value]
    assert f"{world.commune.short_name} (mã {world.commune.code})" in communes
    assert f"{world.commune_b.short_name} (mã {world.commune_b.code})" not in communes
    legacy = world.legacy_commune
    assert f"{legacy.short_name} (huyện {world.district.short_name} cũ, mã {legacy.code})" in (
        communes
    )
    assert "mỗi dòng là một khoản đóng góp" in workbook["Hướng dẫn"]["A3"].value
    examples = workbook["Ví dụ"]
    assert examples["D4"].value == "Tặng quà Tết cho hộ nghèo"
    assert examples["E9"].value == "Làm việc với Đảng ủy xã về kế hoạch năm"


def test_a_valid_file_is_saved_once(client, world):
    client.force_login(world.users["agency_staff_a"])
    before = counts()
    data = workbook_bytes(good_rows())
    preview = upload(client, data)
    assert "Tệp hợp lệ: 3 khoản đóng góp thành 2 hoạt động" in preview.content.decode()
    assert counts() == before  # the preview saves nothing
    saved = commit(client, preview)
    assert "Đã lưu vào hệ thống: 2 hoạt động, 3 khoản đóng góp" in saved.content.decode()
    after = counts()
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == (2, 3, 0, 1)
    imported = Activity.objects.get(title="Tặng quà Tết", import_batch__isnull=False)
    assert imported.assignment == world.assignment_a
    assert imported.contributions.get(kind="in_kind").quantity == 12.5
    assert Activity.objects.get(title="Tặng vở học sinh").assignment == world.old_assignment_a
    assert imported.history.count() == 1  # the import is in the audit trail

    assert "chưa kiểm tra xong, còn lỗi, đã được lưu" in commit(client, preview).content.decode()
    again = upload(client, data)
    assert "đã được nhập" in again.content.decode()
    commit(client, again)
    assert counts() == after


def test_decomposed_unicode_names_match(client, world):
    client.force_login(world.users["agency_staff_a"])
    rows = good_rows()
    rows[0][0] = unicodedata.normalize("NFD", "Xã Mới Mường")
    rows[0][2] = unicodedata.normalize("NFD", CATEGORY)
    response = upload(client, workbook_bytes(rows))
    assert response.parsed.ok, response.parsed.problems


def test_a_file_full_of_errors_lists_them_all_and_saves_nothing(client, world):
    client.force_login(world.users["agency_staff_a"])
    rows = good_rows()
    budget = "Kinh phí của cơ quan"
    bad = [
        ["Xã Không Có", "15/03/2026", CATEGORY, "A", "Tiền mặt", None, None, None, 1, budget],
        [world.commune_b.name, "15/03/2026", CATEGORY, "B", "Tiền mặt", None, None, None, 1,
         budget],
        ["Mới Mường", "15/03/2019", CATEGORY, "C", "Tiền mặt", None, None, None, 1, budget],
        ["Mới Mường", "15/03/2026", CATEGORY, "D", "Tiền mặt", None, None, None, -5, budget],
        ["Mới Mường", "15/03/2026", CATEGORY, "E", "Tiền mặt", None, None, None, "nhiều", budget],
        ["Mới Mường", "15/03/2026", CATEGORY, "F", "Hiện vật", "Vàng", "kg", 1, 1, budget],
        ["Mới Mường", "15/03/2026", CATEGORY, "G", "Hiện vật", "Xi măng", "bao", 1, 1, budget],
        ["Mới Mường", "15/03/2026", CATEGORY, "H", "Tiền mặt", None, None, None, "=1+1", budget],
        rows[0],
        rows[0],
    ]  # fmt: skip
    before = counts()
    response = upload(client, workbook_bytes(bad))
    problems = response.parsed.problems
    messages = " | ".join(f"{p.row}:{p.column}:{p.message}" for p in problems)
    assert "2:Xã:Không tìm thấy xã «Xã Không Có»" in messages
    assert "3:Xã:Xã «" in messages and "không thuộc các xã cơ quan bạn được phân công" in messages
    assert "4:Xã:" in messages  # 2019 is outside every assignment
    assert "5:Giá trị (đồng):Giá trị không được âm." in messages
    assert "6:Giá trị (đồng):Giá trị phải là số" in messages
    assert "7:Hiện vật:Hiện vật «Vàng» không có trong danh mục." in messages
    assert "8:Đơn vị tính:" in messages
    assert "9:Giá trị (đồng):Ô chứa công thức" in messages
    assert "11::Trùng hoàn toàn với dòng 10." in messages
    assert "Tệp có" in response.content.decode() and "Chưa lưu gì" in response.content.decode()
    assert counts() == before


def zip_bomb() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 1024 * 1024))
    return output.getvalue()


def entity_bomb() -> bytes:
    data = io.BytesIO(workbook_bytes([]))
    output = io.BytesIO()
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</workbook>'
    )
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            content = bomb if info.filename == "xl/workbook.xml" else source.read(info)
            target.writestr(info, content)
    return output.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "định dạng Excel cũ (.xls) hoặc đã đặt mật khẩu",
        ),
        ("Xã,Ngày\nNà Tấu,15/03/2026\n".encode(), "không phải tệp Excel .xlsx"),
        (b"PK\x03\x04 broken zip", "không phải tệp Excel .xlsx"),
        (zip_bomb(), "giải nén ra quá lớn"),
        (entity_bomb(), "Không đọc được tệp Excel"),
        (b"x" * (imports.MAX_UPLOAD_BYTES + 10), "lớn hơn 5 MB"),
        (workbook_bytes([], sheet_name="Sheet1"), "Không thấy trang «Hoạt động»"),
    ],
    ids=[
        "xls-or-encrypted",
        "csv-renamed",
        "broken-zip",
        "zip-bomb",
        "entity-bomb",
        "too-big",
        "wrong-sheet",
    ],
)
def test_unreadable_files_are_refused_clearly(client, world, data, message):
    client.force_login(world.users["agency_staff_a"])
    before = counts()
    response = upload(client, data)
    assert message in response.content.decode()
    assert counts() == before


def test_a_file_with_problems_or_someone_elses_cannot_be_saved(client, world):
    client.force_login(world.users["agency_staff_a"])
    before = counts()
    bad = upload(client, workbook_bytes([cash_row("Xã Không Có", "15/03/2026")]))
    assert "chưa kiểm tra xong, còn lỗi" in commit(client, bad).content.decode()
    good = upload(client, workbook_bytes(good_rows()))
    job = good.context["job"]
    for other in ("agency_staff_b", "agency_leader_a", "secretariat"):
        client.force_login(world.users[other])
        assert client.get(reverse("import_job", args=[job.pk])).status_code == 404
        assert client.post(reverse("import_job_commit", args=[job.pk])).status_code == 404
    assert counts() == before


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_a_workbook_saved_by_libreoffice_is_read(client, world, tmp_path):
    source = tmp_path / "nhap.xlsx"
    source.write_bytes(workbook_bytes(good_rows()))
    out = tmp_path / "lo"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    client.force_login(world.users["agency_staff_a"])
    response = upload(client, (out / "nhap.xlsx").read_bytes())
    result = response.parsed
    assert result.ok, result.problems
    assert len(result.rows) == 3


def test_the_example_sheet_is_never_imported(client, world):
    client.force_login(world.users["agency_staff_a"])
    workbook = template(client)
    untouched = upload(client, save(workbook)).parsed
    assert messages(untouched) == (
        "Hoạt động:2::Tệp chưa có dòng dữ liệu nào ở trang «Hoạt động» hay «Chuyến công tác»"
        " (trang «Ví dụ» chỉ để xem, không được nhập)."
    )
    label = workbook["Danh mục"]["A2"].value
    workbook[imports.SHEET].append(cash_row(label, "16/03/2026", title="Số liệu thật"))
    result = upload(client, save(workbook)).parsed
    assert result.ok, messages(result)
    assert [row.title for row in result.rows] == ["Số liệu thật"]


def test_an_example_row_left_on_the_data_sheet_is_refused(client, world):
    """Templates before this one had their examples on the data sheet."""
    client.force_login(world.users["agency_staff_a"])
    rows = [
        cash_row("Mới Mường", "15/01/2026", title="Tặng quà Tết cho hộ nghèo", value=30_000_000)
    ]
    result = upload(client, workbook_bytes(rows)).parsed
    assert messages(result) == (
        "Hoạt động:2:Nội dung hoạt động:Đây là dòng ví dụ của tệp mẫu, không phải số liệu:"
        " hãy xóa dòng này."
    )


def damaged_sheet() -> bytes:
    source = io.BytesIO(workbook_bytes([cash_row("Mới Mường", "15/03/2026")]))
    output = io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(output, "w") as target:
        for info in archive.infolist():
            content = archive.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(info, content)
    return output.getvalue()


def ods() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return output.getvalue()


def without_column() -> bytes:
    workbook = Workbook()
    workbook.active.title = imports.SHEET
    workbook.active.append(["Xã", "Ngày", "Nội dung hoạt động"])
    workbook.active.append(["Mới Mường", "15/03/2026", "Tặng quà"])
    return save(workbook)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (ods(), "bảng tính OpenDocument (.ods)"),
        (b"", "Tệp rỗng"),
        (damaged_sheet(), "Không đọc được trang «Hoạt động»"),
        (without_column(), "Trang «Hoạt động» thiếu cột «Lĩnh vực», «Hình thức»"),
        (b"%PDF-1.7 hello", "không phải tệp Excel .xlsx"),
    ],
    ids=["ods", "empty", "damaged-sheet", "missing-column", "pdf"],
)
def test_more_unreadable_files_are_refused_clearly(client, world, data, message):
    client.force_login(world.users["agency_staff_a"])
    before = counts()
    try:
        result = imports.parse(data, user=world.users["agency_staff_a"], file_name="x.xlsx")
    except imports.ImportRefused as error:
        assert message in str(error)
    else:
        pytest.fail(f"not refused: {result.problems}")
    if data:  # an empty upload is refused by the form itself
        assert message in upload(client, data).content.decode()
    assert counts() == before


def test_odd_cells_are_problems_not_errors(client, world):
    client.force_login(world.users["agency_staff_a"])
    rows = [
        cash_row("Mới Mường", "15/03/2026", title="A", value="NaN"),
        cash_row("Mới Mường", "15/03/2026", title="B", beneficiaries=10**12),
        cash_row("Mới Mường", True, title="C", value=True),
        cash_row("Mới Mường", "15/03/2026", title="D", value="Infinity"),
    ]
    response = upload(client, workbook_bytes(rows))
    assert response.status_code == 200
    assert messages(response.parsed).split(" | ") == [
        "Hoạt động:2:Giá trị (đồng):Giá trị phải là số (đồng).",
        "Hoạt động:3:Số người hưởng lợi:Số người hưởng lợi phải là số nguyên không âm.",
        "Hoạt động:4:Ngày (dd/mm/yyyy):«True» không phải ngày: ghi dạng dd/mm/yyyy, ví dụ"
        " 15/01/2026.",
        "Hoạt động:4:Giá trị (đồng):Giá trị phải là số (đồng).",
        "Hoạt động:5:Giá trị (đồng):Giá trị phải là số (đồng).",
    ]
