"""Reading a filled template: every row of both data sheets checked, every problem listed by
sheet, row and column; nothing is written here.

A row of «Hoạt động» is one contribution; rows with the same commune, village, day, field
and content make one activity. A row of «Chuyến công tác» is one field visit, checked by
the same service that checks the visit form. The «Ví dụ» sheet is never read.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from assignments.models import Assignment
from communes.models import Village
from core import spreadsheets as cells
from core.text import fold

from .. import services
from ..models import Category, Contribution, FieldVisit, ImportBatch, Item
from .layout import (
    ACTIVITY_COLUMNS,
    ACTIVITY_OPTIONAL,
    DATE_COLUMNS,
    EXAMPLE_SHEET,
    EXAMPLES,
    MAX_BENEFICIARIES,
    MAX_VALUE,
    SHEET,
    VISIT_COLUMNS,
    VISIT_OPTIONAL,
    VISIT_SHEET,
    Column,
    ImportRefused,
)
from .matching import Catalogue

KINDS = {fold(label): value for value, label in Contribution.Kind.choices}
SOURCES = {fold(label): value for value, label in Contribution.Source.choices}
YES = {"co", "x", "1", "yes", "lau dai"}
EXAMPLE_KEYS = {(fold(e.title), e.date, e.value) for e in EXAMPLES}
# A service's field names → the visit sheet's columns, for its refusals.
VISIT_FIELDS = {
    "assignment": "commune",
    "start_date": "start",
    "end_date": "end",
    "days_on_site": "days",
    "purpose": "purpose",
}


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class ParsedRow:
    row: int
    assignment: Assignment
    date: datetime.date
    category: Category
    title: str
    kind: str
    item: Item | None
    quantity: Decimal | None
    value: int
    source: str
    donor_name: str
    is_lasting: bool
    beneficiaries: int
    village: Village | None = None


@dataclass
class ParsedVisit:
    row: int
    visit: FieldVisit  # checked by services.field_visit_build, not saved


@dataclass
class ParseResult:
    sha256: str
    file_name: str
    rows: list[ParsedRow] = field(default_factory=list)
    visits: list[ParsedVisit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already_imported: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.already_imported is None

    @property
    def activity_count(self) -> int:
        return len({activity_key(r) for r in self.rows})

    @property
    def total_value(self) -> int:
        return sum(r.value for r in self.rows)

    @property
    def visit_days(self) -> int:
        return sum(v.visit.days_on_site for v in self.visits)

    @property
    def agency(self):
        first = self.rows[0].assignment if self.rows else self.visits[0].visit.assignment
        return first.agency


def activity_key(row: ParsedRow) -> tuple:
    village = row.village.pk if row.village else None
    return (row.assignment.pk, village, row.date, row.category.pk, fold(row.title))


def _silent(percent: int, step: str) -> None:
    pass


def parse(data: bytes, *, user, file_name: str, progress=_silent) -> ParseResult:
    """Read every row of both sheets, collect every problem; nothing is written.
    `progress(percent, step)` is told how far it got (the import job shows it)."""
    result = ParseResult(sha256=hashlib.sha256(data).hexdigest(), file_name=file_name)
    progress(5, "Mở tệp, kiểm tra kích thước các phần")
    workbook = cells.open_workbook(data)
    progress(15, "Đọc các dòng")
    try:
        activity_sheet = cells.find_sheet(workbook, SHEET)
        visit_sheet = cells.find_sheet(workbook, VISIT_SHEET)
        if activity_sheet is None and visit_sheet is None:
            raise ImportRefused(f"Không thấy trang «{SHEET}»: hãy dùng tệp mẫu tải từ hệ thống.")
        activity_rows = (
            cells.read_sheet(activity_sheet, ACTIVITY_COLUMNS, ACTIVITY_OPTIONAL)
            if activity_sheet is not None
            else []
        )
        visit_rows = (
            cells.read_sheet(visit_sheet, VISIT_COLUMNS, VISIT_OPTIONAL)
            if visit_sheet is not None
            else []
        )
        epoch = workbook.epoch
    finally:
        workbook.close()

    progress(40, "Đối chiếu xã, lĩnh vực, hiện vật")
    catalogue = Catalogue(user)
    agency_ids = {a.agency_id for a in catalogue.assignments}
    result.already_imported = (
        ImportBatch.objects.filter(agency_id__in=agency_ids, sha256=result.sha256)
        .order_by("imported_at")
        .first()
    )
    seen = {}
    total = len(activity_rows) + len(visit_rows) or 1
    for done, sheet_row in enumerate(activity_rows):
        if done % 1000 == 999:
            progress(
                40 + 55 * done // total, f"Kiểm tra dòng {sheet_row.number:,}".replace(",", ".")
            )
        reader = _RowReader(SHEET, ACTIVITY_COLUMNS, sheet_row, epoch, result.problems)
        row = _activity_row(reader, catalogue)
        if row is None:
            continue
        key = (*activity_key(row), row.kind, row.item.pk if row.item else None, row.quantity,
               row.value, row.source, fold(row.donor_name))  # fmt: skip
        if key in seen:
            reader.problem("", f"Trùng hoàn toàn với dòng {seen[key]}.")
            continue
        seen[key] = row.row
        result.rows.append(row)
    seen = {}
    progress(40 + 55 * len(activity_rows) // total, "Kiểm tra các chuyến công tác")
    for sheet_row in visit_rows:
        reader = _RowReader(VISIT_SHEET, VISIT_COLUMNS, sheet_row, epoch, result.problems)
        parsed = _visit_row(reader, catalogue, user)
        if parsed is None:
            continue
        visit = parsed.visit
        key = (visit.assignment_id, visit.start_date, visit.end_date, visit.days_on_site,
               fold(visit.purpose))  # fmt: skip
        if key in seen:
            reader.problem("", f"Trùng hoàn toàn với dòng {seen[key]}.")
            continue
        seen[key] = parsed.row
        result.visits.append(parsed)
    if not (result.rows or result.visits or result.problems):
        result.problems.append(
            Problem(
                SHEET,
                2,
                "",
                f"Tệp chưa có dòng dữ liệu nào ở trang «{SHEET}» hay «{VISIT_SHEET}» (trang"
                f" «{EXAMPLE_SHEET}» chỉ để xem, không được nhập).",
            )
        )
    return result


class _RowReader:
    """One sheet row's cells by column key, and the problems found in it."""

    def __init__(self, sheet: str, columns: dict[str, Column], row, epoch, problems: list):
        self.sheet, self.columns, self.row, self.epoch = sheet, columns, row, epoch
        self.number = row.number
        self._problems = problems
        self.found = 0
        for key in row.formulas:
            self.problem(
                key, "Ô chứa công thức: hãy dán giá trị (Paste Values) thay cho công thức."
            )

    def problem(self, key: str, message: str) -> None:
        column = self.columns[key].title if key else ""
        self._problems.append(Problem(self.sheet, self.number, column, message))
        self.found += 1

    def raw(self, key: str):
        return self.row.values.get(key)

    def text(self, key: str) -> str:
        return cells.text(self.raw(key))

    def date(self, key: str) -> datetime.date | None:
        assert key in DATE_COLUMNS
        try:
            return cells.date(self.raw(key), epoch=self.epoch)
        except cells.CellError as error:
            self.problem(key, str(error))
            return None

    def match(self, key: str, match):
        if match.problem:
            self.problem(key, match.problem)
        return match.entry

    def assignment(self, catalogue: Catalogue, day: datetime.date | None):
        """The assignment of the row's commune on `day` (the first day of a visit)."""
        name = self.text("commune")
        if not name:
            self.problem("commune", "Thiếu tên xã.")
            return None
        return self.match("commune", catalogue.assignment_for(name, day))


