"""Counting the SQL statements a piece of work sends (the no-N+1 tests and the cache tests)."""

from contextlib import contextmanager

from sqlalchemy import event

from app.extensions import db


@contextmanager
def statements_sent(app):
    """Yield a list that collects every statement sent to app's database inside the block."""
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", count)
