"""Reading an uploaded workbook, for every import of the app (activities, people, a
decision's annex, indicators): refuse what is not a sound .xlsx, find the sheets, map the
columns by their headers, and read cells as people type them in Excel or LibreOffice.

Dates are read the same in every locale: a real date cell, an Excel serial number, or text
as dd/mm/yyyy (also d/m/yyyy, with "-" or "." instead of "/") or ISO yyyy-mm-dd. Text is
never read month first: "12/31/2026" is a problem, not the 31st of December, and day and
month are never swapped to make a date fit.
"""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from openpyxl import load_workbook
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from core.text import clean, fold

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An .xlsx is a zip: its size says nothing about the parse. A 20.000-row sheet unpacks to
# about 10 MB; a 200 KB file whose shared strings unpack to 85 MB would hold a worker for
# minutes. Each part, all parts together and the number of parts are bounded, first as the
# zip declares them (before anything is stored), then as they really unpack (in the job).
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
MAX_PARTS = 300
MAX_ROWS = 20_000


@dataclass(frozen=True)
class Limits:
    """How large an upload may be: the file, each unpacked part, all parts, their number."""

    upload: int = MAX_UPLOAD_BYTES
    part: int = MAX_PART_BYTES
    total: int = MAX_UNCOMPRESSED_BYTES
    parts: int = MAX_PARTS


