"""What comes in through the address: ids within the database's range, a clean query string.

Every table's id is an INTEGER column, 32 bits on PostgreSQL (SQLite would take 64). An id
beyond it cannot name a row, and sent to the database it fails ("integer out of range" on
PostgreSQL, OverflowError on SQLite): so the ``int`` of every URL rule stops at ID_MAX and a
bigger number finds no route (404), and ids read from the query string go through parse_id.
Query-string values are cleaned like form fields (app.text.clean): a NUL byte in ``?q=``
would otherwise reach PostgreSQL, which refuses it.
"""

from flask import Flask, Request
from werkzeug.routing import IntegerConverter
from werkzeug.utils import cached_property

from app import text

ID_MAX = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` from 0 to ID_MAX; beyond it the rule does not match."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=ID_MAX if max is None else max, signed=signed)


class CleanRequest(Request):
    """A request whose query-string values are cleaned of control and invisible characters."""

    @cached_property
    def args(self):
        raw = super().args
        return self.parameter_storage_class([(key, text.clean(value)) for key, value in raw.items(multi=True)])


def parse_id(raw: str | None) -> int | None:
    """An id typed in a query string or a form, or None when it cannot be one."""
    raw = (raw or "").strip()
    if not raw.isdecimal() or not raw.isascii() or len(raw) > len(str(ID_MAX)):
        return None
    number = int(raw)
    return number if 0 < number <= ID_MAX else None


def install(app: Flask) -> None:
    """Bounded ids in every rule (set before any blueprint adds one) and cleaned query strings."""
    app.url_map.converters["int"] = IdConverter
    app.request_class = CleanRequest
