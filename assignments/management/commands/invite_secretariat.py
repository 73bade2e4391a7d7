"""The one shell step of a new province: its first secretariat account, invited. Everything
after happens in the browser (decisions, agencies, people)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from assignments import accounts, invitations
from assignments.models import User
from assignments.people_import import split_name
from assignments.scoping import RoleKind
from communes.models import Province
from core.matching import Register


class Command(BaseCommand):
    help = (
        "Mời tài khoản văn phòng thường trực đầu tiên của một tỉnh: in (và gửi thư) đường dẫn"
        " để người đó tự đặt mật khẩu. Mọi việc sau đó làm trên trình duyệt."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="Mã hoặc tên tỉnh (sau 01/7/2025)")
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="Họ và tên, ví dụ: Nguyễn Thị Hằng")

    def handle(self, *args, province, email, name, **options):
        if not Province.objects.exists():
            self.stdout.write("Chưa có đơn vị hành chính: đang nạp (load_admin_units)…")
            call_command("load_admin_units", verbosity=0)
        provinces = Register(
            Province.objects.current(), names=lambda p: [p.name, p.short_name],
            codes=lambda p: [p.code],
        )  # fmt: skip
        found = provinces.find(province, what="tỉnh")
        if found.problem:
            raise CommandError(found.problem)
        email = email.strip().lower()
        try:
            validate_email(email)
        except Exception as error:
            raise CommandError(f"«{email}» không phải địa chỉ email.") from error
        if (
            User.objects.filter(email__iexact=email).exists()
            or User.objects.filter(username__iexact=email).exists()
        ):
            raise CommandError(f"{email} đã là tài khoản: thêm vai trò trong trang Người dùng.")
        last, first = split_name(name)
        if not first:
            raise CommandError("Ghi họ và tên.")
        with transaction.atomic():
            user = accounts.user_invite(
                first_name=first, last_name=last, email=email,
                role={"kind": RoleKind.SECRETARIAT, "province": found.entry},
            )  # fmt: skip
        url = invitations.link(user)
        sent = invitations.send(user, url)
        self.stdout.write(
            f"Đã mời {user} làm văn phòng thường trực {found.entry.name}.\n"
            f"Tên đăng nhập: {user.username}\n"
            f"Đường dẫn đặt mật khẩu (dùng một lần, đến"
            f" {invitations.expires_at():%H:%M ngày %d/%m/%Y}):\n{url}\n"
            + ("Đã gửi thư mời." if sent else "Chưa gửi được thư: hãy gửi đường dẫn trên.")
            + "\nLần đăng nhập đầu tiên sẽ cài xác thực hai lớp (bắt buộc với thường trực)."
        )
