"""Who may write what. Reads are scoped by the querysets' `visible_to`; writes check here.

A write the user's role does not allow raises PermissionDenied (403) with a Vietnamese
message; an object outside the user's scope is never found at all (404).
"""

from django.core.exceptions import PermissionDenied

from .scoping import RoleKind, role_kinds, user_roles


def require_role(user, *kinds: str, message: str = "") -> None:
    if not role_kinds(user) & set(kinds):
        raise PermissionDenied(message or "Vai trò của bạn không được phép thực hiện việc này.")


def secretariat_provinces(user) -> list[int]:
    return [role.province_id for role in user_roles(user) if role.kind == RoleKind.SECRETARIAT]


def managed_province(user):
    """The province whose programme the user runs as secretariat; 403 if none."""
    for role in user_roles(user):
        if role.kind == RoleKind.SECRETARIAT:
            return role.province
    raise PermissionDenied("Chỉ văn phòng thường trực của tỉnh được làm việc này.")
