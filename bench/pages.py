"""Server time and queries of the pages issues 13 and 14 touched outside the dashboards:
needs, the review search by a former commune's name, the report form, the people search,
the activity form, the import page, the follow-up list (names masked, the view logged), the
secretariat's household search, a household's page and the personal-data log. 10 requests
each after one warm-up, production settings, on a seeded database (`seed_demo --scale 100`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/giupxa_scale100 uv run python bench/pages.py
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
from followup.models import CommuneNeed, HouseholdSupport  # noqa: E402


def main():
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    officer = User.objects.get(username="xa.sinhphinh")
    need = CommuneNeed.objects.visible_to(officer).order_by("pk").first()
    household = HouseholdSupport.objects.order_by("pk").first()
    pages = [
        ("xa.sinhphinh", "/needs/"),
        ("xa.sinhphinh", f"/needs/{need.pk}/"),
        ("thuongtruc", "/review/?q=trung+thu"),
        ("thuongtruc", "/reports/new/"),
        ("thuongtruc", "/users/?q=can"),
        ("bdv.canbo", "/activities/new/"),
        ("bdv.canbo", "/import/"),
        ("bdv.canbo", "/follow-ups/"),
        ("lanhdao", "/follow-ups/"),
        ("thuongtruc", "/follow-ups/?page=200"),
        ("thuongtruc", "/personal-data/?q=V%C4%83n"),
        ("thuongtruc", f"/personal-data/households/{household.pk}/"),
        ("thuongtruc", "/personal-data/log/"),
    ]
    for username, url in pages:
        client = logged_in_client(User.objects.get(username=username))
        times = []
        for _ in range(11):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, HTTP_HOST="127.0.0.1", secure=True)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times = sorted(times[1:])  # the first request compiles the templates
        print(f"{url:28} median {statistics.median(times):5.0f} ms   max {times[-1]:5.0f} ms"
              f"   {len(queries.captured_queries)} queries")  # fmt: skip
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
