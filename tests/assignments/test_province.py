"""What the secretariat records about its province in the app."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_secretariat_records_when_the_province_began(client, world):
    """Issue 15, item 7: the go-live date in the app (periods ending before it are «nhập
    bù»: not judged late nor short of days; tests/reports cover that rule)."""
    client.force_login(world.users["secretariat"])
    page = client.post(reverse("province_settings"), {"giupxa_since": "2025-01-01"}, follow=True)
    assert "dùng Giúp xã từ ngày 01/01/2025" in page.content.decode()
    world.province.refresh_from_db()
    assert str(world.province.giupxa_since) == "2025-01-01"
    refused = client.post(reverse("province_settings"), {"giupxa_since": "1900-01-01"})
    assert "01/01/2015" in refused.content.decode()
    world.province.refresh_from_db()
    assert str(world.province.giupxa_since) == "2025-01-01"
    client.force_login(world.users["leadership"])
    assert client.post(reverse("province_settings"), {"giupxa_since": ""}).status_code == 403
