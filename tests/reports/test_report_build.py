"""The sơ kết report: figures equal independent SQL sums, the PDF and workbook read back."""

import datetime
import io
import re
import shutil

import pytest
from django.core.management import call_command
from django.db import connection
from openpyxl import load_workbook
from pypdf import PdfReader

from assignments.models import Agency
from communes.models import Commune, District, Province
from core.formatting import million_dong
from reports import builder, figures
from reports.models import ReportRun
from tests.factories import ActivityFactory, ContributionFactory
from tests.workbook_checks import recalculated

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)
START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)


@pytest.fixture
def demo(admin_units):
    call_command("seed_demo", today=TODAY, verbosity=0)
    return Province.objects.current().get(code="11")


def sql_totals(where: str, params: list, statuses=("confirmed",)) -> tuple[int, int]:
    """Value and cash of the records of `statuses` (confirmed: the official figure)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT COALESCE(SUM(c.value), 0),
                   COALESCE(SUM(CASE WHEN c.kind = 'cash' THEN c.value ELSE 0 END), 0)
            FROM contributions_contribution c
            JOIN contributions_activity a ON a.id = c.activity_id
            JOIN assignments_assignment s ON s.id = a.assignment_id
            JOIN assignments_decision d ON d.id = s.decision_id
            JOIN communes_commune m ON m.id = s.commune_id
            WHERE d.status <> 'draft' AND a.status = ANY(%s)
              AND a.start_date BETWEEN %s AND %s AND ({where})
            """,
            [list(statuses), START, END, *params],
        )
        total, cash = cursor.fetchone()
    return int(total), int(cash)


def test_totals_equal_independent_sums_for_every_scope(demo):
    district = District.objects.get(name="Huyện Tủa Chùa")
    commune = Commune.objects.current().get(short_name="Sính Phình")
    agency = Agency.objects.get(name="Ban Dân vận Tỉnh ủy")
    successors_of_district = (
        "m.district_id = %s OR m.id IN (SELECT successor_id FROM communes_communesuccession cs"
        " JOIN communes_commune o ON o.id = cs.predecessor_id WHERE o.district_id = %s)"
    )
    commune_and_predecessors = (
        "m.id = %s OR m.id IN"
        " (SELECT predecessor_id FROM communes_communesuccession WHERE successor_id = %s)"
    )
    cases = [
        ({}, "d.province_id = %s", [demo.pk]),
        ({"district": district}, successors_of_district, [district.pk, district.pk]),
        ({"commune": commune}, commune_and_predecessors, [commune.pk, commune.pk]),
        ({"agency": agency}, "s.agency_id = %s", [agency.pk]),
    ]
    for scope, where, params in cases:
        result = figures.compute(
            figures.scope_assignments(province=demo, **scope), START, END, today=TODAY
        )
        assert (result.total_value, result.cash_value) == sql_totals(where, params), scope
        assert result.total_value > 0, scope
        assert result.awaiting_value == sql_totals(where, params, ("submitted",))[0], scope
        assert sum(r["value"] for r in result.by_category) == result.total_value
        assert sum(r["total"] for r in result.annex) == result.total_value


def test_a_period_across_the_reform_lists_old_communes_under_new_names(demo):
    commune = Commune.objects.current().get(short_name="Sính Phình")
    result = figures.compute(
        figures.scope_assignments(province=demo, commune=commune), START, END, today=TODAY
    )
    rows = [r for r in result.annex if r["commune"] == "Xã Sính Phình"]
    assert rows and all(r["commune"] == "Xã Sính Phình" for r in result.annex)
    assert any("Xã Trung Thu" in r["predecessors"] for r in rows)


@pytest.fixture
def built(demo):
    run = ReportRun.objects.create(
        province=demo, period_start=START, period_end=END, document_number="12/BC-UBND",
        place="Điện Biên", document_date=datetime.date(2026, 1, 5), signer_name="Lò Văn Tiến",
    )  # fmt: skip
    pdf_bytes, xlsx_bytes, data = builder.build_files(run, today=TODAY)
    return run, pdf_bytes, xlsx_bytes, data


