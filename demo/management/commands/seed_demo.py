import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.formatting import number
from demo import builder as demo


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu của tỉnh Điện Biên: cơ quan, quyết định, hoạt động, đóng góp, tài khoản."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Nhân khối lượng dữ liệu (đo hiệu năng)."
        )
        parser.add_argument("--reset", action="store_true", help="Xóa dữ liệu mẫu cũ rồi tạo lại.")
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Ngày «hôm nay» (YYYY-MM-DD)."
        )

    def handle(self, *args, scale, reset, today, verbosity=1, **options):
        started = time.monotonic()
        try:
            summary = demo.build(today=today or timezone.localdate(), scale=scale, reset=reset)
        except demo.DemoError as error:
            raise CommandError(str(error)) from error
        if not verbosity:
            return
        if summary.created:
            self.stdout.write(f"Đã tạo dữ liệu mẫu trong {time.monotonic() - started:.1f} giây:")
        else:
            self.stdout.write("Dữ liệu mẫu đã có (dùng --reset để tạo lại):")
        self.stdout.write(
            f"  {number(summary.agencies)} cơ quan, {number(summary.assignments)} phân công, "
            f"{number(summary.activities)} hoạt động, {number(summary.contributions)} đóng góp, "
            f"{number(summary.field_visits)} chuyến công tác."
        )
        self.stdout.write("\nTài khoản dùng thử (http://127.0.0.1:8000/):")
        for username, password, role, codes in summary.logins:
            self.stdout.write(f"  {username:<15} {password:<12} {role}")
            if codes:
                self.stdout.write(f"  {'':<15} {'':<12} {codes}")
