"""Dashboards: figures equal independent sums, scoped by the access rules, bounded queries."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from contributions import rollup
from core.formatting import million_dong
from tests.factories import ActivityFactory, ContributionFactory

pytestmark = pytest.mark.django_db
YEAR = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}


def sql_total(province_id, agency_ids=None) -> int:
    """The official figure, independently: what the communes confirmed."""
    where = "d.province_id = %s"
    params = [province_id, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)]
    if agency_ids:
        where += f" AND s.agency_id IN ({','.join('%s' for _ in agency_ids)})"
        params[1:1] = agency_ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT COALESCE(SUM(c.value), 0) FROM contributions_contribution c
            JOIN contributions_activity a ON a.id = c.activity_id
            JOIN assignments_assignment s ON s.id = a.assignment_id
            JOIN assignments_decision d ON d.id = s.decision_id
            WHERE {where} AND d.status <> 'draft' AND a.status = 'confirmed'
              AND a.start_date BETWEEN %s AND %s""",
            params,
        )
        return int(cursor.fetchone()[0])


@pytest.fixture
def money(world):
    """Confirmed records of agencies A and B, each beside a draft of the same value that
    must never count."""
    for draft, value in ((world.activity_a, 12_345_000_000), (world.activity_b, 2_000_000_000)):
        confirmed = ActivityFactory(
            assignment=draft.assignment, start_date=draft.start_date, status="confirmed"
        )
        ContributionFactory(activity=confirmed, value=value)
        ContributionFactory(activity=draft, value=value)
    return world


def test_the_overview_equals_independent_sums(client, money):
    client.force_login(money.users["leadership"])
    page = client.get(reverse("province_dashboard"), YEAR).content.decode()
    total = sql_total(money.province.pk)
    # 12.345 + 2.000 million, and the world's own confirmed record (10 million); the drafts
    # of the same value beside them count nowhere
    assert total == 14_355_000_000
    assert f'data-figure="total">{million_dong(total)}<' in page
    assert "Số liệu do các xã đã xác nhận" in page


def test_agency_staff_see_only_their_agencys_figures(client, money):
    client.force_login(money.users["agency_staff_a"])
    page = client.get(reverse("province_dashboard"), YEAR).content.decode()
    mine = sql_total(money.province.pk, [money.agency_a.pk])
    assert f'data-figure="total">{million_dong(mine)}<' in page
    assert money.agency_b.name not in page


def test_commune_page_counts_the_predecessors_and_is_scoped(client, money):
    ContributionFactory(activity=money.old_activity_a, value=7_000_000)
    client.force_login(money.users["commune_officer"])
    period = {"period": "custom", "start": "2024-01-01", "end": "2026-12-31"}
    page = client.get(
        reverse("commune_dashboard", args=[money.commune.pk]), period
    ).content.decode()
    assert money.legacy_commune.name in page  # listed as a predecessor
    assert money.agency_a.name in page
    assert client.get(reverse("commune_dashboard", args=[money.commune_b.pk])).status_code == 404


def test_district_officer_sees_the_commune_of_their_district_only(client, money):
    client.force_login(money.users["district_officer"])
    assert client.get(reverse("commune_dashboard", args=[money.commune.pk])).status_code == 200
    assert client.get(reverse("commune_dashboard", args=[money.commune_b.pk])).status_code == 404


@pytest.mark.parametrize("extra", [0, 40])
def test_dashboards_run_a_bounded_number_of_queries(
    client, money, django_assert_max_num_queries, extra
):
    for _ in range(extra):
        ContributionFactory(
            activity=ActivityFactory(assignment=money.assignment_a), value=1_000_000
        )
    client.force_login(money.users["leadership"])
    # session, user, roles, phase bounds, the report figures (≈20 rollup reads and aggregates,
    # 2 for needs, 3 for follow-ups, 4 for plans), the map's commune review (≈8) and
    # coordinates (2), overdue tasks, unread notifications
    # + the awaiting totals and the same-days comparison (a period not over: its partial
    # month read from the raw rows)
    with django_assert_max_num_queries(50):
        assert client.get(reverse("province_dashboard"), YEAR).status_code == 200
    with django_assert_max_num_queries(48):
        assert (
            client.get(reverse("commune_dashboard", args=[money.commune.pk]), YEAR).status_code
            == 200
        )


