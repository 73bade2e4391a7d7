"""Build a province-year sơ kết report over a seeded demo and time each phase.

Needs a database seeded with `seed_demo --scale 10` or more (≥ 100,000 contributions in the
province), named by DATABASE_URL. Prints the time of each phase, the floor (the same
aggregates as raw SQL; WeasyPrint rendering the final HTML alone) and the peak memory.
Targets (issue 6): ≤ 10 s in all, ≤ 3× the floor, ≤ 500 MB.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/giupxa_scale10 DEBUG=1 \\
        uv run python bench/report_year.py --year 2025
"""

import argparse
import datetime
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import os  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from communes.models import Province  # noqa: E402
from contributions.models import Contribution  # noqa: E402
from reports import builder, pdf, xlsx  # noqa: E402
from reports import figures as f  # noqa: E402
from reports.models import ReportRun  # noqa: E402

RAW = """
SELECT COUNT(*), SUM(c.value), SUM(CASE WHEN c.kind='cash' THEN c.value ELSE 0 END)
FROM contributions_contribution c JOIN contributions_activity a ON a.id = c.activity_id
JOIN assignments_assignment s ON s.id = a.assignment_id
JOIN assignments_decision d ON d.id = s.decision_id
WHERE d.province_id = %s AND a.start_date BETWEEN %s AND %s;
SELECT i.name, SUM(c.quantity), SUM(c.value) FROM contributions_contribution c
JOIN contributions_activity a ON a.id = c.activity_id JOIN contributions_item i ON i.id = c.item_id
JOIN assignments_assignment s ON s.id = a.assignment_id
JOIN assignments_decision d ON d.id = s.decision_id
WHERE d.province_id = %s AND a.start_date BETWEEN %s AND %s GROUP BY i.name;
SELECT g.name, SUM(c.value) FROM contributions_contribution c
JOIN contributions_activity a ON a.id = c.activity_id
JOIN contributions_category g ON g.id = a.category_id
JOIN assignments_assignment s ON s.id = a.assignment_id
JOIN assignments_decision d ON d.id = s.decision_id
WHERE d.province_id = %s AND a.start_date BETWEEN %s AND %s GROUP BY g.name;
SELECT ag.name, m.name, c.kind, c.item_id, SUM(c.quantity), SUM(c.value)
FROM contributions_contribution c JOIN contributions_activity a ON a.id = c.activity_id
JOIN assignments_assignment s ON s.id = a.assignment_id
JOIN assignments_agency ag ON ag.id = s.agency_id JOIN communes_commune m ON m.id = s.commune_id
JOIN assignments_decision d ON d.id = s.decision_id
WHERE d.province_id = %s AND a.start_date BETWEEN %s AND %s GROUP BY 1, 2, 3, 4
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    start, end = datetime.date(args.year, 1, 1), datetime.date(args.year, 12, 31)
    province = Province.objects.current().get(code="11")
    in_province = Contribution.objects.filter(activity__assignment__decision__province=province)
    print(f"database: {connection.vendor}; contributions in the province: {in_province.count():,}")
    run = ReportRun(province=province, period_start=start, period_end=end, pk=0)

    t0 = time.perf_counter()
    assignments = f.scope_assignments(province=province)
    result = f.compute(assignments, start, end, scope_label=province.name)
    t1 = time.perf_counter()
    document = builder.document_for(run, result)
    context = pdf.context(document)  # draws the charts
    t2 = time.perf_counter()
    html = pdf.render_html(document)
    pdf_bytes = pdf.render_pdf(html)
    t3 = time.perf_counter()
    xlsx_bytes = xlsx.build(result, f.activity_rows(assignments, start, end), title=document.title)
    t4 = time.perf_counter()
    total = t4 - t0

    # The floor: the same aggregates as raw SQL, and WeasyPrint on the final HTML alone.
    f0 = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in RAW.strip().split(";"):
            cursor.execute(statement, [province.pk, start, end])
            cursor.fetchall()
    f1 = time.perf_counter()
    pdf.render_pdf(html)
    f2 = time.perf_counter()
    floor = (f1 - f0) + (f2 - f1) + 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"period: {start} – {end}; activities {result.activities:,}")
    print(f"queries (figures): {t1 - t0:6.2f} s")
    svg = len(context["category_chart"]) // 1024
    print(f"charts:            {t2 - t1:6.2f} s  ({svg} KiB of SVG)")
    print(f"PDF:               {t3 - t2:6.2f} s  ({len(pdf_bytes) // 1024} KiB)")
    print(f"XLSX:              {t4 - t3:6.2f} s  ({len(xlsx_bytes) // 1024} KiB)")
    print(f"total:             {total:6.2f} s   (target ≤ 10 s)")
    print(f"floor: raw SQL {f1 - f0:.2f} s + WeasyPrint alone {f2 - f1:.2f} s = {floor:.2f} s; "
          f"ratio {total / floor:.2f}× (target ≤ 3×)")  # fmt: skip
    print(f"peak memory: {peak:.0f} MiB (target ≤ 500 MB)")


if __name__ == "__main__":
    main()
