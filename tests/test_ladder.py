"""The apps form a ladder (STYLE.md, "Where things live"): each imports only from the rungs
below it, at module level and inside functions alike. This walks every module's imports
with `ast` and lists each one that runs up the ladder.

Self-contained on purpose: CI has only this repository. An app that is not there yet is
skipped; migrations are left out (Django writes their imports).
"""

import ast
from pathlib import Path

LADDER = [
    "core",
    "communes",
    "assignments",
    "contributions",
    "followup",
    "reports",
    "dashboards",
    "operations",
    "demo",
]
RUNG = {app: i for i, app in enumerate(LADDER)}
ROOT = Path(__file__).resolve().parent.parent


def imported_modules(tree: ast.AST):
    """(line, module) of every absolute import anywhere in `tree`, functions included;
    relative imports stay inside their own package."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def upward_imports(root: Path) -> list[str]:
    found = []
    for app in LADDER:
        base = root / app
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            if "migrations" in path.relative_to(base).parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for line, module in imported_modules(tree):
                target = module.split(".")[0]
                if RUNG.get(target, -1) > RUNG[app]:
                    found.append(f"{path.relative_to(root)}:{line}  {app} -> {target}  {module}")
    return found


def test_no_app_imports_from_a_higher_rung():
    found = upward_imports(ROOT)
    assert not found, "imports up the ladder:\n" + "\n".join(found)


def test_the_walk_catches_an_upward_import(tmp_path):
    files = {
        "core/__init__.py": "",
        "core/periods.py": "import datetime\n",
        "communes/models.py": "from core.text import fold\nfrom django.db import models\n",
        "communes/migrations/0002_data.py": "from reports.models import ReportRun\n",
        "assignments/views.py": (
            "from . import services\n"
            "from contributions.models import Activity\n"
            "\n"
            "def detail(request):\n"
            "    import followup.models as followup\n"
            "    from communes.models import Commune\n"
        ),
        "contributions/sub/deep.py": "import reports.pdf, json\n",
        "reports/figures.py": "from followup.plans import plan_rows\n",
    }
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")

    assert upward_imports(tmp_path) == [
        "assignments/views.py:2  assignments -> contributions  contributions.models",
        "assignments/views.py:5  assignments -> followup  followup.models",
        "contributions/sub/deep.py:1  contributions -> reports  reports.pdf",
    ]
