"""Recompute the monthly rollups from the raw rows, or check that they are current.

manage.py refresh_rollup           # after a bulk load or a repair made in SQL
manage.py refresh_rollup --check   # exit 1 if any rollup row differs from the raw rows
"""

import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from contributions import rollup
from core.formatting import number


class Command(BaseCommand):
    help = "Tính lại (hoặc kiểm tra) bảng tổng hợp theo tháng từ số liệu gốc."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Chỉ kiểm tra, không ghi.")

    def handle(self, *args, check=False, **options):
        started = time.perf_counter()
        if check:
            stale = {name: n for name, n in rollup.differences().items() if n}
            if stale:
                raise CommandError(f"Bảng tổng hợp chưa khớp số liệu gốc: {stale}")
            self.stdout.write("Bảng tổng hợp khớp số liệu gốc.")
            return
        rows = rollup.rebuild()
        seconds = number(Decimal(time.perf_counter() - started), 1)
        self.stdout.write(f"Đã tính lại {number(rows)} dòng tổng hợp trong {seconds} giây.")
