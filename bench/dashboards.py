"""Server time of each dashboard: median and p95 over N requests (Django's test client, no
network), on a seeded database named by DATABASE_URL.

Target (issue 7): p95 ≤ 150 ms for every page at ≥ 1,000,000 contributions
(`seed_demo --scale 100`). Runs with production settings (DEBUG off: no query log, cached
templates) over HTTPS, as a real server would.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/giupxa_scale100 \\
        uv run python bench/dashboards.py --requests 50
"""

import argparse
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

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from assignments.models import Agency, User  # noqa: E402
from communes.models import Commune  # noqa: E402
from contributions.models import Contribution  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest, as deployed
    clients = {}
    for username in ("lanhdao", "bdv.canbo"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    commune = Commune.objects.current().get(short_name="Sính Phình")
    agency = Agency.objects.get(name="Ban Dân vận Tỉnh ủy")
    print(f"contributions: {Contribution.objects.count():,}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    pages = {
        "province overview": ("lanhdao", "/overview/?period=this_year"),
        "review table": ("lanhdao", "/review/?period=this_year"),
        "commune page": ("lanhdao", f"/communes/{commune.pk}/?period=this_year"),
        "agency page": ("lanhdao", f"/agencies/{agency.pk}/?period=this_year"),
        "home": ("lanhdao", "/"),
        "my communes (staff)": ("bdv.canbo", "/my-communes/"),
        "home (staff)": ("bdv.canbo", "/"),
    }
    for name, (username, url) in pages.items():
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = clients[username].get(url, HTTP_HOST="127.0.0.1", secure=True)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"{name:20} median {statistics.median(times):7.0f} ms   p95 {p95:7.0f} ms"
              f"   (target p95 ≤ 150 ms)")  # fmt: skip
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
