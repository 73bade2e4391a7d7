"""The report's workbook reads the same everywhere: totals stored beside their formulas,
numbers, quantities, percentages and dates as typed cells, every table frozen and filtered."""

import datetime
import io
import shutil
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports import builder, xlsx
from reports.figures import ReportFigures
from reports.models import ReportRun
from tests.factories import ActivityFactory, ContributionFactory
from tests.workbook_checks import (
    assert_date_cell,
    assert_table,
    formula_cells,
    recalculated,
    stored_values,
)

LONG_NAME = "Ban Quản lý dự án các công trình dân dụng và công nghiệp tỉnh Thử Nghiệm"
TABLES = ["PL1 Cơ quan - Xã", "PL2 Ngày ở xã", "PL3 Chỉ tiêu xã", "PL4 Nhu cầu xã",
          "PL5 Theo dõi hộ", "PL6 Kế hoạch năm", "Danh sách hoạt động"]  # fmt: skip


def known_figures() -> ReportFigures:
    """2.294.822.000 đồng in all, 1.000.000.000 of it cash, rice counted in half tonnes."""
    return ReportFigures(
        scope_label="Tỉnh Thử Nghiệm",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        total_value=2_294_822_000,
        cash_value=1_000_000_000,
        activities=3,
        previous_total=2_000_000_000,
        compared_total=2_294_822_000,
        compared_end=datetime.date(2025, 12, 31),
        by_category=[
            {"name": "Giáo dục: học bổng, đồ dùng học tập", "activities": 2, "value": 294_822_000},
            {"name": "Hạ tầng", "activities": 1, "value": 2_000_000_000},
        ],
        by_source=[
            {"source": "Kinh phí của cơ quan", "value": 1_294_822_000},
            {"source": "Lồng ghép chương trình, dự án", "value": 1_000_000_000},
        ],
        in_kind=[
            {"item": "Gạo", "unit": "tấn", "quantity": Decimal("2.5"), "value": 50_000_000},
            {"item": "Bò giống", "unit": "con", "quantity": Decimal("3.00"), "value": 90_000_000},
        ],
        annex_items=[["Gạo", "tấn"]],
        annex=[
            {
                "agency": LONG_NAME,
                "commune": "Xã Mới Mường",
                "predecessors": ["Xã Cũ Mường"],
                "cash": 600_000_000,
                "items": [Decimal("2.5")],
                "total": 1_294_822_000,
            },
            {
                "agency": '=HYPERLINK("http://x")',
                "commune": "Xã Khác Hẳn",
                "predecessors": [],
                "cash": 400_000_000,
                "items": [Decimal("1")],
                "total": 1_000_000_000,
            },
        ],  # fmt: skip
        days_quarters=["Quý 1/2025", "Quý 2/2025"],
        days=[
            {
                "agency": "Sở Khác Thử",
                "commune": "Xã Khác Hẳn",
                "required": 15,
                "values": [16, None],
            }
        ],  # fmt: skip
        indicators=[
            {
                "commune": "Xã Khác Hẳn",
                "start_year": 2021,
                "start_rate": Decimal("45.20"),
                "year": 2025,
                "rate": Decimal("31.50"),
                "criteria": 12,
                "criteria_total": 19,
                "ntm": False,
            }
        ],  # fmt: skip
        needs=[
            {
                "commune": "Xã Khác Hẳn",
                "raised": 3,
                "met": 1,
                "partly": 1,
                "open": 1,
                "cost": 500_000_000,
                "delivered": 200_000_000,
            }
        ],  # fmt: skip
        kept_by_kind=[
            {"name": "Bò giống", "recorded_6": 4, "kept_6": 3, "recorded_12": 2, "kept_12": 2}
        ],  # fmt: skip
        plans_by_agency=[
            {
                "agency": "Sở Khác Thử",
                "items": 2,
                "achieved": 1,
                "planned_activities": 4,
                "done_activities": 3,
                "planned_value": 900_000_000,
                "done_value": 700_000_000,
            }
        ],  # fmt: skip
    )


ACTIVITY_ROWS = [
    (datetime.date(2025, 3, 2), "Xã Mới Mường", LONG_NAME, "Hạ tầng", "Làm đường bê tông",
     True, False, "Xã đã xác nhận", 0, 2_000_000_000),
    (datetime.date(2025, 11, 20), "Xã Khác Hẳn", "Sở Khác Thử", "Giáo dục", "=1+1",
     False, True, "Xã đã xác nhận", 1_000_000_000, 294_822_000),
]  # fmt: skip


def last_row(sheet) -> list:
    return list(sheet[sheet.max_row])


