"""Spreadsheets in and out: check an upload, find its header row, read its rows as plain
values; write templates with a list sheet, drop-down lists and protected cells.

Cell values are kept JSON-safe (text, numbers, booleans, dates as dd/mm/yyyy) because
the rows wait in the database between the preview and the confirmation.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from time import monotonic

from flask import current_app
from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from werkzeug.datastructures import FileStorage

from app.attachments import storage
from app.documents.xlsx import keep_text, sheet_value
from app.imports.names import key
from app.text import clean, nfc

# How far down a title block may push the header row.
HEADER_SEARCH_ROWS = 10
# A zip that inflates beyond this is refused before openpyxl reads it (zip bombs).
MAX_INFLATED_BYTES = 300 * 1024 * 1024
# The work one upload may cost, blank rows included: a 15 MB file can hold three million empty
# rows (or one row at line 3,000,000), which the IMPORT_MAX_ROWS limit on data rows never
# sees. Cells scanned below the header row, and seconds spent reading (checked every
# READ_CHECK_ROWS rows); settings IMPORT_MAX_CELLS and IMPORT_MAX_SECONDS. 10,000 data rows
# of 12 columns are 120,000 cells. The size a sheet declares (<dimension ref="A1:Z3000000">)
# is not trusted at all: openpyxl would pad the rows up to it.
MAX_CELLS = 1_500_000
MAX_SECONDS = 10
READ_CHECK_ROWS = 500
LIST_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
DATE_FORMAT = "dd/mm/yyyy"


class FileProblem(ValueError):
    """The whole file cannot be read as expected; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: int = 20
    required_header: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: object = ""
    editable: bool = True
    hidden: bool = False

    def matches(self, heading) -> bool:
        wanted = _heading_key(heading)
        return bool(wanted) and wanted in {_heading_key(self.heading), *(_heading_key(a) for a in self.aliases)}


def _heading_key(text) -> str:
    """A heading without what is in brackets: "Thời hạn (ngày/tháng/năm)" -> "thoi han"."""
    return key(re.sub(r"\(.*?\)", " ", str(text or "")))


# --- reading --------------------------------------------------------------------------------


def check_spreadsheet(upload: FileStorage | None):
    """Read an uploaded .xlsx, or raise FileProblem saying what is wrong with it."""
    if upload is None or not getattr(upload, "filename", None):
        raise FileProblem(_("Chọn tệp Excel (.xlsx) để tải lên."))
    name = (upload.filename or "").strip()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xls":
        raise FileProblem(_(
            "Tệp .xls (Excel 97-2003) chưa được hỗ trợ: hãy mở tệp bằng Excel và chọn "
            "Lưu dưới dạng → Sổ làm việc Excel (.xlsx), rồi tải lên lại."
        ))
    if extension != "xlsx":
        raise FileProblem(_("Tệp %(name)s không phải bảng tính Excel (.xlsx).", name=name))
    try:
        checked = storage.check_upload(upload)
    except storage.UploadError as error:
        message = str(error)
        upload.stream.seek(0)
        head = upload.stream.read(512).lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta")):
            message += " " + _(
                "Tệp này thực chất là trang web (HTML) được đặt tên .xlsx, thường do phần mềm khác "
                "xuất ra: hãy mở bằng Excel và lưu lại thành .xlsx."
            )
        raise FileProblem(message) from None
    return checked


@dataclass
class ReadSheet:
    title: str
    header_row: int
    letters: dict[str, str]  # column key -> letter in this file
    rows: list[dict]  # {"row": number, "cells": {key: value}}


