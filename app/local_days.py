"""Whole days from the province's calendar day of a stored moment to a stored date, in SQL.

The SQL twin of ``(day - clock.local_date(moment)).days``, so that a sum of such waits is
taken by the database instead of fetching every row (the dashboard's average days to answer).
PostgreSQL converts with the zone's name; SQLite, which knows no zones, adds the zone's one
offset (Vietnam keeps UTC+7 all year: see app/clock.py) to the UTC moment it stores.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app import clock

# The zone's offset as an SQLite date modifier ("+25200 seconds").
_SQLITE_OFFSET = f"{int(clock.TIME_ZONE.utcoffset(dt.datetime(2000, 1, 1)).total_seconds()):+d} seconds"


class days_since_local_day(FunctionElement):  # noqa: N801 — used like a SQL function
    """days_since_local_day(day, moment): day minus the province's date of moment, in days."""

    type = Integer()
    inherit_cache = True


@compiles(days_since_local_day, "postgresql")
def _postgresql(element, compiler, **kw):
    day, moment = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({day} - CAST(timezone('{clock.TIME_ZONE_NAME}', {moment}) AS DATE))"


@compiles(days_since_local_day, "sqlite")
def _sqlite(element, compiler, **kw):
    day, moment = (compiler.process(clause, **kw) for clause in element.clauses)
    # The stored text is 'YYYY-MM-DD HH:MM:SS.ffffff'; its first 19 characters, without the
    # fraction: SQLite keeps times to the millisecond, and would round 23:59:59.9996 up into
    # the next day. julianday of two dates: a whole number (as a float), exact.
    return f"CAST(julianday({day}) - julianday(date(substr({moment}, 1, 19), '{_SQLITE_OFFSET}')) AS INTEGER)"