def test_the_pdf_reads_back_as_an_official_report(built):
    run, pdf_bytes, _, data = built
    reader = PdfReader(io.BytesIO(pdf_bytes))
    first = reader.pages[0].extract_text()
    for line in [
        "UBND TỈNH ĐIỆN BIÊN",
        "Số: 12/BC-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Điện Biên, ngày 05 tháng 01 năm 2026",
        "BÁO CÁO",
        "Sơ kết công tác giúp đỡ các xã đặc biệt khó khăn năm 2025",
    ]:
        assert line in first, line
    text = " ".join(page.extract_text() for page in reader.pages)
    assert f"tổng giá trị quy ra tiền {million_dong(data['total_value'])}" in " ".join(text.split())
    assert f"tiền mặt {million_dong(data['cash_value'])}" in " ".join(text.split())
    assert "Lò Văn Tiến" in text and "Nơi nhận:" in text
    assert 5 <= len(reader.pages) <= 60
    portrait = reader.pages[0].mediabox
    assert float(portrait.width) < float(portrait.height)
    landscape = [p for p in reader.pages if float(p.mediabox.width) > float(p.mediabox.height)]
    assert landscape, "annex pages are landscape"
    assert "Phụ lục 1" in landscape[0].extract_text()
    fonts = set()
    for page in reader.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"], "fonts are embedded"
            fonts.add(str(font["/BaseFont"]))
    assert any("GX-Serif" in name for name in fonts)


def test_the_workbook_reopens_with_formulas_and_formats(built):
    _, _, xlsx_bytes, data = built
    workbook = load_workbook(io.BytesIO(xlsx_bytes))
    assert workbook.sheetnames == [
        "Tổng hợp",
        "PL1 Cơ quan - Xã",
        "PL2 Ngày ở xã",
        "PL3 Chỉ tiêu xã",
        "PL4 Nhu cầu xã",
        "PL5 Theo dõi hộ",
        "PL6 Kế hoạch năm",
        "Danh sách hoạt động",
    ]
    annex = workbook["PL1 Cơ quan - Xã"]
    assert annex["A1"].value.startswith("PHỤ LỤC 1")
    assert "A1:" in str(annex.merged_cells)
    assert annex.freeze_panes == "A5"
    assert annex.auto_filter.ref.startswith("A4:")
    assert annex.print_title_rows == "$4:$4"
    assert annex.page_setup.orientation == "landscape"
    total_row = annex.max_row
    assert annex.cell(total_row, 2).value == "Tổng cộng"
    last_column = annex.max_column
    assert annex.cell(total_row, last_column).value.startswith("=SUM(")
    body = [annex.cell(r, last_column).value for r in range(5, total_row)]
    assert sum(body) == data["total_value"]
    assert annex.cell(5, last_column).number_format == "#,##0"
    assert workbook["Tổng hợp"]._charts, "a native chart on the summary sheet"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_computes_the_pdf_totals(built, tmp_path):
    _, _, xlsx_bytes, data = built
    recomputed = recalculated(xlsx_bytes, tmp_path)  # every formula computed by LibreOffice
    annex = recomputed["PL1 Cơ quan - Xã"]
    assert annex.cell(annex.max_row, annex.max_column).value == data["total_value"]
    assert annex.cell(annex.max_row, 5).value == data["cash_value"]
    activities = recomputed["Danh sách hoạt động"]
    assert activities.cell(activities.max_row, 10).value == data["total_value"]


