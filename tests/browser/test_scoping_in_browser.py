"""An agency's staff see only their own agency's communes, and a 404 for another agency's record."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_staff_see_only_their_agency(page, live_server, world):
    staff = world.users["agency_staff_a"]
    log_in(page, live_server, staff.username)

    table = page.locator("section:has(h2:has-text('Xã được giúp đỡ')) table").inner_text()
    assert world.commune.name in table
    assert world.commune_b.name not in table
    assert world.agency_b.name not in page.content()
    screenshot(page, "home-agency-staff")

    response = page.goto(f"{live_server.url}/activities/{world.activity_b.pk}/")
    assert response.status == 404
    assert "Không tìm thấy" in page.locator("h1").inner_text()
    assert world.activity_b.title not in page.content()

    response = page.goto(f"{live_server.url}/activities/{world.activity_a.pk}/")
    assert response.status == 200
    assert world.activity_a.title in page.locator("h1").inner_text()