def _activity_row(r: _RowReader, catalogue: Catalogue) -> ParsedRow | None:
    day = r.date("date")
    assignment = r.assignment(catalogue, day)
    village = None
    if r.text("village") and assignment is not None:
        village = r.match("village", catalogue.village_for(r.text("village"), assignment.commune))
    if assignment is not None and assignment.village_id:
        # A working group helps villages: the row's village picks the assignment.
        assignment = r.match("village", catalogue.village_assignment(assignment, village, day))
        village = assignment.village if assignment is not None else None
    category = r.match("category", catalogue.category_for(r.text("category")))
    title = r.text("title")
    if not title:
        r.problem("title", "Thiếu nội dung hoạt động.")
    kind = KINDS.get(fold(r.text("kind")))
    if kind is None:
        r.problem("kind", "Hình thức phải là «Tiền mặt» hoặc «Hiện vật».")
    item, quantity = None, None
    if kind == Contribution.Kind.IN_KIND:
        item = r.match("item", catalogue.item_for(r.text("item")))
        unit = r.text("unit")
        if item is not None and unit and fold(unit) != fold(item.unit):
            r.problem(
                "unit", f"Đơn vị tính của «{item.name}» là «{item.unit}», không phải «{unit}»."
            )
        quantity = _quantity(r)
    value = cells.number(r.raw("value"))
    if value is None:
        r.problem("value", "Giá trị phải là số (đồng).")
    elif value < 0:
        r.problem("value", "Giá trị không được âm.")
    elif value > MAX_VALUE:
        r.problem("value", "Giá trị quá lớn (tối đa 1.000 tỷ đồng): hãy kiểm tra lại.")
    elif value != value.to_integral_value():
        r.problem("value", "Giá trị phải là số đồng nguyên.")
    source = SOURCES.get(fold(r.text("source")))
    if source is None:
        r.problem(
            "source", "Nguồn không đúng danh sách (kinh phí cơ quan, cán bộ quyên góp, vận động)."
        )
    donor = r.text("donor")
    if source == Contribution.Source.MOBILISED and not donor:
        r.problem("donor", "Ghi tên doanh nghiệp, nhà tài trợ được vận động.")
    beneficiaries = cells.number(r.raw("beneficiaries")) if r.text("beneficiaries") else Decimal(0)
    if (
        beneficiaries is None
        or beneficiaries < 0
        or beneficiaries != beneficiaries.to_integral_value()
        or beneficiaries > MAX_BENEFICIARIES
    ):
        r.problem("beneficiaries", "Số người hưởng lợi phải là số nguyên không âm.")
    if day is not None and value is not None and (fold(title), day, value) in EXAMPLE_KEYS:
        r.problem(
            "title",
            "Đây là dòng ví dụ của tệp mẫu, không phải số liệu: hãy xóa dòng này.",
        )
    if r.found:
        return None
    return ParsedRow(
        row=r.number,
        assignment=assignment,
        date=day,
        category=category,
        title=title[:300],
        kind=kind,
        item=item,
        quantity=quantity,
        value=int(value),
        source=source,
        donor_name=donor[:255],
        is_lasting=fold(r.text("lasting")) in YES,
        beneficiaries=int(beneficiaries),
        village=village,
    )


