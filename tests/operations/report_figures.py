"""What must survive a backup: the report's figures for a province and a year, computed the
way the report computes them (`reports.builder.compute_for`), and the rows of every table.

Printed as JSON by the restored side: `python manage.py shell -c "from
tests.operations.report_figures import show; show(<province id>)"`.
"""

import datetime
import json

from django.apps import apps

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def report_figures(province_pk: int) -> dict:
    from communes.models import Province
    from reports import builder
    from reports.models import ReportRun

    run = ReportRun(
        province=Province.objects.get(pk=province_pk), period_start=START, period_end=END
    )
    _, figures = builder.compute_for(run, today=END)
    rows = {model._meta.label: model._default_manager.count() for model in apps.get_models()}
    # Through JSON, as the other side reads it.
    return json.loads(json.dumps({"figures": figures.as_json(), "rows": rows}))


def show(province_pk: int) -> None:
    print(json.dumps(report_figures(province_pk), ensure_ascii=False, sort_keys=True))
