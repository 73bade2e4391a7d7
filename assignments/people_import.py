"""Inviting people in bulk from an Excel list: a template, a read that lists every problem
by row and column, then one transaction that invites everyone or nobody.

Each row is a person: name, email, phone, role, and the role's scope (an agency, a commune
or a pre-reform district) matched by code or label, then exact name, then ignoring accents
when that finds exactly one (core.matching). An email already used by an account, or twice
in the file, is a problem: an account is one account whatever the letter case.
"""

import io
from dataclasses import dataclass, field

from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q

from communes.labels import commune_label
from communes.models import Commune, District
from core import spreadsheets as sheets
from core import workbook as xl
from core.matching import Register
from core.spreadsheets import Column, ImportRefused
from core.text import clean

from . import accounts
from .models import Agency, User
from .scoping import PROVINCE_KINDS, RoleKind

SHEET = "Danh sách"
LISTS_SHEET = "Danh mục"
EXAMPLE_SHEET = "Ví dụ"  # never read
MAX_PEOPLE = 2_000
COLUMNS = {
    "name": Column("Họ và tên", 26),
    "email": Column("Email", 30),
    "phone": Column("Điện thoại", 14),
    "role": Column("Vai trò", 30),
    "agency": Column("Cơ quan, đơn vị (với cán bộ, lãnh đạo cơ quan)", 40),
    "commune": Column("Xã (với cán bộ xã)", 34),
    "district": Column("Huyện cũ (với cán bộ huyện)", 24),
}
OPTIONAL = {"phone", "agency", "commune", "district"}
SCOPE = {
    RoleKind.AGENCY_LEADER: "agency",
    RoleKind.AGENCY_STAFF: "agency",
    RoleKind.COMMUNE_OFFICER: "commune",
    RoleKind.DISTRICT_OFFICER: "district",
}
# What people write for a role, beside its full label.
ROLE_WORDS = {
    RoleKind.SECRETARIAT: ["Thường trực", "Văn phòng thường trực"],
    RoleKind.LEADERSHIP: ["Lãnh đạo tỉnh"],
    RoleKind.AGENCY_LEADER: ["Lãnh đạo cơ quan"],
    RoleKind.AGENCY_STAFF: ["Cán bộ cơ quan", "Cán bộ"],
    RoleKind.DISTRICT_OFFICER: ["Cán bộ huyện"],
    RoleKind.COMMUNE_OFFICER: ["Cán bộ xã"],
}


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Invitee:
    row: int
    first_name: str
    last_name: str
    email: str
    phone: str
    kind: str
    agency: Agency | None = None
    commune: Commune | None = None
    district: District | None = None


@dataclass
class Reading:
    people: list[Invitee] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _communes(province):
    return (
        Commune.objects.in_province(province)
        .filter(Q(valid_to__isnull=True) | Q(assignments__isnull=False))
        .distinct()
        .select_related("district")
        .order_by("valid_to", "name")
    )


def _registers(province, kinds):
    agencies = Agency.objects.filter(province=province, is_active=True).order_by("name")
    districts = District.objects.filter(province__successor=province).order_by("name")
    return {
        "role": Register(
            [k for k in RoleKind if k in kinds],
            names=lambda k: [RoleKind(k).label, *ROLE_WORDS[k]],
            codes=lambda k: [k.value],
        ),
        "agency": Register(
            agencies,
            names=lambda a: [a.name],
            codes=lambda a: [a.short_name] if a.short_name else [],
        ),
        "commune": Register(
            _communes(province),
            names=lambda c: [c.name, c.short_name],
            codes=lambda c: [c.code],
            labels=lambda c: [commune_label(c)],
        ),  # fmt: skip
        "district": Register(districts, names=lambda d: [d.name, d.short_name]),
    }


def split_name(full: str) -> tuple[str, str]:
    """Vietnamese order: "Lường Thị Thu" is family and middle names "Lường Thị", name "Thu"."""
    words = clean(full).split()
    return " ".join(words[:-1]), words[-1] if words else ""


