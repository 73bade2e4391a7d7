"""Invite a list of 2,000 people from Excel (the most a list holds): the read with its
checks, then the one transaction that creates the accounts, roles and people. Both run in
the web request (the emails go from a worker), so both must stay short.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/invite_list.py
"""

import io
import os
import resource
import time

from _django import test_database

PEOPLE = 2_000


def main():
    import openpyxl

    from assignments import people_import
    from assignments.models import Agency
    from communes.models import REFORM_DATE, Province

    province = Province.objects.create(
        code="ZZ", name="Tỉnh Đo Tốc Độ", short_name="Đo Tốc Độ", kind="tinh",
        valid_from=REFORM_DATE,
    )  # fmt: skip
    agencies = [
        Agency.objects.create(province=province, name=f"Sở Đo Tốc Độ {n}", kind="so_nganh")
        for n in range(80)
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = people_import.SHEET
    sheet.append([c.title for c in people_import.COLUMNS.values()])
    for n in range(PEOPLE):
        sheet.append([f"Nguyễn Văn Người {n}", f"nguoi{n}@example.vn", "0912 000 000",
                      "Cán bộ cơ quan", agencies[n % 80].name, "", ""])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{PEOPLE} people, file {len(data) // 1024} KB")
    started = time.perf_counter()
    reading = people_import.read(data, province=province)
    read = time.perf_counter() - started
    assert not reading.problems, reading.problems[:3]
    started = time.perf_counter()
    users = people_import.invite_all(reading, province=province, invited_by=None)
    invite = time.perf_counter() - started
    assert len(users) == PEOPLE
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"read {read:.2f} s, invite {invite:.2f} s, peak {peak} MiB")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    with test_database():
        main()