def test_user_text_that_looks_like_a_formula_stays_text(world):
    activity = ActivityFactory(
        assignment=world.assignment_a, title='=HYPERLINK("http://x","bấm")', status="confirmed"
    )
    ContributionFactory(activity=activity, value=1_000_000)
    run = ReportRun(province=world.province, period_start=datetime.date(2026, 1, 1),
                    period_end=datetime.date(2026, 12, 31), pk=0)  # fmt: skip
    _, xlsx_bytes, _ = builder.build_files(run, today=TODAY)
    sheet = load_workbook(io.BytesIO(xlsx_bytes))["Danh sách hoạt động"]
    cells = [
        c
        for row in sheet.iter_rows(min_row=5)
        for c in row
        if c.value and "HYPERLINK" in str(c.value)
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_build_report_command_writes_both_files(demo, tmp_path, capsys):
    call_command("build_report", province="Điện Biên", start=START, end=END, out=str(tmp_path),
                 commune="Sính Phình")  # fmt: skip
    paths = capsys.readouterr().out.split()
    assert [p.rsplit(".", 1)[1] for p in paths] == ["pdf", "xlsx"]
    assert PdfReader(paths[0]).pages[0].extract_text().count("BÁO CÁO") == 1


def _pdf_text(pdf_bytes: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf_bytes)).pages
    )


@pytest.fixture
def statuses(world):
    """In agency B's commune, second half of 2026: one record of each status, and last year's
    confirmed one on the same days and after them."""
    values = {"draft": 1_000_000, "returned": 2_000_000, "submitted": 4_000_000,
              "confirmed": 8_000_000}  # fmt: skip
    for status, value in values.items():
        activity = ActivityFactory(
            assignment=world.assignment_b, start_date=datetime.date(2026, 8, 10), status=status
        )
        ContributionFactory(activity=activity, value=value)
    for day, value in ((datetime.date(2025, 8, 10), 4_000_000),
                       (datetime.date(2025, 12, 20), 500_000_000)):  # fmt: skip
        activity = ActivityFactory(
            assignment=world.assignment_b, start_date=day, status="confirmed"
        )
        ContributionFactory(activity=activity, value=value)
    return world


def test_a_report_counts_what_the_communes_confirmed_and_states_the_rest(statuses):
    run = ReportRun(province=statuses.province, agency=statuses.agency_b, scope="agency",
                    period_start=datetime.date(2026, 7, 1),
                    period_end=datetime.date(2026, 12, 31), pk=0)  # fmt: skip
    pdf_bytes, xlsx_bytes, data = builder.build_files(run, today=datetime.date(2026, 11, 22))
    assert (data["total_value"], data["activities"]) == (8_000_000, 1)
    assert (data["awaiting_value"], data["awaiting_activities"]) == (4_000_000, 1)
    text = _pdf_text(pdf_bytes)
    assert "tổng giá trị quy ra tiền 8,00 triệu đồng" in text
    assert (
        "Số liệu do các xã đã xác nhận, tính đến ngày 22/11/2026; còn 1 hoạt động, 4,00 triệu "
        "đồng đang chờ xã xác nhận, chưa tính vào số liệu." in text
    )
    # the same days a year before (1/7–22/11/2025: 4 million), not the whole half-year
    assert (
        "tính đến ngày 22/11/2026, tăng 100,0% so với cùng kỳ năm trước (từ ngày 01/07/2025 "
        "đến ngày 22/11/2025: 4,00 triệu đồng)" in text
    )
    summary = load_workbook(io.BytesIO(xlsx_bytes), data_only=True)["Tổng hợp"]
    cells = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row[0]}
    assert cells["Tổng giá trị quy ra tiền (đồng)"] == 8_000_000
    assert cells["Chờ xã xác nhận: giá trị (đồng)"] == 4_000_000
    listed = load_workbook(io.BytesIO(xlsx_bytes))["Danh sách hoạt động"]
    assert [r[-1] for r in listed.iter_rows(min_row=5, values_only=True) if r[0]][:1] == [8_000_000]


