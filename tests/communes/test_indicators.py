"""A commune's yearly indicators: the officer's form, and the secretariat's import of a year
for the whole province (every problem listed and nothing written, or everything written)."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assignments.indicator_import import COLUMNS, SHEET
from assignments.models import Role
from communes.models import CommuneClassification, CommuneIndicator
from tests import factories as f


@pytest.fixture
def place(db):
    """Two communes whose names differ by one tone mark, and a third."""
    province = f.ProvinceFactory()
    chay_hook = f.CommuneFactory(province=province, name="Xã Nậm Chảy", code="90001")
    chay_grave = f.CommuneFactory(province=province, name="Xã Nậm Chày", code="90002")
    other = f.CommuneFactory(province=province, name="Xã Sín Thầu", code="90003")

    def person(kind, **scope):
        return f.RoleFactory(kind=kind, province=province, **scope).user

    return {
        "province": province, "hook": chay_hook, "grave": chay_grave, "other": other,
        "officer": person(Role.Kind.COMMUNE_OFFICER, commune=chay_hook),
        "secretariat": person(Role.Kind.SECRETARIAT),
        "staff": person(Role.Kind.AGENCY_STAFF, agency=f.AgencyFactory(province=province)),
    }  # fmt: skip


GOOD = {"year": "2025", "poor_household_rate": "12,5", "near_poor_household_rate": "7.25",
        "ntm_criteria_met": "15", "ntm_criteria_total": "19"}  # fmt: skip


def test_officer_enters_a_year_with_a_decimal_comma(client, place):
    commune = place["hook"]
    client.force_login(place["officer"])
    response = client.post(reverse("commune_indicator_add", args=[commune.pk]), GOOD)
    assert response.status_code == 302
    row = CommuneIndicator.objects.get(commune=commune, year=2025)
    assert row.poor_household_rate == Decimal("12.5")
    assert row.near_poor_household_rate == Decimal("7.25")
    assert (row.ntm_criteria_met, row.ntm_criteria_total, row.ntm_reached) == (15, 19, False)
    listing = client.get(reverse("commune_indicators", args=[commune.pk]), follow=True)
    assert "12,5%" in listing.content.decode()
    # The same year again is refused on the new-year form; its own page edits it.
    again = client.post(reverse("commune_indicator_add", args=[commune.pk]), GOOD)
    assert "Năm 2025 đã có số liệu" in again.content.decode()
    edit = reverse("commune_indicator_edit", args=[commune.pk, 2025])
    assert client.post(edit, {**GOOD, "year": "2030", "ntm_criteria_met": "19",
                              "ntm_reached": "on"}).status_code == 302  # fmt: skip
    row.refresh_from_db()
    assert (row.year, row.ntm_criteria_met, row.ntm_reached) == (2025, 19, True)


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"year": "2014"}, "year", "Năm phải từ 2015 đến 2100."),
        ({"year": "99999999999999999999999"}, "year", "Năm phải từ 2015 đến 2100."),
        ({"year": "hai nghìn"}, "year", "Ghi năm bằng 4 chữ số"),
        ({"poor_household_rate": "101"}, "poor_household_rate", "phải từ 0 đến 100"),
        ({"poor_household_rate": "-1"}, "poor_household_rate", "phải từ 0 đến 100"),
        ({"poor_household_rate": "12,555"}, "poor_household_rate", "tối đa 2 chữ số thập phân"),
        ({"poor_household_rate": "mười"}, "poor_household_rate", "không phải số"),
        ({"poor_household_rate": "NaN"}, "poor_household_rate", "không phải số"),
        ({"near_poor_household_rate": "1e999999"}, "near_poor_household_rate", "từ 0 đến 100"),
        ({"ntm_criteria_met": "20"}, "ntm_criteria_met", "không thể vượt tổng số tiêu chí"),
        ({"ntm_criteria_total": "0"}, "ntm_criteria_total", ""),
    ],
)
def test_indicator_form_refuses_with_a_message(client, place, change, field, message):
    client.force_login(place["officer"])
    response = client.post(
        reverse("commune_indicator_add", args=[place["hook"].pk]), {**GOOD, **change}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not CommuneIndicator.objects.exists()


def test_indicator_scope(client, place):
    url = reverse("commune_indicators", args=[place["grave"].pk])
    client.force_login(place["officer"])
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("commune_indicator_add", args=[place["grave"].pk]), GOOD).status_code
        == 404
    )
    client.force_login(place["staff"])
    assert client.get(url).status_code == 403
    client.force_login(place["secretariat"])
    assert client.get(url).status_code == 200
    assert not CommuneIndicator.objects.exists()


def _workbook(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([c.title for c in COLUMNS.values()])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("chi-tieu.xlsx", buffer.getvalue())


def _import(client, rows, year=2025):
    return client.post(reverse("indicator_import"), {"year": year, "file": _workbook(rows)})


def test_template_lists_the_province_communes(client, place):
    CommuneIndicator.objects.create(
        commune=place["other"], year=2025, poor_household_rate=Decimal("30.5"), ntm_criteria_met=9
    )
    client.force_login(place["secretariat"])
    response = client.get(reverse("indicator_import_template"), {"year": 2025})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.title for c in COLUMNS.values()]
    labels = {row[0]: row for row in rows[1:]}
    assert set(labels) == {"Nậm Chảy (mã 90001)", "Nậm Chày (mã 90002)", "Sín Thầu (mã 90003)"}
    assert labels["Sín Thầu (mã 90003)"][1] == 30.5
    client.force_login(place["officer"])
    assert client.get(reverse("indicator_import_template")).status_code == 403


def test_import_with_problems_writes_nothing_then_fixed_writes_everything(client, place):
    CommuneClassification.objects.create(
        commune=place["other"], kind="bien_gioi", start_year=2021, end_year=2030
    )
    client.force_login(place["secretariat"])
    bad = [
        ["Nậm Chày", "12,5", 6.5, 14, 19, "Không", "Xã khu vực III; Biên giới", "861/QĐ-TTg"],
        ["Xã Không Có", 10, 5, 10, 19, "Không", "", ""],
        ["90003", 150, 5, 20, 19, "Có lẽ", "Xã vùng cao", ""],
    ]
    response = _import(client, bad)
    assert response.status_code == 200
    problems = {(p.row, p.column) for p in response.context["problems"]}
    assert problems == {
        (3, "Xã"), (4, "Tỷ lệ hộ nghèo (%)"), (4, "Số tiêu chí NTM đạt"),
        (4, "Đạt chuẩn NTM (Có/Không)"), (4, "Phân loại"),
    }  # fmt: skip
    assert "data-problems" in response.content.decode()
    assert not CommuneIndicator.objects.exists()
    assert CommuneClassification.objects.count() == 1

    fixed = [
        ["Nậm Chày", "12,5", 6.5, 14, 19, "Không", "Xã khu vực III; Biên giới", "861/QĐ-TTg"],
        ["Nậm Chảy (mã 90001)", 20, 5, 10, "", "", "", ""],
        ["90003", 15, 5, 19, 19, "Có", "Biên giới; ĐBKK", ""],
        ["Xã Sín Thầu", "", "", "", "", "", "", ""],  # left blank: skipped, not a duplicate
    ]
    response = _import(client, fixed)
    assert response.status_code == 302, response.context and response.context.get("problems")
    grave = CommuneIndicator.objects.get(commune=place["grave"], year=2025)
    assert (grave.poor_household_rate, grave.near_poor_household_rate) == (
        Decimal("12.5"),
        Decimal("6.5"),
    )
    hook = CommuneIndicator.objects.get(commune=place["hook"], year=2025)
    assert (hook.poor_household_rate, hook.ntm_criteria_total) == (Decimal("20"), 19)
    assert CommuneIndicator.objects.get(commune=place["other"], year=2025).ntm_reached
    classes = set(
        CommuneClassification.objects.values_list("commune__code", "kind", "start_year", "end_year")
    )
    assert classes == {
        ("90002", "khu_vuc_3", 2025, 2025), ("90002", "bien_gioi", 2025, 2025),
        ("90003", "bien_gioi", 2021, 2030),  # already held that year: not added again
        ("90003", "dbkk", 2025, 2025),
    }  # fmt: skip
    # The same file again replaces the year's indicators and adds no class.
    assert _import(client, fixed).status_code == 302
    assert CommuneIndicator.objects.count() == 3
    assert CommuneClassification.objects.count() == 4


def test_import_tone_mark_twins_are_two_communes(client, place):
    client.force_login(place["secretariat"])
    response = _import(client, [["Nậm Chảy", 11, 1, 1, 19], ["Nậm Chày", 22, 2, 2, 19]])
    assert response.status_code == 302
    rates = dict(CommuneIndicator.objects.values_list("commune__code", "poor_household_rate"))
    assert rates == {"90001": Decimal("11"), "90002": Decimal("22")}
    blind = _import(client, [["Nam Chay", 33, 3, 3, 19]])
    assert blind.status_code == 200
    (problem,) = blind.context["problems"]
    assert "khớp nhiều xã" in problem.message and "Nậm Chảy (mã 90001)" in problem.message
    assert CommuneIndicator.objects.get(commune=place["hook"]).poor_household_rate == 11


def test_import_refuses_a_file_that_lies_about_its_type(client, place):
    client.force_login(place["secretariat"])
    csv = SimpleUploadedFile("chi-tieu.xlsx", "Xã,Tỷ lệ hộ nghèo\nNậm Chày,12\n".encode())
    response = client.post(reverse("indicator_import"), {"year": 2025, "file": csv})
    assert response.status_code == 200
    assert "không phải tệp Excel .xlsx" in response.content.decode()
    year = client.post(reverse("indicator_import"), {"year": 1990, "file": _workbook([])})
    assert "year" in year.context["form"].errors
    assert not CommuneIndicator.objects.exists()


def test_import_is_the_secretariats(client, place):
    client.force_login(place["officer"])
    assert client.get(reverse("indicator_import")).status_code == 403
    assert _import(client, [["Nậm Chảy", 11, 1, 1, 19]]).status_code == 403
    assert not CommuneIndicator.objects.exists()
