"""Every imported row lands where its author meant (issue 13): communes by code, label or
exact name, accent-blind only when that names one commune, on the real units of Lào Cai,
where Nậm Chảy (Mường Khương) and Nậm Chày (Văn Bàn) differ by a tone mark alone."""

import datetime
from dataclasses import dataclass

import pytest

from assignments.models import Role
from communes.models import Commune, Province
from contributions import imports
from contributions.models import Activity
from tests import factories as f
from tests.conftest import LAO_CAI
from tests.contributions.workbooks import (
    cash_row,
    commit,
    counts,
    messages,
    template,
    upload,
    workbook_bytes,
)

pytestmark = pytest.mark.django_db
BEFORE = "15/03/2024"  # a day of the pre-reform communes
AFTER = "15/03/2026"


@dataclass
class LaoCai:
    agency: object
    user: object
    nam_chay_mk: object  # Nậm Chảy, huyện Mường Khương (pre-reform)
    nam_chay_vb: object  # Nậm Chày, huyện Văn Bàn (pre-reform)
    ban_lau: object  # Bản Lầu, huyện Mường Khương (pre-reform)
    nam_chay_now: object  # Nậm Chày since 1 July 2025
    assignments: dict


def legacy(name: str, district: str) -> Commune:
    return Commune.objects.legacy().get(short_name=name, district__short_name=district)


@pytest.fixture
def lao_cai(admin_units):
    province = Province.objects.current().get(code=LAO_CAI)
    old_decision = f.DecisionFactory(
        province=province,
        phase_start=datetime.date(2021, 1, 1),
        phase_end=datetime.date(2025, 6, 30),
        status="replaced",
    )
    decision = f.DecisionFactory(
        province=province,
        phase_start=datetime.date(2025, 7, 1),
        phase_end=datetime.date(2030, 12, 31),
    )
    agency = f.AgencyFactory(province=province, name="Ban Dân tộc tỉnh Lào Cai")
    communes = {
        "mk": legacy("Nậm Chảy", "Mường Khương"),
        "vb": legacy("Nậm Chày", "Văn Bàn"),
        "bl": legacy("Bản Lầu", "Mường Khương"),
        "now": Commune.objects.current().get(short_name="Nậm Chày", province=province),
    }
    assignments = {
        key: f.AssignmentFactory(
            decision=decision if commune.is_current else old_decision,
            agency=agency,
            commune=commune,
        )
        for key, commune in communes.items()
    }
    user = f.RoleFactory(kind=Role.Kind.AGENCY_STAFF, province=province, agency=agency).user
    return LaoCai(
        agency, user, communes["mk"], communes["vb"], communes["bl"], communes["now"], assignments
    )


def parse(rows, user):
    return imports.parse(workbook_bytes(rows), user=user, file_name="lao-cai.xlsx")


def test_the_real_units_are_what_the_tests_claim(lao_cai):
    assert (lao_cai.nam_chay_mk.code, lao_cai.nam_chay_vb.code) == ("02770", "03076")
    assert lao_cai.nam_chay_mk.search_key == lao_cai.nam_chay_vb.search_key  # same letters


def test_two_communes_a_tone_mark_apart_are_each_filed_right(client, lao_cai):
    client.force_login(lao_cai.user)
    mk, vb = lao_cai.assignments["mk"], lao_cai.assignments["vb"]
    rows = {
        # title: (what the agency typed in the commune column, where it must land)
        "Theo tên Nậm Chảy": ("Nậm Chảy", mk),
        "Theo tên Nậm Chày": ("Nậm Chày", vb),
        "Theo tên đầy đủ": ("Xã Nậm Chảy", mk),
        "Theo chữ hoa": ("NẬM CHÀY", vb),
        "Theo mã": ("02770", mk),
        "Theo mã trong ô số": (3076, vb),  # Excel dropped the leading zero
        "Theo nhãn": ("Nậm Chày (huyện Văn Bàn cũ, mã 03076)", vb),
        "Sau sắp xếp": ("Nậm Chày (mã 03076)", lao_cai.assignments["now"]),
    }
    data = workbook_bytes(
        cash_row(typed, AFTER if title == "Sau sắp xếp" else BEFORE, title=title)
        for title, (typed, _) in rows.items()
    )
    preview = upload(client, data)
    assert preview.parsed.ok, messages(preview.parsed)
    commit(client, preview)
    for title, (_, assignment) in rows.items():
        assert Activity.objects.get(title=title).assignment == assignment, title


def test_an_accentless_name_that_fits_both_is_a_problem_naming_both(client, lao_cai):
    client.force_login(lao_cai.user)
    before = counts()
    data = workbook_bytes([cash_row("Nậm Chảy", BEFORE), cash_row("Nam Chay", BEFORE)])
    response = upload(client, data)
    result = response.parsed
    assert [(p.sheet, p.row, p.column) for p in result.problems] == [("Hoạt động", 3, "Xã")]
    assert result.problems[0].message == (
        "«Nam Chay» khớp nhiều xã: Nậm Chày (huyện Văn Bàn cũ, mã 03076), Nậm Chảy (huyện"
        " Mường Khương cũ, mã 02770); ghi đúng tên có dấu hoặc mã xã."
    )
    page = response.content.decode()
    assert "huyện Mường Khương cũ, mã 02770" in page and "huyện Văn Bàn cũ, mã 03076" in page
    assert "data-commit" not in page
    assert counts() == before