def test_the_secretariat_may_include_awaiting_records_and_the_report_says_so(statuses):
    run = ReportRun(province=statuses.province, agency=statuses.agency_b, scope="agency",
                    period_start=datetime.date(2026, 7, 1), include_awaiting=True,
                    period_end=datetime.date(2026, 12, 31), pk=0)  # fmt: skip
    pdf_bytes, _, data = builder.build_files(run, today=datetime.date(2026, 11, 22))
    assert (data["total_value"], data["activities"], data["basis"]) == (
        12_000_000,
        2,
        "confirmed_and_awaiting",
    )
    assert (
        "Số liệu gồm các hoạt động các xã đã xác nhận và 1 hoạt động, 4,00 triệu đồng đang "
        "chờ xã xác nhận, tính đến ngày 22/11/2026" in _pdf_text(pdf_bytes)
    )


def test_the_document_numbers_its_parts_without_gaps_and_ties_each_annex_to_the_report(world):
    """No notable example and no needs, plans or follow-ups in this scope: part II and the
    annexes still count 1, 2, 3… and every annex says which report it belongs to."""
    run = ReportRun(province=world.province, period_start=datetime.date(2025, 7, 1),
                    period_end=datetime.date(2025, 12, 31), document_number="7/BC-UBND",
                    document_date=datetime.date(2026, 1, 5), pk=0)  # fmt: skip
    pdf_bytes, _, data = builder.build_files(run, today=TODAY)
    assert not data["notable"]
    text = _pdf_text(pdf_bytes)
    part_two = text[text.index("II. KẾT QUẢ THỰC HIỆN") : text.index("III. ĐÁNH GIÁ CHUNG")]
    titles = (
        "Nguồn lực|Kết quả theo|Tính bền vững|Các điển hình|Cử cán bộ|Kết quả ở|Đáp ứng|Thực hiện"
    )
    numbers = [int(n) for n in re.findall(rf"(\d+)\. (?:{titles})", part_two)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 4, numbers
    annexes = [int(n) for n in re.findall(r"Phụ lục (\d+)\. [A-ZĐ]", text)]
    assert annexes == list(range(1, len(annexes) + 1)), annexes
    attached = "Kèm theo Báo cáo số 7/BC-UBND ngày 05/01/2026 của UBND tỉnh Thử Nghiệm"
    assert text.count(attached) == len(annexes)
    assert not re.search(r"(?<![\d/])0/0(?![\d/])", text)  # "chưa có dữ liệu" instead
    assert "…" not in text.split("Nơi nhận")[-1]  # names wrap, never cut


def test_periods_before_the_province_used_giupxa_are_back_entered_not_late(world):
    """Records of 2025 entered in June 2026: late and short of days on site, unless the
    province began with giupxa in 2026, when they are "nhập bù"."""
    from django.utils import timezone

    activity = ActivityFactory(
        assignment=world.assignment_a,
        start_date=datetime.date(2025, 9, 1),
        status="confirmed",
        submitted_at=timezone.make_aware(datetime.datetime(2026, 6, 1)),
    )
    ContributionFactory(activity=activity, value=3_000_000)
    scope = figures.scope_assignments(province=world.province, agency=world.agency_a)
    period = (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))

    before = figures.compute(scope, *period, today=TODAY)
    assert [r["state"] for r in before.completeness] == ["late"]
    assert [r["agency"] for r in before.agencies_below] == [world.agency_a.name]

    world.province.giupxa_since = datetime.date(2026, 1, 1)
    world.province.save()
    after = figures.compute(scope, *period, today=TODAY)
    assert [r["state"] for r in after.completeness] == ["back_entered"]
    assert after.agencies_below == [] and after.days_back_entered == [True, True]
    assert after.total_value == before.total_value == 3_000_000  # the figures themselves stand
    run = ReportRun(province=world.province, agency=world.agency_a, scope="agency",
                    period_start=period[0], period_end=period[1], pk=0)  # fmt: skip
    text = _pdf_text(builder.build_files(run, today=TODAY)[0])
    assert "1 cơ quan, đơn vị nhập bù số liệu" in text and "gửi chậm" not in text


