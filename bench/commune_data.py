"""The commune's own data at national volume (issue 15, item 6): the secretariat's list,
a commune's villages and indicators, a village's merge page, the indicator import and its
template; median of 5 requests after a warm-up, production settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/giupxa_scale100 \\
        uv run python bench/commune_data.py
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
from communes.models import Commune, Village  # noqa: E402


def main():
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    commune = Commune.objects.current().get(short_name="Sính Phình")
    village = Village.objects.filter(commune=commune).first()
    pages = [
        ("thuongtruc", "/communes/data/"),
        ("xa.sinhphinh", f"/communes/{commune.pk}/villages/"),
        ("xa.sinhphinh", f"/communes/{commune.pk}/indicators/"),
        ("xa.sinhphinh", f"/villages/{village.pk}/merge/"),
        ("thuongtruc", "/province/indicators/import/"),
        ("thuongtruc", "/province/indicators/import/template/?year=2025"),
    ]
    for username, url in pages:
        client = logged_in_client(User.objects.get(username=username))
        times = []
        for _ in range(6):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, HTTP_HOST="127.0.0.1", secure=True)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        median, count = statistics.median(times[1:]), len(queries.captured_queries)
        print(f"{url:48} median {median:5.0f} ms   {count} queries")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
