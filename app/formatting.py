"""Template filters for Vietnamese dates, numbers and money."""

from datetime import date, datetime

from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import to_user_timezone

from app.text import in_sentence


def format_date(value: date | datetime | None) -> str:
    """05/01/2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    """05/01/2026 14:30, in the province's time zone."""
    if value is None:
        return ""
    return to_user_timezone(value).strftime("%d/%m/%Y %H:%M")


def format_document_date(value: date) -> str:
    """ngày 05 tháng 01 năm 2026: day 01-09 and months 01-02 are zero-padded (ND 30/2020)."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return _("ngày %(day)s tháng %(month)s năm %(year)s", day=f"{value.day:02d}", month=month, year=value.year)


def format_number(value) -> str:
    """293.275 — Vietnamese digit grouping."""
    if value is None or value == "":
        return ""
    if type(value) is int:  # the common case (counts), written as Babel writes it at a fraction of its cost
        return f"{value:,}".replace(",", ".")
    return format_decimal(value, locale="vi_VN", group_separator=True)


def format_vnd(value) -> str:
    """1.500.000.000 ₫ — whole đồng."""
    if value is None or value == "":
        return ""
    return f"{format_number(int(value))} ₫"


FILTERS = {
    "in_sentence": in_sentence,
    "date": format_date,
    "datetime": format_datetime,
    "document_date": format_document_date,
    "number": format_number,
    "vnd": format_vnd,
}
