from django.db import models
from django.db.models import Q

from assignments.scoping import user_roles


class ReportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The province's reports for the secretariat and the leadership; for the others, the
        reports whose scope is their own agency, commune or district."""
        q = Q(pk__in=[])
        for role in user_roles(user):
            in_province = Q(province_id=role.province_id)
            if role.kind in ("secretariat", "leadership"):
                q |= in_province
            elif role.kind in ("agency_leader", "agency_staff"):
                q |= in_province & Q(scope="agency", agency_id=role.agency_id)
            elif role.kind == "commune_officer":
                q |= in_province & Q(scope="commune", commune_id=role.commune_id)
            elif role.kind == "district_officer":
                q |= in_province & Q(scope="district", district_id=role.district_id)
        return self.filter(q)