def read(data: bytes, *, province, kinds=PROVINCE_KINDS) -> Reading:
    """Every row read and checked; nothing written. `kinds`: the roles the inviter may give."""
    workbook = sheets.open_workbook(data, sheets.SMALL)
    sheet = sheets.find_sheet(workbook, SHEET)
    if sheet is None:
        raise ImportRefused(f"Tệp không có trang «{SHEET}»: hãy dùng tệp mẫu tải từ hệ thống.")
    rows = sheets.read_sheet(sheet, COLUMNS, OPTIONAL)
    if len(rows) > MAX_PEOPLE:
        raise ImportRefused(
            f"Danh sách có hơn {MAX_PEOPLE:,} người: hãy tách thành nhiều tệp.".replace(",", ".")
        )
    registers = _registers(province, kinds)
    taken = {e.lower() for e in User.objects.exclude(email="").values_list("email", flat=True)}
    taken |= {u.lower() for u in User.objects.values_list("username", flat=True)}
    seen: dict[str, int] = {}
    reading = Reading()
    for row in rows:
        problems = []

        def problem(key, message, row=row, problems=problems):
            problems.append(Problem(row.number, COLUMNS[key].title, message))

        name = sheets.text(row.values.get("name"))
        last, first = split_name(name)
        if not first:
            problem("name", "Thiếu họ và tên.")
        email = sheets.text(row.values.get("email")).lower()
        if not email:
            problem("email", "Thiếu email: lời mời đặt mật khẩu gửi qua email.")
        else:
            try:
                validate_email(email)
            except Exception:
                problem("email", f"«{email}» không phải địa chỉ email.")
            else:
                try:
                    User.username_validator(email)
                    if len(email) > 150:
                        raise ValueError
                except Exception:
                    problem("email", f"«{email}» có ký tự không dùng được làm tên đăng nhập.")
                if email in taken:
                    problem("email", f"{email} đã là tài khoản: thêm vai trò cho tài khoản đó.")
                elif email in seen:
                    problem("email", f"{email} đã có ở dòng {seen[email]}.")
                seen.setdefault(email, row.number)
        person = Invitee(row.number, first, last, email,
                         sheets.text(row.values.get("phone"))[:30], kind="")  # fmt: skip
        role_text = sheets.text(row.values.get("role"))
        match = registers["role"].find(role_text, what="vai trò") if role_text else None
        if match is None:
            problem("role", "Thiếu vai trò.")
        elif match.problem:
            problem("role", match.problem)
        else:
            person.kind = match.entry
            scope = SCOPE.get(person.kind)
            if scope:
                scope_text = sheets.text(row.values.get(scope))
                if not scope_text:
                    problem(
                        scope, f"Vai trò {RoleKind(person.kind).label.lower()} cần ghi cột này."
                    )
                else:
                    found = registers[scope].find(
                        scope_text, what=COLUMNS[scope].title.split(" (")[0].lower()
                    )
                    if found.problem:
                        problem(scope, found.problem)
                    else:
                        setattr(person, scope, found.entry)
        if problems:
            reading.problems.extend(problems)
        else:
            reading.people.append(person)
    if not rows:
        reading.problems.append(Problem(2, COLUMNS["name"].title, "Danh sách không có ai."))
    return reading


@transaction.atomic
def invite_all(reading: Reading, *, province, invited_by) -> list[User]:
    """Everyone in one transaction, only when no row had a problem."""
    if reading.problems:
        raise ImportRefused("Danh sách còn lỗi: chưa mời ai.")
    return accounts.users_invite(
        [
            {"first_name": p.first_name, "last_name": p.last_name, "email": p.email,
             "phone": p.phone,
             "role": {"kind": p.kind, "province": province, "agency": p.agency,
                      "commune": p.commune, "district": p.district}}
            for p in reading.people
        ],
        invited_by=invited_by,
    )  # fmt: skip


def template(province, kinds=PROVINCE_KINDS) -> bytes:
    """The list to fill: its columns, two example rows to overwrite, and a sheet of the
    roles, agencies, communes and districts to choose from."""
    buffer = io.BytesIO()
    book = xl.new_workbook(buffer)
    styles = xl.Styles(book)
    sheet = book.add_worksheet(SHEET)
    headers = [(c.title, c.width) for c in COLUMNS.values()]
    xl.table_header(sheet, 0, headers, styles)
    lists = book.add_worksheet(LISTS_SHEET)
    roles = [RoleKind(k).label for k in RoleKind if k in kinds]
    agencies = list(
        Agency.objects.filter(province=province, is_active=True)
        .order_by("name")
        .values_list("name", flat=True)
    )
    communes = [commune_label(c) for c in _communes(province)]
    districts = list(
        District.objects.filter(province__successor=province)
        .order_by("name")
        .values_list("name", flat=True)
    )
    for column, (title, values) in enumerate(
        [
            ("Vai trò", roles),
            ("Cơ quan, đơn vị", agencies),
            ("Xã", communes),
            ("Huyện cũ", districts),
        ]
    ):
        lists.set_column(column, column, 40)
        xl.write_text(lists, 0, column, title, styles.header)
        for row, value in enumerate(values, start=1):
            xl.write_text(lists, row, column, value, styles.text)
    for key, column, values in [("role", 0, roles), ("agency", 1, agencies),
                                ("commune", 2, communes), ("district", 3, districts)]:  # fmt: skip
        if values:
            index = list(COLUMNS).index(key)
            letter, last = "ABCD"[column], len(values) + 1
            sheet.data_validation(1, index, MAX_PEOPLE, index, {
                "validate": "list", "source": f"='{LISTS_SHEET}'!${letter}$2:${letter}${last}",
                "error_type": "warning", "error_message": "Chọn trong danh mục.",
            })  # fmt: skip
    examples = book.add_worksheet(EXAMPLE_SHEET)
    xl.table_header(examples, 0, headers, styles)
    for row, values in enumerate([
        ["Lường Thị Thu", "thu.lt@example.gov.vn", "0912 345 678",
         RoleKind.AGENCY_STAFF.label, agencies[0] if agencies else "", "", ""],
        ["Giàng A Dình", "dinh.ga@example.gov.vn", "", RoleKind.COMMUNE_OFFICER.label, "",
         communes[0] if communes else "", ""],
    ], start=1):  # fmt: skip
        for column, value in enumerate(values):
            xl.write_text(examples, row, column, value, styles.text)
    book.close()
    return buffer.getvalue()
