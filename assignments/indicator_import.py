"""A year's indicators and commune classes for the whole province from one Excel sheet: a
template listing the province's communes, a read that lists every problem by row and column,
then one transaction that writes every row or none.

Communes are those of the year's era (pre-reform communes until 2024, current ones from
2025), matched by code, label, exact name, then accent-blind only when that finds a single
commune (core.matching): "Nậm Chảy" and "Nậm Chày" are two communes. A row's indicators
replace the year's; its classes are added for that year (start and end year the same)
unless the commune already holds the class that year.
"""

import io
from dataclasses import dataclass, field

from django.db import transaction

from communes.labels import commune_label
from communes.models import REFORM_DATE, Commune, CommuneClassification, CommuneIndicator
from core import spreadsheets as sheets
from core import workbook as xl
from core.matching import Register
from core.spreadsheets import Column, ImportRefused

from .commune_data import FIRST_YEAR, LAST_YEAR, check_indicators, check_rate

SHEET = "Chỉ tiêu"
LISTS_SHEET = "Danh mục"
COLUMNS = {
    "commune": Column("Xã", 34),
    "poor": Column("Tỷ lệ hộ nghèo (%)", 14),
    "near_poor": Column("Tỷ lệ hộ cận nghèo (%)", 14),
    "met": Column("Số tiêu chí NTM đạt", 12),
    "total": Column("Tổng số tiêu chí NTM", 12),
    "reached": Column("Đạt chuẩn NTM (Có/Không)", 14),
    "classes": Column("Phân loại", 40),
    "basis": Column("Căn cứ", 24),
}
OPTIONAL = set(COLUMNS) - {"commune"}
INDICATOR_KEYS = ("poor", "near_poor", "met", "total", "reached")
DEFAULT_TOTAL = 19
YES, NO = ["Có", "Đạt", "x", "1", "Yes"], ["Không", "Chưa", "Chưa đạt", "0", "No"]
CLASS_WORDS = {
    CommuneClassification.Kind.REGION_III: ["Khu vực III", "KV III", "KV3"],
    CommuneClassification.Kind.EXTREMELY_DISADVANTAGED: ["Đặc biệt khó khăn", "ĐBKK"],
    CommuneClassification.Kind.BORDER: ["Biên giới"],
    CommuneClassification.Kind.SAFE_ZONE: ["An toàn khu", "ATK"],
    CommuneClassification.Kind.REVOLUTIONARY_MERIT: ["Có công với cách mạng"],
    CommuneClassification.Kind.NTM_BUILDING: ["Đang xây dựng NTM"],
    CommuneClassification.Kind.NTM_REACHED: ["Đạt chuẩn NTM"],
}


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Row:
    number: int
    commune: Commune
    indicators: dict | None  # None: the row names classes only
    classes: list[str]
    basis: str


@dataclass
class Reading:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def communes_of_year(province, year: int):
    """The province's communes in `year`: the pre-reform ones before the reform's year,
    the current ones from it."""
    communes = Commune.objects.in_province(province).select_related("district")
    era = communes.current() if year >= REFORM_DATE.year else communes.legacy()
    return era.order_by("name", "code")


def _registers(province, year):
    return {
        "commune": Register(
            communes_of_year(province, year), names=lambda c: [c.name, c.short_name],
            codes=lambda c: [c.code], labels=lambda c: [commune_label(c)],
        ),
        "classes": Register(
            list(CommuneClassification.Kind),
            names=lambda k: [CommuneClassification.Kind(k).label, *CLASS_WORDS[k]],
            codes=lambda k: [k.value],
        ),
        "reached": Register([True, False], names=lambda b: YES if b else NO),
    }  # fmt: skip


