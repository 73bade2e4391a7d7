"""Logging an activity with its contributions, the review flow, conflicts and double submits."""

import datetime

import pytest
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from contributions.models import Activity, Contribution, FieldVisit
from tests.factories import ActivityFactory, ContributionFactory, ItemFactory
from tests.workbook_checks import assert_date_cell, assert_table, stored_values

pytestmark = pytest.mark.django_db


def form_data(w, **overrides):
    item = ItemFactory()
    data = {
        "assignment": w.assignment_a.pk,
        "start_date": "2026-03-15",
        "end_date": "",
        "category": w.activity_a.category_id,
        "title": "  Trao   quà Tết cho 30 hộ nghèo ",
        "description": "",
        "village": "",
        "beneficiaries_count": "30",
        "beneficiaries_kind": "hộ nghèo",
        "is_lasting": "",
        "version": "",
        "submission_token": "6f1c2f8e-4c7a-4b7e-9d7e-1c2b3a4d5e6f",
        "c-TOTAL_FORMS": "2",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "100",
        "c-0-kind": "cash",
        "c-0-value": "15000000",
        "c-0-source": "budget",
        "c-1-kind": "in_kind",
        "c-1-item": item.pk,
        "c-1-quantity": "2,5",
        "c-1-value": "4000000",
        "c-1-source": "mobilised",
        "c-1-donor_name": "Công ty Điện lực",
    }
    data.update(overrides)
    return data


def test_staff_log_an_activity_with_cash_and_in_kind(client, world):
    client.force_login(world.users["agency_staff_a"])
    response = client.post(reverse("activity_create"), form_data(world))
    assert response.status_code == 302
    activity = Activity.objects.get(title="Trao quà Tết cho 30 hộ nghèo")
    assert activity.status == "draft"
    assert activity.created_by == world.users["agency_staff_a"]
    rows = list(activity.contributions.order_by("kind"))
    assert [(c.kind, c.value) for c in rows] == [("cash", 15_000_000), ("in_kind", 4_000_000)]
    assert str(rows[1].quantity) == "2.50"


