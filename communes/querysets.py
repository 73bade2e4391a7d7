import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q


class EraQuerySet(models.QuerySet):
    """Units of both eras: pre-reform ones end on 2025-06-30, current ones have no end."""

    def current(self):
        return self.filter(valid_to__isnull=True)

    def legacy(self):
        return self.filter(valid_to__isnull=False)

    def valid_on(self, day: datetime.date):
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class ProvinceQuerySet(EraQuerySet):
    pass


class CommuneQuerySet(EraQuerySet):
    def in_province(self, province):
        """Communes of a current province and of the pre-reform provinces it absorbed."""
        return self.filter(Q(province=province) | Q(province__successor=province))

    def with_related(self):
        return self.select_related("province", "district")


class VillageQuerySet(models.QuerySet):
    def of_communes(self, commune_ids):
        """The villages of these communes and of the pre-reform communes they absorbed: a
        village follows its commune into its successor. A former commune's village whose name
        the successor also lists is the same village, offered once (the successor's row)."""
        ids = list(commune_ids)
        same_in_successor = self.model.objects.filter(
            commune__in=ids, commune__predecessors=OuterRef("commune"), name=OuterRef("name")
        )
        return (
            self.filter(Q(commune__in=ids) | Q(commune__successors__in=ids))
            .exclude(Exists(same_in_successor))
            .distinct()
        )

    def open(self, keep=None):
        """Villages still in use, for a choice list; `keep` (a village id) stays listed even if
        closed: a record that names a closed village still shows and saves it."""
        still_open = Q(closed_on__isnull=True)
        return self.filter(still_open | Q(pk=keep) if keep else still_open)

    def with_related(self):
        return self.select_related("commune")
