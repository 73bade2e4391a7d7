"""A commune officer raises a need; the agency answers it and links an activity; the need
shows as met, to both of them."""

import pytest

from followup.models import CommuneNeed
from tests.browser.conftest import log_in, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_need_raised_answered_linked_and_met(browser, page, phone_page, live_server, world):
    officer, staff = world.users["commune_officer"], world.users["agency_staff_a"]
    delivered = sum(c.value for c in world.activity_a.contributions.all())

    # The commune officer, on a phone, raises the need.
    log_in(phone_page, live_server, officer.username)
    phone_page.goto(f"{live_server.url}/needs/")
    phone_page.click("text=Nêu nhu cầu")
    phone_page.fill("#id_title", "Sửa cầu treo bản Mới")
    phone_page.fill("#id_reason", "Cầu hỏng, học sinh phải lội suối đến trường.")
    phone_page.fill("#id_estimated_cost", f"{delivered:,}".replace(",", "."))
    phone_page.select_option("#id_priority", "high")
    phone_page.click("button[type=submit]:has-text('Gửi nhu cầu')")
    phone_page.wait_for_selector("[data-state=open]")
    need = CommuneNeed.objects.get(title="Sửa cầu treo bản Mới")
    assert need.estimated_cost == delivered and need.raised_by == officer
    screenshot(phone_page, "need-raised-phone")

    # The agency answers and links the activity that meets it.
    log_in(page, live_server, staff.username)
    page.goto(f"{live_server.url}/needs/")
    page.click("text=Sửa cầu treo bản Mới")
    page.click("summary:has-text('Trả lời xã')")
    page.check("input[name=kind][value=accept]")
    page.click("button:has-text('Gửi trả lời')")
    page.wait_for_selector("text=Đã gửi trả lời cho xã.")
    page.select_option("#id_activity", str(world.activity_a.pk))
    page.click("button:has-text('Gắn hoạt động')")
    page.wait_for_selector("[data-state=met]")
    assert world.activity_a.title in page.inner_text("main")
    screenshot(page, "need-met-desktop")

    # The commune officer sees the answer and the need met.
    phone_page.goto(f"{live_server.url}/needs/{need.pk}/")
    text = phone_page.inner_text("main")
    assert "Đã đáp ứng" in text and world.agency_a.name in text and "Nhận giúp" in text
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
