import time

from django.core.management.base import BaseCommand

from communes.loader import load
from communes.models import Commune, District, Province


class Command(BaseCommand):
    help = (
        "Nạp đơn vị hành chính hiện hành (34 tỉnh, 3.321 xã) và trước 01/7/2025 "
        "(63 tỉnh, 696 huyện, 10.035 xã) cùng bảng sắp xếp 2025. Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="append",
            help="Chỉ nạp tỉnh hiện hành mã này (11: Điện Biên) và các tỉnh cũ nhập vào nó.",
        )

    def handle(self, *args, province=None, verbosity=1, **options):
        started = time.monotonic()
        report = load(province)
        if verbosity:
            self.stdout.write(
                f"Tỉnh: {Province.objects.current().count()} hiện hành, "
                f"{Province.objects.legacy().count()} trước sắp xếp; "
                f"huyện (cũ): {District.objects.count()}; "
                f"xã: {Commune.objects.current().count()} hiện hành, "
                f"{Commune.objects.legacy().count()} trước sắp xếp."
            )
            created = ", ".join(f"{k} {v}" for k, v in report.created.items() if v) or "không có"
            updated = ", ".join(f"{k} {v}" for k, v in report.updated.items() if v) or "không có"
            self.stdout.write(f"Tạo mới: {created}. Cập nhật: {updated}.")
            self.stdout.write(
                f"{report.codes_differing} xã có mã khác nhau giữa hai gói; dùng mã của "
                f"vietnam-provinces. Xong trong {time.monotonic() - started:.1f} giây."
            )