LIMITS = Limits()  # activities and visits, checked by a Celery job with a time limit
# A list typed by hand (people to invite, a decision's annex, a year's indicators): read
# inside the request, so bounded to what parses in well under a second.
SMALL = Limits(upload=1024 * 1024, part=4 * 1024 * 1024, total=8 * 1024 * 1024, parts=100)


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why, in Vietnamese."""


class Column(NamedTuple):
    title: str
    width: int


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EARLIEST, LATEST = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})")
_YEAR_FIRST = re.compile(r"(\d{4})([/.-])(\d{1,2})\2(\d{1,2})")
_TIME = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
EXAMPLE_DATE = "ví dụ 15/01/2026"


class CellError(ValueError):
    """A cell that cannot be read as what its column holds; the message says why."""


def check_file(data: bytes, limits: Limits = LIMITS) -> None:
    """What can be told without unpacking (the request does this before storing the file):
    the size, the kind of file, the zip's declared parts. ImportRefused with the reason."""
    if len(data) > limits.upload:
        raise ImportRefused(
            f"Tệp lớn hơn {limits.upload // 2**20} MB: hãy tách thành nhiều tệp nhỏ hơn."
        )
    if not data:
        raise ImportRefused("Tệp rỗng: hãy chọn tệp Excel đã điền.")
    if data[:8] == OLE_MAGIC:
        raise ImportRefused(
            "Tệp là định dạng Excel cũ (.xls) hoặc đã đặt mật khẩu: hãy bỏ mật khẩu và lưu lại"
            " dưới dạng .xlsx (Excel Workbook)."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if "mimetype" in names and archive.read("mimetype").startswith(
                b"application/vnd.oasis.opendocument"
            ):
                raise ImportRefused(
                    "Tệp là bảng tính OpenDocument (.ods): trong LibreOffice chọn Tệp › Lưu"
                    " thành… với kiểu «Excel 2007-365 (.xlsx)» rồi tải tệp .xlsx lên."
                )
    except ImportRefused:
        raise
    except Exception as error:  # not a zip, or one whose directory is damaged
        raise ImportRefused(
            "Tệp không phải tệp Excel .xlsx (có thể là CSV hoặc tệp khác đã đổi đuôi)."
        ) from error
    if "xl/workbook.xml" not in names:
        raise ImportRefused("Tệp nén không chứa bảng tính Excel.")
    _within_limits(len(infos), [(info.filename, info.file_size) for info in infos], limits)


def _within_limits(count: int, sizes: list[tuple[str, int]], limits: Limits) -> None:
    if count > limits.parts:
        raise ImportRefused(
            f"Tệp có {count} thành phần (bảng tính thật có vài chục): không phải bảng tính hợp lệ."
        )
    for name, size in sizes:
        if size > limits.part:
            raise ImportRefused(
                f"Tệp giải nén ra quá lớn (phần «{name}» hơn {limits.part // 2**20} MB):"
                " không phải bảng tính hợp lệ, hoặc hãy tách thành nhiều tệp nhỏ hơn."
            )
    if sum(size for _, size in sizes) > limits.total:
        raise ImportRefused(
            f"Tệp giải nén ra quá lớn (hơn {limits.total // 2**20} MB): không phải"
            " bảng tính hợp lệ, hoặc hãy tách thành nhiều tệp nhỏ hơn."
        )


def open_workbook(data: bytes, limits: Limits = LIMITS):
    """Open an uploaded .xlsx defensively; ImportRefused with a clear reason otherwise."""
    check_file(data, limits)
    _unpack_within_limits(data, limits)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # defusedxml, zip and XML errors all mean: unreadable
        raise ImportRefused(f"Không đọc được tệp Excel ({type(error).__name__}).") from error


def _unpack_within_limits(data: bytes, limits: Limits) -> None:
    """Unpack every part once, counting the bytes that really come out (a zip can declare
    small sizes and unpack to more) and checking each part's checksum; refuse a DTD (a
    real workbook never declares one: entity declarations are how XML bombs start)."""
    sizes = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            unpacked = 0
            try:
                with archive.open(info) as part:
                    first = True
                    while chunk := part.read(1024 * 1024):
                        xml = info.filename.endswith((".xml", ".rels"))
                        if first and xml and b"<!DOCTYPE" in chunk[:4096].upper():
                            raise ImportRefused(
                                "Không đọc được tệp Excel: tệp chứa khai báo XML không được phép."
                            )
                        first = False
                        unpacked += len(chunk)
                        if unpacked > limits.part:
                            _within_limits(1, [(info.filename, unpacked)], limits)
            except ImportRefused:
                raise
            except zipfile.BadZipFile as error:
                raise ImportRefused(
                    f"Tệp bị hỏng (phần «{info.filename}» sai mã kiểm tra): hãy mở tệp bằng"
                    " Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi tải lên lại."
                ) from error
            except Exception as error:  # an unknown compression, an encrypted part
                raise ImportRefused(
                    f"Không đọc được tệp Excel ({type(error).__name__}): hãy lưu lại dạng"
                    " .xlsx rồi tải lên lại."
                ) from error
            sizes.append((info.filename, unpacked))
    _within_limits(len(sizes), sizes, limits)


def find_sheet(workbook, name: str):
    """The worksheet called `name`, whatever its Unicode form and case; None if absent."""
    wanted = clean(name).casefold()
    for title in workbook.sheetnames:
        if clean(title).casefold() == wanted:
            return workbook[title]
    return None


@dataclass
class SheetRow:
    number: int
    values: dict[str, object]
    formulas: list[str] = field(default_factory=list)  # keys of the cells holding a formula


def header_key(title) -> str:
    return fold(str(title).split("(")[0]) if title is not None else ""


def read_sheet(sheet, columns: dict[str, Column], optional: set[str]) -> list[SheetRow]:
    """The sheet's non-blank rows below its header, each cell under its column's key.

    Everything is read here, inside one guard: a damaged sheet part surfaces while it is
    being iterated (read-only mode parses lazily), and becomes ImportRefused."""
    wanted = {header_key(column.title): key for key, column in columns.items()}
    try:
        sheet.reset_dimensions()
        rows = sheet.iter_rows()
        header = next(rows, None)
        positions = {}
        for index, cell in enumerate(header or ()):
            key = wanted.get(header_key(cell.value))
            if key and key not in positions.values():
                positions[index] = key
        found = []
        for number, cells in enumerate(rows, start=2):
            values, formulas = {}, []
            for index, key in positions.items():
                if index < len(cells) and cells[index].value is not None:
                    values[key] = cells[index].value
                    if cells[index].data_type == "f":
                        formulas.append(key)
            if all(text(value) == "" for value in values.values()):
                continue
            if number > MAX_ROWS + 1:
                raise ImportRefused(
                    f"Trang «{sheet.title}» có hơn {MAX_ROWS:,} dòng: hãy tách thành nhiều"
                    " tệp.".replace(",", ".")
                )
            found.append(SheetRow(number, values, formulas))
    except ImportRefused:
        raise
    except Exception as error:
        raise ImportRefused(
            f"Không đọc được trang «{sheet.title}» ({type(error).__name__}): hãy mở tệp bằng"
            " Excel hoặc LibreOffice và lưu lại dạng .xlsx."
        ) from error
    missing = [
        column.title
        for key, column in columns.items()
        if key not in optional and key not in positions.values()
    ]
    if missing and (found or any(text(cell.value) for cell in header or ())):
        names = ", ".join(f"«{title}»" for title in missing)
        raise ImportRefused(
            f"Trang «{sheet.title}» thiếu cột {names} ở dòng tiêu đề (dòng 1): hãy dùng tệp mẫu"
            " tải từ hệ thống và không đổi tên cột."
        )
    return found


def text(value) -> str:
    """A cell as trimmed NFC text; 12.0 from a number cell reads "12"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def number(value) -> Decimal | None:
    """A number cell, or text written the Vietnamese way (dots group thousands, a comma
    marks decimals: "20.000.000", "12,5"); None when it is not a finite number."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        result = Decimal(str(value))
    else:
        raw = text(value).replace(" ", "")
        if (
            "," in raw
            or raw.count(".") > 1
            or (raw.count(".") == 1 and len(raw.split(".")[1]) == 3)
        ):
            raw = raw.replace(".", "").replace(",", ".")
        try:
            result = Decimal(raw)
        except InvalidOperation:
            return None
    return result if result.is_finite() else None


def date(value, *, epoch=CALENDAR_WINDOWS_1900) -> datetime.date:
    """A date as typed in any locale (see the module docstring); CellError otherwise."""
    if isinstance(value, datetime.datetime):
        return _in_range(value.date(), f"{value:%d/%m/%Y}")
    if isinstance(value, datetime.date):
        return _in_range(value, f"{value:%d/%m/%Y}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel serial day number (45292 is 01/01/2024): a date cell whose format was
        # lost, e.g. pasted as values into a General column.
        if not 1 <= value < 2958466:
            raise CellError(
                f"Ô ngày chứa số {text(value)}: ghi ngày dạng dd/mm/yyyy, {EXAMPLE_DATE}."
            )
        day = from_excel(value, epoch)
        return _in_range(day.date() if isinstance(day, datetime.datetime) else day, text(value))
    raw = text(value)
    if not raw:
        raise CellError(f"Thiếu ngày: ghi dạng dd/mm/yyyy, {EXAMPLE_DATE}.")
    for pattern, order in ((_DAY_FIRST, (4, 3, 1)), (_YEAR_FIRST, (1, 3, 4))):
        match = pattern.match(raw)
        if match is None or not _TIME.fullmatch(raw, match.end()):
            continue
        year, month, day = (match.group(i) for i in order)
        if len(year) == 2:
            raise CellError(f"Ngày «{raw}»: năm phải ghi đủ 4 chữ số (dd/mm/yyyy), {EXAMPLE_DATE}.")
        try:
            found = datetime.date(int(year), int(month), int(day))
        except ValueError:
            hint = " (có vẻ đã ghi tháng trước ngày)" if int(month) > 12 >= int(day) else ""
            raise CellError(
                f"Ngày «{raw}» không có thật{hint}: ghi theo thứ tự ngày/tháng/năm, {EXAMPLE_DATE}."
            ) from None
        return _in_range(found, raw)
    raise CellError(f"«{raw}» không phải ngày: ghi dạng dd/mm/yyyy, {EXAMPLE_DATE}.")


def _in_range(day: datetime.date, shown: str) -> datetime.date:
    if not EARLIEST <= day <= LATEST:
        raise CellError(
            f"Ngày «{shown}» nằm ngoài khoảng hợp lý (từ năm {EARLIEST.year} đến"
            f" {LATEST.year}): kiểm tra lại năm."
        )
    return day