def read(data: bytes, *, province, year: int) -> Reading:
    """Every row read and checked; nothing written."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ImportRefused(f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.")
    workbook = sheets.open_workbook(data, sheets.SMALL)
    sheet = sheets.find_sheet(workbook, SHEET) or workbook.worksheets[0]
    rows = sheets.read_sheet(sheet, COLUMNS, OPTIONAL)
    registers = _registers(province, year)
    seen: dict[int, int] = {}
    reading = Reading()
    for row in rows:
        if not any(sheets.text(row.values.get(key)) for key in OPTIONAL):
            continue  # a commune of the template left blank
        problems: list[Problem] = []

        def problem(key, message, row=row, problems=problems):
            problems.append(Problem(row.number, COLUMNS[key].title, message))

        commune = None
        name = sheets.text(row.values.get("commune"))
        if not name:
            problem("commune", "Thiếu xã.")
        else:
            match = registers["commune"].find(name, what="xã", label=commune_label)
            if match.problem:
                era = "sau" if year >= REFORM_DATE.year else "trước"
                problem("commune", f"{match.problem.rstrip('.')} (các xã {era} 01/7/2025).")
            elif match.entry.pk in seen:
                problem("commune", f"{match.entry.name} đã có ở dòng {seen[match.entry.pk]}.")
            else:
                commune = match.entry
                seen[commune.pk] = row.number
        indicators = None
        if any(sheets.text(row.values.get(key)) for key in INDICATOR_KEYS):
            indicators = _indicators(row, registers, problem)
        classes = []
        for part in sheets.text(row.values.get("classes")).replace("\n", ";").split(";"):
            if part.strip():
                match = registers["classes"].find(part.strip(), what="phân loại")
                if match.problem:
                    problem("classes", match.problem)
                elif match.entry not in classes:
                    classes.append(match.entry)
        basis = sheets.text(row.values.get("basis"))
        if len(basis) > 200:
            problem("basis", "Căn cứ dài quá 200 ký tự.")
        if problems:
            reading.problems.extend(problems)
        elif commune is not None and (indicators is not None or classes):
            reading.rows.append(Row(row.number, commune, indicators, classes, basis))
    if not reading.rows and not reading.problems:
        reading.problems.append(
            Problem(1, COLUMNS["commune"].title, "Tệp không có dòng nào có số liệu.")
        )
    return reading


def _indicators(row, registers, problem) -> dict:
    values = {}
    for key, name in [("poor", "poor_household_rate"), ("near_poor", "near_poor_household_rate")]:
        raw = row.values.get(key)
        rate = sheets.number(raw)
        if sheets.text(raw) and rate is None:
            problem(key, f"«{sheets.text(raw)}» không phải số (ví dụ 12,5).")
        for message in check_rate(rate, COLUMNS[key].title.split(" (")[0]):
            problem(key, message)
        values[name] = rate
    for key, name, default in [("met", "ntm_criteria_met", None),
                               ("total", "ntm_criteria_total", DEFAULT_TOTAL)]:  # fmt: skip
        raw = row.values.get(key)
        count = sheets.number(raw)
        if not sheets.text(raw):
            if default is None:
                problem(key, "Thiếu số tiêu chí NTM đạt.")
            values[name] = default
        elif count is None or count != count.to_integral_value() or not 0 <= count <= 100:
            problem(key, f"«{sheets.text(raw)}» không phải số nguyên từ 0 đến 100.")
        else:
            values[name] = int(count)
    reached = sheets.text(row.values.get("reached"))
    values["ntm_reached"] = False
    if reached:
        match = registers["reached"].find(reached, what="giá trị", missing="Ghi «Có» hoặc «Không».")
        if match.problem:
            problem("reached", match.problem)
        else:
            values["ntm_reached"] = match.entry
    if values.get("ntm_criteria_total") == 0:
        problem("total", "Tổng số tiêu chí NTM phải lớn hơn 0.")
    for messages in check_indicators(values).values():
        for message in messages:
            problem("met", message)
    return values


@transaction.atomic
def write_all(reading: Reading, *, year: int) -> tuple[int, int]:
    """Every row's indicators and classes in one transaction, only when no row had a
    problem; (indicators written, classes added)."""
    if reading.problems:
        raise ImportRefused("Tệp còn lỗi: chưa ghi số liệu nào.")
    indicators = classes = 0
    for row in reading.rows:
        if row.indicators is not None:
            CommuneIndicator.objects.update_or_create(
                commune=row.commune, year=year, defaults=row.indicators
            )
            indicators += 1
        for kind in row.classes:
            held = CommuneClassification.objects.filter(
                commune=row.commune, kind=kind, start_year__lte=year, end_year__gte=year
            )
            if not held.exists():
                CommuneClassification.objects.create(
                    commune=row.commune, kind=kind, start_year=year, end_year=year,
                    legal_basis=row.basis,
                )  # fmt: skip
                classes += 1
    return indicators, classes


def template(province, year: int) -> bytes:
    """The sheet to fill: one row per commune of the year, with what is already recorded."""
    communes = list(communes_of_year(province, year))
    recorded = {
        i.commune_id: i
        for i in CommuneIndicator.objects.filter(commune__in=[c.pk for c in communes], year=year)
    }
    held: dict[int, list[str]] = {}
    for c in CommuneClassification.objects.filter(
        commune__in=[c.pk for c in communes], start_year__lte=year, end_year__gte=year
    ):
        held.setdefault(c.commune_id, []).append(c.get_kind_display())
    buffer = io.BytesIO()
    book = xl.new_workbook(buffer)
    styles = xl.Styles(book)
    sheet = book.add_worksheet(SHEET)
    xl.table_header(sheet, 0, [(c.title, c.width) for c in COLUMNS.values()], styles)
    for number, commune in enumerate(communes, start=1):
        xl.write_text(sheet, number, 0, commune_label(commune), styles.text)
        indicator = recorded.get(commune.pk)
        if indicator is not None:
            for column, value in [(1, indicator.poor_household_rate),
                                  (2, indicator.near_poor_household_rate)]:  # fmt: skip
                if value is None:
                    sheet.write_blank(number, column, None, styles.quantity)
                else:
                    sheet.write_number(number, column, float(value), styles.quantity)
            sheet.write_number(number, 3, indicator.ntm_criteria_met, styles.integer)
            sheet.write_number(number, 4, indicator.ntm_criteria_total, styles.integer)
            xl.write_text(sheet, number, 5, "Có" if indicator.ntm_reached else "Không", styles.text)
        xl.write_text(sheet, number, 6, "; ".join(held.get(commune.pk, [])), styles.text)
    if communes:
        sheet.data_validation(1, 5, len(communes), 5, {
            "validate": "list", "source": ["Có", "Không"], "error_type": "warning",
        })  # fmt: skip
    lists = book.add_worksheet(LISTS_SHEET)
    lists.set_column(0, 0, 40)
    xl.write_text(lists, 0, 0, "Phân loại (ghi một hoặc nhiều, cách nhau bởi «;»)", styles.header)
    for row, (_, label) in enumerate(CommuneClassification.Kind.choices, start=1):
        xl.write_text(lists, row, 0, label, styles.text)
    book.close()
    return buffer.getvalue()
