"""A commune officer raises a need; the agency answers it, links a wrong activity and removes
it, links the right one; the value counts once the commune confirmed the activity, and the
need is met only when the commune says so."""

import pytest
from django.utils import timezone

from followup.models import CommuneNeed
from tests.browser.conftest import log_in, screenshot
from tests.factories import ActivityFactory, ContributionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_need_raised_answered_linked_confirmed_and_met(
    browser, page, phone_page, live_server, world
):
    officer, staff = world.users["commune_officer"], world.users["agency_staff_a"]
    today = timezone.localdate()
    bridge = ActivityFactory(
        assignment=world.assignment_a, status="submitted", start_date=today,
        title="Sửa cầu treo bản Mới: thay cáp và mặt cầu",
    )  # fmt: skip
    ContributionFactory(activity=bridge, value=120_000_000)
    gifts = ActivityFactory(
        assignment=world.assignment_a, status="confirmed", start_date=today,
        title="Tặng quà hộ nghèo bản Mới",
    )  # fmt: skip

    # The commune officer, on a phone, raises the need.
    log_in(phone_page, live_server, officer.username)
    phone_page.goto(f"{live_server.url}/needs/")
    phone_page.click("text=Nêu nhu cầu")
    phone_page.fill("#id_title", "Sửa cầu treo bản Mới")
    phone_page.fill("#id_reason", "Cầu hỏng, học sinh phải lội suối đến trường.")
    phone_page.fill("#id_estimated_cost", "100.000.000")
    phone_page.select_option("#id_priority", "high")
    phone_page.click("button[type=submit]:has-text('Gửi nhu cầu')")
    phone_page.wait_for_selector("[data-state=open]")
    need = CommuneNeed.objects.get(title="Sửa cầu treo bản Mới")
    assert need.estimated_cost == 100_000_000 and need.raised_by == officer
    screenshot(phone_page, "need-raised-phone")

    # The agency answers, links the wrong activity, removes it after confirming, links the
    # right one: awaiting the commune's confirmation, it is shown beside the figure.
    log_in(page, live_server, staff.username)
    page.goto(f"{live_server.url}/needs/")
    page.click("text=Sửa cầu treo bản Mới")
    page.click("summary:has-text('Trả lời xã')")
    page.check("input[name=kind][value=accept]")
    page.click("button:has-text('Gửi trả lời')")
    page.wait_for_selector("text=Đã gửi trả lời cho xã.")
    page.select_option("#id_activity", str(gifts.pk))
    page.click("button:has-text('Gắn hoạt động')")
    page.wait_for_selector(f"[data-activity='{gifts.pk}'][data-counted=yes]")
    assert page.get_attribute("[data-state]", "data-state") == "partly"
    page.click(f"[data-activity='{gifts.pk}'] summary:has-text('Bỏ liên kết')")
    page.click(f"[data-activity='{gifts.pk}'] button:has-text('Xác nhận bỏ liên kết')")
    page.wait_for_selector("text=Đã bỏ liên kết hoạt động")
    assert not need.activities.filter(pk=gifts.pk).exists()
    page.select_option("#id_activity", str(bridge.pk))
    page.click("button:has-text('Gắn hoạt động')")
    page.wait_for_selector(f"[data-activity='{bridge.pk}'][data-counted=no]")
    assert page.get_attribute("[data-state]", "data-state") == "open"
    assert page.inner_text("[data-figure=delivered]") == "0,00 triệu đồng"
    assert "chờ xác nhận: 1 hoạt động, 120,00 triệu đồng" in page.inner_text("main")
    screenshot(page, "need-waiting-desktop")

    # The commune confirms the activity: it counts, beyond the estimate, yet not "met".
    phone_page.goto(f"{live_server.url}/activities/{bridge.pk}/")
    phone_page.click("button:has-text('Xác nhận đã nhận')")
    phone_page.goto(f"{live_server.url}/needs/{need.pk}/")
    phone_page.wait_for_selector("[data-state=partly]")
    text = phone_page.inner_text("main")
    assert "120,0% kinh phí ước tính, vượt dự kiến" in text and "chờ xác nhận:" not in text
    assert "Đã đáp ứng" not in text

    # Only the commune's word makes it met.
    phone_page.click("button:has-text('Xác nhận nhu cầu đã được đáp ứng')")
    phone_page.wait_for_selector("[data-state=met]")
    text = phone_page.inner_text("main")
    assert "Đã đáp ứng" in text and world.agency_a.name in text and "Nhận giúp" in text
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone_page, "need-met-phone")
