"""A decision's annex (the table of agency ↔ commune) from an Excel sheet or a table pasted
from Word: a template, a read that lists every problem by row and column, then one
transaction that adds every row or none.

Each row is an assignment: the agency (or working group) by its short name or exact name,
the commune by its code, its label or its exact name (accent-blind only when that finds a
single commune: "Nậm Chảy" and "Nậm Chày" are two communes), the village for a working
group, the role (Chủ trì / Phối hợp, «Chủ trì» when blank) and a paired company. Matching is
core.matching's, the same as every other import.
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from communes.labels import commune_label
from communes.models import Village
from core import spreadsheets as sheets
from core import workbook as xl
from core.matching import Register
from core.spreadsheets import Column, ImportRefused, SheetRow, header_key
from core.text import clean

from .forms import decision_communes
from .models import Agency, Assignment, Decision
from .services import fit_to_decision

SHEET = "Phụ lục"
LISTS_SHEET = "Danh mục"
MAX_ROWS = 3_000
COLUMNS = {
    "agency": Column("Cơ quan, đơn vị giúp đỡ", 40),
    "commune": Column("Xã được giúp", 34),
    "village": Column("Thôn, tổ dân phố (nếu có)", 26),
    "role": Column("Vai trò (Chủ trì, Phối hợp)", 16),
    "company": Column("Doanh nghiệp phối hợp (nếu có)", 34),
}
OPTIONAL = {"village", "role", "company"}
# A pasted table without a header row: its columns in this order (a first column of row
# numbers, "STT", is skipped).
PASTED_ORDER = ["agency", "commune", "role", "company"]
ROLE_WORDS = {
    Assignment.Role.LEAD: ["Chủ trì", "Chính", "Giúp đỡ", "Phụ trách"],
    Assignment.Role.SUPPORT: ["Phối hợp", "Cùng giúp", "Hỗ trợ"],
}


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Row:
    number: int
    agency: Agency
    commune: object
    village: Village | None
    role: str
    company: Agency | None


@dataclass
class Reading:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def pasted_rows(text: str) -> list[SheetRow]:
    """A table copied from Word or Excel arrives as lines of tab-separated cells. A first
    line naming the columns maps them as in the template; otherwise the order is
    agency, commune, role, company (a leading number column skipped)."""
    # `clean` folds whitespace, tabs and line ends included: split first, clean each cell.
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if not lines:
        return []
    cells = [[clean(cell) for cell in line.split("\t")] for line in lines]
    wanted = {header_key(column.title): key for key, column in COLUMNS.items()}
    wanted |= {header_key(w): k for k, w in [("agency", "Cơ quan"), ("agency", "Đơn vị"),
               ("agency", "Cơ quan, đơn vị"), ("commune", "Xã"), ("commune", "Tên xã"),
               ("village", "Thôn"), ("role", "Vai trò"), ("company", "Doanh nghiệp")]}  # fmt: skip
    header = {i: wanted[header_key(c)] for i, c in enumerate(cells[0]) if header_key(c) in wanted}
    if "agency" in header.values() and "commune" in header.values():
        positions, body, first = header, cells[1:], 2
    else:
        skip = 1 if cells[0] and cells[0][0].rstrip(".").isdigit() else 0
        positions = {i + skip: key for i, key in enumerate(PASTED_ORDER)}
        body, first = cells, 1
    rows = []
    for number, line in enumerate(body, start=first):
        values = {key: line[i] for i, key in positions.items() if i < len(line) and line[i]}
        if values:
            rows.append(SheetRow(number, values))
    return rows


def _registers(decision: Decision):
    agencies = list(Agency.objects.filter(province=decision.province, is_active=True))
    communes = list(decision_communes(decision).select_related("district"))
    return {
        "agency": Register(
            agencies, names=lambda a: [a.name],
            codes=lambda a: [a.short_name] if a.short_name else [],
            labels=lambda a: [a.choice_label],
        ),
        "company": Register(
            [a for a in agencies if a.kind == Agency.Kind.COMPANY], names=lambda a: [a.name],
            codes=lambda a: [a.short_name] if a.short_name else [],
            labels=lambda a: [a.choice_label],
        ),
        "commune": Register(
            communes, names=lambda c: [c.name, c.short_name], codes=lambda c: [c.code],
            labels=lambda c: [commune_label(c)],
        ),
        "role": Register(
            list(Assignment.Role), names=lambda r: [Assignment.Role(r).label, *ROLE_WORDS[r]],
            codes=lambda r: [r.value],
        ),
    }  # fmt: skip


def read(decision: Decision, *, data: bytes | None = None, pasted: str = "") -> Reading:
    """Every row read and checked against the decision; nothing written."""
    if data:
        workbook = sheets.open_workbook(data, sheets.SMALL)
        sheet = sheets.find_sheet(workbook, SHEET) or workbook.worksheets[0]
        rows = sheets.read_sheet(sheet, COLUMNS, OPTIONAL)
    else:
        rows = pasted_rows(pasted)
    if len(rows) > MAX_ROWS:
        raise ImportRefused(f"Phụ lục có hơn {MAX_ROWS:,} dòng.".replace(",", "."))
    registers = _registers(decision)
    villages: dict[int, Register] = {}
    existing = {
        (a.agency_id, a.commune_id, a.village_id)
        for a in decision.assignments.only("agency_id", "commune_id", "village_id")
    }
    seen: dict[tuple, int] = {}
    reading = Reading()
    for row in rows:
        problems: list[Problem] = []

        def problem(key, message, row=row, problems=problems):
            problems.append(Problem(row.number, COLUMNS[key].title, message))

        found = {}
        for key, what in [("agency", "cơ quan"), ("commune", "xã"), ("role", "vai trò"),
                          ("company", "doanh nghiệp")]:  # fmt: skip
            value = sheets.text(row.values.get(key))
            if not value:
                if key in ("agency", "commune"):
                    problem(key, f"Thiếu {what}.")
                continue
            match = registers[key].find(value, what=what, label=_label)
            if match.problem:
                if key == "commune":
                    match.problem = (
                        match.problem.rstrip(".")
                        + f" (tìm trong các xã của {_issuing(decision)} tại ngày ký)."
                    )
                problem(key, match.problem)
            else:
                found[key] = match.entry
        village = None
        village_text = sheets.text(row.values.get("village"))
        commune = found.get("commune")
        if village_text and commune is not None:
            if commune.pk not in villages:
                villages[commune.pk] = Register(
                    Village.objects.filter(commune=commune, closed_on__isnull=True),
                    names=lambda v: [v.name, str(v)],
                )
            match = villages[commune.pk].find(village_text, what=f"thôn của {commune.name}")
            if match.problem:
                problem("village", match.problem)
            else:
                village = match.entry
        elif decision.level == Decision.Level.COMMUNE and not village_text:
            problem("village", "Quyết định cấp xã: ghi thôn, tổ dân phố được giúp.")
        agency, company = found.get("agency"), found.get("company")
        if agency and company and agency == company:
            problem("company", "Doanh nghiệp phối hợp phải khác cơ quan được phân công.")
        if agency and commune:
            key = (agency.pk, commune.pk, village.pk if village else None)
            if key in existing:
                problem("agency", f"Quyết định đã có phân công {agency} giúp {commune.name}.")
            elif key in seen:
                problem("agency", f"Trùng với dòng {seen[key]}.")
            seen.setdefault(key, row.number)
        if problems:
            reading.problems.extend(problems)
        else:
            reading.rows.append(
                Row(row.number, agency, commune, village,
                    found.get("role", Assignment.Role.LEAD), company)
            )  # fmt: skip
    if not rows:
        reading.problems.append(Problem(1, COLUMNS["agency"].title, "Phụ lục không có dòng nào."))
    return reading


def _label(entry) -> str:
    return commune_label(entry) if hasattr(entry, "code") else str(entry)


def _issuing(decision) -> str:
    return (decision.issuing_province or decision.province).name


@transaction.atomic
def add_all(reading: Reading, *, decision: Decision, user) -> int:
    """Every row's assignment, in one transaction, only when no row had a problem."""
    if reading.problems:
        raise ImportRefused("Phụ lục còn lỗi: chưa thêm phân công nào.")
    created = []
    for row in reading.rows:
        assignment = Assignment(
            decision=decision, agency=row.agency, commune=row.commune, village=row.village,
            role=row.role, paired_company=row.company, valid_from=decision.phase_start,
            valid_to=decision.phase_end,
        )  # fmt: skip
        try:
            fit_to_decision(assignment)
        except ValidationError as error:
            raise ImportRefused(f"Dòng {row.number}: {' '.join(error.messages)}") from error
        created.append(assignment)
    bulk_create_with_history(
        created, Assignment, default_user=user, default_change_reason="Nhập phụ lục"
    )
    return len(created)


