"""What a user may see, derived from their roles. The querysets' `visible_to` build on this.

Every scope is a set of assignments: the programme's unit of work. A role sees
- secretariat, leadership: every assignment of its province;
- agency leader, agency staff: its agency's assignments;
- district officer: assignments in communes of its (pre-reform) district, and in the
  current communes those went into;
- commune officer: assignments in its commune and in the pre-reform communes it absorbed.
"""

from django.db.models import Q

PROVINCE_WIDE = {"secretariat", "leadership"}
AGENCY_ROLES = {"agency_leader", "agency_staff"}


def user_roles(user) -> list:
    """The user's roles, read once per user object (one query per request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_giupxa_roles", None)
    if cached is None:
        from .models import Role

        cached = list(Role.objects.filter(user=user).select_related("province"))
        user._giupxa_roles = cached
    return cached


def role_provinces(user) -> set[int]:
    return {role.province_id for role in user_roles(user)}


def assignment_q(user, prefix: str = "", kinds: set[str] | None = None) -> Q:
    """A Q over Assignment (reached through `prefix`) matching what `user` may see.

    With `kinds`, only the user's roles of those kinds count: what a commune officer may
    confirm is what they see *as a commune officer*, not through another role they hold.
    """
    p = prefix
    q = Q(pk__in=[])
    for role in user_roles(user):
        if kinds is not None and role.kind not in kinds:
            continue
        in_province = Q(**{f"{p}decision__province_id": role.province_id})
        if role.kind in PROVINCE_WIDE:
            q |= in_province
        elif role.kind in AGENCY_ROLES:
            q |= in_province & Q(**{f"{p}agency_id": role.agency_id})
        elif role.kind == "district_officer":
            q |= in_province & (
                Q(**{f"{p}commune__district_id": role.district_id})
                | Q(**{f"{p}commune__predecessors__district_id": role.district_id})
            )
        elif role.kind == "commune_officer":
            q |= in_province & (
                Q(**{f"{p}commune_id": role.commune_id})
                | Q(**{f"{p}commune__successors": role.commune_id})
            )
    return q
