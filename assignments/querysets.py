import datetime

from django.db import models
from django.db.models import Q

from .scoping import AGENCY_ROLES, RoleKind, assignment_q, role_provinces, user_roles


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = Q(pk__in=[])
        for role in user_roles(user):
            if role.kind in AGENCY_ROLES:
                q |= Q(pk=role.agency_id)
            else:
                # Reviewers see the agencies working in their area; the province sees all.
                q |= Q(province_id=role.province_id)
        return self.filter(q)


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(province_id__in=role_provinces(user))

    def adopted(self):
        """Decisions that took effect: in force now or replaced since (not drafts)."""
        return self.exclude(status=self.model.Status.DRAFT)

    def in_force_on(self, day: datetime.date):
        return self.adopted().filter(phase_start__lte=day, phase_end__gte=day)


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user, kinds: set[str] | None = None):
        """Assignments `user` may see (through roles of `kinds` only, when given).

        The district and commune clauses join through the succession table, which can
        repeat a row; a pk subquery keeps callers free of .distinct().
        """
        scoped = self.model.objects.filter(assignment_q(user, kinds=kinds)).values("pk")
        return self.filter(pk__in=scoped)

    def adopted(self):
        """Assignments of adopted decisions (in force now or replaced since), not of drafts:
        a draft decision's assignments count nowhere and take no records."""
        draft = self.model.decision.field.related_model.Status.DRAFT
        return self.exclude(decision__status=draft)

    def loggable_by(self, user):
        """The assignments `user` may log work for: their agency's, of adopted decisions.
        The activity form's choices, the Excel import and the services all ask this."""
        return self.visible_to(user, kinds=AGENCY_ROLES).adopted()

    def active_on(self, day: datetime.date):
        """Assignments of adopted decisions (in force or since replaced) valid on `day`."""
        return self.adopted().filter(valid_from__lte=day, valid_to__gte=day)

    def with_related(self):
        return self.select_related(
            "agency", "commune__district", "decision", "paired_company", "village"
        )


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The secretariat sees the people of its province; everyone else only themselves."""
        provinces = role_provinces(user, kinds={RoleKind.SECRETARIAT})
        in_province = self.filter(roles__province_id__in=provinces).values("pk")
        return self.filter(Q(pk__in=in_province) | Q(pk=user.pk))


class RoleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The secretariat sees its province's roles; everyone sees their own."""
        provinces = role_provinces(user, kinds={RoleKind.SECRETARIAT})
        return self.filter(Q(province_id__in=provinces) | Q(user=user))