def template(decision: Decision) -> bytes:
    """The annex to fill: its columns and a sheet of agencies and communes to choose from."""
    buffer = io.BytesIO()
    book = xl.new_workbook(buffer)
    styles = xl.Styles(book)
    sheet = book.add_worksheet(SHEET)
    xl.table_header(sheet, 0, [(c.title, c.width) for c in COLUMNS.values()], styles)
    lists = book.add_worksheet(LISTS_SHEET)
    agencies = [a.choice_label for a in Agency.objects.filter(province=decision.province,
                                                              is_active=True)]  # fmt: skip
    communes = [commune_label(c) for c in decision_communes(decision).select_related("district")]
    roles = [label for _, label in Assignment.Role.choices]
    for column, (title, values) in enumerate(
        [("Cơ quan, đơn vị", agencies), ("Xã", communes), ("Vai trò", roles)]
    ):
        lists.set_column(column, column, 44)
        xl.write_text(lists, 0, column, title, styles.header)
        for row, value in enumerate(values, start=1):
            xl.write_text(lists, row, column, value, styles.text)
        target = list(COLUMNS).index(["agency", "commune", "role"][column])
        if values:
            letter = "ABC"[column]
            sheet.data_validation(1, target, MAX_ROWS, target, {
                "validate": "list",
                "source": f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
                "error_type": "warning", "error_message": "Chọn trong danh mục.",
            })  # fmt: skip
    book.close()
    return buffer.getvalue()
