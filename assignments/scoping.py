"""What a user may see, derived from their roles. The querysets' `visible_to` build on this.

Every scope is a set of assignments: the programme's unit of work. A role sees
- secretariat, leadership, national: every assignment of its province (a national user
  holds one such role per province);
- agency leader, agency staff: its agency's assignments;
- district officer: assignments in communes of its (pre-reform) district, and in the
  current communes those went into;
- commune officer: assignments in its commune and in the pre-reform communes it absorbed.
"""

from django.db import models
from django.db.models import Q


class RoleKind(models.TextChoices):
    """The kinds of `Role`, widest scope first (the order `user_roles` returns them in)."""

    SECRETARIAT = "secretariat", "Thường trực, văn phòng chương trình (cấp tỉnh)"
    LEADERSHIP = "leadership", "Lãnh đạo tỉnh"
    AGENCY_LEADER = "agency_leader", "Lãnh đạo cơ quan, đơn vị"
    AGENCY_STAFF = "agency_staff", "Cán bộ cơ quan, đơn vị"
    DISTRICT_OFFICER = "district_officer", "Cán bộ huyện"
    COMMUNE_OFFICER = "commune_officer", "Cán bộ xã"
    # The centre: reads every province like its leadership, one role per province
    # (`manage.py invite_national` gives them all), never writes.
    NATIONAL = "national", "Trung ương (xem số liệu các tỉnh)"


PROVINCE_WIDE = frozenset({RoleKind.SECRETARIAT, RoleKind.LEADERSHIP, RoleKind.NATIONAL})
# The roles of a province's own people, who may write what their kind allows; the centre's
# role reads only (and only `invite_national` gives it).
PROVINCE_KINDS = frozenset(RoleKind) - {RoleKind.NATIONAL}
AGENCY_ROLES = frozenset({RoleKind.AGENCY_LEADER, RoleKind.AGENCY_STAFF})
REVIEWERS = frozenset({RoleKind.COMMUNE_OFFICER, RoleKind.DISTRICT_OFFICER})
_RANK = {kind: rank for rank, kind in enumerate(RoleKind.values)}


def user_roles(user) -> list:
    """The user's roles, widest scope first, then oldest first; read once per user object
    (one query per request)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_giupxa_roles", None)
    if cached is None:
        from .models import Role

        roles = Role.objects.filter(user=user).select_related("province")
        cached = sorted(roles, key=lambda role: (_RANK.get(role.kind, len(_RANK)), role.pk))
        user._giupxa_roles = cached
    return cached


def user_province(user):
    """The province the user works in: that of their widest role (the secretariat's before an
    agency's, the older before the newer), or None for someone with no role."""
    roles = user_roles(user)
    return roles[0].province if roles else None


def role_kinds(user) -> set[str]:
    return {role.kind for role in user_roles(user)}


def role_provinces(user, kinds=None) -> set[int]:
    """The provinces of the user's roles (of `kinds`, when given)."""
    return {r.province_id for r in user_roles(user) if kinds is None or r.kind in kinds}


def agency_ids(user, kinds=AGENCY_ROLES) -> set[int]:
    """The agencies the user works for through roles of `kinds` (both agency roles by default)."""
    return {r.agency_id for r in user_roles(user) if r.kind in kinds}


def commune_ids(user) -> set[int]:
    """The communes the user is an officer of."""
    return {r.commune_id for r in user_roles(user) if r.kind == RoleKind.COMMUNE_OFFICER}


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
        elif role.kind == RoleKind.DISTRICT_OFFICER:
            q |= in_province & (
                Q(**{f"{p}commune__district_id": role.district_id})
                | Q(**{f"{p}commune__predecessors__district_id": role.district_id})
            )
        elif role.kind == RoleKind.COMMUNE_OFFICER:
            q |= in_province & (
                Q(**{f"{p}commune_id": role.commune_id})
                | Q(**{f"{p}commune__successors": role.commune_id})
            )
    return q
