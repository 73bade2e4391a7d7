"""Scoping of the follow-through, in one place: who sees which need, household support,
check, meeting, task and plan (`visible_to(user)`), who answers for a task, and the grouped
reads the dashboards and the report take from them."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate

from assignments.models import Assignment
from assignments.scoping import (
    AGENCY_ROLES,
    PROVINCE_WIDE,
    RoleKind,
    assignment_q,
    role_provinces,
    user_roles,
)
from contributions.models import Activity, Contribution, ReviewStatus


def commune_q(user, prefix: str = "") -> Q:
    """Communes `user` may follow: those of the assignments they see, their own commune as
    its officer, and every commune of the province for the province-wide roles."""
    q = Q(**{f"{prefix}commune__in": Assignment.objects.visible_to(user).values("commune")})
    for role in user_roles(user):
        if role.kind == RoleKind.COMMUNE_OFFICER:
            q |= Q(**{f"{prefix}commune_id": role.commune_id})
        elif role.kind in PROVINCE_WIDE:
            q |= Q(**{f"{prefix}commune__province_id": role.province_id})
    return q if user_roles(user) else Q(pk__in=[])


class CommuneNeedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(pk__in=self.model.objects.filter(commune_q(user)).values("pk"))

    def with_delivery(self):
        """Each need with what its linked activities delivered, by the one counting rule:
        an activity counts when the commune confirmed it and it started on or after the day
        the need was raised. `delivered`, `counted`: the value and number of those;
        `pending_value`, `pending`: linked activities of that date still awaiting the
        commune's confirmation, shown beside the figure and never inside it. Drafts,
        returned and earlier activities enter neither. Subqueries, so grouped counts over
        needs stay plain GROUP BYs."""
        # the day in the province's time zone (TruncDate), as CommuneNeed.raised_on says
        raised_at = models.ExpressionWrapper(
            models.OuterRef("raised_at"), output_field=models.DateTimeField()
        )
        raised_on = TruncDate(raised_at)

        def per_need(rows, path: str, aggregate):
            return Coalesce(
                models.Subquery(rows.order_by().values(path).annotate(v=aggregate).values("v")),
                0,
            )

        def value(status):
            rows = Contribution.objects.filter(
                activity__needs=models.OuterRef("pk"),
                activity__status=status,
                activity__start_date__gte=raised_on,
            )
            return per_need(rows, "activity__needs", models.Sum("value"))

        def number(status):
            rows = Activity.objects.filter(
                needs=models.OuterRef("pk"), status=status, start_date__gte=raised_on
            )
            return per_need(rows, "needs", models.Count("pk"))

        return self.annotate(
            delivered=value(ReviewStatus.CONFIRMED),
            counted=number(ReviewStatus.CONFIRMED),
            pending_value=value(ReviewStatus.SUBMITTED),
            pending=number(ReviewStatus.SUBMITTED),
        )

    def by_commune(self) -> "models.QuerySet":
        """Per commune: needs raised, met (the commune confirmed), partly met (a counted
        activity, not yet confirmed met), estimated cost, value delivered and awaiting."""
        return (
            self.with_delivery()
            .values("commune", "commune__name")
            .annotate(
                raised=models.Count("pk"),
                met=models.Count("pk", filter=MET),
                partly=models.Count("pk", filter=~MET & Q(counted__gt=0)),
                cost=models.Sum("estimated_cost"),
                delivered_total=models.Sum("delivered"),
                pending_total=models.Sum("pending"),
                pending_value_total=models.Sum("pending_value"),
            )
            .order_by()
        )


# A need is met only when its commune confirmed it: the value delivered, whatever its share
# of the estimate, never sets it (the same rule as CommuneNeed.state, for SQL counts).
MET = Q(met_at__isnull=False)


class NeedResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(need__in=self.model.need.field.related_model.objects.visible_to(user))


# Who needs a household's name: the agency that supports it (to find it again at the
# checks), the commune's officers (who confirm what it received) and the secretariat (which
# answers the household's requests about its data). Leadership and district officers read
# the figures and see initials only.
NAME_ROLES = frozenset(
    {RoleKind.SECRETARIAT, RoleKind.AGENCY_LEADER, RoleKind.AGENCY_STAFF, RoleKind.COMMUNE_OFFICER}
)


def name_visible(user, assignment_path: str) -> models.Exists:
    """True where `user` may read the household's name: the row's assignment (reached by
    `assignment_path`) lies in the scope of one of the user's NAME_ROLES."""
    return models.Exists(
        Assignment.objects.filter(assignment_q(user, kinds=NAME_ROLES)).filter(
            pk=models.OuterRef(assignment_path)
        )
    )


class HouseholdSupportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(activity__in=Activity.objects.visible_to(user))

    def with_names_for(self, user):
        """`name_visible` on each support: whether `user` may read the name
        (`HouseholdSupport.shown_name` masks it otherwise)."""
        return self.annotate(name_visible=name_visible(user, "activity__assignment_id"))

    def identified(self):
        """Supports whose household's identity has not been removed."""
        return self.filter(erased_at__isnull=True)

    def household_of(self, support):
        """The supports given to the same household as `support`: the same name (as written,
        tone marks included) in the same village, or in the same commune when no village
        was written."""
        rows = self.identified().filter(household=support.household)
        if support.village_id:
            return rows.filter(village_id=support.village_id)
        return rows.filter(
            village__isnull=True,
            activity__assignment__commune_id=support.activity.assignment.commune_id,
        )

    def kept_past(self, cutoff):
        """Identified supports whose last check (done, or due and never done) lies before
        `cutoff`, and none after: their identity has been kept long enough."""
        last = models.Max(Coalesce("checks__checked_on", "checks__due_date"))
        return (
            self.identified()
            .annotate(last_check=Coalesce(last, "activity__start_date"))
            .filter(last_check__lt=cutoff)
        )


class FollowUpCheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(support__activity__in=Activity.objects.visible_to(user))

    def with_names_for(self, user):
        """`name_visible` on each check: whether `user` may read its household's name."""
        return self.annotate(name_visible=name_visible(user, "support__activity__assignment_id"))

    def due(self, on):
        """Not yet recorded and due on or before `on`."""
        return self.filter(outcome="", due_date__lte=on)

    def kept_shares(self, *group_by: str):
        """Per group and term (6, 12 months): checks recorded and how many found the support
        kept. Grouped in SQL."""
        return (
            self.exclude(outcome="")
            .values(*group_by, "months")
            .annotate(
                recorded=models.Count("pk"),
                kept=models.Count("pk", filter=Q(outcome="kept")),
            )
            .order_by(*group_by, "months")
        )


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A meeting's conclusions are read by everyone in its province's programme."""
        return self.filter(province_id__in=role_provinces(user))


def responsible_q(user, prefix: str = "") -> Q:
    """Tasks `user` answers for: their agency's, their commune's (and its villages'), theirs."""
    p = prefix
    q = Q(**{f"{p}person": user}) if user.is_authenticated else Q(pk__in=[])
    for role in user_roles(user):
        if role.kind in AGENCY_ROLES:
            q |= Q(**{f"{p}agency_id": role.agency_id})
        elif role.kind == RoleKind.COMMUNE_OFFICER:
            q |= Q(**{f"{p}commune_id": role.commune_id})
            q |= Q(**{f"{p}village__commune_id": role.commune_id})
    return q


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(meeting__province_id__in=role_provinces(user))

    def responsible(self, user):
        return self.filter(responsible_q(user))

    def overdue(self, today):
        return self.filter(status="open", due_date__lt=today)


class AnnualPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(assignment__in=Assignment.objects.visible_to(user))


class PersonalDataAccessQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The log of household data is read by the secretariat of its province."""
        return self.filter(province_id__in=role_provinces(user, {RoleKind.SECRETARIAT}))
