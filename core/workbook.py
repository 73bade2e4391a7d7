"""Workbooks: user text stays text, and every table reads the same in any program.

User text must never become a formula when Excel or LibreOffice opens the file (CSV/formula
injection): a name or a title that starts with "=" is written as a string cell.

Workbooks are written with XlsxWriter (openpyxl only reads imports, and writes the import
template with its drop-downs). `Styles` holds the formats every giupxa workbook shares and
the writers below apply them: numbers `#,##0` (2.294.822.000 in a Vietnamese-locale Excel),
quantities with decimals only where they have them, percentages as fractions with a % format,
dates as date cells shown dd/mm/yyyy, totals as SUM formulas that also store their result so
a reader that does not recalculate (pandas, phone viewers, openpyxl with data_only) shows
the same total.
"""

import datetime
from decimal import Decimal

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY = "#,##0"
QUANTITY = "#,##0.##"
PERCENT = "0.0%"
DATE = "dd/mm/yyyy"
LINE_HEIGHT = 15  # points: one line of the default font (Calibri 11), Excel's default row

# What an .xlsx download is served as.
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value) -> str:
    """For places where a cell's type cannot be set (CSV): a leading =, +, -, @, tab or
    carriage return gets an apostrophe, which spreadsheet programs show as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def text_cell(cell, value):
    """For openpyxl normal-mode sheets: write `value` as a string cell, never a formula."""
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"
    return cell


class Styles:
    """The cell formats of one XlsxWriter workbook (a format belongs to the workbook that
    made it). Table cells have a thin grey border so a printed sheet reads as a table."""

    def __init__(self, workbook):
        add = workbook.add_format
        cell = {"border": 1, "border_color": "#999999", "valign": "top"}
        self.title = add({"bold": True, "font_size": 13, "align": "center"})
        self.subtitle = add({"italic": True, "align": "center"})
        self.heading = add({"bold": True})
        self.note = add({"italic": True})
        self.label = add({})
        self.header = add(
            {**cell, "bold": True, "bg_color": "#DCE6F1", "align": "center",
             "valign": "vcenter", "text_wrap": True}
        )  # fmt: skip
        self.text = add({**cell, "text_wrap": True})  # names wrap rather than being cut
        self.center = add({**cell, "align": "center"})
        self.integer = add({**cell, "num_format": "0"})  # years, days, criteria: no grouping
        self.money = add({**cell, "num_format": MONEY})  # đồng and counts
        self.quantity = add({**cell, "num_format": QUANTITY})
        self.percent = add({**cell, "num_format": PERCENT})
        self.rate = add({**cell, "num_format": "0.00%"})
        self.date = add({**cell, "num_format": DATE, "align": "center"})
        self.short = add({**cell, "num_format": "0", "bold": True, "font_color": "#C00000"})
        self.total_label = add({**cell, "bold": True})
        self.total_money = add({**cell, "bold": True, "num_format": MONEY})
        self.total_quantity = add({**cell, "bold": True, "num_format": QUANTITY})
        self.plain_money = add({"num_format": MONEY})  # figures outside a table
        self.plain_percent = add({"num_format": PERCENT})


def new_workbook(target, *, constant_memory: bool = False):
    """An XlsxWriter workbook writing to `target` (a path or a binary file object).

    `constant_memory` flushes each row as the next begins (rows in order only: titles and
    merged cells first); the generic `write()` never turns text into a formula or a link.
    """
    options = {"constant_memory": constant_memory, "strings_to_formulas": False,
               "strings_to_urls": False}  # fmt: skip
    return xlsxwriter.Workbook(target, options)


def write_text(sheet, row: int, column: int, value, cell_format=None):
    """XlsxWriter: `value` as a string cell, never a formula (`write()` would turn "=..."
    into one; `write_string` stores the text exactly as the user typed it)."""
    text = "" if value is None else str(value)
    if not text:
        return sheet.write_blank(row, column, None, cell_format)
    return sheet.write_string(row, column, text, cell_format)


def quantity_format(value, styles: Styles, *, total: bool = False):
    """Decimals only where a quantity has them (3 tấn, 2,5 tấn; never "3,")."""
    number = Decimal(value or 0)
    if number == number.to_integral_value():
        return styles.total_money if total else styles.money
    return styles.total_quantity if total else styles.quantity


def write_quantity(sheet, row: int, column: int, value, styles: Styles):
    number = _number(value)
    return sheet.write_number(row, column, number, quantity_format(number, styles))


def _number(value) -> int | float:
    """An int when the value is whole (Decimal("3.00") → 3), else a float."""
    number = Decimal(value or 0)
    return int(number) if number == number.to_integral_value() else float(number)


def write_percent(sheet, row: int, column: int, percent, cell_format):
    """A percentage given in percent (31,5) as the fraction a % format shows (0,315)."""
    if percent is None:
        return sheet.write_blank(row, column, None, cell_format)
    return sheet.write_number(row, column, float(Decimal(percent) / 100), cell_format)


def write_date(sheet, row: int, column: int, value: datetime.date | None, cell_format):
    """A real date cell (a serial number with a date format), blank when there is none."""
    if value is None:
        return sheet.write_blank(row, column, None, cell_format)
    return sheet.write_datetime(row, column, value, cell_format)


def write_sum(sheet, row: int, column: int, first: int, last: int, value, cell_format):
    """`=SUM()` over rows first..last (0-based) of `column`, storing `value`, the result the
    caller already knows, so a reader that does not recalculate sees the total too."""
    letter = xl_col_to_name(column)
    formula = f"=SUM({letter}{first + 1}:{letter}{last + 1})"
    return sheet.write_formula(row, column, formula, cell_format, _number(value))


def table_header(sheet, row: int, headers: list[tuple[str, float]], styles: Styles) -> list:
    """The header row of a table: titles, column widths, the panes frozen below it; returns
    the widths (for `fit_row`)."""
    widths = [width for _, width in headers]
    titles = {column: title for column, (title, _) in enumerate(headers)}
    fit_row(sheet, row, titles, widths, per_unit=1.0)  # bold letters are wider
    for column, (title, width) in enumerate(headers):
        sheet.set_column(column, column, width)
        sheet.write_string(row, column, title, styles.header)
    sheet.freeze_panes(row + 1, 0)
    return widths


def text_lines(text, width: float, *, per_unit: float = 1.2) -> int:
    """About how many lines `text` wraps to, word by word, in a column `width` wide (a width
    counts the "0"s of the default font; an average Vietnamese letter is a little narrower,
    `per_unit` letters to a unit)."""
    capacity = max(int(width * per_unit) - 1, 1)
    text = str(text)
    if len(text) <= capacity and "\n" not in text:
        return 1  # most names: no need to wrap word by word
    lines = 0
    for paragraph in text.split("\n"):
        lines, line = lines + 1, 0
        for word in paragraph.split():
            if line and line + 1 + len(word) <= capacity:
                line += 1 + len(word)
                continue
            if line:
                lines += 1
            lines += (len(word) - 1) // capacity  # a word longer than a line breaks
            line = (len(word) - 1) % capacity + 1
    return lines


def fit_row(sheet, row: int, texts: dict[int, object], widths: list[float], **kwargs) -> None:
    """Make the row as tall as its longest wrapped text (`texts`: {column: text}) needs.

    Neither program grows a row for wrapped text on opening a file (LibreOffice never does,
    so a long agency name ran over the next row); call it before the row's cells are
    written, since constant memory flushes a row when the next one starts.
    """
    lines = 1
    for column, text in texts.items():
        if text:
            lines = max(lines, text_lines(text, widths[column], **kwargs))
    if lines > 1:
        sheet.set_row(row, LINE_HEIGHT * lines)
