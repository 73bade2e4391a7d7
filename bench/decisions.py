"""Decisions, annexes and agencies at national volume (issue 15): the secretariat's pages
(server time and queries, 10 requests each after one warm-up), then, inside a transaction
rolled back at the end, the writes a province makes: an annex of every agency × commune
pair pasted and added, a draft replacing the decision in force adopted (its assignments
ended), and the two busiest agencies merged into a third.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/giupxa_scale100 uv run python bench/decisions.py
"""

import datetime
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

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from assignments import annex_import, services  # noqa: E402
from assignments.models import Agency, Assignment, Decision, User  # noqa: E402
from bench._django import logged_in_client  # noqa: E402
from contributions import agency_merge  # noqa: E402
from contributions.models import Activity  # noqa: E402


def timed(label, function):
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = function()
    print(f"{label:58} {time.perf_counter() - started:6.2f} s   {len(queries)} queries")
    return result


def pages(secretary, decision):
    assignment = decision.assignments.order_by("pk").first()
    agency = Agency.objects.filter(province=decision.province).order_by("name").first()
    urls = [
        "/decisions/",
        f"/decisions/{decision.pk}/",
        f"/decisions/{decision.pk}/edit/",
        f"/decisions/{decision.pk}/assignments/new/",
        f"/decisions/{decision.pk}/assignments/{assignment.pk}/",
        "/province/agencies/",
        f"/province/agencies/{agency.pk}/",
        f"/province/agencies/{agency.pk}/merge/",
    ]
    client = logged_in_client(secretary)
    for url in urls:
        times = []
        for _ in range(11):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, HTTP_HOST="127.0.0.1", secure=True)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times = sorted(times[1:])
        print(f"{url:44} median {statistics.median(times):5.0f} ms   max {times[-1]:5.0f} ms"
              f"   {len(queries.captured_queries)} queries")  # fmt: skip


def writes(secretary, decision):
    province = decision.province
    agencies = list(Agency.objects.filter(province=province, is_active=True).order_by("name"))
    communes = list(province.communes.filter(valid_to__isnull=True).order_by("code")) or list(
        decision.assignments.values_list("commune__code", flat=True)
    )
    draft = Decision.objects.create(
        province=province, issuing_province=province, number="BENCH/QĐ-UBND",
        signed_on=datetime.date(2026, 11, 30), title="Thử", status=Decision.Status.DRAFT,
        phase_start=datetime.date(2027, 1, 1), phase_end=datetime.date(2030, 12, 31),
        replaces=decision,
    )  # fmt: skip
    pairs = [(a, c) for a in agencies for c in communes][: annex_import.MAX_ROWS]
    table = "Cơ quan\tXã\tVai trò\n" + "".join(f"{a.name}\t{c.code}\tChủ trì\n" for a, c in pairs)
    reading = timed(
        f"annex pasted: {len(pairs)} rows read and checked",
        lambda: annex_import.read(draft, pasted=table),
    )
    assert not reading.problems, reading.problems[:3]
    timed(
        f"annex added: {len(reading.rows)} assignments (with history)",
        lambda: annex_import.add_all(reading, decision=draft, user=secretary),
    )
    running = decision.assignments.filter(valid_to__gte=datetime.date(2026, 12, 31)).count()
    timed(
        f"draft adopted: {running} assignments of the old decision ended",
        lambda: services.decision_confirm(decision=draft),
    )
    busiest = list(
        Agency.objects.filter(province=province)
        .annotate(n=Count("assignments__activities"))
        .order_by("-n")[:3]
    )
    target, *sources = busiest
    moved = Activity.objects.filter(assignment__agency__in=sources).count()
    plan = timed(
        f"merge planned: 2 agencies, {moved} activities",
        lambda: agency_merge.plan(target=target, sources=sources),
    )
    print(f"    {plan.joined} assignments join the target's; problems: {len(plan.problems)}")
    if not plan.problems:
        timed(
            "merge done (assignments, records, people, rollups)",
            lambda: agency_merge.merge(target=target, sources=sources, reason="bench"),
        )
        assert not Assignment.objects.filter(agency__in=sources).exists()


def main():
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    secretary = User.objects.get(username="thuongtruc")
    decision = (
        Decision.objects.filter(status=Decision.Status.IN_FORCE)
        .annotate(n=Count("assignments"))
        .order_by("-n")
        .first()
    )
    print(f"decision {decision.number}: {decision.assignments.count()} assignments, "
          f"{Activity.objects.count():,} activities in the database")  # fmt: skip
    pages(secretary, decision)
    with transaction.atomic():
        writes(secretary, decision)
        transaction.set_rollback(True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
