"""Services for people's accounts and roles: every write the user management pages make."""

from django.db import transaction

from .models import Person, Role, User


@transaction.atomic
def user_invite(
    *,
    first_name: str,
    last_name: str,
    email: str,
    role: dict,
    invited_by=None,
    username: str = "",
    phone: str = "",
) -> User:
    """A new account with a first role (a user without any role would see nothing) and no
    password: its owner sets one through the invitation link (`invitations.link`). The
    login is the email unless given. Someone working for an agency is also one of its
    people (`Person`, with the phone)."""
    email = email.strip().lower()
    user = User(
        username=username or email, first_name=first_name, last_name=last_name, email=email,
    )  # fmt: skip
    user.set_unusable_password()
    user._change_reason = f"Được mời bởi {invited_by}" if invited_by else "Được mời"
    user.full_clean(exclude=["password"])
    user.save()
    role_add(user=user, **role)
    agency = role.get("agency")
    if agency is not None:
        Person.objects.update_or_create(
            user=user,
            defaults={"agency": agency, "full_name": f"{last_name} {first_name}".strip(),
                      "phone": phone},
        )  # fmt: skip
    return user


@transaction.atomic
def users_invite(people: list[dict], *, invited_by=None) -> list[User]:
    """Invite many at once (a list from Excel, already checked: emails free and valid):
    accounts, roles and agency people in three bulk inserts with their history rows, so two
    thousand people take a moment, not a minute. Each dict: first_name, last_name, email,
    phone, role (as for `user_invite`)."""
    from simple_history.utils import bulk_create_with_history

    reason = f"Được mời bởi {invited_by}" if invited_by else "Được mời"
    users = []
    for person in people:
        email = person["email"].strip().lower()
        user = User(username=email, email=email, first_name=person["first_name"],
                    last_name=person["last_name"])  # fmt: skip
        user.set_unusable_password()
        user._change_reason = reason
        users.append(user)
    # PostgreSQL and SQLite return the new ids from a bulk insert.
    who = {"default_change_reason": reason, "default_user": invited_by}
    users = bulk_create_with_history(users, User, **who)
    by_email = {u.email: u for u in User.objects.filter(email__in=[u.email for u in users])}
    roles, staff = [], []
    for person in people:
        user = by_email[person["email"].strip().lower()]
        role = person["role"]
        roles.append(Role(user=user, **role))
        if role.get("agency") is not None:
            staff.append(Person(
                user=user, agency=role["agency"], phone=person.get("phone", ""),
                full_name=f"{person['last_name']} {person['first_name']}".strip(),
            ))  # fmt: skip
    bulk_create_with_history(roles, Role, **who)
    Person.objects.bulk_create(staff)
    return [by_email[p["email"].strip().lower()] for p in people]


def user_reinvite(*, user: User) -> User:
    """A new invitation for an account whose password is not yet set: the previous link
    stops working (its stamp no longer matches)."""
    if user.has_usable_password():
        raise ValueError("the account already has a password")
    user.set_unusable_password()
    user._change_reason = "Gửi lại lời mời"
    user.save(update_fields=["password"])
    return user


def invitation_accept(*, user: User, password: str) -> User:
    """The owner sets the password; the link stops working."""
    user.set_password(password)
    user._change_reason = "Đặt mật khẩu theo lời mời"
    user.save(update_fields=["password"])
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