def _quantity(r: _RowReader) -> Decimal | None:
    quantity = cells.number(r.raw("quantity"))
    if quantity is None:
        r.problem("quantity", "Số lượng phải là số.")
    elif quantity < 0:
        r.problem("quantity", "Số lượng không được âm.")
    elif quantity > Decimal("1000000000"):
        r.problem("quantity", "Số lượng quá lớn: hãy kiểm tra lại.")
    elif quantity != quantity.quantize(Decimal("0.01")):
        r.problem("quantity", "Số lượng chỉ lấy tối đa 2 chữ số thập phân.")
    else:
        return quantity
    return None


def _visit_row(r: _RowReader, catalogue: Catalogue, user) -> ParsedVisit | None:
    start, end = r.date("start"), r.date("end")
    assignment = r.assignment(catalogue, start)
    days = None
    if r.text("days"):
        days = cells.number(r.raw("days"))
        if days is None or days < 1 or days != days.to_integral_value():
            r.problem("days", "Số ngày ở xã phải là số nguyên từ 1 trở lên (để trống: cả chuyến).")
            days = None
    purpose = r.text("purpose")
    if not purpose:
        r.problem("purpose", "Thiếu nội dung công việc.")
    if r.found:
        return None
    try:
        visit = services.field_visit_build(
            user=user,
            assignment=assignment,
            start_date=start,
            end_date=end,
            purpose=purpose,
            days_on_site=None if days is None else int(days),
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                r.problem(VISIT_FIELDS.get(name, ""), message)
        return None
    return ParsedVisit(row=r.number, visit=visit)
