"""Invitations: nobody types a password for someone else. The secretariat invites one person
or a list from Excel, an agency's leader invites its staff, and the shell step invites a new
province's first secretariat; each sets their own password through a link that works once
and expires."""

import io
import re

import openpyxl
import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from assignments import invitations
from assignments.models import Person, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
GOOD = "Bản-Mường-2026!"
LINK = re.compile(r"https?://[^\s\"<]+(/accounts/invitation/[^\s\"<]+/)")
INVITE = {"last_name": "Lò Văn", "first_name": "A", "email": "LoVanA@Example.vn",
          "phone": "0912 000 111", "kind": "commune_officer"}  # fmt: skip


def link_in(text: str) -> str:
    """The path of the first invitation link in `text`."""
    return LINK.search(text).group(1)


def invite(client, world, **extra):
    client.force_login(world.users["secretariat"])
    return client.post(reverse("user_create"), {**INVITE, "commune": world.commune.pk, **extra})


def test_the_secretariat_invites_and_the_person_sets_their_own_password(client, world):
    response = invite(client, world)
    user = User.objects.get(email="lovana@example.vn")
    assert response.status_code == 302 and user.username == "lovana@example.vn"
    assert not user.has_usable_password()
    role = user.roles.get()
    assert (role.kind, role.commune, role.province) == ("commune_officer", world.commune,
                                                        world.province)  # fmt: skip
    [email] = mail.outbox
    assert email.to == ["lovana@example.vn"] and "đặt mật khẩu" in email.body.lower()
    page = client.get(response["Location"]).content.decode()
    assert "Đã mời Lò Văn A" in page and "Đã mời, chưa đặt mật khẩu" in page
    url = link_in(email.body)
    assert link_in(page) == link_in(email.body)

    newcomer = Client()
    form = newcomer.get(url).content.decode()
    assert "Đặt mật khẩu lần đầu" in form and "lovana@example.vn" in form
    weak = newcomer.post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200 and not User.objects.get(pk=user.pk).has_usable_password()
    done = newcomer.post(url, {"new_password1": GOOD, "new_password2": GOOD})
    assert done.status_code == 302 and done["Location"] == reverse("login")
    assert User.objects.get(pk=user.pk).check_password(GOOD)
    assert newcomer.get(url).status_code == 404  # once only
    logged = newcomer.post(reverse("login"), {"username": "LOVANA@example.vn", "password": GOOD})
    assert logged.status_code == 302 and "_auth_user_id" in newcomer.session
    reasons = set(user.history.values_list("history_change_reason", flat=True))
    inviter = world.users["secretariat"]
    assert {f"Được mời bởi {inviter}", "Đặt mật khẩu theo lời mời"} <= reasons


def test_a_taken_email_in_any_case_is_refused(client, world):
    UserFactory(email="lovana@example.vn")
    response = invite(client, world, email="LOVANA@example.VN")
    assert response.status_code == 200 and "đã được dùng" in response.content.decode()
    assert User.objects.filter(email__iexact="lovana@example.vn").count() == 1


def test_an_expired_or_replaced_link_is_refused_with_what_to_do(client, world, settings):
    invite(client, world)
    user = User.objects.get(email="lovana@example.vn")
    first = link_in(mail.outbox[0].body)
    client.post(reverse("user_reinvite", args=[user.pk]))
    second = link_in(mail.outbox[1].body)
    assert first != second
    assert Client().get(first).status_code == 404  # replaced by the newer one
    assert Client().get(second).status_code == 200
    settings.INVITATION_DAYS = 0
    expired = Client().get(second)
    assert expired.status_code == 410 and "hết hạn" in expired.content.decode()
    assert Client().get("/accounts/invitation/gia-mao:1:abc/").status_code == 404


def test_no_reinvite_once_the_password_is_set(client, world):
    target = world.users["agency_staff_a"]
    client.force_login(world.users["secretariat"])
    page = client.post(reverse("user_reinvite", args=[target.pk]), follow=True)
    assert "không cần mời lại" in page.content.decode()
    assert target.has_usable_password() and not mail.outbox


