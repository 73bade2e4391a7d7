"""No 500 from input: every page of the permission matrix, asked with odd query values and
odd ids, answers with a page or a 4xx, never a server error.

The rows (URL name, kwargs) come from the permission matrix, so a new URL is walked here as
soon as it has its row there.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_permission_matrix import ROW_IDS, ROWS, _commune_data, cases

ODD_VALUES = [
    "0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "31/02/2026", "\x00", "a\x00b",
    "-1", "99999999999999999999", "1e400", "NaN", "a" * 5000, "Nguye\u0302\u0303n",
]  # fmt: skip
PARAMS = ["start", "end", "period", "q", "page", "year", "date_from", "date_to", "commune",
          "category", "status", "district", "sort", "agency", "kind", "who", "format", "source",
          "is_lasting", "is_notable", "idle", "below"]  # fmt: skip
HUGE_ID = "99999999999999999999"
GET_ROWS = [(i, row) for i, row in enumerate(ROWS) if row[2] == "get"]


def failed(name: str, status: int) -> bool:
    """A 500 or worse, except /healthz's 503: its answer when something it watches is down
    (here, the worker's heartbeat), not an error of the page."""
    return status >= 500 and not (name == "healthz" and status == 503)


@pytest.fixture
def world(world):
    """conftest's world with what the matrix's rows also name (villages, an indicator)."""
    _commune_data(world)
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("row", [i for i, _ in GET_ROWS], ids=[ROW_IDS[i] for i, _ in GET_ROWS])
def test_odd_values_never_give_a_500(world, row):
    name, kwargs, *_ = cases(world)[row]
    url = reverse(name, kwargs=kwargs)
    failures = []
    for persona in ("secretariat", "agency_staff_a", "commune_officer"):
        client = Client(raise_request_exception=False)
        client.force_login(world.users[persona])
        for value in ODD_VALUES:
            response = client.get(url, dict.fromkeys(PARAMS, value))
            if failed(name, response.status_code):
                failures.append(f"{persona} {url} ?…={value[:20]!r}: {response.status_code}")
        if kwargs:  # every number in the path replaced by an id no table holds
            huge = re.sub(r"/\d+/", f"/{HUGE_ID}/", url)
            response = client.get(huge)
            if response.status_code >= 500:
                failures.append(f"{persona} {huge}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_the_error_pages_are_vietnamese(client, world):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(world.users["agency_staff_a"])
    refused = csrf_client.post(reverse("activity_create"), {"title": "x"})
    assert refused.status_code == 403 and "Không gửi được biểu mẫu" in refused.content.decode()
    client.force_login(world.users["agency_staff_a"])
    missing = client.get("/khong-co-trang-nay/")
    assert missing.status_code == 404 and "Không tìm thấy trang" in missing.content.decode()
    from django.template.loader import render_to_string

    assert "Yêu cầu không hợp lệ" in render_to_string("400.html")
    assert "Lỗi hệ thống" in render_to_string("500.html")
