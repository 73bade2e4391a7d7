"""load_admin_units: the real units of both eras and the 2025 succession."""

import pytest
from django.core.management import call_command
from django.db.models import Count
from vietnam_provinces import Ward

from communes.models import Commune, CommuneSuccession, District, Province

pytestmark = pytest.mark.django_db


def counts():
    return (
        Province.objects.current().count(),
        Commune.objects.current().count(),
        Province.objects.legacy().count(),
        District.objects.count(),
        Commune.objects.legacy().count(),
        CommuneSuccession.objects.count(),
    )


def test_full_load_counts_and_idempotence():
    call_command("load_admin_units", verbosity=0)
    first = counts()
    assert first[:5] == (34, 3321, 63, 696, 10035)
    pks = set(Commune.objects.values_list("pk", flat=True))
    # every pre-reform commune went into exactly one primary successor
    primaries = CommuneSuccession.objects.filter(is_primary=True)
    assert primaries.count() == 10035
    assert not primaries.values("predecessor").annotate(n=Count("pk")).filter(n__gt=1).exists()

    call_command("load_admin_units", verbosity=0)
    assert counts() == first
    assert set(Commune.objects.values_list("pk", flat=True)) == pks


def test_current_codes_come_from_vietnam_provinces(admin_units):
    # Where the two packages disagree, the official code of vietnam-provinces wins.
    for ward in Ward.iter_by_province(11):
        commune = Commune.objects.current().get(name=ward.name, province__code="11")
        assert commune.code == f"{int(ward.code):05d}"


def test_dien_bien_before_and_after(admin_units):
    assert District.objects.filter(province__code="11").count() == 10
    assert Commune.objects.legacy().filter(province__code="11").count() == 129
    current = Commune.objects.current().filter(province__code="11")
    assert current.count() == 45
    assert current.filter(kind="xa").count() == 42
    assert current.filter(kind="phuong").count() == 3


@pytest.mark.parametrize(
    ("old", "district", "new"),
    [
        ("Nà Tấu", None, "Nà Tấu"),
        ("Mường Phăng", None, "Mường Phăng"),
        ("Trung Thu", "Huyện Tủa Chùa", "Sính Phình"),
    ],
)
def test_known_successions(admin_units, old, district, new):
    commune = Commune.objects.legacy().get(short_name=old, province__code="11")
    if district:
        assert commune.district.name == district
    primary = CommuneSuccession.objects.get(predecessor=commune, is_primary=True).successor
    assert primary.short_name == new
    assert primary.is_current


def test_names_are_searchable_without_accents(admin_units):
    assert Commune.objects.current().get(search_key="muong phang").short_name == "Mường Phăng"


def test_province_option_loads_only_that_province_and_its_predecessors(admin_units):
    # The session fixture loaded Điện Biên (11) and Lào Cai (15: old Lào Cai and Yên Bái).
    assert set(Province.objects.current().values_list("code", flat=True)) >= {"11", "15"}
    lao_cai = Province.objects.current().get(code="15")
    assert sorted(lao_cai.predecessors.values_list("short_name", flat=True)) == [
        "Lào Cai",
        "Yên Bái",
    ]
    assert not Commune.objects.current().filter(province__code="01").exists()