def test_an_accentless_name_that_fits_one_commune_is_accepted(lao_cai):
    """Bản Lầu is the only "ban lau"; after the reform the only "nam chay" is the current
    Nậm Chày (Nậm Chảy ended on 30 June 2025)."""
    rows = [
        cash_row("ban lau", BEFORE, title="A"),
        cash_row("Nam Chay", AFTER, title="B"),
        cash_row(2788, BEFORE, title="C"),
    ]
    result = parse(rows, lao_cai.user)
    assert result.ok, messages(result)
    assert [row.assignment for row in result.rows] == [
        lao_cai.assignments["bl"],
        lao_cai.assignments["now"],
        lao_cai.assignments["bl"],
    ]


def test_an_exact_name_of_a_commune_not_helped_is_never_folded_onto_one_helped(lao_cai):
    """Agency B helps only Nậm Chày: "Nậm Chảy" is refused, not filed under Nậm Chày."""
    vb = lao_cai.assignments["vb"]
    agency = f.AgencyFactory(province=vb.agency.province)
    f.AssignmentFactory(decision=vb.decision, agency=agency, commune=lao_cai.nam_chay_vb)
    user = f.RoleFactory(kind=Role.Kind.AGENCY_STAFF, province=agency.province, agency=agency)
    rows = [
        cash_row("Nậm Chảy", BEFORE),
        cash_row("Pha Long", BEFORE),
        cash_row("Nam Chay", BEFORE),
    ]
    result = parse(rows, user.user)
    assert messages(result).split(" | ")[:2] == [
        "Hoạt động:2:Xã:Xã «Nậm Chảy» không thuộc các xã cơ quan bạn được phân công vào"
        " ngày 15/03/2024.",
        "Hoạt động:3:Xã:Xã «Pha Long» không thuộc các xã cơ quan bạn được phân công vào"
        " ngày 15/03/2024.",
    ]
    assert len(result.problems) == 2  # among its own communes "Nam Chay" is one


def test_a_label_whose_name_and_code_disagree_is_a_problem(lao_cai):
    result = parse([cash_row("Nậm Chảy (mã 03076)", BEFORE)], lao_cai.user)
    assert "mã 03076 là xã Nậm Chày, không phải «Nậm Chảy»" in messages(result)


def test_a_commune_of_the_other_era_is_refused_for_the_day(lao_cai):
    result = parse([cash_row("Nậm Chảy", AFTER)], lao_cai.user)
    assert "không thuộc các xã cơ quan bạn được phân công vào ngày 15/03/2026" in messages(result)


def test_the_templates_labels_round_trip(client, lao_cai):
    """Every label of the template's commune list is unique and is read back as its commune."""
    client.force_login(lao_cai.user)
    labels = [c.value for c in template(client)["Danh mục"]["A"][1:] if c.value]
    assert len(labels) == len(set(labels)) == 4
    assert "Nậm Chảy (huyện Mường Khương cũ, mã 02770)" in labels
    assert "Nậm Chày (huyện Văn Bàn cũ, mã 03076)" in labels
    assert "Nậm Chày (mã 03076)" in labels
    assignments = lao_cai.assignments
    expected = {
        "Nậm Chảy (huyện Mường Khương cũ, mã 02770)": (assignments["mk"], BEFORE),
        "Nậm Chày (huyện Văn Bàn cũ, mã 03076)": (assignments["vb"], BEFORE),
        "Bản Lầu (huyện Mường Khương cũ, mã 02788)": (assignments["bl"], BEFORE),
        "Nậm Chày (mã 03076)": (assignments["now"], AFTER),
    }
    assert sorted(labels) == sorted(expected)
    result = parse(
        [cash_row(label, day, title=label) for label, (_, day) in expected.items()], lao_cai.user
    )
    assert result.ok, messages(result)
    assert {row.title: row.assignment for row in result.rows} == {
        label: assignment for label, (assignment, _) in expected.items()
    }


def test_villages_are_matched_inside_the_rows_commune(lao_cai):
    village = f.VillageFactory(commune=lao_cai.nam_chay_mk, name="Lũng Phìn")
    other = f.VillageFactory(commune=lao_cai.nam_chay_mk, name="Na Lốc")
    f.VillageFactory(commune=lao_cai.nam_chay_vb, name="Cốc Lầy")
    f.VillageFactory(commune=lao_cai.nam_chay_vb, name="Cốc Lấy")
    rows = [
        cash_row("Nậm Chảy", BEFORE, title="A", village="Lũng Phìn"),
        cash_row("Nậm Chảy", BEFORE, title="B", village="na loc"),
        cash_row(
            "Nậm Chảy", BEFORE, title="A", village="Bản Lũng Phìn – Nậm Chảy (mã 02770)", value=5
        ),
        cash_row("Nậm Chảy", BEFORE, title="D", village="Sín Chải"),
        cash_row("Nậm Chày", BEFORE, title="E", village="coc lay"),
    ]
    result = parse(rows, lao_cai.user)
    assert messages(result).split(" | ") == [
        "Hoạt động:5:Thôn, bản (nếu có):Xã Nậm Chảy không có thôn, bản «Sín Chải».",
        "Hoạt động:6:Thôn, bản (nếu có):«coc lay» khớp nhiều thôn, bản: Bản Cốc Lấy,"
        " Bản Cốc Lầy; ghi đúng tên có dấu.",
    ]
    fixed = parse(rows[:3], lao_cai.user)
    assert [row.village for row in fixed.rows] == [village, other, village]
    assert fixed.activity_count == 2  # rows 1 and 3: same commune, village, day, field, content
