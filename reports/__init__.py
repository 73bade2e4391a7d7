"""The sơ kết report: report runs built by Celery jobs, their figures, PDF and workbook.

- `figures/`: the figures of a scope and period (`compute`, `totals`), from the rollups;
- `pdf` (WeasyPrint, Nghị định 30/2020 layout), `xlsx` (the annex workbook), `charts` (SVG
  drawn on the server, also used by the dashboards);
- `services` (create, rebuild, issue), `tasks` (thin Celery tasks), `periodic` (the beat
  jobs), `builder` and `manage.py build_report`.
Stands on `followup`, `contributions`, `assignments`, `communes` and `core`."""
