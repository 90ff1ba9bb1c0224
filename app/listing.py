"""Shared pieces of list screens: allow-listed sorting, page numbers from the query string, and
keyset ("seek") pagination for the big lists.

Keyset pagination: a page ends with a cursor naming its last row's sort values; the next page
is the rows that sort after them (WHERE (key, id) < (...) ORDER BY key, id LIMIT n), so page 200
costs what page 1 costs, where OFFSET would read and drop 199 pages first. The links are plain
hrefs ("Trang sau", "Trang trước", "Trang đầu") carrying ?after= or ?before=, so they work
without JavaScript and can be bookmarked. Totals are counted up to COUNT_CAP rows: beyond it
the page says "hơn 10.000", which is all a reader needs and costs no full count.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask import request
from sqlalchemy import BigInteger, Select, and_, false, func, literal_column, or_, select

from app.extensions import db
from app.urls import ID_MAX

COUNT_CAP = 10_000
# A text search cannot be counted from an index: every candidate row is read to test the words,
# so its total stops sooner ("hơn 1.000"). Home panels show "999+" beyond their cap.
SEARCH_COUNT_CAP = 1_000
PANEL_COUNT_CAP = 999
CURSOR_MAX = 600  # characters; longer ?after= values are ignored


def page_number(arg: str = "page") -> int:
    """The requested page, 1 when missing or bad."""
    raw = request.args.get(arg, "1")
    return int(raw) if raw.isdecimal() and raw.isascii() and 0 < int(raw) < 100000 else 1


def parse_sort(allowed: dict, default: str) -> tuple[str, object]:
    """Turn ?sort=name or ?sort=-name into an ORDER BY clause taken only from allowed."""
    raw = request.args.get("sort", default)
    key = raw.lstrip("-")
    if key not in allowed:
        raw, key = default, default.lstrip("-")
    column = allowed[key]
    return raw, (column.desc() if raw.startswith("-") else column.asc())


# --- keyset pagination ----------------------------------------------------------------------


@dataclass(frozen=True)
class SortKey:
    """One column of a list's order: the SQL expression, its direction, and how to read the
    value from a row. NULLs, when the column has them, sort last in either direction."""

    column: Any
    value: Callable[[Any], Any]
    kind: type  # str, int, date or datetime: what a cursor value must be
    descending: bool = False
    nullable: bool = False

    def order(self, reverse: bool = False):
        descending = self.descending != reverse
        clause = self.column.desc() if descending else self.column.asc()
        if not self.nullable:
            return clause
        return clause.nulls_first() if reverse else clause.nulls_last()

    def after(self, value):
        """Rows strictly after value in this column's order (NULLs come last)."""
        if value is None:
            return false()
        beyond = self.column < value if self.descending else self.column > value
        return or_(beyond, self.column.is_(None)) if self.nullable else beyond

    def before(self, value):
        """Rows strictly before value in this column's order."""
        if value is None:
            return self.column.is_not(None)
        return self.column > value if self.descending else self.column < value

    def equal(self, value):
        return self.column.is_(None) if value is None else self.column == value

    def not_beyond(self, value, forward: bool):
        """A range on the leading column implied by the seek, which lets an index seek to it."""
        if value is None or self.nullable:
            return None
        if forward:
            return self.column <= value if self.descending else self.column >= value
        return self.column >= value if self.descending else self.column <= value


def seek_clause(keys: list[SortKey], values: list, forward: bool = True):
    """WHERE clause for the rows after (forward) or before the row whose sort values are values."""
    branches = []
    for index, key in enumerate(keys):
        step = key.after(values[index]) if forward else key.before(values[index])
        equal = [keys[j].equal(values[j]) for j in range(index)]
        branches.append(and_(*equal, step))
    clause = or_(*branches)
    leading = keys[0].not_beyond(values[0], forward)
    return clause if leading is None else and_(leading, clause)


def encode_cursor(sort: str, values: list) -> str:
    payload = [sort, *(_dump(value) for value in values)]
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(raw: str | None, sort: str, keys: list[SortKey]) -> list | None:
    """The sort values a cursor carries, or None when it is missing, malformed or for another sort."""
    if not raw or len(raw) > CURSOR_MAX:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(payload, list) or len(payload) != len(keys) + 1 or payload[0] != sort:
        return None
    values = []
    for key, dumped in zip(keys, payload[1:], strict=True):
        try:
            value = _load(dumped, key.kind, _int_limit(key.column))
        except (TypeError, ValueError):
            return None
        if value is None and not key.nullable:
            return None
        values.append(value)
    return values


