import datetime

from django.db import models
from django.db.models import Q


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
