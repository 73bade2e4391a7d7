"""A district officer opens a commune from the review table and from the map."""

import pytest

from tests.browser.conftest import PHONE, log_in, screenshot
from tests.factories import ContributionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_district_officer_reaches_the_commune_from_table_and_map(page, live_server, world):
    ContributionFactory(activity=world.activity_a, value=50_000_000)
    world.commune.latitude, world.commune.longitude = 21.7, 103.0
    world.commune.save()
    log_in(page, live_server, world.users["district_officer"].username)
    year = "?period=custom&start=2026-01-01&end=2026-12-31"

    page.goto(f"{live_server.url}/review/{year}")
    screenshot(page, "review-desktop")
    page.click(f"table >> text={world.commune.name}")
    page.wait_for_selector("h1")
    assert world.commune.name in page.locator("h1").inner_text()
    assert page.locator(".chart svg").count() >= 1
    screenshot(page, "commune-desktop")

    page.goto(f"{live_server.url}/overview/{year}")
    page.locator("[data-map] a").first.click()
    page.wait_for_url(f"**/communes/{world.commune.pk}/")
    assert world.commune.name in page.locator("h1").inner_text()

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/overview/{year}")
    screenshot(page, "overview-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, "no sideways scrolling on a phone"
