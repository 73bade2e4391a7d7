"""Excel import of activities, contributions and field visits: a template, a parse that
lists every problem, then a commit of all or nothing. Opening an upload safely and reading
cells as people type them is `core.spreadsheets`, shared with the other imports.

    layout.py    the workbook's sheets, columns, limits and example rows
    template.py  the template an agency downloads (drop-downs with unique labels)
    matching.py  communes, villages, fields and items by code, exact name, then accent-blind
    parse.py     every row of «Hoạt động» and «Chuyến công tác» checked; nothing written
    commit.py    everything saved in one transaction, once per file (ImportBatch.sha256)
"""

from .commit import commit
from .layout import (
    COLUMNS,
    EXAMPLE_SHEET,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    SHEET,
    VISIT_COLUMNS,
    VISIT_SHEET,
    ImportRefused,
)
from .parse import ParsedRow, ParsedVisit, ParseResult, Problem, parse
from .template import template_workbook

__all__ = [
    "COLUMNS",
    "EXAMPLE_SHEET",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "SHEET",
    "VISIT_COLUMNS",
    "VISIT_SHEET",
    "ImportRefused",
    "ParseResult",
    "ParsedRow",
    "ParsedVisit",
    "Problem",
    "commit",
    "parse",
    "template_workbook",
]