def test_a_period_spanning_the_reform_counts_each_commune_once(world):
    """Agency A helped Xã Cũ Mường until 30/6/2025 and Xã Mới Mường (which absorbed it) since:
    2025 counts one commune, under its current name."""
    for assignment, day in ((world.old_assignment_a, datetime.date(2025, 5, 10)),
                            (world.assignment_a, datetime.date(2025, 8, 10))):  # fmt: skip
        activity = ActivityFactory(assignment=assignment, start_date=day, status="confirmed")
        ContributionFactory(activity=activity, value=5_000_000)
    scope = figures.scope_assignments(province=world.province, agency=world.agency_a)
    result = figures.compute(scope, START, END, today=TODAY)
    assert (result.activities, result.communes, result.total_value) == (2, 1, 10_000_000)
    assert [r["commune"] for r in result.annex] == [world.commune.name]


def test_a_report_for_a_pre_reform_province_as_it_was(demo_lao_cai):
    """Yên Bái, before it went into Lào Cai: its own communes only, in its own name."""
    province, yen_bai = demo_lao_cai
    run = ReportRun(province=province, former_province=yen_bai, scope="former_province",
                    period_start=datetime.date(2024, 1, 1),
                    period_end=datetime.date(2024, 12, 31), pk=0)  # fmt: skip
    pdf_bytes, _, data = builder.build_files(run, today=TODAY)
    assert data["scope_label"] == "Tỉnh Yên Bái (trước 01/7/2025)"
    assert data["total_value"] == 7_000_000 and data["communes"] == 1  # not Lào Cai's own
    text = _pdf_text(pdf_bytes)
    assert "UBND TỈNH YÊN BÁI" in text and "UBND tỉnh Yên Bái" in text


@pytest.fixture
def demo_lao_cai(admin_units):
    """Today's Lào Cai (old Lào Cai and Yên Bái merged): one confirmed record in a commune of
    each old province in 2024."""
    from tests import factories as f

    province = Province.objects.current().get(code="15")
    old = {p.short_name: p for p in Province.objects.filter(successor=province)}
    decision = f.DecisionFactory(province=province, phase_start=datetime.date(2021, 1, 1),
                                 phase_end=datetime.date(2025, 12, 31))  # fmt: skip
    for name, value in (("Yên Bái", 7_000_000), ("Lào Cai", 9_000_000)):
        commune = Commune.objects.filter(province=old[name]).order_by("code").first()
        assignment = f.AssignmentFactory(decision=decision, commune=commune,
                                         valid_to=datetime.date(2025, 6, 30))  # fmt: skip
        activity = ActivityFactory(assignment=assignment, start_date=datetime.date(2024, 5, 6),
                                   status="confirmed")  # fmt: skip
        ContributionFactory(activity=activity, value=value)
    return province, old["Yên Bái"]


def test_a_title_that_looks_like_a_formula_stays_text_in_every_sheet(world):
    """The report's title and its scope's name head every sheet, in merged cells."""
    world.agency_a.name = "=1+2"
    world.agency_a.save()
    run = ReportRun(province=world.province, agency=world.agency_a, scope="agency",
                    title='=HYPERLINK("http://x","bấm")', period_start=datetime.date(2026, 1, 1),
                    period_end=datetime.date(2026, 12, 31), pk=0)  # fmt: skip
    _, xlsx_bytes, _ = builder.build_files(run, today=TODAY)
    workbook = load_workbook(io.BytesIO(xlsx_bytes))
    for sheet in workbook:
        title, subtitle = sheet["A1"], sheet["A2"]
        assert title.data_type == "s" and subtitle.data_type == "s", sheet.title
    assert workbook["Tổng hợp"]["A1"].value == '=HYPERLINK("http://x","bấm")'.upper()
    assert workbook["Tổng hợp"]["A2"].value.startswith("=1+2 –")
