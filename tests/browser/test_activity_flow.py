"""On a phone: staff log an activity with cash and in kind; the leader submits it; the commune
officer confirms it; then it is locked for staff."""

import re

import pytest

from contributions.models import Activity
from tests.browser.conftest import log_in, screenshot
from tests.factories import ItemFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_log_submit_confirm_lock(browser, phone_page, live_server, world):
    from django.contrib.auth import get_user_model

    ItemFactory(name="Xi măng", unit="tấn", reference_unit_value=1_600_000)
    page = phone_page
    staff = world.users["agency_staff_a"]
    log_in(page, live_server, staff.username)

    page.goto(f"{live_server.url}/activities/new/")
    page.select_option("#id_assignment", str(world.assignment_a.pk))
    page.fill("#id_start_date", "2026-03-20")
    page.select_option("#id_category", str(world.activity_a.category_id))
    page.fill("#id_title", "Trao quà và xi măng cho bản Mới")
    page.fill("#id_beneficiaries_count", "25")
    page.fill("#id_c-0-value", "15.000.000")
    page.click("text=+ Thêm khoản đóng góp")
    page.wait_for_selector("#id_c-1-kind")
    page.select_option("#id_c-1-kind", "in_kind")
    page.select_option("#id_c-1-item", label="Xi măng (tấn)")
    page.fill("#id_c-1-quantity", "2,5")
    # the catalogue's unit value is proposed: 2,5 × 1.600.000
    assert page.input_value("#id_c-1-value") == "4.000.000"
    page.select_option("#id_c-1-source", "mobilised")
    page.fill("#id_c-1-donor_name", "Công ty Xi măng Điện Biên")
    assert page.inner_text("[data-total]") == "19.000.000"
    assert page.inner_text("[data-cash]") == "15.000.000"
    screenshot(page, "activity-form-phone")
    page.click("[data-save]")
    page.wait_for_url(re.compile(r"/activities/\d+/$"))
    activity = Activity.objects.get(title="Trao quà và xi măng cho bản Mới")
    assert activity.contributions.count() == 2
    assert "Gửi xã xác nhận" not in page.content()  # staff cannot submit
    edit_link = page.locator(f'a[href="/activities/{activity.pk}/edit/"]')
    assert edit_link.count() == 1  # staff may still edit their draft

    page.context.clear_cookies()
    log_in(page, live_server, world.users["agency_leader_a"].username)
    page.goto(f"{live_server.url}/activities/{activity.pk}/")
    page.click("text=Gửi xã xác nhận")
    page.wait_for_selector("text=Đã gửi hoạt động cho xã xác nhận")

    page.context.clear_cookies()
    log_in(page, live_server, world.users["commune_officer"].username)
    page.goto(f"{live_server.url}/activities/{activity.pk}/")
    page.click("text=Xác nhận đã nhận")
    page.wait_for_selector("text=hồ sơ đã khóa")
    screenshot(page, "activity-confirmed-phone")
    activity.refresh_from_db()
    assert activity.status == "confirmed"

    page.context.clear_cookies()
    log_in(page, live_server, staff.username)
    page.goto(f"{live_server.url}/activities/{activity.pk}/")
    assert edit_link.count() == 0  # the confirmed record is locked: no edit link
    response = page.goto(f"{live_server.url}/activities/{activity.pk}/edit/")
    assert response.status == 403
    assert get_user_model().objects.filter(pk=staff.pk).exists()
