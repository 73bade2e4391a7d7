"""Excel import of activities and contributions: template, parse with a full problem list,
then commit all or nothing.

One row of the sheet is one contribution; rows with the same commune, date, field and
content make one activity. Text is NFC-normalised and trimmed; commune, field and item names
match without regard to case and accents; a pre-reform commune name is accepted for dates
before 1 July 2025. The same file imported twice creates nothing new (ImportBatch.sha256).
"""

import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history

from assignments.models import Assignment
from communes.models import REFORM_DATE, Commune
from core.text import clean, fold
from core.workbook import text_cell

from . import rollup
from .models import Activity, Category, Contribution, ImportBatch, Item, ReviewStatus

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 20_000
SHEET = "Hoạt động"
MAX_VALUE = 1_000_000_000_000

COLUMNS = [
    ("Xã", 24),
    ("Ngày (dd/mm/yyyy)", 14),
    ("Lĩnh vực", 36),
    ("Nội dung hoạt động", 44),
    ("Hình thức", 12),
    ("Hiện vật", 26),
    ("Đơn vị tính", 12),
    ("Số lượng", 10),
    ("Giá trị (đồng)", 16),
    ("Nguồn", 30),
    ("Nhà tài trợ", 24),
    ("Hỗ trợ lâu dài (Có/Không)", 12),
    ("Số người hưởng lợi", 12),
]
KINDS = {fold(label): value for value, label in Contribution.Kind.choices}
SOURCES = {fold(label): value for value, label in Contribution.Source.choices}
YES = {"co", "x", "1", "yes", "lau dai"}


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why, in Vietnamese."""


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


@dataclass
class ParseResult:
    sha256: str
    file_name: str
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already_imported: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.already_imported is None

    @property
    def activity_count(self) -> int:
        return len({_activity_key(r) for r in self.rows})

    @property
    def total_value(self) -> int:
        return sum(r.value for r in self.rows)


def _activity_key(row: ParsedRow) -> tuple:
    return (row.assignment.pk, row.date, row.category.pk, fold(row.title))


# ---------------------------------------------------------------- template


def template_workbook(agency, assignments) -> bytes:
    """The import template for one agency: drop-downs, an instructions sheet, example rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    lists = workbook.create_sheet("Danh mục")
    guide = workbook.create_sheet("Hướng dẫn")

    communes = sorted({a.commune.short_name for a in assignments})
    categories = [c.name for c in Category.objects.filter(is_active=True)]
    items = list(Item.objects.filter(is_active=True))
    columns = {
        "A": communes or ["(chưa có xã)"],
        "B": categories,
        "C": [i.name for i in items],
        "D": [i.unit for i in items],
        "E": [label for _, label in Contribution.Kind.choices],
        "F": [label for _, label in Contribution.Source.choices],
        "G": ["Có", "Không"],
    }
    headers = ["Xã", "Lĩnh vực", "Hiện vật", "Đơn vị tính", "Hình thức", "Nguồn", "Có/Không"]
    for index, (letter, values) in enumerate(columns.items()):
        lists[f"{letter}1"] = headers[index]
        lists[f"{letter}1"].font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            text_cell(lists[f"{letter}{row}"], value)
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F4E79")
    for index, (title, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=title)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"

    def validation(sheet_column: str, list_column: str, count: int, prompt: str):
        rule = DataValidation(
            type="list",
            formula1=f"='Danh mục'!${list_column}$2:${list_column}${count + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Giá trị không có trong danh mục",
            error=prompt,
        )
        rule.add(f"{sheet_column}2:{sheet_column}{MAX_ROWS + 1}")
        sheet.add_data_validation(rule)

    validation("A", "A", len(columns["A"]), "Chọn một xã cơ quan được phân công.")
    validation("C", "B", len(categories), "Chọn một lĩnh vực trong danh sách.")
    validation("E", "E", 2, "Chọn Tiền mặt hoặc Hiện vật.")
    validation("F", "C", len(items), "Chọn hiện vật trong danh mục.")
    validation("G", "D", len(items), "Chọn đơn vị tính trong danh mục.")
    validation("J", "F", 3, "Chọn nguồn đóng góp trong danh sách.")
    validation("L", "G", 2, "Chọn Có hoặc Không.")

    example_commune = communes[0] if communes else "Nà Tấu"
    cement = next((i for i in items if i.unit == "tấn"), items[0] if items else None)
    examples = [
        [example_commune, "15/01/2026", categories[-2] if len(categories) > 1 else "",
         "Tặng quà Tết cho hộ nghèo", "Tiền mặt", "", "", None, 30_000_000,
         "Kinh phí của cơ quan", "", "Không", 60],
        [example_commune, "20/03/2026", categories[4] if len(categories) > 4 else "",
         "Hỗ trợ làm đường bê tông bản", "Hiện vật", cement.name if cement else "",
         cement.unit if cement else "", 12.5, 20_000_000,
         "Doanh nghiệp, nhà tài trợ được vận động", "Công ty Xi măng Điện Biên", "Có", 120],
    ]  # fmt: skip
    for row in examples:
        sheet.append(row)
    for cell in sheet["B"][1:]:
        cell.number_format = "@"
    for cell in sheet["I"][1:]:
        cell.number_format = "#,##0"

    guide["A1"] = f"Mẫu nhập hoạt động giúp xã – {agency.name}"
    guide["A1"].font = Font(bold=True, size=14)
    lines = [
        "Mỗi dòng là một khoản đóng góp. Các dòng cùng xã, cùng ngày, cùng lĩnh vực và cùng"
        " nội dung được gộp thành một hoạt động.",
        "Xã: chọn trong danh sách (các xã cơ quan được phân công). Với hoạt động trước 01/7/2025"
        " có thể ghi tên xã cũ.",
        "Ngày: dạng dd/mm/yyyy, nằm trong thời gian phân công.",
        "Hình thức: Tiền mặt, hoặc Hiện vật (khi đó cần Hiện vật, Đơn vị tính và Số lượng).",
        "Giá trị: số tiền quy đổi, đơn vị đồng, số nguyên không âm (ví dụ 15000000).",
        "Nguồn: Kinh phí của cơ quan; Cán bộ, công chức quyên góp; hoặc Doanh nghiệp, nhà tài trợ"
        " được vận động (khi đó ghi tên nhà tài trợ).",
        "Không dùng công thức trong các ô; không đổi tên cột; có thể xóa hai dòng ví dụ.",
        "Tệp được kiểm tra toàn bộ trước khi lưu: chỉ khi không còn lỗi nào mới lưu; nhập lại"
        " cùng một tệp không tạo thêm dữ liệu.",
    ]
    for row, line in enumerate(lines, start=3):
        guide[f"A{row}"] = f"{row - 2}. {line}"
    guide.column_dimensions["A"].width = 120
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# ---------------------------------------------------------------- reading


