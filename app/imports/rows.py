"""What every kind of file shares: one row's check, and how a source is named in events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from flask_babel import gettext as _

from app.imports import sheets
from app.imports.names import Directory
from app.imports.sheets import ValueProblem, shown

# Row outcomes in a preview.
OK = "ok"  # imports: will be saved
ERROR = "error"  # must be fixed in the file before anything is saved
CHANGE = "change"  # progress: will become a report / completion request
UNCHANGED = "unchanged"  # progress: nothing typed, nothing to do
CONFLICT = "conflict"  # progress: changed in the site since the download, not applied
REFUSED = "refused"  # progress: the uploader may not act on it, not applied

STATUS_LABELS = {
    OK: "Hợp lệ",
    ERROR: "Có lỗi",
    CHANGE: "Sẽ cập nhật",
    UNCHANGED: "Không thay đổi",
    CONFLICT: "Đã thay đổi trên hệ thống",
    REFUSED: "Không được cập nhật",
}


@dataclass
class Context:
    """What checking a file needs besides its rows: who uploads it, and the day."""

    user: object
    today: date

    @cached_property
    def directory(self) -> Directory:
        return Directory.load()


def source_note(file_name: str, row: int) -> str:
    """"Nhập từ tệp “X.xlsx”, dòng 7" — what timelines and the audit log say about an import."""
    return _("Nhập từ tệp “%(file)s”, dòng %(row)s", file=file_name, row=row)


class RowCheck:
    """Collects one row's problems (each tied to a column) and the values the preview shows."""

    def __init__(self, row: dict):
        self.row = row
        row["problems"] = []
        row["shown"] = {k: shown(v) for k, v in row["cells"].items()}
        row.pop("status", None)

    def get(self, column: str):
        return self.row["cells"].get(column)

    def text(self, column: str) -> str:
        value = self.get(column)
        return "" if value is None else str(value).strip()

    def problem(self, column: str | None, message: str) -> None:
        self.row["problems"].append({"col": column, "message": message})

    def show(self, column: str, text: str) -> None:
        self.row["shown"][column] = text

    def parse(self, column: str, parser):
        """parser(value), or None with the problem noted when it raises ValueProblem."""
        try:
            return parser(self.get(column))
        except ValueProblem as error:
            self.problem(column, str(error))
            return None

    def required(self, column: str, message: str, max_length: int | None = None) -> str | None:
        value = self.text(column)
        if not value:
            self.problem(column, message)
            return None
        if max_length and len(value) > max_length:
            self.problem(column, _("Dài hơn mức tối đa %(n)s ký tự.", n=max_length))
            return None
        return value

    def optional_text(self, column: str, max_length: int) -> str:
        value = self.text(column)
        if len(value) > max_length:
            self.problem(column, _("Dài hơn mức tối đa %(n)s ký tự.", n=max_length))
            return ""
        return value

    @property
    def has_problems(self) -> bool:
        return bool(self.row["problems"])

    def finish(self, status_if_clean: str = OK) -> str:
        self.row["status"] = ERROR if self.has_problems else status_if_clean
        return self.row["status"]


def check_meeting(row: RowCheck, directory, column: str = "meeting"):
    """The meeting a row names by title or by date (dd/mm/yyyy), or None; problems noted."""
    raw = row.get(column)
    if raw is None or raw == "":
        return None
    if sheets.looks_like_date(raw):
        on = row.parse(column, sheets.parse_date)
        if on is None:
            return None
        found = directory.meeting(raw, on)
    else:
        found = directory.meeting(raw, None)
    if not found.ok:
        row.problem(column, found.message)
        return None
    row.show(column, f"{found.value.title} ({found.value.held_on:%d/%m/%Y})")
    return found.value
