"""Scoping starts in one place: the order of a user's roles, the province they work in, and
the assignments work may be logged for."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from assignments.models import Assignment, Role
from assignments.scoping import agency_ids, commune_ids, user_province, user_roles
from contributions import services
from contributions.forms import agency_assignments
from contributions.models import Activity
from tests import factories as f

pytestmark = pytest.mark.django_db


def fresh(user):
    """The same account without its per-request cache of roles."""
    return type(user).objects.get(pk=user.pk)


def test_the_widest_role_decides_the_province_whatever_the_order_of_creation(world):
    user = world.users["commune_officer"]  # a commune officer of the world's province…
    # …who later also becomes the secretariat of the neighbouring province
    f.RoleFactory(user=user, kind=Role.Kind.SECRETARIAT, province=world.other_province)
    user = fresh(user)
    kinds = [role.kind for role in user_roles(user)]
    assert kinds == [Role.Kind.SECRETARIAT, Role.Kind.COMMUNE_OFFICER]
    assert user_province(user) == world.other_province


def test_roles_of_one_kind_keep_the_order_they_were_given(world):
    user = world.users["agency_staff_b"]
    f.RoleFactory(user=user, kind=Role.Kind.AGENCY_STAFF, province=world.other_province,
                  agency=world.other_assignment.agency)  # fmt: skip
    assert user_province(fresh(user)) == world.province


def test_no_role_no_province(world):
    assert user_province(world.users["superuser"]) is None


def test_agency_and_commune_ids_come_from_the_roles_of_their_kind(world):
    assert agency_ids(world.users["agency_staff_a"]) == {world.agency_a.pk}
    assert agency_ids(world.users["secretariat"]) == set()
    assert agency_ids(world.users["agency_leader_a"], kinds={Role.Kind.AGENCY_STAFF}) == set()
    assert commune_ids(world.users["commune_officer"]) == {world.commune.pk}
    assert commune_ids(world.users["agency_staff_a"]) == set()


@pytest.fixture
def draft_assignment(world):
    draft = f.DecisionFactory(
        province=world.province,
        status="draft",
        phase_start=datetime.date(2025, 7, 1),
        phase_end=datetime.date(2030, 12, 31),
    )
    return f.AssignmentFactory(decision=draft, agency=world.agency_a, commune=world.commune_b)


def test_a_draft_decision_takes_no_records(world, draft_assignment):
    staff = world.users["agency_staff_a"]
    assert Assignment.objects.visible_to(staff).filter(pk=draft_assignment.pk).exists()
    assert not Assignment.objects.adopted().filter(pk=draft_assignment.pk).exists()
    loggable = set(Assignment.objects.loggable_by(staff))
    assert world.assignment_a in loggable
    assert draft_assignment not in loggable
    before = Activity.objects.count()
    with pytest.raises(PermissionDenied):
        services.activity_create(
            user=staff,
            fields={
                "assignment": draft_assignment,
                "start_date": datetime.date(2026, 3, 2),
                "category": world.activity_a.category,
                "title": "Ghi vào quyết định còn dự thảo",
            },
            contributions=[],
        )
    assert Activity.objects.count() == before


def test_the_activity_form_offers_the_same_assignments_as_the_service(world, draft_assignment):
    staff = world.users["agency_staff_a"]
    assert set(agency_assignments(staff)) == set(Assignment.objects.loggable_by(staff))
    assert draft_assignment not in set(agency_assignments(staff))