def _inflated_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def read_rows(data: bytes, columns: Sequence[Column], sheet_title: str) -> ReadSheet:
    """Find the sheet and header row that match columns and return the non-blank rows below."""
    deadline = monotonic() + current_app.config.get("IMPORT_MAX_SECONDS", MAX_SECONDS)
    try:
        if _inflated_size(data) > MAX_INFLATED_BYTES:
            raise FileProblem(_("Tệp Excel quá lớn khi giải nén; hãy chia thành nhiều tệp nhỏ hơn."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
    except FileProblem:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds for a damaged file
        raise FileProblem(_(
            "Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx. "
            "Hãy mở bằng Excel, lưu lại rồi tải lên lại."
        )) from None
    try:
        return _read_workbook(workbook, columns, sheet_title, deadline)
    finally:
        workbook.close()


def _too_big(last_row: int) -> FileProblem:
    return FileProblem(_(
        "Tệp Excel quá lớn để đọc: đọc đến dòng %(row)s (kể cả các dòng trống) vẫn chưa hết trang tính. "
        "Thường là do có rất nhiều dòng trống hoặc định dạng thừa ở cuối trang: hãy chép riêng các dòng có "
        "dữ liệu sang một tệp mới (hoặc xóa các dòng trống thừa), lưu lại rồi tải lên; tệp nhiều dữ liệu "
        "thì chia thành nhiều tệp nhỏ hơn.",
        row=f"{last_row:,}".replace(",", "."),
    ))


def _read_workbook(workbook, columns: Sequence[Column], sheet_title: str, deadline: float) -> ReadSheet:
    max_rows = current_app.config.get("IMPORT_MAX_ROWS", 10000)
    max_cells = current_app.config.get("IMPORT_MAX_CELLS", MAX_CELLS)
    best = None  # (matched count, sheet, header row number, {key: index})
    for sheet in workbook.worksheets:
        if sheet.title in (LIST_SHEET, GUIDE_SHEET):
            continue
        for number, values in enumerate(
            sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
        ):
            found = {}
            for index, value in enumerate(values or ()):
                for column in columns:
                    if column.key not in found and column.matches(value):
                        found[column.key] = index
            if found and (best is None or len(found) > best[0]):
                best = (len(found), sheet, number, found)
    if best is None:
        empty = all(_sheet_is_empty(s) for s in workbook.worksheets)
        if empty:
            raise FileProblem(_("Tệp không có dữ liệu: các trang tính đều trống."))
        raise FileProblem(_(
            "Không tìm thấy dòng tiêu đề cột (%(headings)s). Hãy tải tệp mẫu và giữ nguyên dòng tiêu đề.",
            headings="; ".join(c.heading for c in columns if c.required_header),
        ))
    _count, sheet, header_row, found = best
    missing = [c.heading for c in columns if c.required_header and c.key not in found]
    if missing:
        raise FileProblem(_(
            "Trang tính %(sheet)s thiếu cột: %(columns)s. Hãy dùng tệp mẫu và giữ nguyên dòng tiêu đề.",
            sheet=f"“{sheet.title}”", columns="; ".join(missing),
        ))
    width = max(found.values()) + 1
    # The last row the cell budget reaches; openpyxl reads one more, to tell that the sheet goes on.
    last_row = header_row + max(1, max_cells // width)
    rows = []
    for number, values in enumerate(
        sheet.iter_rows(min_row=header_row + 1, max_row=last_row + 1, max_col=width, values_only=True),
        start=header_row + 1,
    ):
        if number > last_row or (number % READ_CHECK_ROWS == 0 and monotonic() > deadline):
            raise _too_big(number - 1)
        cells = {}
        for column_key, index in found.items():
            value = plain(values[index]) if values is not None and index < len(values) else None
            if value is not None and value != "":
                cells[column_key] = value
        if not cells:
            continue
        if len(rows) >= max_rows:
            raise FileProblem(_(
                "Tệp có hơn %(n)s dòng dữ liệu; hãy chia thành nhiều tệp, mỗi tệp tối đa %(n)s dòng.",
                n=f"{max_rows:,}".replace(",", "."),
            ))
        rows.append({"row": number, "cells": cells})
    if not rows:
        raise FileProblem(_(
            "Trang tính %(sheet)s không có dòng dữ liệu nào dưới dòng tiêu đề.", sheet=f"“{sheet.title}”"
        ))
    letters = {column_key: get_column_letter(index + 1) for column_key, index in found.items()}
    return ReadSheet(sheet.title, header_row, letters, rows)


def _sheet_is_empty(sheet) -> bool:
    for values in sheet.iter_rows(max_row=200, values_only=True):
        if any(v not in (None, "") for v in values or ()):
            return False
    return True


def plain(value):
    """A cell value as JSON can keep it: text, whole or decimal numbers, booleans, dates."""
    if value is None:
        return None
    if isinstance(value, str):
        return nfc(clean(value)).strip()  # as a form's text field reads it
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def shown(value) -> str:
    """How a raw cell value reads in the preview."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("có") if value else _("không")
    return str(value)


# --- typed values ---------------------------------------------------------------------------

_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")


class ValueProblem(ValueError):
    """A cell whose value cannot be used; the message is shown next to it."""


def parse_date(value) -> date:
    """dd/mm/yyyy (or a date cell) -> date."""
    if isinstance(value, str) and (match := _DATE.match(value)):
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    raise ValueProblem(_("Ngày %(value)s không hợp lệ: ghi theo dạng ngày/tháng/năm, ví dụ 05/01/2026.",
                         value=f"“{shown(value)}”"))


def looks_like_date(value) -> bool:
    return isinstance(value, str) and bool(_DATE.match(value))


_GROUPED = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


def parse_money(value) -> int:
    """Whole đồng from 1500000000, 1.500.000.000, "1 500 000 000 đồng"."""
    if isinstance(value, bool):
        raise ValueProblem(_("Số tiền không hợp lệ."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        raise ValueProblem(_("Số tiền phải là số nguyên đồng (không có phần lẻ)."))
    else:
        text = str(value).strip()
        folded = key(text)
        for unit in ("dong", "vnd", "d"):
            if folded.endswith(" " + unit) or folded == unit:
                text = text[: len(text) - len(text.split()[-1])].strip()
                break
        text = text.replace("\u00a0", " ").strip()
        if text.isdecimal():
            number = int(text)
        elif _GROUPED.match(text):
            number = int(re.sub(r"[.,\s]", "", text))
        else:
            raise ValueProblem(_(
                "Số tiền %(value)s không hợp lệ: ghi số đồng, ví dụ 1.500.000.000.", value=f"“{shown(value)}”"
            ))
    if number < 0:
        raise ValueProblem(_("Số tiền không được âm."))
    if number > 10**15:
        raise ValueProblem(_("Số tiền quá lớn."))
    return number


def parse_percent(value) -> int:
    """0..100 from 60, 60.0, "60", "60%"."""
    number = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        text = value.strip().rstrip("%").strip()
        if text.isdecimal():
            number = int(text)
        else:
            try:
                decimal = Decimal(text.replace(",", "."))
            except InvalidOperation:
                decimal = None
            if decimal is not None and decimal == decimal.to_integral_value():
                number = int(decimal)
    if number is None or not 0 <= number <= 100:
        raise ValueProblem(_("Tỷ lệ hoàn thành là số nguyên từ 0 đến 100, ví dụ 60."))
    return number


_YES = {"co", "x", "yes", "y", "1", "dong y", "de nghi"}
_NO = {"khong", "no", "n", "0", ""}


def parse_yes_no(value) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    folded = key(value)
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise ValueProblem(_("Ghi “có” hoặc “không”."))


# --- writing --------------------------------------------------------------------------------


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def add_data_sheet(workbook: Workbook, title: str, columns: Sequence[Column], *, protect: bool = False):
    """The sheet people fill: bold header row with notes, widths, frozen header."""
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.heading)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.help:
            cell.comment = Comment(column.help, "Giao Ban", width=300, height=120)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.hidden:
            sheet.column_dimensions[letter].hidden = True
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 45
    if protect:
        # Guards against slips, not people: no password, and the server checks every row anyway.
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False
        sheet.protection.formatRows = False
        sheet.protection.autoFilter = False
        sheet.protection.sort = False
    return sheet


def format_column(sheet, letter: str, number_format: str, first_row: int = 2, last_row: int = 2000) -> None:
    """Give the empty cells people will fill a number or date format."""
    for row in range(first_row, last_row + 1):
        sheet[f"{letter}{row}"].number_format = number_format


def unlock(cell) -> None:
    cell.protection = Protection(locked=False)


def add_list_sheet(workbook: Workbook, lists: dict[str, list[str]]) -> dict[str, str]:
    """A sheet with one column per list of valid values; returns list name -> range formula."""
    sheet = workbook.create_sheet(LIST_SHEET)
    ranges = {}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        head = sheet.cell(row=1, column=index, value=name)
        head.font = Font(bold=True)
        head.fill = HEADER_FILL
        for offset, value in enumerate(values, start=2):
            keep_text(sheet.cell(row=offset, column=index, value=sheet_value(value)))
        sheet.column_dimensions[letter].width = max(18, min(60, max((len(v) for v in values), default=10) + 2))
        last = max(2, len(values) + 1)
        ranges[name] = f"{quote_sheetname(LIST_SHEET)}!${letter}$2:${letter}${last}"
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    return ranges


def add_list_validation(sheet, formula: str, letter: str, *, first_row: int = 2, last_row: int = 2000,
                        strict: bool = True, prompt: str = "") -> None:
    """A drop-down list on a column; strict=False lets people type other values (shown as a hint)."""
    validation = DataValidation(type="list", formula1=formula if formula.startswith('"') else f"={formula}",
                                allow_blank=True, showDropDown=False)
    validation.showErrorMessage = strict
    validation.errorStyle = "stop" if strict else "information"
    validation.error = _("Chọn một giá trị trong danh sách (trang “%(sheet)s”).", sheet=LIST_SHEET)
    validation.errorTitle = _("Giá trị không có trong danh sách")
    if prompt:
        validation.prompt = prompt
        validation.showInputMessage = True
    sheet.add_data_validation(validation)
    validation.add(f"{letter}{first_row}:{letter}{last_row}")


def add_guide_sheet(workbook: Workbook, title: str, lines: Sequence[str], columns: Sequence[Column]) -> None:
    """Instructions, then one line per column: heading, what to write, an example."""
    sheet = workbook.create_sheet(GUIDE_SHEET)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 80
    sheet.column_dimensions["C"].width = 40
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    row = 2
    for line in lines:
        sheet.cell(row=row, column=1, value=line)
        row += 1
    row += 1
    for index, heading in enumerate((_("Cột"), _("Cách ghi"), _("Ví dụ")), start=1):
        cell = sheet.cell(row=row, column=index, value=heading)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for column in columns:
        if column.hidden:
            continue
        row += 1
        sheet.cell(row=row, column=1, value=column.heading).font = Font(bold=True)
        help_cell = sheet.cell(row=row, column=2, value=column.help)
        help_cell.alignment = Alignment(wrap_text=True, vertical="top")
        example = sheet.cell(row=row, column=3, value=column.example)
        example.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.protection.sheet = True


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
