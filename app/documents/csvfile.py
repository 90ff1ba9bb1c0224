"""CSV exports of lists: the table alone, for programs other than Excel and for those who want it.

UTF-8 with a byte order mark, so that Excel opens the Vietnamese names correctly when the
file is double-clicked (without it Excel reads the bytes in the Windows code page); commas
between fields and CRLF between rows (RFC 4180), quotes only where needed. Values as a
program reads them best: dates dd/mm/yyyy, amounts as plain digits (no thousands dots, so
they stay numbers), text without the control characters no program expects. A text that a
spreadsheet would run as a formula (starting with =, +, - or @, or a tab or carriage return
before one) is written with a leading apostrophe, as OWASP advises for CSV injection.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import BinaryIO

from app.documents.xlsx import sheet_value

CSV_MIME = "text/csv"
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_csv(out: BinaryIO, columns: Sequence[tuple[str, float]], rows: Iterable[Sequence]) -> None:
    """The heading row (columns are (heading, width) as for write_xlsx) and the rows, as UTF-8
    with BOM, into out: row by row, so that memory stays flat however many rows there are."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        text.write(BOM)
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([csv_value(name) for name, _width in columns])
        writer.writerows([csv_value(value) for value in row] for row in rows)
        text.flush()
    finally:
        text.detach()  # out stays open: it is the caller's


def csv_value(value) -> str:
    """One field's text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float):
        return str(value)
    text = sheet_value(str(value))
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    """A negative number typed as text ("-5") is a number, not a formula."""
    try:
        float(text)
    except ValueError:
        return False
    return True
