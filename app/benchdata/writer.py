"""Bulk writer for generated rows: executemany on SQLite, COPY on PostgreSQL.

Rows are tuples in the column order given for their table. Buffers are flushed together,
parents before children, so foreign keys hold at every flush.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime

from app.extensions import db

# Tables in the order their rows may be written (each only refers to those before it).
TABLE_ORDER = (
    "users",
    "meetings",
    "proposals",
    "proposal_support_units",
    "proposal_events",
    "directives",
    "assignments",
    "extension_requests",
    "progress_reports",
    "assignment_events",
    "directive_events",
    "attachments",
)

# SQLAlchemy's own SQLite storage formats, so rows read back exactly as the ORM wrote them.
_SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"


class Writer:
    """Buffer rows per table and write them in bulk inside connection's transaction."""

    def __init__(self, connection, columns: dict[str, tuple[str, ...]], chunk_rows: int = 20000):
        self.connection = connection
        self.columns = columns
        self.dialect = connection.dialect.name
        self.chunk_rows = chunk_rows
        self.buffers: dict[str, list[tuple]] = {name: [] for name in TABLE_ORDER}
        self.pending = 0
        self.counts: Counter[str] = Counter()
        self._converters = {name: self._converter(name) for name in columns}

    def add(self, table: str, row: tuple) -> None:
        self.buffers[table].append(row)
        self.pending += 1
        if self.pending >= self.chunk_rows:
            self.flush()

    def flush(self) -> None:
        for name in TABLE_ORDER:
            rows = self.buffers[name]
            if rows:
                self._write(name, rows)
                self.counts[name] += len(rows)
                self.buffers[name] = []
        self.pending = 0

    # --- per database ---------------------------------------------------------------------

    def _converter(self, name: str):
        """A function row -> row with the values the driver expects for this table."""
        table = db.metadata.tables[name]
        kinds = []
        for index, column_name in enumerate(self.columns[name]):
            column_type = table.c[column_name].type
            impl = getattr(column_type, "impl", column_type)
            if isinstance(impl, JSON):
                kinds.append((index, "json"))
            elif self.dialect == "sqlite" and isinstance(impl, DateTime):
                kinds.append((index, "datetime"))
            elif self.dialect == "sqlite" and isinstance(impl, Date):
                kinds.append((index, "date"))
        if not kinds:
            return None

        def convert(row: tuple) -> tuple:
            values = list(row)
            for index, kind in kinds:
                value = values[index]
                if value is None:
                    continue
                if kind == "json":
                    values[index] = json.dumps(value, ensure_ascii=False)
                elif kind == "datetime":
                    values[index] = _sqlite_datetime(value)
                else:
                    values[index] = value.isoformat()
            return tuple(values)

        return convert

    def _write(self, name: str, rows: list[tuple]) -> None:
        convert = self._converters[name]
        if convert is not None:
            rows = [convert(row) for row in rows]
        columns = self.columns[name]
        raw = self.connection.connection.dbapi_connection
        if self.dialect == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join("?" for _ in columns)
        cursor = raw.cursor()
        try:
            cursor.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({placeholders})", rows)  # noqa: S608 — names from TABLE_ORDER
        finally:
            cursor.close()


def _sqlite_datetime(value: datetime | date) -> str:
    return value.strftime(_SQLITE_DATETIME)
