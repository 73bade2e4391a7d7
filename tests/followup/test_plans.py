"""Annual plans made with the commune, and results against them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followup import plans
from followup.models import AnnualPlan, PlanItem
from followup.services import plans as services
from reports import figures
from tests.factories import (
    ActivityFactory,
    ContributionFactory,
    FieldVisitFactory,
    InKindContributionFactory,
    ItemFactory,
    PlanItemFactory,
)

pytestmark = pytest.mark.django_db


def test_the_agency_makes_the_plan_within_the_assignments_years(world):
    staff = world.users["agency_staff_a"]
    plan = services.plan_save(user=staff, assignment=world.assignment_a, year=2027,
                              fields={"planned_days_per_quarter": 18,
                                      "agreed_on": datetime.date(2027, 1, 10)})  # fmt: skip
    assert (plan.year, plan.planned_days_per_quarter) == (2027, 18)
    with pytest.raises(ValidationError, match="ngoài thời gian phân công"):
        services.plan_save(user=staff, assignment=world.assignment_a, year=2040, fields={})
    with pytest.raises(PermissionDenied):
        services.plan_save(user=world.users["commune_officer"], assignment=world.assignment_a,
                           year=2027, fields={})  # fmt: skip


def test_results_against_plan_per_item_and_quarter(world):
    plan = world.plan_item_a.plan  # 2026, one item: 1 activity in activity_a's field, any time
    cement = ItemFactory()
    q1 = PlanItemFactory(plan=plan, category=world.activity_a.category, quarter=1,
                         target_activities=None, target_value=25_000_000)  # fmt: skip
    q2 = PlanItemFactory(plan=plan, category=world.activity_a.category, quarter=2,
                         target_activities=None, target_item=cement, target_quantity=5)  # fmt: skip
    # Results count what the commune confirmed: the draft beside March's record does not.
    ContributionFactory(activity=world.activity_a, value=900_000_000)  # a draft, 2 March
    march = ActivityFactory(assignment=world.assignment_a, category=world.activity_a.category,
                            start_date=datetime.date(2026, 3, 2), status="confirmed")  # fmt: skip
    ContributionFactory(activity=march, value=30_000_000)  # quarter 1
    may = ActivityFactory(assignment=world.assignment_a, category=world.activity_a.category,
                          start_date=datetime.date(2026, 5, 4), status="confirmed")  # fmt: skip
    InKindContributionFactory(activity=may, item=cement, quantity=3, value=4_800_000)
    FieldVisitFactory(assignment=world.assignment_a, start_date=datetime.date(2026, 4, 6),
                      end_date=datetime.date(2026, 4, 9), days_on_site=4)  # fmt: skip
    plan = AnnualPlan.objects.prefetch_related("items").get(pk=plan.pk)
    result = plans.progress([plan])[plan.pk]
    rows = {r.item.pk: r for r in result.items}
    assert rows[world.plan_item_a.pk].activities >= 2 and rows[world.plan_item_a.pk].achieved
    assert 30_000_000 <= rows[q1.pk].value < 900_000_000 and rows[q1.pk].achieved
    assert rows[q2.pk].quantity == 3 and not rows[q2.pk].achieved  # 3 of 5 tonnes
    assert result.days == [0, 4, 0, 0]
    assert result.achieved == 2

    year = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    report = figures.compute(figures.scope_assignments(province=world.province), *year)
    [row] = [r for r in report.plans_by_agency if r["agency"] == world.agency_a.name]
    assert (row["items"], row["achieved"], row["planned_value"]) == (3, 2, 25_000_000)


def test_plan_page_adds_items_and_refuses_an_item_without_target(client, world):
    client.force_login(world.users["agency_staff_a"])
    url = reverse("plan_item_add", args=[world.assignment_a.pk, 2026])
    before = PlanItem.objects.count()
    page = client.post(url, {"category": world.activity_a.category_id, "title": "Tập huấn"})
    assert "Ghi chỉ tiêu" in page.content.decode() and PlanItem.objects.count() == before
    page = client.post(url, {"category": world.activity_a.category_id, "title": "Làm đường",
                             "target_value": "-1.000"})  # fmt: skip
    assert "không được âm" in page.content.decode()
    response = client.post(url, {"category": world.activity_a.category_id,
                                 "title": "Tặng 200 suất quà", "quarter": "4",
                                 "target_value": "60.000.000"})  # fmt: skip
    assert response.status_code == 302
    assert PlanItem.objects.get(title="Tặng 200 suất quà").target_value == 60_000_000
    page = client.get(reverse("plan_detail", args=[world.assignment_a.pk, 2026])).content
    assert "Tặng 200 suất quà" in page.decode()


def test_plans_show_on_the_dashboards_and_the_page_is_bounded(
    client, world, django_assert_max_num_queries
):
    for n in range(10):
        PlanItemFactory(plan=world.plan_item_a.plan, category=world.activity_a.category,
                        title=f"Hoạt động {n}")  # fmt: skip
    client.force_login(world.users["commune_officer"])
    period = {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"}
    page = client.get(reverse("commune_dashboard", args=[world.commune.pk]), period)
    assert 'data-plan="' in page.content.decode()
    # session, user, roles, assignment, plan with items, categories and items, 3 rollup
    # reads, notifications
    with django_assert_max_num_queries(12):
        page = client.get(reverse("plan_detail", args=[world.assignment_a.pk, 2026]))
    assert page.status_code == 200 and "Hoạt động 9" in page.content.decode()
    services.plan_save(user=world.users["agency_staff_a"], assignment=world.assignment_a,
                       year=2030, fields={})  # fmt: skip
    future = client.get(reverse("plan_detail", args=[world.assignment_a.pk, 2030]))
    assert future.content.decode().count('data-quarter="future"') == 4  # nothing "chưa đủ" yet