def test_review_table_is_scoped_flags_and_downloads(client, money):
    import io

    from openpyxl import load_workbook

    client.force_login(money.users["district_officer"])
    page = client.get(reverse("review_table"), YEAR).content.decode()
    assert money.commune.name in page
    assert money.commune_b.name not in page  # not in the district
    assert 'data-flag="below"' in page  # no field visit this quarter
    response = client.get(reverse("review_table"), {**YEAR, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    communes = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert communes == [money.commune.name, "Tổng cộng"]

    client.force_login(money.users["secretariat"])
    page = client.get(reverse("review_table"), {**YEAR, "q": "khac han"}).content.decode()
    assert money.commune_b.name in page and money.commune.name not in page


def test_review_search_by_a_former_name_lands_on_the_current_commune_with_its_figures(
    client, money
):
    client.force_login(money.users["secretariat"])
    by_old = client.get(reverse("review_table"), {**YEAR, "q": "cu muong"}).content.decode()
    by_new = client.get(reverse("review_table"), {**YEAR, "q": "moi muong"}).content.decode()
    assert money.commune.name in by_old and money.commune_b.name not in by_old
    row = by_new[by_new.index(money.commune.name) :].split("</tr>")[0]
    assert million_dong(12_355_000_000).split(" ")[0] in row  # 12.345 + the world's 10 million
    assert by_old[by_old.index(money.commune.name) :].split("</tr>")[0] == row


def test_agency_page_shows_timeliness_per_quarter(client, money):
    from django.utils import timezone

    money.activity_a.status = "submitted"
    money.activity_a.submitted_at = timezone.make_aware(datetime.datetime(2026, 3, 20))
    money.activity_a.save()
    rollup.refresh([rollup.key_of(money.activity_a)])  # a save past the services
    client.force_login(money.users["agency_leader_a"])
    page = client.get(reverse("agency_dashboard", args=[money.agency_a.pk]), YEAR).content.decode()
    assert "Quý 1/2026" in page and "Đúng hạn" in page
    assert money.commune.name in page
    assert client.get(reverse("agency_dashboard", args=[money.agency_b.pk])).status_code == 404


def test_dashboard_tables_download_as_excel_scoped(client, money):
    import io

    from openpyxl import load_workbook

    client.force_login(money.users["agency_staff_a"])
    response = client.get(reverse("province_dashboard"), {**YEAR, "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    agencies = {
        row[1] for row in workbook["PL1 Cơ quan - Xã"].iter_rows(min_row=5, values_only=True)
    }
    assert money.agency_a.name in agencies and money.agency_b.name not in agencies


def test_commune_page_sets_each_years_support_beside_its_indicators(client, money):
    from communes.models import CommuneIndicator

    CommuneIndicator.objects.create(commune=money.commune, year=2026, poor_household_rate=31)
    client.force_login(money.users["commune_officer"])
    page = client.get(reverse("commune_dashboard", args=[money.commune.pk]), YEAR).content.decode()
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT COALESCE(SUM(c.value), 0) FROM contributions_contribution c
            JOIN contributions_activity a ON a.id = c.activity_id
            JOIN assignments_assignment s ON s.id = a.assignment_id
            WHERE s.commune_id = %s AND a.status = 'confirmed'
              AND a.start_date BETWEEN '2026-01-01' AND '2026-12-31'""",
            [money.commune.pk],
        )
        received = int(cursor.fetchone()[0])
    assert received >= 12_345_000_000
    assert f'data-support="2026">{million_dong(received)}<' in page


def test_agency_page_calls_a_quarter_before_giupxa_back_entered_not_late(client, money):
    from django.utils import timezone

    money.activity_a.status = "submitted"
    money.activity_a.submitted_at = timezone.make_aware(datetime.datetime(2026, 6, 20))
    money.activity_a.save()
    rollup.refresh([rollup.key_of(money.activity_a)])  # a save past the services
    client.force_login(money.users["agency_leader_a"])
    url = reverse("agency_dashboard", args=[money.agency_a.pk])
    assert "Gửi chậm" in client.get(url, YEAR).content.decode()  # Q1 sent in June
    money.province.giupxa_since = datetime.date(2026, 4, 1)
    money.province.save()
    page = client.get(url, YEAR).content.decode()
    assert "Nhập bù" in page and "Gửi chậm" not in page
