import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assignments.models import Agency
from communes.models import Commune, District, Province
from core.text import fold
from reports import builder
from reports.models import ReportRun


class Command(BaseCommand):
    help = "Lập báo cáo sơ kết (PDF và Excel) cho một tỉnh, huyện, xã hoặc cơ quan."

    def add_arguments(self, parser):
        date = datetime.date.fromisoformat
        parser.add_argument("--province", required=True, help='Tên tỉnh, ví dụ "Điện Biên"')
        parser.add_argument("--from", dest="start", type=date, required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=date, required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="Thư mục ghi tệp")
        parser.add_argument(
            "--former-province", help='Tỉnh trước 01/7/2025 như khi đó, ví dụ "Yên Bái"'
        )
        parser.add_argument("--district", help="Tên huyện (trước 01/7/2025)")
        parser.add_argument("--commune", help="Tên xã")
        parser.add_argument("--agency", help="Tên cơ quan, đơn vị")
        parser.add_argument(
            "--include-awaiting",
            action="store_true",
            help="Tính cả hoạt động đang chờ xã xác nhận (mặc định: chỉ số liệu xã đã xác nhận)",
        )

    def handle(self, *args, province, start, end, out, district, commune, agency, **options):
        if end < start:
            raise CommandError("Ngày cuối kỳ phải sau ngày đầu kỳ.")
        found = [p for p in Province.objects.current() if fold(p.short_name) == fold(province)]
        if not found:
            raise CommandError(f"Không thấy tỉnh «{province}».")
        run = ReportRun(
            province=found[0],
            period_start=start,
            period_end=end,
            include_awaiting=options["include_awaiting"],
            pk=0,
        )
        if options.get("former_province"):
            run.former_province = self._one(
                Province.objects.filter(successor=run.province),
                options["former_province"],
                "tỉnh trước sắp xếp",
            )
            run.scope = ReportRun.Scope.FORMER_PROVINCE
        if district:
            run.district = self._one(
                District.objects.filter(province__successor=run.province), district, "huyện"
            )
            run.scope = ReportRun.Scope.DISTRICT
        if commune:
            run.commune = self._one(Commune.objects.in_province(run.province), commune, "xã")
            run.scope = ReportRun.Scope.COMMUNE
        if agency:
            run.agency = self._one(Agency.objects.filter(province=run.province), agency, "cơ quan")
            run.scope = ReportRun.Scope.AGENCY
        pdf_bytes, xlsx_bytes, _ = builder.build_files(run)
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"bao-cao-{start:%Y%m%d}-{end:%Y%m%d}"
        for extension, data in (("pdf", pdf_bytes), ("xlsx", xlsx_bytes)):
            path = folder / f"{stem}.{extension}"
            path.write_bytes(data)
            self.stdout.write(str(path.resolve()))

    @staticmethod
    def _one(queryset, name, label):
        key = fold(name)
        matches = [
            obj for obj in queryset if key in (fold(obj.name), fold(getattr(obj, "short_name", "")))
        ]
        if not matches:
            raise CommandError(f"Không thấy {label} «{name}».")
        # A name used before and after the reform: take the current unit.
        matches.sort(key=lambda obj: getattr(obj, "valid_to", None) is not None)
        return matches[0]
