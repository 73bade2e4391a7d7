"""A dashboard's downloads read the same in every program: totals stored with their formulas,
#,##0 numbers, % shares, dd/mm/yyyy dates, frozen headers and filters."""

import datetime

import pytest
from django.urls import reverse

from tests.dashboards.test_dashboards import YEAR, money, sql_total  # noqa: F401 (a fixture)
from tests.workbook_checks import assert_date_cell, assert_table, stored_values

pytestmark = pytest.mark.django_db


def _download(client, name, *args, **params):
    response = client.get(reverse(name, args=args), {**YEAR, **params, "format": "xlsx"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_overview_download_stores_its_totals(client, money):  # noqa: F811
    client.force_login(money.users["leadership"])
    values = stored_values(_download(client, "province_dashboard"))
    total = sql_total(money.province.pk)
    assert total == 14_355_000_000

    summary = {r[0].value: r[1] for r in values["Tổng hợp"].iter_rows() if r[0].value}
    figure = summary["Tổng giá trị quy ra tiền (đồng)"]
    assert (figure.value, figure.number_format) == (total, "#,##0")
    annex = values["PL1 Cơ quan - Xã"]
    totals = annex[annex.max_row]
    assert totals[1].value == "Tổng cộng"
    assert (totals[-1].value, totals[-1].number_format) == (total, "#,##0")
    activities = values["Danh sách hoạt động"]
    assert activities[activities.max_row][9].value == total
    for row in activities.iter_rows(min_row=5, max_row=activities.max_row - 1):
        assert_date_cell(row[0], row[0].value.date())
    for name in values.sheetnames[1:]:
        assert_table(values[name], 4)


def test_an_agency_page_download_is_its_scope(client, money):  # noqa: F811
    client.force_login(money.users["agency_leader_a"])
    values = stored_values(_download(client, "agency_dashboard", money.agency_a.pk))
    annex = values["PL1 Cơ quan - Xã"]
    assert annex[annex.max_row][-1].value == sql_total(money.province.pk, [money.agency_a.pk])


def test_the_review_download_stores_its_totals_with_shares_and_dates(client, money):  # noqa: F811
    client.force_login(money.users["secretariat"])
    sheet = stored_values(_download(client, "review_table"))["Rà soát xã"]
    assert sheet["A1"].value.startswith("Bảng rà soát các xã")
    assert_table(sheet, 2)
    body = list(sheet.iter_rows(min_row=3, max_row=sheet.max_row - 1))
    assert {row[0].value for row in body} == {money.commune.name, money.commune_b.name}
    totals = sheet[sheet.max_row]
    assert totals[0].value == "Tổng cộng"
    assert (totals[2].value, totals[2].number_format) == (sql_total(money.province.pk), "#,##0")
    assert totals[3].value == sum(row[3].value for row in body)
    assert sheet.auto_filter.ref == f"A2:J{sheet.max_row - 1}"
    for row in body:
        assert row[2].number_format == "#,##0"
        share = row[4]  # cash over total: every record here is cash
        assert (share.value, share.number_format) == (1, "0.0%")
        last = row[6].value.date()  # the commune's latest activity, a date cell
        assert_date_cell(row[6], last)
        assert datetime.date(2026, 1, 1) <= last <= datetime.date(2026, 12, 31)
