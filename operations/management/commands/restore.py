import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from operations import databases
from operations.backups import (
    BackupError,
    backup_check_target,
    backup_fetch,
    backup_find,
    backup_restore,
)


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu: kiểm tra manifest và mã SHA-256 của mọi tệp, hỏi xác "
        "nhận, rồi thay toàn bộ cơ sở dữ liệu và ghi lại các tệp tải lên."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Tên bản sao lưu (ví dụ 20261202T020000Z) hoặc latest")
        parser.add_argument(
            "--database-url",
            help="Khôi phục vào cơ sở dữ liệu này (mặc định: cơ sở dữ liệu đang cấu hình)",
        )
        parser.add_argument(
            "--no-input", action="store_true", help="Không hỏi xác nhận (dùng trong kịch bản)"
        )
        parser.add_argument(
            "--no-media", action="store_true", help="Chỉ khôi phục cơ sở dữ liệu, không ghi tệp"
        )

    def handle(self, *args, name, database_url, no_input, no_media, **options):
        try:
            database = (
                databases.from_url(database_url) if database_url else connection.settings_dict
            )
            target = databases.describe(database)
            backup = backup_find(name)
            with tempfile.TemporaryDirectory(prefix="giupxa-restore-") as tmp:
                manifest = backup_fetch(backup, Path(tmp))
                backup_check_target(manifest, database)
                created = timezone.localtime(backup.created_at).strftime("%d/%m/%Y %H:%M")
                self.stdout.write(
                    f"Bản sao lưu {backup.name} ({created}, {manifest['media_files']} tệp tải "
                    "lên): mọi tệp đúng mã SHA-256."
                )
                if not no_input:
                    self._confirm(backup.name, target, media=not no_media)
                notes = backup_restore(
                    manifest=manifest, folder=Path(tmp), database=database, media=not no_media
                )
        except (BackupError, databases.DatabaseCopyError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đã khôi phục {backup.name} vào {target}.")
        for note in notes:
            self.stdout.write(note)

    def _confirm(self, name: str, target: str, *, media: bool) -> None:
        what = "và ghi đè các tệp tải lên cùng tên" if media else "(không ghi tệp tải lên)"
        self.stdout.write(
            f"Toàn bộ dữ liệu hiện có của {target} sẽ bị thay bằng bản sao lưu {name} {what}."
        )
        answer = input(f"Gõ tên bản sao lưu ({name}) để xác nhận: ").strip()
        if answer != name:
            raise CommandError("Đã hủy: không khôi phục gì.")
