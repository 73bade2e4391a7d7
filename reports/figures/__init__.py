"""The report's figures: SQL aggregates over the assignments of a scope and a period.

- `data`: `ReportFigures` and `Totals`, plain dataclasses (no query happens after them);
- `scope`: which assignments a page or report covers (`scope_assignments`, `scope_of`) and
  the one way to total them (`totals`), shared by the dashboards and the report;
- `sections`: `compute`, every section of the report, and the workbook's activity rows;
- `followthrough`: needs, annual plans against results, household follow-ups.
"""

from .data import ReportFigures, Totals
from .scope import Scope, scope_assignments, scope_of, totals
from .sections import ON_TIME_DAYS, activity_rows, compute

__all__ = [
    "ON_TIME_DAYS",
    "ReportFigures",
    "Scope",
    "Totals",
    "activity_rows",
    "compute",
    "scope_assignments",
    "scope_of",
    "totals",
]
