"""A known answer from a published review: Hà Tĩnh, 2017. 21 sponsoring units helped 21
communes with 76,987 tỷ đồng in all: 25,396 tỷ given directly, 37,222 tỷ mobilised from
outside, 14,369 tỷ from programmes folded in (lồng ghép).

Entered as the agencies would (one Excel file each, through the import pages), submitted by
each agency's leader and confirmed by each commune's officer through the review pages; the
report is then built and its figures read back from the PDF text, from the workbook as
stored (no recalculation) and after LibreOffice recalculated it.
"""

import datetime
import io
import shutil

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook
from pypdf import PdfReader

from assignments.models import Role
from communes.models import Commune, Province
from contributions.imports import COLUMNS, SHEET
from contributions.models import Activity, Category, Contribution
from reports import builder
from reports.models import ReportRun
from tests import factories as f
from tests.contributions.workbooks import commit as import_commit
from tests.contributions.workbooks import upload as import_upload
from tests.workbook_checks import recalculated, stored_values

pytestmark = pytest.mark.django_db
UNITS = 21
DIRECT, MOBILISED, INTEGRATED = 25_396_000_000, 37_222_000_000, 14_369_000_000
SOURCES = (
    (DIRECT, "Kinh phí của cơ quan", ""),
    (MOBILISED, "Doanh nghiệp, nhà tài trợ được vận động", "Doanh nghiệp trên địa bàn"),
    (INTEGRATED, "Lồng ghép chương trình, dự án", ""),
)


def share(total: int, index: int) -> int:
    """The index-th of 21 shares of `total`, the first one carrying the remainder."""
    return total // UNITS + (total % UNITS if index == 0 else 0)


def workbook_for(commune: Commune, index: int) -> bytes:
    category = Category.objects.filter(is_active=True).order_by("order", "name").first()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet.append([column.title for column in COLUMNS])
    for total, source, donor in SOURCES:
        sheet.append([
            commune.code, "15/06/2017", category.name, f"Giúp xã {commune.short_name} năm 2017",
            "Tiền mặt", None, None, None, share(total, index), source, donor, "Có", 100,
        ])  # fmt: skip
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.fixture
def ha_tinh_2017(admin_units, client):
    call_command("load_admin_units", province=["42"], verbosity=0)
    province = Province.objects.current().get(code="42")
    communes = list(
        Commune.objects.filter(province__code="42", province__valid_to__isnull=False)
        .valid_on(datetime.date(2017, 6, 15))
        .order_by("code")[:UNITS]
    )
    assert len(communes) == UNITS
    decision = f.DecisionFactory(
        province=province, number="2124/QĐ-UBND", signed_on=datetime.date(2016, 7, 20),
        phase_start=datetime.date(2016, 1, 1), phase_end=datetime.date(2020, 12, 31),
    )  # fmt: skip
    for index, commune in enumerate(communes):
        agency = f.AgencyFactory(province=province, name=f"Đơn vị đỡ đầu số {index + 1:02d}")
        f.AssignmentFactory(decision=decision, agency=agency, commune=commune)
        staff, leader, officer = (f.UserFactory() for _ in range(3))
        Role.objects.create(user=staff, kind="agency_staff", province=province, agency=agency)
        Role.objects.create(user=leader, kind="agency_leader", province=province, agency=agency)
        Role.objects.create(user=officer, kind="commune_officer", province=province,
                            commune=commune)  # fmt: skip

        # The agency's staff imports its sheet: upload, read the check, commit.
        client.force_login(staff)
        page = import_upload(client, workbook_for(commune, index), f"don-vi-{index + 1:02d}.xlsx")
        assert page.parsed is not None and page.parsed.ok, [str(p) for p in page.parsed.problems]
        assert "Đã lưu vào hệ thống" in import_commit(client, page).content.decode()
        activity = Activity.objects.get(assignment__agency=agency)

        # The leader sends it to the commune, which confirms what it received.
        client.force_login(leader)
        assert client.post(reverse("activity_submit", args=[activity.pk])).status_code == 302
        client.force_login(officer)
        assert client.post(reverse("activity_confirm", args=[activity.pk])).status_code == 302
    assert (
        not Activity.objects.exclude(status="confirmed")
        .filter(assignment__decision=decision)
        .exists()
    )
    return province


def test_ha_tinh_2017_reads_back_exactly(ha_tinh_2017, tmp_path):
    assert Contribution.objects.filter(
        activity__assignment__decision__province=ha_tinh_2017
    ).count() == 3 * UNITS  # fmt: skip
    run = ReportRun(province=ha_tinh_2017, period_start=datetime.date(2017, 1, 1),
                    period_end=datetime.date(2017, 12, 31), document_number="18/BC-UBND",
                    document_date=datetime.date(2018, 1, 10), pk=0)  # fmt: skip
    pdf_bytes, xlsx_bytes, data = builder.build_files(run, today=datetime.date(2018, 1, 10))
    assert data["total_value"] == 76_987_000_000
    assert (data["activities"], data["communes"], data["agencies"]) == (UNITS, UNITS, UNITS)

    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf_bytes)).pages
    )
    assert "thực hiện 21 hoạt động tại 21 xã" in text
    assert "huy động tổng giá trị quy ra tiền 76.987,00 triệu đồng" in text
    assert "trong đó tiền mặt 76.987,00 triệu đồng" in text
    assert "kinh phí của cơ quan 25.396,00 triệu đồng" in text
    assert "doanh nghiệp, nhà tài trợ được vận động 37.222,00 triệu đồng" in text
    assert "lồng ghép chương trình, dự án 14.369,00 triệu đồng" in text
    assert "21 cơ quan, đơn vị được phân công giúp đỡ 21 xã" in text

    stored = stored_values(xlsx_bytes)
    summary = {row[0]: row[1] for row in stored["Tổng hợp"].iter_rows(values_only=True) if row[0]}
    assert summary["Tổng giá trị quy ra tiền (đồng)"] == 76_987_000_000
    assert summary["Lồng ghép chương trình, dự án"] == INTEGRATED
    assert summary["Doanh nghiệp, nhà tài trợ được vận động"] == MOBILISED
    assert summary["Kinh phí của cơ quan"] == DIRECT
    assert summary["Tổng theo nguồn (đồng)"] == 76_987_000_000
    annex = stored["PL1 Cơ quan - Xã"]
    assert annex.cell(annex.max_row, annex.max_column).value == 76_987_000_000

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    recomputed = recalculated(xlsx_bytes, tmp_path)
    annex = recomputed["PL1 Cơ quan - Xã"]
    assert annex.cell(annex.max_row, annex.max_column).value == 76_987_000_000
    summary = {
        row[0]: row[1] for row in recomputed["Tổng hợp"].iter_rows(values_only=True) if row[0]
    }
    assert summary["Tổng theo nguồn (đồng)"] == 76_987_000_000