def test_a_double_submit_creates_one_activity(client, world):
    client.force_login(world.users["agency_staff_a"])
    first = client.post(reverse("activity_create"), form_data(world))
    second = client.post(reverse("activity_create"), form_data(world))
    assert first["Location"] == second["Location"]
    assert Activity.objects.filter(title="Trao quà Tết cho 30 hộ nghèo").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"c-0-value": "-5"}, "Giá trị không được âm."),
        ({"c-0-value": "mười triệu"}, "Nhập một số nguyên"),
        ({"start_date": "2020-01-01"}, "nằm ngoài thời gian phân công"),
        ({"c-1-item": ""}, "Chọn hiện vật."),
        ({"c-1-donor_name": ""}, "Ghi tên doanh nghiệp"),
        ({"c-0-DELETE": "on", "c-1-DELETE": "on"}, "Thêm ít nhất một khoản đóng góp"),
    ],
)
def test_bad_input_is_explained_and_saves_nothing(client, world, overrides, message):
    client.force_login(world.users["agency_staff_a"])
    before = (Activity.objects.count(), Contribution.objects.count())
    response = client.post(reverse("activity_create"), form_data(world, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Activity.objects.count(), Contribution.objects.count()) == before


def test_another_agencys_assignment_cannot_be_posted(client, world):
    client.force_login(world.users["agency_staff_a"])
    response = client.post(
        reverse("activity_create"), form_data(world, assignment=world.assignment_b.pk)
    )
    assert response.status_code == 200
    assert "không thuộc các xã cơ quan bạn được phân công" in response.content.decode()
    assert not Activity.objects.filter(
        assignment=world.assignment_b, title__startswith="Trao"
    ).exists()


def test_the_second_of_two_concurrent_edits_is_refused(client, world):
    activity = world.activity_a
    client.force_login(world.users["agency_staff_a"])
    data = form_data(world, version=str(activity.version), title="Bản sửa thứ nhất")
    assert client.post(reverse("activity_edit", args=[activity.pk]), data).status_code == 302
    stale = form_data(world, version=str(activity.version), title="Bản sửa thứ hai")
    response = client.post(reverse("activity_edit", args=[activity.pk]), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Chưa lưu" in page and "Bản sửa thứ nhất" in page
    activity.refresh_from_db()
    assert activity.title == "Bản sửa thứ nhất"


def test_review_flow_locks_confirmed_records(client, world):
    activity = world.activity_a
    client.force_login(world.users["agency_staff_a"])
    assert client.post(reverse("activity_submit", args=[activity.pk])).status_code == 403
    client.force_login(world.users["agency_leader_a"])
    client.post(reverse("activity_submit", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == "submitted"

    client.force_login(world.users["commune_officer"])
    client.post(reverse("activity_return", args=[activity.pk]), {"reason": "Thiếu biên bản"})
    activity.refresh_from_db()
    assert (activity.status, activity.return_reason) == ("returned", "Thiếu biên bản")

    client.force_login(world.users["agency_leader_a"])
    client.post(reverse("activity_submit", args=[activity.pk]))
    client.force_login(world.users["commune_officer"])
    client.post(reverse("activity_confirm", args=[activity.pk]))
    activity.refresh_from_db()
    assert activity.status == "confirmed"
    assert activity.confirmed_by == world.users["commune_officer"]

    client.force_login(world.users["agency_staff_a"])
    assert client.get(reverse("activity_edit", args=[activity.pk])).status_code == 403

    client.force_login(world.users["secretariat"])
    client.post(reverse("activity_reopen", args=[activity.pk]), {"reason": "Sai số lượng xi măng"})
    activity.refresh_from_db()
    assert activity.status == "returned"
    reopened = activity.history.filter(status="returned").first()
    assert "Sai số lượng" in (reopened.history_change_reason or "")
    assert reopened.history_user == world.users["secretariat"]


def test_a_reason_is_required_to_return(client, world):
    client.force_login(world.users["commune_officer"])
    client.post(reverse("activity_return", args=[world.submitted_activity_a.pk]), {"reason": ""})
    world.submitted_activity_a.refresh_from_db()
    assert world.submitted_activity_a.status == "submitted"


def test_contribution_row_arrives_with_the_next_form_count(client, world):
    client.force_login(world.users["agency_staff_a"])
    response = client.get(
        reverse("contribution_row"), {"c-TOTAL_FORMS": "3"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert 'name="c-3-value"' in page
    assert 'name="c-TOTAL_FORMS" value="4"' in page and "hx-swap-oob" in page


def test_list_filters_and_export_are_scoped(client, world):
    ContributionFactory(activity=world.activity_a, value=7_000_000)
    client.force_login(world.users["agency_staff_a"])
    page = client.get(reverse("activity_list")).content.decode()
    assert world.activity_a.title in page
    assert world.activity_b.title not in page
    filtered = client.get(reverse("activity_list"), {"status": "confirmed"}).content.decode()
    assert world.confirmed_activity_a.title in filtered
    assert world.activity_a.title not in filtered

    response = client.get(reverse("activity_export"), {"status": "draft"})
    workbook = load_workbook(_bytes(response))
    sheet = workbook.active
    titles = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert world.activity_a.title in titles
    assert world.activity_b.title not in titles
    assert world.confirmed_activity_a.title not in titles


def _bytes(response):
    import io

    return io.BytesIO(b"".join(response.streaming_content))


def test_export_keeps_formulas_as_text(client, world):
    ActivityFactory(assignment=world.assignment_a, title='=HYPERLINK("http://x")')
    client.force_login(world.users["agency_staff_a"])
    response = client.get(reverse("activity_export"))
    sheet = load_workbook(_bytes(response)).active
    cells = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    # the title as the user wrote it, a string cell, never a formula
    assert [(c.column, c.value, c.data_type) for c in cells] == [(6, '=HYPERLINK("http://x")', "s")]


def test_export_reads_the_same_everywhere(client, world):
    """Dates as dates, đồng as #,##0, the header frozen and filtered, a total stored with its
    formula so a reader that does not recalculate shows it."""
    ContributionFactory(activity=world.activity_a, value=2_284_822_000)
    client.force_login(world.users["agency_staff_a"])
    data = b"".join(client.get(reverse("activity_export")).streaming_content)
    sheet = stored_values(data)["Hoạt động"]
    assert_table(sheet, 1)
    body = list(sheet.iter_rows(min_row=2, max_row=sheet.max_row - 1))
    listed = Activity.objects.visible_to(world.users["agency_staff_a"])
    assert len(body) == listed.count()
    expected = Contribution.objects.filter(activity__in=listed).aggregate(t=Sum("value"))["t"]
    assert expected >= 2_294_822_000
    totals = sheet[sheet.max_row]
    assert (totals[0].value, totals[9].value, totals[9].number_format) == (
        "Tổng cộng", expected, "#,##0",
    )  # fmt: skip
    assert sheet.auto_filter.ref == f"A1:J{sheet.max_row - 1}"
    for row in body:
        assert_date_cell(row[0], row[0].value.date())
        assert row[9].number_format == "#,##0"
    first = next(row for row in body if row[5].value == world.activity_a.title)
    assert first[0].value.date() == world.activity_a.start_date


@pytest.mark.parametrize("rows", [5, 60])
def test_list_query_count_is_bounded(client, world, django_assert_max_num_queries, rows):
    ActivityFactory.create_batch(rows, assignment=world.assignment_a)
    client.force_login(world.users["agency_staff_a"])
    # session, user, roles, commune filter choices, count, page, categories and commune
    # options of the filter form, may_log check
    with django_assert_max_num_queries(12):
        assert client.get(reverse("activity_list")).status_code == 200


def test_field_visit_counts_days_and_marks_shortfall(client, world):
    client.force_login(world.users["agency_staff_a"])
    today = datetime.date.today()
    response = client.post(
        reverse("field_visit_create"),
        {
            "assignment": world.assignment_a.pk,
            "start_date": today.isoformat(),
            "end_date": (today + datetime.timedelta(days=3)).isoformat(),
            "purpose": "Khảo sát mô hình nuôi lợn",
        },
    )
    assert response.status_code == 302
    assert FieldVisit.objects.get(assignment=world.assignment_a).days_on_site == 4
    page = client.get(reverse("my_communes")).content.decode()
    assert "4/15 ngày" in page
    assert "còn thiếu 11 ngày" in page


def test_field_visit_days_cannot_exceed_the_dates(client, world):
    client.force_login(world.users["agency_staff_a"])
    response = client.post(
        reverse("field_visit_create"),
        {
            "assignment": world.assignment_a.pk,
            "start_date": "2026-03-02",
            "end_date": "2026-03-03",
            "days_on_site": "5",
            "purpose": "Họp dân",
        },
    )
    assert "chỉ có 2 ngày" in response.content.decode()
    assert not FieldVisit.objects.exists()


def test_attachments_are_checked_by_content(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import PNG_PIXEL

    client.force_login(world.users["agency_staff_a"])
    url = reverse("attachment_upload", args=[world.activity_a.pk])
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    client.post(url, {"kind": "photo", "files": [fake]})
    assert world.activity_a.attachments.count() == 1  # only the fixture's
    real = SimpleUploadedFile("bien-ban.png", PNG_PIXEL, content_type="image/png")
    client.post(url, {"kind": "minutes", "files": [real]})
    assert world.activity_a.attachments.count() == 2


def test_a_district_officer_comments_and_the_agency_sees_it(client, world):
    client.force_login(world.users["district_officer"])
    url = reverse("comment_add", args=[world.submitted_activity_a.pk])
    client.post(url, {"text": "Đề nghị bổ sung danh sách hộ nhận quà"})
    client.force_login(world.users["agency_staff_a"])
    page = client.get(reverse("activity_detail", args=[world.submitted_activity_a.pk]))
    assert "Đề nghị bổ sung danh sách hộ nhận quà" in page.content.decode()


def test_attachments_can_be_added_in_the_activity_form(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import PNG_PIXEL

    client.force_login(world.users["agency_staff_a"])
    photo = SimpleUploadedFile("trao-qua.png", PNG_PIXEL, content_type="image/png")
    data = form_data(world, **{"a-files": [photo], "a-kind": "photo"})
    response = client.post(reverse("activity_create"), data)
    assert response.status_code == 302
    activity = Activity.objects.get(title="Trao quà Tết cho 30 hộ nghèo")
    assert [a.original_name for a in activity.attachments.all()] == ["trao-qua.png"]
