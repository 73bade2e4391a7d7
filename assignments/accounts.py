"""Services for people's accounts and roles: every write the user management pages make."""

from django.db import transaction

from .models import Role, User


@transaction.atomic
def user_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    role: dict,
) -> User:
    """A new user with a first role (a user without any role would see nothing)."""
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    role_add(user=user, **role)
    return user


@transaction.atomic
def user_update(*, user: User, first_name: str, last_name: str, email: str, username: str) -> User:
    user.username, user.first_name, user.last_name, user.email = (
        username,
        first_name,
        last_name,
        email,
    )
    user.full_clean(exclude=["password"])
    user.save()
    return user


def user_set_active(*, user: User, active: bool) -> User:
    """Deactivating keeps the user and everything they recorded; they just cannot log in.
    The change is in the account's history (the audit log), with who made it."""
    user.is_active = active
    user._change_reason = "Mở lại tài khoản" if active else "Khóa tài khoản"
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_two_factor_reset(*, user: User) -> User:
    """Remove the person's authenticator app and recovery codes; recorded in the account's
    history with the reason (no field of the account changes)."""
    from .two_factor import two_factor_reset

    two_factor_reset(user=user)
    user._change_reason = "Đặt lại xác thực hai lớp"
    user.save(update_fields=["username"])  # a history row that says so
    return user


def role_add(*, user: User, kind: str, province, agency=None, district=None, commune=None) -> Role:
    role, _ = Role.objects.get_or_create(
        user=user,
        kind=kind,
        province=province,
        agency=agency,
        district=district,
        commune=commune,
    )
    return role


def role_remove(*, role: Role) -> None:
    role.delete()
