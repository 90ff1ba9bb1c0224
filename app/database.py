"""Connection set-up: SQLite gets WAL, foreign keys, a busy timeout and write locks up front."""

import sqlite3
import time
from contextlib import contextmanager

from flask import g, has_request_context, request
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

from app.extensions import db

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def init_database(app) -> None:
    """Bind the database and register SQLite connection hooks."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("timeout", app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000)
        options["connect_args"] = connect_args
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)


@event.listens_for(Engine, "connect")
def _on_sqlite_connect(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" hook below emit BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def in_read_request() -> bool:
    """True while serving a GET (or HEAD, OPTIONS), or inside reads_only(): there SQLite
    transactions begin as reads."""
    return has_request_context() and (request.method in SAFE_METHODS or g.get("reads_only", False))


@contextmanager
def reads_only():
    """A block of a POST that only reads: its transaction begins as a read, as a GET's does.

    A POST's transaction takes SQLite's write lock when it begins and keeps it to its end, so
    whatever it does meanwhile every other writer waits for, in every worker: an export built
    in its request held the lock for its whole build (0.1-0.5 s), a login for its password's
    check (~0.1 s of scrypt), and two of them never ran side by side. What the request did
    before is committed first, and the block's read is ended with it (committed: a write made
    inside anyway is kept, never silently dropped; rolled back if the block raises), so what
    follows writes in a transaction of its own that takes the lock first, as any POST's.
    """
    db.session.commit()
    g.reads_only = True
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        g.reads_only = False


@event.listens_for(Engine, "begin")
def _on_sqlite_begin(connection):
    if connection.dialect.name != "sqlite":
        return
    # A transaction that will write takes the write lock when it starts, so two writers
    # queue on the busy timeout instead of failing with "database is locked" when a
    # reader tries to upgrade. Reads (GET) stay deferred and run side by side.
    if in_read_request():
        connection.exec_driver_sql("BEGIN")
    else:
        _begin_immediate(connection.connection.dbapi_connection)


def _begin_immediate(dbapi_connection) -> None:
    """BEGIN IMMEDIATE, waiting for the write lock in steps of at most 5 ms.

    SQLite's own busy handler sleeps 1, 2, 5, 10, ... up to 100 ms between tries, and any
    writer may take the lock meanwhile: under a few concurrent POSTs a writer waited hundreds
    of milliseconds for a lock held a few. Short polls here hand the lock on within ~5 ms;
    the overall wait is still bounded by the connection's busy timeout.
    """
    cursor = dbapi_connection.cursor()
    try:
        timeout_ms = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 0")
        deadline = time.monotonic() + timeout_ms / 1000
        pause = 0.0005
        try:
            while True:
                try:
                    cursor.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) or time.monotonic() >= deadline:
                        # What exec_driver_sql would have raised: callers catch SQLAlchemy's errors.
                        raise exc.OperationalError("BEGIN IMMEDIATE", (), error) from error
                time.sleep(pause)
                pause = min(pause * 2, 0.005)
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
    finally:
        cursor.close()
