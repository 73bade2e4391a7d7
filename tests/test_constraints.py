"""The database itself refuses forbidden rows, whatever code writes them."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from assignments.models import Assignment, Role
from contributions.models import Contribution
from tests.factories import (
    ActivityFactory,
    AgencyFactory,
    AssignmentFactory,
    CommuneFactory,
    ContributionFactory,
    DecisionFactory,
    FieldVisitFactory,
    InKindContributionFactory,
    ItemFactory,
    ProvinceFactory,
    ReportRunFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_negative_cash_value_is_refused():
    refused(lambda: ContributionFactory(value=-1))


def test_negative_quantity_is_refused():
    refused(lambda: InKindContributionFactory(quantity=-2))


def test_cash_with_an_item_is_refused():
    item = ItemFactory()
    refused(lambda: ContributionFactory(kind=Contribution.Kind.CASH, item=item, quantity=1))


def test_in_kind_without_item_is_refused():
    refused(lambda: ContributionFactory(kind=Contribution.Kind.IN_KIND, quantity=1))


def test_zero_value_is_allowed():
    assert ContributionFactory(value=0).pk


def test_activity_ending_before_it_starts_is_refused():
    refused(
        lambda: ActivityFactory(
            start_date=datetime.date(2026, 3, 10), end_date=datetime.date(2026, 3, 9)
        )
    )


def test_activity_outside_the_decision_phase_is_refused():
    assignment = AssignmentFactory()  # phase 2021-01-01 .. 2026-12-31
    refused(lambda: ActivityFactory(assignment=assignment, start_date=datetime.date(2020, 12, 31)))
    refused(lambda: ActivityFactory(assignment=assignment, start_date=datetime.date(2027, 1, 1)))
    refused(
        lambda: ActivityFactory(
            assignment=assignment,
            start_date=datetime.date(2026, 12, 30),
            end_date=datetime.date(2027, 1, 2),
        )
    )
    assert ActivityFactory(assignment=assignment, start_date=datetime.date(2021, 1, 1)).pk


def test_moving_an_activity_out_of_the_phase_is_refused():
    activity = ActivityFactory()
    activity.start_date = datetime.date(2030, 1, 1)
    refused(activity.save)


def test_field_visit_outside_the_phase_is_refused():
    refused(
        lambda: FieldVisitFactory(
            start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2020, 1, 3)
        )
    )


def test_field_visit_dates_and_days_are_checked():
    refused(
        lambda: FieldVisitFactory(
            start_date=datetime.date(2026, 3, 5), end_date=datetime.date(2026, 3, 4)
        )
    )
    refused(lambda: FieldVisitFactory(days_on_site=0))


def test_decision_phase_must_end_after_it_starts():
    refused(
        lambda: DecisionFactory(
            phase_start=datetime.date(2025, 1, 1), phase_end=datetime.date(2024, 12, 31)
        )
    )


def test_duplicate_assignment_is_refused():
    assignment = AssignmentFactory()
    refused(
        lambda: Assignment.objects.create(
            decision=assignment.decision,
            agency=assignment.agency,
            commune=assignment.commune,
            valid_from=assignment.valid_from,
            valid_to=assignment.valid_to,
        )
    )


def test_assignment_validity_dates_are_checked():
    refused(
        lambda: AssignmentFactory(
            valid_from=datetime.date(2024, 1, 1), valid_to=datetime.date(2023, 1, 1)
        )
    )


def test_paired_company_must_differ_from_the_agency():
    agency = AgencyFactory()
    refused(lambda: AssignmentFactory(agency=agency, paired_company=agency))


def test_same_commune_code_cannot_be_current_twice():
    CommuneFactory(code="99999")
    refused(lambda: CommuneFactory(code="99999"))


def test_role_needs_its_scope():
    province = ProvinceFactory()
    user = UserFactory()
    refused(lambda: Role.objects.create(user=user, province=province, kind="agency_staff"))
    refused(lambda: Role.objects.create(user=user, province=province, kind="commune_officer"))
    assert Role.objects.create(user=user, province=province, kind="leadership").pk


def test_report_scope_needs_its_object():
    refused(lambda: ReportRunFactory(scope="commune"))
    refused(
        lambda: ReportRunFactory(
            period_start=datetime.date(2026, 2, 1), period_end=datetime.date(2026, 1, 1)
        )
    )