def _dump(value):
    if isinstance(value, datetime):
        return {"t": value.astimezone(UTC).isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    return value


def _int_limit(column) -> int:
    """The largest number column holds: an id or a count is 32-bit on PostgreSQL, an amount 64."""
    return 2**63 - 1 if isinstance(getattr(column, "type", None), BigInteger) else ID_MAX


def _load(dumped, kind: type, int_limit: int = ID_MAX):
    if dumped is None:
        return None
    if kind is datetime:
        value = datetime.fromisoformat(dumped["t"])
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)
    if kind is date:
        return date.fromisoformat(dumped["d"])
    if kind is int:
        if isinstance(dumped, bool) or not isinstance(dumped, int) or abs(dumped) > int_limit:
            raise ValueError("not an integer")
        return dumped
    if not isinstance(dumped, str) or len(dumped) > 300 or "\x00" in dumped:
        raise ValueError("not a string")  # PostgreSQL refuses a NUL byte
    return dumped


@dataclass
class KeysetPage:
    """One page of a keyset-paginated list, with what its links need."""

    items: list
    total: int
    total_capped: bool  # True: there are more than `total` rows
    sort: str
    next_cursor: str | None
    prev_cursor: str | None
    at_start: bool

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_cursor is not None

    def link_args(self, direction: str) -> dict:
        """Query-string arguments of the next / previous / first page link."""
        if direction == "next":
            return {"after": self.next_cursor}
        if direction == "prev":
            return {"before": self.prev_cursor}
        return {}


def bounded_count(query: Select, cap: int | None = None) -> tuple[int, bool]:
    """How many rows query gives, counting no further than cap (+1 to know there are more)."""
    cap = COUNT_CAP if cap is None else cap
    # Only a constant is selected, so that an index holding the filtered columns can answer alone.
    narrow = query.with_only_columns(literal_column("1"), maintain_column_froms=True)
    limited = narrow.order_by(None).limit(cap + 1).subquery()
    number = db.session.scalar(select(func.count()).select_from(limited))
    return min(number, cap), number > cap


def panel_count(query: Select) -> tuple[int, bool]:
    """A home panel's total, counted no further than PANEL_COUNT_CAP: (number, whether there are more)."""
    return bounded_count(query, PANEL_COUNT_CAP)


def cursor_args() -> tuple[str | None, str | None]:
    """The ?after= and ?before= cursors of the request (at most one is used)."""
    return request.args.get("after") or None, request.args.get("before") or None


def keyset_page(
    query: Select,
    count_query: Select,
    keys: list[SortKey],
    *,
    sort: str,
    per_page: int,
    after: str | None = None,
    before: str | None = None,
    scalars: bool = True,
    text_search: bool = False,
) -> KeysetPage:
    """Fetch one page of query in keys' order, starting after (or ending before) a cursor.

    query: the filtered select, without ORDER BY (loader options allowed);
    count_query: the same filters selecting one narrow column, for the bounded count;
    text_search: the filters include words to find (the total is then counted less far).
    """
    after_values = decode_cursor(after, sort, keys)
    before_values = None if after_values is not None else decode_cursor(before, sort, keys)
    forward = before_values is None
    values = after_values if forward else before_values
    if values is not None:
        query = query.where(seek_clause(keys, values, forward))
    query = query.order_by(*(key.order(reverse=not forward) for key in keys)).limit(per_page + 1)
    rows = list(db.session.scalars(query) if scalars else db.session.execute(query))
    more = len(rows) > per_page
    rows = rows[:per_page]
    if not forward:
        rows.reverse()
    # Forward: a previous page exists when we came from a cursor; backward: when rows were cut.
    has_next = more if forward else True
    has_prev = values is not None if forward else more
    total, capped = bounded_count(count_query, SEARCH_COUNT_CAP if text_search else None)
    return KeysetPage(
        items=rows,
        total=total,
        total_capped=capped,
        sort=sort,
        next_cursor=encode_cursor(sort, [k.value(rows[-1]) for k in keys]) if rows and has_next else None,
        prev_cursor=encode_cursor(sort, [k.value(rows[0]) for k in keys]) if rows and has_prev else None,
        at_start=not has_prev,
    )

