from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.formatting import number
from operations.backups import MB, BackupError, backup_create, backup_list


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và các tệp tải lên vào kho «backups» (BACKUP_ROOT), rồi xóa "
        "các bản cũ quá BACKUP_KEEP bản. --list: liệt kê các bản sao lưu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list",
            action="store_true",
            dest="show_list",
            help="Liệt kê các bản sao lưu, không sao lưu",
        )
        parser.add_argument("--keep", type=int, help="Số bản đầy đủ giữ lại (mặc định BACKUP_KEEP)")

    def handle(self, *args, show_list, keep, **options):
        if show_list:
            return self._list()
        if keep is not None and keep < 1:
            raise CommandError("--keep phải từ 1 trở lên: bản mới nhất luôn được giữ.")
        try:
            result = backup_create(keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        sizes = ", ".join(
            f"{name} {_size(item['size'])}" for name, item in manifest["files"].items()
        )
        self.stdout.write(
            f"Đã sao lưu {result.backup.name}: {sizes}; {manifest['media_files']} tệp tải lên."
        )
        if result.skipped_media:
            self.stdout.write(
                "Bỏ qua các tệp bị xóa trong lúc sao lưu: " + ", ".join(result.skipped_media)
            )
        if result.deleted:
            self.stdout.write("Đã xóa các bản cũ: " + ", ".join(result.deleted))

    def _list(self):
        backups = backup_list(sizes=True)
        if not backups:
            self.stdout.write("Chưa có bản sao lưu nào.")
            return
        self.stdout.write(f"{'Tên':<18}{'Lúc (giờ Việt Nam)':<20}{'Dung lượng':>12}  Tình trạng")
        for backup in backups:
            when = timezone.localtime(backup.created_at).strftime("%d/%m/%Y %H:%M")
            state = "đầy đủ" if backup.complete else "chưa hoàn tất (không có manifest.json)"
            self.stdout.write(f"{backup.name:<18}{when:<20}{_size(backup.size):>12}  {state}")


def _size(size: int) -> str:
    return f"{number(size / MB, 1)} MB" if size >= MB else f"{number(size / 1024, 0)} KB"
