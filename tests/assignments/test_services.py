"""Re-mapping a pre-reform decision onto the communes of 1 July 2025."""

import datetime

import pytest

from assignments.models import Assignment, Decision
from assignments.services import decision_confirm, decision_remap
from communes.models import CommuneSuccession
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged_communes():
    """Two old communes of one district that went into one new commune, and a third alone."""
    new = f.CommuneFactory(name="Xã Mới Hợp")
    district = f.DistrictFactory(province=f.LegacyProvinceFactory(successor=new.province))
    old_a, old_b, old_c = f.LegacyCommuneFactory.create_batch(3, district=district)
    alone = f.CommuneFactory(province=new.province, name="Xã Riêng")
    for old in (old_a, old_b):
        CommuneSuccession.objects.create(predecessor=old, successor=new)
    CommuneSuccession.objects.create(predecessor=old_c, successor=alone)
    return new, alone, (old_a, old_b, old_c)


def remap(decision):
    return decision_remap(
        decision=decision,
        number="1580/QĐ-UBND",
        signed_on=datetime.date(2025, 6, 26),
        phase_start=datetime.date(2025, 7, 1),
        phase_end=datetime.date(2030, 12, 31),
    )


def test_assignments_follow_the_succession_and_merge(merged_communes):
    new, alone, (old_a, old_b, old_c) = merged_communes
    decision = f.DecisionFactory(province=new.province, phase_end=datetime.date(2025, 12, 31))
    agency, other = f.AgencyFactory.create_batch(2, province=new.province)
    company = f.AgencyFactory(province=new.province, kind="doanh_nghiep")
    f.AssignmentFactory(decision=decision, agency=agency, commune=old_a, role="support")
    f.AssignmentFactory(
        decision=decision, agency=agency, commune=old_b, role="lead", paired_company=company
    )
    f.AssignmentFactory(decision=decision, agency=other, commune=old_c)

    result = remap(decision)
    draft = result.decision
    assert draft.status == Decision.Status.DRAFT
    assert draft.replaces == decision
    assert (result.created, result.merged, result.without_successor) == (2, 1, [])
    merged = draft.assignments.get(agency=agency)
    assert merged.commune == new
    assert merged.role == Assignment.Role.LEAD
    assert merged.paired_company == company
    assert merged.valid_from == datetime.date(2025, 7, 1)
    assert merged.remapped_from.decision == decision
    assert draft.assignments.get(agency=other).commune == alone


def test_old_communes_without_successor_are_reported(merged_communes):
    new, *_ = merged_communes
    decision = f.DecisionFactory(province=new.province)
    orphan = f.LegacyCommuneFactory()
    f.AssignmentFactory(decision=decision, commune=orphan)
    result = remap(decision)
    assert result.without_successor == [orphan]
    assert result.created == 0


def test_confirm_puts_the_draft_in_force_and_keeps_the_old_one(merged_communes):
    new, _, (old_a, *_) = merged_communes
    decision = f.DecisionFactory(province=new.province)
    old = f.AssignmentFactory(decision=decision, commune=old_a)
    draft = remap(decision).decision
    decision_confirm(decision=draft)
    decision.refresh_from_db()
    assert (draft.status, decision.status) == ("in_force", "replaced")
    assert Assignment.objects.filter(pk=old.pk).exists()  # history stays
    assert decision.history.first().status == "replaced"  # audited
    with pytest.raises(ValueError):
        decision_confirm(decision=draft)


def test_secretariat_remaps_and_confirms_in_the_app(client, world):
    from django.urls import reverse

    client.force_login(world.users["secretariat"])
    page = client.get(reverse("decision_detail", args=[world.old_decision.pk])).content.decode()
    assert "Chuyển sang các xã sau sắp xếp" in page
    data = {"number": "2000/QĐ-UBND", "signed_on": "2025-06-26", "phase_start": "2025-07-01",
            "phase_end": "2030-12-31"}  # fmt: skip
    response = client.post(reverse("decision_remap", args=[world.old_decision.pk]), data)
    draft = Decision.objects.get(number="2000/QĐ-UBND")
    assert response["Location"] == reverse("decision_detail", args=[draft.pk])
    assert draft.status == "draft"
    assert list(draft.assignments.values_list("commune", flat=True)) == [world.commune.pk]
    again = client.post(reverse("decision_remap", args=[world.old_decision.pk]), data)
    assert (
        again.status_code == 200 and "đã có quyết định mang số hiệu này" in again.content.decode()
    )
    client.post(reverse("decision_confirm", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "in_force"
