"""Field visits from the template's «Chuyến công tác» sheet: checked by the same service as
the visit form, saved with the activities all or nothing, once per file, rollups current."""

import datetime

import pytest

from contributions import imports, rollup
from contributions.models import Activity, FieldVisit
from tests.contributions.workbooks import (
    cash_row,
    commit,
    counts,
    messages,
    upload,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db
PURPOSE = "Làm việc với Đảng ủy xã về kế hoạch năm"


def visits():
    return [
        ["Mới Mường", "02/03/2026", "06/03/2026", 5, PURPOSE],
        ["Mới Mường", "13/04/2026", "17/04/2026", None, "Kiểm tra mô hình nuôi bò"],
        ["cu muong", "05/05/2024", "08/05/2024", "3", "Khảo sát hộ nghèo"],  # pre-reform
    ]


def test_field_visits_are_imported_with_the_activities_once(client, world):
    client.force_login(world.users["agency_staff_a"])
    before = counts()
    data = workbook_bytes([cash_row("Mới Mường", "15/03/2026")], visits=visits())
    preview = upload(client, data)
    result = preview.parsed
    assert result.ok, messages(result)
    assert "1 khoản đóng góp thành 1 hoạt động" in preview.content.decode()
    assert "3 chuyến công tác, 13 ngày ở xã" in preview.content.decode()
    assert counts() == before  # the preview saves nothing

    commit(client, preview)
    after = counts()
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == (1, 1, 3, 1)
    march = FieldVisit.objects.get(purpose=PURPOSE, created_by=world.users["agency_staff_a"])
    assert (march.assignment, march.start_date, march.days_on_site, march.status) == (
        world.assignment_a, datetime.date(2026, 3, 2), 5, "draft"
    )  # fmt: skip
    assert FieldVisit.objects.get(purpose="Kiểm tra mô hình nuôi bò").days_on_site == 5  # span
    assert FieldVisit.objects.get(purpose="Khảo sát hộ nghèo").assignment == (
        world.old_assignment_a
    )
    assert march.history.count() == 1  # in the audit trail
    assert rollup.differences() == dict.fromkeys(rollup.TABLES, 0)

    again = upload(client, data)
    assert "đã được nhập" in again.content.decode()
    commit(client, preview)
    assert counts() == after


def test_a_file_of_field_visits_alone_is_imported(client, world):
    client.force_login(world.users["agency_staff_a"])
    preview = upload(client, workbook_bytes([], visits=visits()[:1]))
    assert preview.parsed.ok, messages(preview.parsed)
    commit(client, preview)
    assert FieldVisit.objects.filter(purpose=PURPOSE, assignment=world.assignment_a).exists()


def test_a_bad_visit_row_blocks_the_whole_file(client, world):
    client.force_login(world.users["agency_staff_a"])
    bad = [
        *visits(),
        ["Mới Mường", "02/03/2026", "03/03/2026", 4, "Quá số ngày"],
        ["Mới Mường", "02/03/2019", "03/03/2019", None, "Ngoài thời gian phân công"],
        ["Mới Mường", "10/03/2026", "08/03/2026", None, "Về trước khi đi"],
        ["Mới Mường", "10/03/2026", "12/03/2026", 0, "Không ngày nào"],
        ["Mới Mường", "13/03/2026", "", None, "Thiếu ngày về"],
        ["Xã Khác Hẳn", "10/03/2026", "12/03/2026", None, "Xã của cơ quan khác"],
        ["Mới Mường", "10/03/2026", "12/03/2026", None, None],
        ["Mới Mường", "02/03/2026", "06/03/2026", 5, PURPOSE],
    ]
    before = counts()
    response = upload(client, workbook_bytes([cash_row("Mới Mường", "15/03/2026")], visits=bad))
    found = messages(response.parsed).split(" | ")
    sheet = "Chuyến công tác"
    assert found == [
        f"{sheet}:5:Số ngày ở xã:Từ 02/03 đến 03/03 chỉ có 2 ngày.",
        f"{sheet}:6:Xã:Xã «Mới Mường» không thuộc các xã cơ quan bạn được phân công vào ngày"
        " 02/03/2019 (ngày nằm ngoài thời gian phân công, hoặc tên xã cũ dùng cho ngày từ"
        " 01/7/2025).",
        f"{sheet}:7:Đến ngày (dd/mm/yyyy):Ngày về phải từ ngày đi trở đi.",
        f"{sheet}:8:Số ngày ở xã:Số ngày ở xã phải là số nguyên từ 1 trở lên (để trống: cả"
        " chuyến).",
        f"{sheet}:9:Đến ngày (dd/mm/yyyy):Thiếu ngày: ghi dạng dd/mm/yyyy, ví dụ 15/01/2026.",
        f"{sheet}:10:Xã:Xã «Xã Khác Hẳn» không thuộc các xã cơ quan bạn được phân công vào"
        " ngày 10/03/2026.",
        f"{sheet}:11:Nội dung công việc:Thiếu nội dung công việc.",
        f"{sheet}:12::Trùng hoàn toàn với dòng 2.",
    ]
    assert "data-commit" not in response.content.decode()
    commit(client, response)
    assert counts() == before


def test_a_visit_outside_the_assignment_is_refused_by_the_services_rule(world):
    """The phase check is the service's: the assignment ends before the visit does."""
    rows = [["cu muong", "28/06/2025", "02/07/2025", None, "Bàn giao sau sắp xếp"]]
    result = imports.parse(
        workbook_bytes([], visits=rows), user=world.users["agency_staff_a"], file_name="x.xlsx"
    )
    assert messages(result) == (
        "Chuyến công tác:2:Đến ngày (dd/mm/yyyy):Ngày kết thúc phải trước 30/06/2025."
    )
    assert not Activity.objects.filter(title="Bàn giao sau sắp xếp").exists()
