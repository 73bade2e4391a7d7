"""The import workbook's shape: sheet names, columns, limits and the example rows.

The template writes this layout and the parser reads it back, so both live here.
"""

import datetime
from typing import NamedTuple

# The limits, the refusal and the column are every import's (core.spreadsheets).
from core.spreadsheets import (  # noqa: F401
    MAX_PART_BYTES,
    MAX_PARTS,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_UPLOAD_BYTES,
    Column,
    ImportRefused,
)

MAX_VALUE = 1_000_000_000_000
MAX_BENEFICIARIES = 10_000_000

SHEET = "Hoạt động"
VISIT_SHEET = "Chuyến công tác"
EXAMPLE_SHEET = "Ví dụ"
LISTS_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"


# Columns are found by their header's title (the part before any bracket), so a file keeps
# working when someone moves a column; "village" may be missing (templates before it).
ACTIVITY_COLUMNS = {
    "commune": Column("Xã", 34),
    "date": Column("Ngày (dd/mm/yyyy)", 14),
    "category": Column("Lĩnh vực", 36),
    "title": Column("Nội dung hoạt động", 44),
    "kind": Column("Hình thức", 12),
    "item": Column("Hiện vật", 26),
    "unit": Column("Đơn vị tính", 12),
    "quantity": Column("Số lượng", 10),
    "value": Column("Giá trị (đồng)", 16),
    "source": Column("Nguồn", 30),
    "donor": Column("Nhà tài trợ", 24),
    "lasting": Column("Hỗ trợ lâu dài (Có/Không)", 12),
    "beneficiaries": Column("Số người hưởng lợi", 12),
    "village": Column("Thôn, bản (nếu có)", 30),
}
ACTIVITY_OPTIONAL = {"village"}
COLUMNS = list(ACTIVITY_COLUMNS.values())

VISIT_COLUMNS = {
    "commune": Column("Xã", 34),
    "start": Column("Từ ngày (dd/mm/yyyy)", 14),
    "end": Column("Đến ngày (dd/mm/yyyy)", 14),
    "days": Column("Số ngày ở xã", 10),
    "purpose": Column("Nội dung công việc", 60),
}
VISIT_OPTIONAL: set[str] = set()
DATE_COLUMNS = {"date", "start", "end"}


class ExampleRow(NamedTuple):
    title: str
    date: datetime.date
    value: int


# The template's examples sit on their own sheet and are never imported. Templates before
# that had them on the data sheet, where an agency could forget them: a row that repeats
# one (same content, day and value) is refused wherever it is.
EXAMPLES = [
    ExampleRow("Tặng quà Tết cho hộ nghèo", datetime.date(2026, 1, 15), 30_000_000),
    ExampleRow("Hỗ trợ làm đường bê tông bản", datetime.date(2026, 3, 20), 20_000_000),
]
