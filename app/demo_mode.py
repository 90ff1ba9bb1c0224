"""Demo databases: how one is marked, what state the configured database is in, and whether
this site runs as a demo (DEMO_MODE).

A database becomes a demo database only when `flask demo` finds it empty: it then writes the
marker row below, and only then creates the demo accounts, whose password is published. The
marker is never written into a database that holds anything else, so a site is in demo mode
only when its database was made for a demo — and a site not in demo mode refuses every demo
account at login, even where such rows exist (older versions' `flask demo --force`).
"""

from flask import current_app
from sqlalchemy import inspect, literal_column, select

from app import clock
from app.extensions import db
from app.models import Setting

DEMO_PASSWORD = "GiaoBan@2025"  # noqa: S105 — printed by `flask demo`; demo databases only
DEMO_MARK = "demo_database"

# What the configured database holds, as `flask db-state` prints it.
EMPTY, DEMO, REAL = "empty", "demo", "real"
# Tables `flask setup` fills from the lists shipped with the code: rows there are no one's data.
REFERENCE_TABLES = frozenset({"units", "fields", "alembic_version"})

_CACHE_KEY = "giaoban.demo_mode"


def is_demo_database() -> bool:
    """True when the database carries the mark `flask demo` leaves on the empty database it fills."""
    return db.session.scalar(select(Setting.key).where(Setting.key == DEMO_MARK)) is not None


def database_state() -> str:
    """EMPTY (no tables, or none but the reference lists holds a row), DEMO (marked) or REAL.

    For the command line: it ends the session's transaction, so a migration can start next
    (on SQLite that transaction holds the write lock).
    """
    try:
        tables = set(inspect(db.engine).get_table_names())
        if "settings" in tables and is_demo_database():
            return DEMO
        for table in db.metadata.sorted_tables:
            if table.name not in tables or table.name in REFERENCE_TABLES:
                continue
            if db.session.scalar(select(literal_column("1")).select_from(table).limit(1)) is not None:
                return REAL
        return EMPTY
    finally:
        db.session.rollback()


def mark_demo_database() -> None:
    """Mark an empty database as a demo database; the caller has checked it is empty and commits."""
    db.session.add(Setting(key=DEMO_MARK, value=clock.now().isoformat(timespec="seconds")))


def demo_mode() -> bool:
    """Whether this site runs as a demo: its database is marked, and DEMO_MODE is not off.

    Read from the database once per process (a database does not become a demo database while
    a site serves it: only `flask demo` on an empty one marks it); restart after `flask restore`.
    """
    if current_app.config.get("DEMO_MODE") is False:
        return False
    cached = current_app.extensions.get(_CACHE_KEY)
    if cached is None:
        cached = current_app.extensions[_CACHE_KEY] = is_demo_database()
    return cached


def forget_demo_mode(app) -> None:
    """Read the mark again at the next request (tests that mark a database under a live app)."""
    app.extensions.pop(_CACHE_KEY, None)
