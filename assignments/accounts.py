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
    """Deactivating keeps the user and everything they recorded; they just cannot log in."""
    user.is_active = active
    user.save(update_fields=["is_active"])
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
