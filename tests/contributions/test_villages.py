"""A village follows its commune into its successor: offered once on the successor's form,
accepted there, and found by the import under the current commune."""

import pytest

from communes.models import Village
from contributions.forms import ActivityForm

pytestmark = pytest.mark.django_db


@pytest.fixture
def villages(world):
    old, new = world.legacy_commune, world.commune
    return {
        "only_old": Village.objects.create(commune=old, name="Bản Cũ Sót"),
        "both_old": Village.objects.create(commune=old, name="Bản Chung"),
        "both_new": Village.objects.create(commune=new, name="Bản Chung"),
        "only_new": Village.objects.create(commune=new, name="Bản Mới"),
        "elsewhere": Village.objects.create(commune=world.commune_b, name="Bản Xa"),
    }


def test_the_successor_offers_its_own_and_its_predecessors_villages_once(world, villages):
    offered = set(Village.objects.of_communes([world.commune.pk]))
    assert offered == {villages["only_old"], villages["both_new"], villages["only_new"]}
    form = ActivityForm(user=world.users["agency_staff_a"])
    labels = [label for _, label in form.fields["village"].choices][1:]
    assert len([label for label in labels if "Bản Chung" in label]) == 1
    assert any("Bản Cũ Sót" in label and "(xã cũ)" in label for label in labels)
    assert not any("Bản Xa" in label for label in labels)  # agency B's commune


def _form(world, village):
    return ActivityForm(
        data={
            "assignment": world.assignment_a.pk,
            "start_date": "2026-03-05",
            "category": world.activity_a.category_id,
            "title": "Tặng quà cho hộ nghèo",
            "village": village.pk,
            "version": 0,
            "submission_token": "",
        },
        user=world.users["agency_staff_a"],
    )


def test_an_absorbed_communes_village_is_accepted_on_the_successors_record(world, villages):
    assert "village" not in _form(world, villages["only_old"]).errors
    assert "village" not in _form(world, villages["only_new"]).errors
    assert "village" in _form(world, villages["elsewhere"]).errors
