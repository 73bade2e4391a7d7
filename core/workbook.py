"""User text in a workbook stays text: a name or a title that starts with "=" must never
become a formula when Excel or LibreOffice opens the file (CSV/formula injection)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value) -> str:
    """For write-only sheets, where a cell's type cannot be set: a leading =, +, -, @, tab or
    carriage return gets an apostrophe, which spreadsheet programs show as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def text_cell(cell, value):
    """For normal-mode sheets: write `value` as a string cell, never a formula."""
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"
    return cell
