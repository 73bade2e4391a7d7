from django.db import models
from django.db.models import Q

from assignments.scoping import AGENCY_ROLES, PROVINCE_WIDE, RoleKind, user_roles


class ReportRunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Issued reports of the province for the leadership and the secretariat, and for the
        others the issued reports whose scope is their own agency, commune or district.
        Drafts (queued, running, done, failed) are the secretariat's work in progress: only
        the secretariat of the run's province sees them."""
        issued = Q(status=self.model.Status.ISSUED)
        q = Q(pk__in=[])
        for role in user_roles(user):
            in_province = Q(province_id=role.province_id)
            if role.kind == RoleKind.SECRETARIAT:
                q |= in_province
            elif role.kind in PROVINCE_WIDE:
                q |= in_province & issued
            elif role.kind in AGENCY_ROLES:
                q |= in_province & issued & Q(scope="agency", agency_id=role.agency_id)
            elif role.kind == RoleKind.COMMUNE_OFFICER:
                q |= in_province & issued & Q(scope="commune", commune_id=role.commune_id)
            elif role.kind == RoleKind.DISTRICT_OFFICER:
                q |= in_province & issued & Q(scope="district", district_id=role.district_id)
        return self.filter(q)
