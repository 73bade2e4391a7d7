import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.formatting import number
from followup.services.personal_data import expire_identities, retention_cutoff


class Command(BaseCommand):
    help = (
        "Xóa thông tin cá nhân (họ tên, thôn bản, ghi chú, ảnh) của các hộ có lần kiểm tra cuối "
        "cách đây quá PERSONAL_DATA_RETENTION_YEARS năm; số liệu được giữ lại."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đếm, không xóa.")
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, help="Ngày «hôm nay» (YYYY-MM-DD)."
        )

    def handle(self, *args, dry_run, today, **options):
        today = today or timezone.localdate()
        cutoff = retention_cutoff(today)
        count = expire_identities(today, dry_run=dry_run)
        years = settings.PERSONAL_DATA_RETENTION_YEARS
        if dry_run:
            self.stdout.write(
                f"{number(count)} lượt hỗ trợ có lần kiểm tra cuối trước {cutoff:%d/%m/%Y} "
                f"(quá {years} năm) sẽ bị xóa thông tin cá nhân."
            )
        else:
            self.stdout.write(
                f"Đã xóa thông tin cá nhân của {number(count)} lượt hỗ trợ có lần kiểm tra cuối "
                f"trước {cutoff:%d/%m/%Y} (quá {years} năm)."
            )
