"""No 500 from input: every page of the permission matrix, asked with odd query values and
odd ids, answers with a page or a 4xx, never a server error.

The rows (URL name, kwargs) come from the permission matrix, so a new URL is walked here as
soon as it has its row there.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_permission_matrix import ROW_IDS, ROWS, cases

ODD_VALUES = [
    "0000-01-01", "0001-01-01", "9999-12-31", "10000-01-01", "31/02/2026", "\x00", "a\x00b",
    "-1", "99999999999999999999", "1e400", "NaN", "a" * 5000, "Nguye\u0302\u0303n",
]  # fmt: skip
PARAMS = ["start", "end", "period", "q", "page", "year", "date_from", "date_to", "commune",
          "category", "status", "district", "sort", "agency", "kind", "who", "format", "source",
          "is_lasting", "is_notable", "idle", "below"]  # fmt: skip
HUGE_ID = "99999999999999999999"
GET_ROWS = [(i, row) for i, row in enumerate(ROWS) if row[2] == "get"]


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
            if response.status_code >= 500:
                failures.append(f"{persona} {url} ?…={value[:20]!r}: {response.status_code}")
        if kwargs:  # every number in the path replaced by an id no table holds
            huge = re.sub(r"/\d+/", f"/{HUGE_ID}/", url)
            response = client.get(huge)
            if response.status_code >= 500:
                failures.append(f"{persona} {huge}: {response.status_code}")
    assert not failures, "\n".join(failures)
