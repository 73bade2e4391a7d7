"""A long list's count stops at its cap: the page says «hơn» instead of scanning every row."""

from django.contrib.auth.models import Group

from core.pagination import CappedPaginator


def test_count_stops_at_the_cap(db, django_assert_max_num_queries):
    Group.objects.bulk_create(Group(name=f"nhóm {n}") for n in range(30))
    groups = Group.objects.order_by("name")
    capped = CappedPaginator(groups, 5, cap=12)
    with django_assert_max_num_queries(1):
        assert (capped.count, capped.capped, capped.num_pages) == (12, True, 3)
    assert [g.name for g in capped.page(3).object_list] == sorted(g.name for g in groups)[10:15]
    exact = CappedPaginator(groups, 5, cap=30)
    assert (exact.count, exact.capped) == (30, False)
