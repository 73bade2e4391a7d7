"""Import a 10,000-row workbook with 1,000 field visits end to end (parse + commit) and
print time and memory.

Target (issue 5): ≤ 20 s end to end on this machine, peak memory ≤ 300 MB.
"""

import datetime
import io
import resource
import time

from _django import test_database

ROWS = 10_000
VISITS = 1_000


def build_world():
    from assignments.models import Agency, Assignment, Decision, Role, User
    from communes.models import REFORM_DATE, Commune, Province
    from core.text import fold

    province = Province.objects.create(
        code="ZZ",
        name="Tỉnh Đo Tốc Độ",
        short_name="Đo Tốc Độ",
        kind="tinh",
        valid_from=REFORM_DATE,
    )
    decision = Decision.objects.create(
        province=province,
        number="1/QĐ-UBND",
        signed_on=datetime.date(2025, 6, 20),
        title="Phân công",
        phase_start=datetime.date(2025, 7, 1),
        phase_end=datetime.date(2030, 12, 31),
    )
    agency = Agency.objects.create(province=province, name="Ban Đo Tốc Độ", kind="ban_dang")
    communes = []
    for i in range(10):
        name = f"Nậm Thử {i}"
        communes.append(
            Commune.objects.create(
                code=f"Z{i:04d}",
                name=f"Xã {name}",
                short_name=name,
                search_key=fold(name),
                kind="xa",
                province=province,
                valid_from=REFORM_DATE,
            )
        )
        Assignment.objects.create(
            decision=decision,
            agency=agency,
            commune=communes[-1],
            valid_from=decision.phase_start,
            valid_to=decision.phase_end,
        )
    user = User.objects.create(username="bench")
    Role.objects.create(user=user, kind="agency_staff", province=province, agency=agency)
    return user, communes  # fmt: skip


def build_workbook(communes) -> bytes:
    from openpyxl import Workbook

    from contributions import imports
    from contributions.models import Category, Item

    categories = list(Category.objects.values_list("name", flat=True))
    items = list(Item.objects.all())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(imports.SHEET)
    sheet.append([title for title, _ in imports.COLUMNS])
    for n in range(ROWS):
        commune = communes[n % len(communes)]
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 300)
        title = f"Hoạt động số {n // 3}"
        if n % 2:
            item = items[n % len(items)]
            row = [
                commune.short_name,
                day.strftime("%d/%m/%Y"),
                categories[n % len(categories)],
                title,
                "Hiện vật",
                item.name,
                item.unit,
                (n % 7) + 1,
                1_000_000 + n,
                "Doanh nghiệp, nhà tài trợ được vận động",
                f"Công ty {n % 50}",
                "Có",
                n % 90,
            ]
        else:
            row = [
                commune.short_name,
                day.strftime("%d/%m/%Y"),
                categories[n % len(categories)],
                title,
                "Tiền mặt",
                None,
                None,
                None,
                2_000_000 + n,
                "Kinh phí của cơ quan",
                None,
                "Không",
                n % 90,
            ]
        sheet.append(row)  # fmt: skip
    visits = workbook.create_sheet(imports.VISIT_SHEET)
    visits.append([column.title for column in imports.VISIT_COLUMNS.values()])
    for n in range(VISITS):
        start = datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 360)
        end = start + datetime.timedelta(days=n % 4)
        visits.append([
            communes[n % len(communes)].code,
            start.strftime("%d/%m/%Y"),
            end.strftime("%d/%m/%Y"),
            None,
            f"Chuyến công tác số {n}",
        ])  # fmt: skip
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def main():
    with test_database():
        from django.db import connection

        from contributions import imports
        from contributions.models import Activity, Contribution, FieldVisit

        user, communes = build_world()
        data = build_workbook(communes)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        started = time.perf_counter()
        result = imports.parse(data, user=user, file_name="bench.xlsx")
        parsed = time.perf_counter()
        assert result.ok, result.problems[:5]
        imports.commit(result, user=user)
        done = time.perf_counter()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"database: {connection.vendor}")
        print(f"workbook: {ROWS:,} rows, {VISITS:,} visits, {len(data) / 1024:.0f} KiB")
        print(f"parse:  {parsed - started:6.2f} s")
        counts = (
            f"{Activity.objects.count():,} activities, {Contribution.objects.count():,} rows,"
            f" {FieldVisit.objects.count():,} visits"
        )
        print(f"commit: {done - parsed:6.2f} s ({counts})")
        print(f"total:  {done - started:6.2f} s   (target ≤ 20 s)")
        print(
            f"process peak RSS: {rss_after:.0f} MiB (before the import {rss_before:.0f} MiB;"
            " target ≤ 300 MB)"
        )


if __name__ == "__main__":
    main()