def _open_workbook(data: bytes):
    """Open an uploaded .xlsx defensively; ImportRefused with a clear reason otherwise."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused("Tệp lớn hơn 5 MB: hãy tách thành nhiều tệp nhỏ hơn.")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportRefused(
            "Tệp là định dạng Excel cũ (.xls) hoặc đã đặt mật khẩu: hãy bỏ mật khẩu và lưu lại"
            " dưới dạng .xlsx (Excel Workbook)."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRefused(
            "Tệp không phải tệp Excel .xlsx (có thể là CSV hoặc tệp khác đã đổi đuôi)."
        )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED_BYTES:
            raise ImportRefused("Tệp giải nén ra quá lớn: không phải bảng tính hợp lệ.")
        if "xl/workbook.xml" not in archive.namelist():
            raise ImportRefused("Tệp nén không chứa bảng tính Excel.")
        # A real workbook never declares a DTD; entity declarations are how XML bombs and
        # external-entity attacks start. The prolog is at the start of each part.
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                with archive.open(info) as part:
                    if b"<!DOCTYPE" in part.read(4096).upper():
                        raise ImportRefused(
                            "Không đọc được tệp Excel: tệp chứa khai báo XML không được phép."
                        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # defusedxml, zip and XML errors all mean: unreadable
        raise ImportRefused(f"Không đọc được tệp Excel ({type(error).__name__}).") from error


def _text(value) -> str:
    return clean(str(value)) if value is not None else ""


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _number(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    text = _text(value).replace(" ", "")
    # Vietnamese writing: dots group thousands, a comma marks decimals.
    if (
        "," in text
        or text.count(".") > 1
        or (text.count(".") == 1 and len(text.split(".")[1]) == 3)
    ):
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class _Catalogue:
    """Everything a row is matched against, loaded once per file."""

    def __init__(self, user):
        self.assignments = list(
            Assignment.objects.loggable_by(user).select_related("commune", "agency", "decision")
        )
        provinces = {a.decision.province_id for a in self.assignments}
        self.province_communes = {
            fold(c.short_name)
            for c in Commune.objects.filter(province__in=provinces).only("short_name")
        } | {
            fold(c.short_name)
            for c in Commune.objects.filter(province__successor__in=provinces).only("short_name")
        }
        self.categories = {}
        for category in Category.objects.filter(is_active=True):
            self.categories[fold(category.name)] = category
            self.categories[fold(category.code)] = category
        self.items = {fold(item.name): item for item in Item.objects.filter(is_active=True)}

    def assignment_for(self, commune_name: str, day: datetime.date) -> Assignment | None:
        key = fold(commune_name)
        for prefix in ("xa ", "phuong ", "thi tran ", "dac khu "):
            key = key.removeprefix(prefix)
        for assignment in self.assignments:
            if fold(assignment.commune.short_name) != key:
                continue
            current = assignment.commune.is_current
            if (day >= REFORM_DATE) != current:
                continue
            if assignment.valid_from <= day <= assignment.valid_to:
                return assignment
        return None

    def knows_commune(self, commune_name: str) -> bool:
        key = fold(commune_name)
        for prefix in ("xa ", "phuong ", "thi tran ", "dac khu "):
            key = key.removeprefix(prefix)
        return key in self.province_communes


def parse(data: bytes, *, user, file_name: str) -> ParseResult:
    """Read every row, collect every problem; nothing is written."""
    result = ParseResult(sha256=hashlib.sha256(data).hexdigest(), file_name=file_name)
    workbook = _open_workbook(data)
    try:
        if SHEET not in workbook.sheetnames:
            raise ImportRefused(f"Không thấy trang «{SHEET}»: hãy dùng tệp mẫu tải từ hệ thống.")
        catalogue = _Catalogue(user)
        agency_ids = {a.agency_id for a in catalogue.assignments}
        result.already_imported = (
            ImportBatch.objects.filter(agency_id__in=agency_ids, sha256=result.sha256)
            .order_by("imported_at")
            .first()
        )
        sheet = workbook[SHEET]
        sheet.reset_dimensions()
        seen = {}
        for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
            if number > MAX_ROWS + 1:
                raise ImportRefused(
                    f"Tệp có hơn {MAX_ROWS:,} dòng: hãy tách thành nhiều tệp.".replace(",", ".")
                )
            values = [cell.value for cell in cells[: len(COLUMNS)]]
            values += [None] * (len(COLUMNS) - len(values))
            if all(v is None or _text(v) == "" for v in values):
                continue
            row = _parse_row(number, cells, values, catalogue, result.problems)
            if row is None:
                continue
            key = (row.assignment.pk, row.date, row.category.pk, fold(row.title), row.kind,
                   row.item.pk if row.item else None, row.quantity, row.value, row.source,
                   fold(row.donor_name))  # fmt: skip
            if key in seen:
                result.problems.append(
                    Problem(SHEET, number, "", f"Trùng hoàn toàn với dòng {seen[key]}.")
                )
                continue
            seen[key] = number
            result.rows.append(row)
    finally:
        workbook.close()
    if not result.rows and not result.problems:
        result.problems.append(Problem(SHEET, 2, "", "Tệp không có dòng dữ liệu nào."))
    return result


def _parse_row(number, cells, values, catalogue, problems) -> ParsedRow | None:
    found = []

    def problem(column: int, message: str):
        found.append(Problem(SHEET, number, COLUMNS[column][0], message))

    for index, cell in enumerate(cells[: len(COLUMNS)]):
        if getattr(cell, "data_type", None) == "f":
            problem(index, "Ô chứa công thức: hãy dán giá trị (Paste Values) thay cho công thức.")
    (commune, raw_date, raw_category, title, raw_kind, raw_item, unit, raw_quantity, raw_value,
     raw_source, donor, raw_lasting, raw_beneficiaries) = values  # fmt: skip

    day = _date(raw_date)
    if day is None:
        problem(1, "Ngày không hợp lệ: ghi dạng dd/mm/yyyy, ví dụ 15/01/2026.")
    assignment = None
    commune_name = _text(commune)
    if not commune_name:
        problem(0, "Thiếu tên xã.")
    elif day is not None:
        assignment = catalogue.assignment_for(commune_name, day)
        if assignment is None:
            if not catalogue.knows_commune(commune_name):
                problem(0, f"Không tìm thấy xã «{commune_name}» trong tỉnh.")
            else:
                problem(
                    0,
                    f"Xã «{commune_name}» không thuộc các xã cơ quan bạn được phân công vào ngày"
                    f" {day:%d/%m/%Y} (ngày nằm ngoài thời gian phân công, hoặc tên xã cũ dùng"
                    " cho ngày từ 01/7/2025).",
                )
    category = catalogue.categories.get(fold(_text(raw_category)))
    if category is None:
        problem(2, f"Lĩnh vực «{_text(raw_category)}» không có trong danh mục.")
    title_text = _text(title)
    if not title_text:
        problem(3, "Thiếu nội dung hoạt động.")
    kind = KINDS.get(fold(_text(raw_kind)))
    if kind is None:
        problem(4, "Hình thức phải là «Tiền mặt» hoặc «Hiện vật».")
    item, quantity = None, None
    if kind == Contribution.Kind.IN_KIND:
        item = catalogue.items.get(fold(_text(raw_item)))
        if item is None:
            problem(5, f"Hiện vật «{_text(raw_item)}» không có trong danh mục.")
        elif _text(unit) and fold(_text(unit)) != fold(item.unit):
            problem(
                6, f"Đơn vị tính của «{item.name}» là «{item.unit}», không phải «{_text(unit)}»."
            )
        quantity = _number(raw_quantity)
        if quantity is None:
            problem(7, "Số lượng phải là số.")
        elif quantity < 0:
            problem(7, "Số lượng không được âm.")
        elif quantity > Decimal("1000000000"):
            problem(7, "Số lượng quá lớn: hãy kiểm tra lại.")
        elif quantity != quantity.quantize(Decimal("0.01")):
            problem(7, "Số lượng chỉ lấy tối đa 2 chữ số thập phân.")
    value = _number(raw_value)
    if value is None:
        problem(8, "Giá trị phải là số (đồng).")
    elif value < 0:
        problem(8, "Giá trị không được âm.")
    elif value > MAX_VALUE:
        problem(8, "Giá trị quá lớn (tối đa 1.000 tỷ đồng): hãy kiểm tra lại.")
    elif value != value.to_integral_value():
        problem(8, "Giá trị phải là số đồng nguyên.")
    source = SOURCES.get(fold(_text(raw_source)))
    if source is None:
        problem(9, "Nguồn không đúng danh sách (kinh phí cơ quan, cán bộ quyên góp, vận động).")
    donor_name = _text(donor)
    if source == Contribution.Source.MOBILISED and not donor_name:
        problem(10, "Ghi tên doanh nghiệp, nhà tài trợ được vận động.")
    beneficiaries = _number(raw_beneficiaries) or Decimal(0)
    if beneficiaries < 0 or beneficiaries != beneficiaries.to_integral_value():
        problem(12, "Số người hưởng lợi phải là số nguyên không âm.")
    problems.extend(found)
    if found:
        return None
    return ParsedRow(
        row=number,
        assignment=assignment,
        date=day,
        category=category,
        title=title_text[:300],
        kind=kind,
        item=item,
        quantity=quantity,
        value=int(value),
        source=source,
        donor_name=donor_name[:255],
        is_lasting=fold(_text(raw_lasting)) in YES,
        beneficiaries=int(beneficiaries),
    )


# ---------------------------------------------------------------- writing


@transaction.atomic
def commit(result: ParseResult, *, user) -> ImportBatch:
    """Save every row of a clean parse, or nothing. Safe against a double submit."""
    if not result.ok:
        raise ImportRefused("Tệp còn lỗi hoặc đã được nhập trước đây: không lưu gì.")
    agency = result.rows[0].assignment.agency
    batch, created = ImportBatch.objects.get_or_create(
        agency=agency,
        sha256=result.sha256,
        defaults={
            "file_name": result.file_name[:255],
            "rows": len(result.rows),
            "imported_by": user,
        },
    )
    if not created:
        return batch
    activities = {}
    for row in result.rows:
        key = _activity_key(row)
        activity = activities.get(key)
        if activity is None:
            activity = activities[key] = Activity(
                assignment=row.assignment,
                start_date=row.date,
                category=row.category,
                title=row.title,
                is_lasting=row.is_lasting,
                beneficiaries_count=row.beneficiaries,
                status=ReviewStatus.DRAFT,
                created_by=user,
                import_batch=batch,
            )
        else:
            activity.beneficiaries_count = max(activity.beneficiaries_count, row.beneficiaries)
            activity.is_lasting = activity.is_lasting or row.is_lasting
    saved = bulk_create_with_history(
        list(activities.values()), Activity, batch_size=2000, default_user=user
    )
    by_key = dict(zip(activities.keys(), saved, strict=True))
    contributions = [
        Contribution(
            activity=by_key[_activity_key(row)],
            kind=row.kind,
            item=row.item,
            quantity=row.quantity,
            value=row.value,
            source=row.source,
            donor_name=row.donor_name,
        )
        for row in result.rows
    ]
    bulk_create_with_history(contributions, Contribution, batch_size=5000, default_user=user)
    rollup.refresh(rollup.key_of(activity) for activity in saved)
    return batch
