"""Days as integers in SQL: a stored date, or the province's calendar day of a stored moment,
as the number of days since 01/01/1970.

The generated columns built on them (Assignment.due_day, Proposal.assigned_day...) let the
dashboard compare and subtract days on every row as integers (the days to answer are
answer_day - assigned_day, the SQL twin of ``(day - clock.local_date(moment)).days``).
PostgreSQL converts a moment with the zone's name; SQLite, which knows no zones, adds the zone's
one offset (Vietnam keeps UTC+7 all year: see app/clock.py) to the UTC moment it stores.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Computed, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app import clock

# The zone's offset as an SQLite date modifier ("+25200 seconds").
_SQLITE_OFFSET = f"{int(clock.TIME_ZONE.utcoffset(dt.datetime(2000, 1, 1)).total_seconds()):+d} seconds"


# Day numbers: a day as the count of days since 01/01/1970, so that the dashboard's counts
# compare integers, not ISO texts through coalesce and julianday (the generated columns
# Assignment.due_day/done_day and Proposal.answer_day/assigned_day).
EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    """day as the day-number columns hold it."""
    return (day - EPOCH).days


class day_number_sql(FunctionElement):  # noqa: N801 — used like a SQL function
    """day_number_sql(column): the day of a DATE column as days since 01/01/1970; NULL stays NULL.

    Written for generated columns: PostgreSQL requires an immutable expression (a date minus a
    date; timezone() with a zone's name is immutable), SQLite a deterministic one (no 'now').
    """

    type = Integer()
    inherit_cache = True


class local_day_number_sql(day_number_sql):  # noqa: N801
    """local_day_number_sql(moment): the province's calendar day of a stored moment, numbered so."""

    inherit_cache = True


@compiles(day_number_sql, "postgresql")
@compiles(day_number_sql, "sqlite")
def _day(element, compiler, **kw):
    (value,) = (compiler.process(clause, **kw) for clause in element.clauses)
    moment = isinstance(element, local_day_number_sql)
    if compiler.dialect.name == "postgresql":
        if moment:
            value = f"CAST(timezone('{clock.TIME_ZONE_NAME}', {value}) AS DATE)"
        return f"({value} - DATE '{EPOCH.isoformat()}')"
    if moment:
        # The stored text is 'YYYY-MM-DD HH:MM:SS.ffffff'; its first 19 characters, without the
        # fraction (SQLite keeps times to the millisecond, and would round 23:59:59.9996 up into
        # the next day), shifted to the province's day.
        value = f"date(substr({value}, 1, 19), '{_SQLITE_OFFSET}')"
    # julianday of a date is n + 0.5 exactly; 01/01/1970 is 2440587.5.
    return f"CAST(julianday({value}) - 2440587.5 AS INTEGER)"


class GeneratedDay(Computed):
    """A day-number column kept by the database: STORED on PostgreSQL (which indexes no other
    kind), VIRTUAL on SQLite (ALTER TABLE adds no other kind there, so a migrated database and
    a new one hold the same columns; SQLite computes it when read, and an index holds its values).
    """

    def __init__(self, expression):
        super().__init__(expression, persisted=True)


@compiles(GeneratedDay, "sqlite")
def _sqlite_generated(element, compiler, **kw):
    expression = compiler.sql_compiler.process(element.sqltext, include_table=False, literal_binds=True)
    return f"GENERATED ALWAYS AS ({expression}) VIRTUAL"