def test_totals_are_stored_beside_their_formulas_and_cells_are_typed():
    data = xlsx.build(known_figures(), iter(ACTIVITY_ROWS), title="Sơ kết năm 2025")
    values = stored_values(data)  # every formula carries its result
    assert len(formula_cells(data)) == 3 + 3 + 6 + 2  # summary, PL1, PL4, activity list

    summary = values["Tổng hợp"]
    figures = {row[0].value: row[1] for row in summary.iter_rows() if row[0].value}
    total = figures["Tổng giá trị quy ra tiền (đồng)"]
    assert (total.value, total.number_format) == (2_294_822_000, "#,##0")
    change = figures["Tăng (+), giảm (−) so với cùng kỳ"]
    assert change.value == pytest.approx(0.147411) and change.number_format == "0.0%"
    by_source = next(r for r in summary.iter_rows() if r[0].value == "Tổng theo nguồn (đồng)")
    assert by_source[1].value == 2_294_822_000
    category_total = next(row for row in summary.iter_rows() if row[0].value == "Tổng cộng")
    assert [c.value for c in category_total[1:3]] == [3, 2_294_822_000]
    rice, cattle = (next(r for r in summary.iter_rows() if r[0].value == name)
                    for name in ("Gạo", "Bò giống"))  # fmt: skip
    assert (rice[1].value, rice[1].number_format) == (2.5, "#,##0.##")
    assert (cattle[1].value, cattle[1].number_format) == (3, "#,##0")  # no stray comma
    assert load_workbook(io.BytesIO(data))["Tổng hợp"]._charts, "a native chart"

    for name in TABLES:
        assert_table(values[name], 4)

    annex = values["PL1 Cơ quan - Xã"]
    totals = last_row(annex)
    assert totals[1].value == "Tổng cộng"
    assert [c.value for c in totals[4:7]] == [1_000_000_000, 3.5, 2_294_822_000]
    assert [c.number_format for c in totals[4:7]] == ["#,##0", "#,##0.##", "#,##0"]
    assert annex["E5"].number_format == "#,##0" and annex["F6"].number_format == "#,##0"
    assert annex.auto_filter.ref == "A4:G6"  # the totals row stays out of sorting
    assert annex["B6"].value == '=HYPERLINK("http://x")' and annex["B6"].data_type == "s"
    assert annex.row_dimensions[5].height > 15, "a long agency name wraps, its row grows"
    assert annex.print_title_rows == "$4:$4"

    days = values["PL2 Ngày ở xã"]
    assert [c.value for c in days[5][4:6]] == [16, "–"]
    rates = values["PL3 Chỉ tiêu xã"]
    assert (rates["F5"].value, rates["F5"].number_format) == (pytest.approx(0.315), "0.00%")
    assert (rates["C5"].value, rates["C5"].number_format) == (2021, "0")  # a year, not 2.021
    needs = last_row(values["PL4 Nhu cầu xã"])
    assert [c.value for c in needs[2:8]] == [3, 1, 1, 1, 500_000_000, 200_000_000]

    activities = values["Danh sách hoạt động"]
    assert_date_cell(activities["A5"], datetime.date(2025, 3, 2))
    assert_date_cell(activities["A6"], datetime.date(2025, 11, 20))
    assert (activities["E6"].value, activities["E6"].data_type) == ("=1+1", "s")
    totals = last_row(activities)
    assert [c.value for c in totals[8:10]] == [1_000_000_000, 2_294_822_000]
    assert activities["J5"].number_format == "#,##0"


def test_an_empty_period_still_makes_a_workbook_with_zero_totals():
    figures = ReportFigures(scope_label="Xã Khác Hẳn", period_start=datetime.date(2025, 1, 1),
                            period_end=datetime.date(2025, 3, 31))  # fmt: skip
    values = stored_values(xlsx.build(figures, iter(()), title="Quý 1"))
    assert last_row(values["PL1 Cơ quan - Xã"])[4].value == 0
    assert last_row(values["Danh sách hoạt động"])[9].value == 0
    for name in TABLES:
        assert_table(values[name], 4)


@pytest.fixture
def report_of_the_world(world):
    activity = ActivityFactory(assignment=world.assignment_b, status="confirmed",
                               start_date=datetime.date(2026, 4, 9))  # fmt: skip
    ContributionFactory(activity=activity, value=2_294_822_000)
    run = ReportRun(province=world.province, period_start=datetime.date(2026, 1, 1),
                    period_end=datetime.date(2026, 12, 31), pk=0)  # fmt: skip
    _, xlsx_bytes, data = builder.build_files(run, today=datetime.date(2026, 11, 22))
    return xlsx_bytes, data


def test_a_built_report_reads_its_totals_without_recalculation(report_of_the_world):
    xlsx_bytes, data = report_of_the_world
    values = stored_values(xlsx_bytes)
    annex = values["PL1 Cơ quan - Xã"]
    totals = last_row(annex)
    assert (totals[4].value, totals[-1].value) == (data["cash_value"], data["total_value"])
    assert data["total_value"] >= 2_294_822_000
    activities = values["Danh sách hoạt động"]
    assert last_row(activities)[9].value == data["total_value"]
    days = [row[0] for row in activities.iter_rows(min_row=5, max_row=activities.max_row - 1)]
    assert datetime.date(2026, 4, 9) in [cell.value.date() for cell in days]
    for cell in days:
        assert_date_cell(cell, cell.value.date())


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_recalculating_gets_the_stored_totals(report_of_the_world, tmp_path):
    xlsx_bytes, data = report_of_the_world
    stored = stored_values(xlsx_bytes)
    again = recalculated(xlsx_bytes, tmp_path)
    cells = formula_cells(xlsx_bytes)
    assert cells
    for sheet, coordinate in cells:
        assert again[sheet][coordinate].value == stored[sheet][coordinate].value, coordinate
    annex = again["PL1 Cơ quan - Xã"]
    assert annex.cell(annex.max_row, annex.max_column).value == data["total_value"]
