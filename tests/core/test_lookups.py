"""`field__any=[ids]`: one array parameter on PostgreSQL, IN elsewhere."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communes.models import Commune, Province
from tests.factories import CommuneFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


def test_any_on_a_primary_key_and_a_foreign_key():
    first, second, third = ProvinceFactory(), ProvinceFactory(), ProvinceFactory()
    commune = CommuneFactory(province=second)
    CommuneFactory(province=third)

    chosen = Province.objects.filter(pk__any=[first.pk, str(second.pk)])
    assert set(chosen) == {first, second}
    assert list(Commune.objects.filter(province__any=[first.pk, second.pk])) == [commune]
    assert list(Province.objects.filter(pk__any=[])) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the array form is PostgreSQL's")
def test_any_sends_one_array_parameter_on_postgresql():
    ids = [p.pk for p in ProvinceFactory.create_batch(3)]
    with CaptureQueriesContext(connection) as queries:
        assert Province.objects.filter(pk__any=ids).count() == 3
    (query,) = queries.captured_queries
    assert "= ANY(" in query["sql"]
    assert " IN (" not in query["sql"]
