"""The activity list for every persona (issue 16: ≤ 100 ms at national volume): server time
and queries of the first page, page 50 and a status filter, 7 requests each after one
warm-up, production settings, on a seeded database (`seed_demo --scale 100`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/giupxa_scale100 \\
        uv run python bench/activity_list.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assignments.models import User  # noqa: E402
from bench._django import logged_in_client  # noqa: E402
from contributions.models import Activity  # noqa: E402

PERSONAS = ["thuongtruc", "lanhdao", "bdv.canbo", "xa.sinhphinh", "huyen.tuachua"]
URLS = ["/activities/", "/activities/?page=50", "/activities/?status=submitted"]


def main():
    print(f"{Activity.objects.count():,} activities".replace(",", "."))
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for username in PERSONAS:
        client = logged_in_client(User.objects.get(username=username))
        for url in URLS:
            times = []
            for _ in range(8):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, HTTP_HOST="127.0.0.1", secure=True)
                    times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (username, url, response.status_code)
            times = sorted(times[1:])
            median, count = statistics.median(times), len(queries.captured_queries)
            print(f"{username:14} {url:32} median {median:5.0f} ms"
                  f"   max {times[-1]:5.0f} ms   {count} queries")  # fmt: skip
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
