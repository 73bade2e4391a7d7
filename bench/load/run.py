"""The load bench (issue 16): real gunicorn on PostgreSQL, locust headless through the agency
staff mix (bench/load/locustfile.py), at 50, 100 and 200 users; prints requests/s, p95, the
errors per level and the knee (the first level whose p95 passes 300 ms), with the machine's
load average. Creates the accounts taithu0… (agency staff spread over the agencies) once and
removes the activities the run saved.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/giupxa_scale100 \\
        uv run --group bench python bench/load/run.py [--users 50 100 200] [--seconds 60]
"""

import argparse
import csv
import datetime
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "LAB_PLAIN_HTTP": "1",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-use", "ALLOWED_HOSTS": "127.0.0.1",
    "CONN_MAX_AGE": "60",
}  # fmt: skip
os.environ.update({k: v for k, v in ENV.items() if k not in os.environ})
PORT = 8100
# 2 cores: 3 processes of 4 threads. Requests wait on PostgreSQL about half the time, so
# threads overlap that wait; more processes than cores only adds switching and memory.
GUNICORN = ["--workers", "3", "--threads", "4", "--worker-class", "gthread"]
TITLE = "Trao quà cho hộ nghèo (thử tải)"


def accounts(count: int) -> None:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from assignments.models import Agency, Assignment, Role, User

    active = Assignment.objects.active_on(datetime.date(2026, 11, 20)).values("agency")
    agencies = list(
        Agency.objects.filter(pk__in=active).exclude(kind=Agency.Kind.WORKING_GROUP).order_by("pk")
    )
    password = make_password("tai-thu-2026")
    for n in range(count):
        defaults = {"password": password, "last_name": "Tải", "first_name": f"Thử {n}"}
        user, created = User.objects.get_or_create(username=f"taithu{n}", defaults=defaults)
        if created:
            agency = agencies[n % len(agencies)]
            Role.objects.create(user=user, kind=Role.Kind.AGENCY_STAFF,
                                province=agency.province, agency=agency)  # fmt: skip


def clean_up() -> int:
    from contributions import rollup
    from contributions.models import Activity, Contribution

    saved = Activity.objects.filter(title=TITLE)
    keys = {(a, d) for a, d in saved.values_list("assignment_id", "start_date")}
    Contribution.objects.filter(activity__in=saved).delete()
    count, _ = saved.delete()
    rollup.refresh(keys)
    return count


def level(users: int, seconds: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        prefix = f"{folder}/run"
        subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench/load/locustfile.py"),
             "--headless", "-H", f"http://127.0.0.1:{PORT}", "-u", str(users),
             "-r", str(max(1, users // 30)), "-t", f"{seconds}s", "--csv", prefix,
             "--only-summary", "--loglevel", "WARNING"],
            env={**os.environ, "LOAD_USERS": str(users)}, check=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        with open(f"{prefix}_stats.csv") as stats:
            rows = {r["Name"]: r for r in csv.DictReader(stats)}
    total = rows["Aggregated"]
    return {
        "users": users, "rps": float(total["Requests/s"]), "p95": float(total["95%"]),
        "p50": float(total["50%"]), "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "pages": {n: float(r["95%"]) for n, r in rows.items() if n != "Aggregated"},
    }  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    accounts(max(args.users))
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
         f"127.0.0.1:{PORT}", *GUNICORN],
        cwd=ROOT, env=os.environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=2)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        print(f"gunicorn {' '.join(GUNICORN)}; CONN_MAX_AGE={os.environ['CONN_MAX_AGE']}")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        knee = None
        for users in args.users:
            result = level(users, args.seconds)
            print(f"{users:4} users: {result['rps']:6.1f} requests/s, p50 {result['p50']:5.0f} ms,"
                  f" p95 {result['p95']:6.0f} ms, {result['requests']} requests,"
                  f" {result['errors']} errors; load {os.getloadavg()[0]:.2f}")  # fmt: skip
            slowest = sorted(result["pages"].items(), key=lambda kv: -kv[1])[:3]
            print("      slowest p95: " + ", ".join(f"{n} {v:.0f} ms" for n, v in slowest))
            if knee is None and result["p95"] > 300:
                knee = result
        if knee:
            print(f"knee: p95 passes 300 ms at {knee['users']} users, {knee['rps']:.1f} requests/s")
        else:
            print(f"knee: not reached; p95 ≤ 300 ms up to {args.users[-1]} users")
    finally:
        server.terminate()
        server.wait(timeout=30)
        print(f"activities saved by the run, removed: {clean_up()}")


if __name__ == "__main__":
    main()
