"""An account of the centre (a ministry, the national steering committee): it reads every
province's dashboards, the national comparison and the issued reports, and writes nothing.
It holds one «Trung ương» role per current province; run again with --email of an existing
account to give it the provinces it lacks (after a new province starts)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from assignments import accounts, invitations
from assignments.models import Role, User
from assignments.people_import import split_name
from assignments.scoping import RoleKind
from communes.models import Province


class Command(BaseCommand):
    help = (
        "Mời (hoặc cập nhật) tài khoản trung ương: xem số liệu, bảng so sánh các tỉnh và báo"
        " cáo đã ban hành của mọi tỉnh, không sửa được gì. In đường dẫn đặt mật khẩu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="", help="Họ và tên (khi mời người mới)")

    def handle(self, *args, email, name, **options):
        if not Province.objects.exists():
            call_command("load_admin_units", verbosity=0)
        email = email.strip().lower()
        try:
            validate_email(email)
        except Exception as error:
            raise CommandError(f"«{email}» không phải địa chỉ email.") from error
        provinces = list(Province.objects.current().order_by("code"))
        with transaction.atomic():
            user = User.objects.filter(email__iexact=email).first()
            new = user is None
            if new:
                last, first = split_name(name)
                if not first:
                    raise CommandError("Tài khoản mới: ghi họ và tên (--name).")
                user = accounts.user_invite(
                    first_name=first, last_name=last, email=email,
                    role={"kind": RoleKind.NATIONAL, "province": provinces[0]},
                )  # fmt: skip
            held = set(
                Role.objects.filter(user=user, kind=RoleKind.NATIONAL).values_list(
                    "province_id", flat=True
                )
            )
            added = [p for p in provinces if p.pk not in held]
            for province in added:
                accounts.role_add(user=user, kind=RoleKind.NATIONAL, province=province)
        self.stdout.write(
            f"{user}: vai trò trung ương ở {len(provinces)} tỉnh, thành phố"
            f" (thêm {len(added) + (1 if new else 0)})."
        )
        if new:
            url = invitations.link(user)
            sent = invitations.send(user, url)
            self.stdout.write(
                f"Tên đăng nhập: {user.username}\nĐường dẫn đặt mật khẩu (dùng một lần, đến"
                f" {invitations.expires_at():%H:%M ngày %d/%m/%Y}):\n{url}\n"
                + ("Đã gửi thư mời." if sent else "Chưa gửi được thư: hãy gửi đường dẫn trên.")
                + "\nLần đăng nhập đầu tiên sẽ cài xác thực hai lớp (bắt buộc)."
            )
