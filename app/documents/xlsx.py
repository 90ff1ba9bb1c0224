"""Excel exports of lists, with the filters the user applied written above the table.

Every value goes into a cell through sheet_value: text saved before input was cleaned may
hold control characters a worksheet cannot (openpyxl refuses the whole file for one).
"""

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
NUMBER_FORMAT = "#,##0"


def build_xlsx(
    title: str,
    columns: Sequence[tuple[str, float]],
    rows: Iterable[Sequence],
    filter_lines: Sequence[str] = (),
) -> bytes:
    """Write rows (an iterable, streamed) under a title and the filter description.

    columns are (heading, width in characters). Dates get dd/mm/yyyy, whole numbers
    a thousands format; Excel shows them with the reader's separators.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_value(title)[:31])
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{3 + len(filter_lines)}"
    bold = Font(bold=True)
    title_cell = WriteOnlyCell(sheet, value=sheet_value(title))
    title_cell.font = Font(bold=True, size=14)
    sheet.append([title_cell])
    for line in filter_lines:
        sheet.append([sheet_value(line)])
    heading = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, value=sheet_value(name))
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        heading.append(cell)
    sheet.append(heading)
    make_cell = CellMaker(sheet)
    for row in rows:
        sheet.append([make_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def _cell(sheet, value):
    value = sheet_value(value)
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.number_format = NUMBER_FORMAT
    elif isinstance(value, str):
        keep_text(cell)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


class CellMaker:
    """Cells as _cell makes them, with each kind of value's style built once and copied.

    Setting a font, alignment or number format on a cell makes openpyxl build and hash a style
    object to find its id in the workbook; for 65,000 cells that was most of a year's export.
    The first value of each type goes through _cell (so the workbook registers the same styles
    in the same order); later ones copy its style array, the way openpyxl copies styles itself.
    """

    def __init__(self, sheet):
        self._sheet = sheet
        self._styles: dict[type, object] = {}

    def __call__(self, value):
        value = sheet_value(value)
        if isinstance(value, datetime):
            value = value.replace(tzinfo=None)
        kind = type(value)
        if kind not in self._styles:
            cell = _cell(self._sheet, value)
            self._styles[kind] = cell._style
            return cell
        # WriteOnlyCell is this Cell at A1; the writer gives it its place.
        cell = Cell(self._sheet, row=1, column=1, value=value, style_array=self._styles[kind])
        return keep_text(cell)