def test_an_agency_leader_invites_its_own_staff(client, world):
    client.force_login(world.users["agency_leader_a"])
    page = client.get(reverse("agency_staff")).content.decode()
    assert world.agency_a.name in page
    staff = {"last_name": "Lường Thị", "first_name": "Thu", "email": "thu@example.vn",
             "phone": "0988 123 456"}  # fmt: skip
    client.post(reverse("agency_staff"), staff)
    user = User.objects.get(email="thu@example.vn")
    role = user.roles.get()
    assert (role.kind, role.agency) == ("agency_staff", world.agency_a)
    person = Person.objects.get(user=user)
    assert (person.agency, person.full_name, person.phone) == (world.agency_a, "Lường Thị Thu",
                                                               "0988 123 456")  # fmt: skip
    client.force_login(world.users["agency_staff_a"])
    assert client.get(reverse("agency_staff")).status_code == 403


# The list from Excel -------------------------------------------------------------------

HEADERS = ["Họ và tên", "Email", "Điện thoại", "Vai trò", "Cơ quan, đơn vị", "Xã", "Huyện cũ"]


def people_file(rows, sheet="Danh sách") -> io.BytesIO:
    workbook = openpyxl.Workbook()
    workbook.active.title = sheet
    workbook.active.append(HEADERS)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "moi.xlsx"
    return buffer


def upload(client, rows, **kwargs):
    return client.post(reverse("user_import"), {"file": people_file(rows, **kwargs)})


def test_the_template_lists_the_provinces_choices(client, world):
    client.force_login(world.users["secretariat"])
    response = client.get(reverse("user_import_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Danh sách", "Danh mục", "Ví dụ"]
    assert [c.value for c in book["Danh sách"][1]][:4] == HEADERS[:4]
    assert book["Danh sách"].max_row == 1  # nothing to invite by mistake
    choices = {c.value for column in book["Danh mục"].iter_cols() for c in column}
    assert world.agency_a.name in choices and "Cán bộ xã" in choices
    assert world.other_assignment.agency.name not in choices


def test_a_list_with_problems_invites_nobody_and_names_each(client, world):
    client.force_login(world.users["secretariat"])
    UserFactory(email="da.co@example.vn")
    rows = [
        ["Lường Thị Thu", "thu@example.vn", "", "Cán bộ cơ quan", world.agency_a.name, "", ""],
        ["Giàng A Dình", "da.co@example.vn", "", "Cán bộ xã", "", world.commune.name, ""],
        ["Vừ A Chứ", "thu@EXAMPLE.vn", "", "Cán bộ xã", "", "Xã Mới Muờng", ""],
        ["Sùng Thị Mai", "khong-phai-email", "", "Phó chủ tịch", "", "", ""],
        ["Lò Văn Pọm", "pom@example.vn", "", "Cán bộ cơ quan", "Sở Không Có", "", ""],
    ]
    page = upload(client, rows).content.decode()
    assert "Danh sách có 5 lỗi: chưa mời ai." in page
    assert "da.co@example.vn đã là tài khoản" in page
    assert "thu@example.vn đã có ở dòng 2" in page
    assert "«khong-phai-email» không phải địa chỉ email" in page
    assert "Vai trò «Phó chủ tịch» không có trong danh mục" in page
    assert "«Sở Không Có» không có trong danh mục" in page
    assert "Muờng" not in page  # one commune without its accents: found, no problem
    assert not User.objects.filter(email__in=["thu@example.vn", "pom@example.vn"]).exists()
    assert not mail.outbox


def test_a_clean_list_invites_everyone_at_once(client, world):
    client.force_login(world.users["secretariat"])
    rows = [
        ["Lường Thị Thu", "thu@example.vn", "0912 345 678", "Cán bộ cơ quan",
         world.agency_a.short_name, "", ""],
        ["Giàng A Dình", "dinh@example.vn", "", "cán bộ xã", "", world.commune.code, ""],
        ["Vừ A Chứ", "chu@example.vn", "", "Lãnh đạo tỉnh", "", "", ""],
    ]  # fmt: skip
    page = upload(client, rows).content.decode()
    assert "Đã mời 3 người." in page
    assert len(LINK.findall(page)) == 3 and len(mail.outbox) == 3
    dinh = User.objects.get(email="dinh@example.vn")
    assert (dinh.first_name, dinh.last_name) == ("Dình", "Giàng A")
    assert dinh.roles.get().commune == world.commune
    thu = User.objects.get(email="thu@example.vn")
    assert thu.roles.get().agency == world.agency_a
    assert Person.objects.get(user=thu).phone == "0912 345 678"
    assert not thu.has_usable_password()
    created = thu.history.get()  # the audit log says who invited
    assert created.history_user == world.users["secretariat"]
    assert created.history_change_reason == f"Được mời bởi {world.users['secretariat']}"


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"Ho va ten,Email\nA,a@b.vn\n", "không phải tệp Excel .xlsx"),
     (b"x" * (1024 * 1024 + 10), "lớn hơn 1 MB")],
)  # fmt: skip
def test_a_file_that_is_not_a_list_is_refused(client, world, data, message):
    client.force_login(world.users["secretariat"])
    file = io.BytesIO(data)
    file.name = "moi.xlsx"
    page = client.post(reverse("user_import"), {"file": file}).content.decode()
    assert message in page
    assert not User.objects.filter(email="a@b.vn").exists()
    assert not mail.outbox


def test_a_workbook_without_the_list_sheet_is_refused(client, world):
    client.force_login(world.users["secretariat"])
    page = upload(client, [["A B", "a@b.vn", "", "Cán bộ xã", "", "", ""]], sheet="Sheet1")
    assert "không có trang «Danh sách»" in page.content.decode()


# The shell step ------------------------------------------------------------------------


def test_the_shell_step_invites_a_provinces_first_secretariat(admin_units, capsys):
    call_command("invite_secretariat", province="lao cai", email="Hoa@LaoCai.gov.vn",
                 name=" Trần Thị  Hoa ")  # fmt: skip
    out = capsys.readouterr().out
    assert "Đã mời Trần Thị Hoa làm văn phòng thường trực Tỉnh Lào Cai." in out
    user = User.objects.get(username="hoa@laocai.gov.vn")
    assert user.roles.get().kind == "secretariat"
    client = Client()
    url = link_in(out)
    client.post(url, {"new_password1": GOOD, "new_password2": GOOD})
    client.post(reverse("login"), {"username": "hoa@laocai.gov.vn", "password": GOOD})
    # the first login enrols the second factor before any page
    assert client.get(reverse("user_list"))["Location"].startswith(reverse("two_factor"))

    with pytest.raises(CommandError, match="đã là tài khoản"):
        call_command("invite_secretariat", province="Lào Cai", email="HOA@laocai.gov.vn",
                     name="Trần Thị Hoa")  # fmt: skip
    with pytest.raises(CommandError, match="không có trong danh mục"):
        call_command("invite_secretariat", province="Tỉnh Không Có", email="x@y.vn", name="A B")


def test_the_link_token_cannot_name_another_account(world):
    user = world.users["agency_staff_a"]
    assert invitations.user_for(invitations.token_for(user)) is None  # has a password


def test_with_the_queue_down_everyone_is_invited_and_the_links_are_shown(
    client, world, dead_broker
):
    client.force_login(world.users["secretariat"])
    rows = [["Lường Thị Thu", "thu@example.vn", "", "Cán bộ cơ quan", world.agency_a.name, "", ""]]
    page = upload(client, rows).content.decode()
    assert "Đã mời 1 người." in page and "chưa gửi được thư mời" in page
    assert len(LINK.findall(page)) == 1 and not mail.outbox
    assert User.objects.filter(email="thu@example.vn").exists()
