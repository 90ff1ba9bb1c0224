"""Excel exports of lists, with the filters the user applied written above the table.

Every value goes into a cell through sheet_value: text saved before input was cleaned may
hold control characters a worksheet cannot (openpyxl refuses the whole file for one).

The exports are written with XlsxWriter in constant_memory mode: each row goes to a
temporary file as it comes, so memory stays flat in the number of rows, and it writes
about three times faster than openpyxl's write-only mode, which the export used before
(bench/xlsx_engines.py measures both). A workbook whose rows are known to be few (an export
sent in its own request, app/reports/routes.py) is put together in memory instead
(in_memory): no temporary files, and each distinct text written once into the shared
strings, about a third faster; its memory grows with the rows, which is why only bounded
exports use it. openpyxl still reads the imports and writes their templates (keep_text,
sheet_value below).
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
NUMBER_FORMAT = "#,##0"
# Characters a worksheet's name may not hold (Excel's rule, which XlsxWriter enforces).
SHEET_NAME_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")


def write_xlsx(
    out: BinaryIO,
    title: str,
    columns: Sequence[tuple[str, float]],
    rows: Iterable[Sequence],
    filter_lines: Sequence[str] = (),
    *,
    in_memory: bool = False,
) -> None:
    """Write rows (an iterable, streamed) under a title and the filter description, into out
    (a binary file, or BytesIO).

    columns are (heading, width in characters). Dates get dd/mm/yyyy, whole numbers
    a thousands format; Excel shows them with the reader's separators. Text is always
    written as text: a value typed by a user that starts with "=" never becomes a formula.
    in_memory: put the workbook together in memory (faster, for a bounded number of rows);
    otherwise the rows go through temporary files (XlsxWriter's constant_memory) and, when out
    is a file, memory stays flat however many rows there are.
    """
    workbook = xlsxwriter.Workbook(out, {"in_memory": True} if in_memory else {"constant_memory": True})
    write_sheet(workbook, title, title, filter_lines, columns, rows)
    workbook.close()


def write_sheet(workbook, name: str, heading: str, lines: Sequence[str], columns: Sequence[tuple[str, float]],
                rows: Iterable[Sequence]) -> None:
    """One sheet of workbook: its heading, the lines saying what it holds (filters, scope), the
    column names frozen above the rows, then the rows, each value in a cell by its type."""
    sheet = workbook.add_worksheet(sheet_value(str(name)).translate(SHEET_NAME_FORBIDDEN)[:31] or None)
    for index, (_, width) in enumerate(columns):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(2 + len(lines), 0)
    sheet.write_string(0, 0, sheet_value(str(heading)), workbook.add_format({"bold": True, "font_size": 14}))
    for number, line in enumerate(lines, start=1):
        sheet.write_string(number, 0, sheet_value(str(line)))
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    header_row = 1 + len(lines)
    for index, (column_name, _) in enumerate(columns):
        sheet.write_string(header_row, index, sheet_value(str(column_name)), bold)
    write = _CellWriter(workbook, sheet)
    for number, row in enumerate(rows, start=header_row + 1):
        write.row(number, row)


# Excel's day 0: a date is the number of days since, shown through a date format.
EXCEL_EPOCH = date(1899, 12, 30).toordinal()
EXCEL_FALSE_LEAP_DAY = 60


class _CellWriter:
    """One row's values into their cells by type, each type's format made once.

    The common types (text, whole numbers, dates, nothing) take the shortest way: XlsxWriter's
    typed writes with the shared formats, a date as its day number (what write_datetime
    works out, kept per date here since an export repeats a few hundred dates), and an empty
    text or None no cell at all."""

    def __init__(self, workbook, sheet):
        self.sheet = sheet
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.whole = workbook.add_format({"num_format": NUMBER_FORMAT})
        self.text = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.days: dict[date, int] = {}

    def row(self, number: int, values: Sequence) -> None:
        write_string, write_number = self.sheet.write_string, self.sheet.write_number
        text, whole, date_format, days = self.text, self.whole, self.date, self.days
        for column, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if value:  # an empty text is an empty cell: nothing to write
                    write_string(number, column, sheet_value(value) if _NEEDS_CLEANING(value) else value, text)
            elif kind is int:
                write_number(number, column, value, whole)
            elif kind is date:
                serial = days.get(value)
                if serial is None:
                    serial = days[value] = value.toordinal() - EXCEL_EPOCH
                if serial > EXCEL_FALSE_LEAP_DAY:
                    write_number(number, column, serial, date_format)
                else:  # before March 1900 Excel counts a 29 February that never was: its own way
                    self(number, column, value)
            elif value is not None:
                self(number, column, value)

    def __call__(self, row: int, column: int, value) -> None:
        if value is None:
            return
        sheet = self.sheet
        kind = type(value)
        if kind is str:
            sheet.write_string(row, column, sheet_value(value), self.text)
        elif kind is bool:
            sheet.write_boolean(row, column, value)
        elif kind is int:
            sheet.write_number(row, column, value, self.whole)
        elif kind is float or kind is Decimal:
            sheet.write_number(row, column, value)
        elif kind is datetime:
            sheet.write_datetime(row, column, value.replace(tzinfo=None), self.date)
        elif kind is date:
            sheet.write_datetime(row, column, value, self.date)
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, bool(value))
        elif isinstance(value, int):
            sheet.write_number(row, column, int(value), self.whole)
        else:  # a lazy label or anything else: its text
            sheet.write_string(row, column, sheet_value(str(value)), self.text)


# Whether a text holds a character sheet_value takes out (a search, cheaper than a substitution).
_NEEDS_CLEANING = ILLEGAL_CHARACTERS_RE.search


def sheet_value(value):
    """value as a cell can hold it: text without the control characters XML has no place for
    (openpyxl's ILLEGAL_CHARACTERS_RE: C0 but tab, line feed, carriage return)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def keep_text(cell):
    """Make a cell holding a string stay text: a value typed by a user that starts with "="
    must not become a formula Excel runs when the file is opened (formula injection)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell
