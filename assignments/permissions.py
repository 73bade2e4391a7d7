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


def account_managed_by(person, province, actor) -> bool:
    """Whether `actor`, secretariat of `province`, may change `person`'s account itself
    (name, login, email, locking, two-factor reset): only when every role of the person lies
    in the province, and never an administrator's. Roles in the province it may always add
    and remove; a person who also works elsewhere is one account of two provinces, which
    only an administrator changes."""
    if (person.is_superuser or person.is_staff) and person != actor:
        return False
    return not person.roles.exclude(province=province).exists()


def require_account_managed_by(person, province, actor) -> None:
    if (person.is_superuser or person.is_staff) and person != actor:
        raise PermissionDenied("Tài khoản quản trị hệ thống chỉ được sửa trong trang quản trị.")
    if not account_managed_by(person, province, actor):
        raise PermissionDenied(
            "Người này còn có vai trò ở tỉnh khác: chỉ quản trị hệ thống sửa được thông tin"
            " tài khoản. Bạn vẫn thêm, bỏ được vai trò của người này trong tỉnh mình."
        )
