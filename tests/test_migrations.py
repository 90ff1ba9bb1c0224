"""The committed migrations build exactly the schema the models describe (on both databases)."""

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app.extensions import db

pytestmark = pytest.mark.own_database  # these tests migrate the schema down and up


# Indexes on expressions SQLAlchemy cannot reflect from SQLite (PostgreSQL it can); each is
# checked by name below instead.
EXPRESSION_INDEXES = ("ix_assignments_state_deadline", "ix_assignments_due_order")


def _drift(app):
    with app.app_context(), db.engine.connect() as conn, warnings.catch_warnings():
        for name in EXPRESSION_INDEXES:
            warnings.filterwarnings("ignore", f"Skipped unsupported reflection of expression-based index {name}")
            warnings.filterwarnings("ignore", f"autogenerate skipping metadata-specified expression-based index '{name}'")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_expression_indexes_are_migrated(app):
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            made = set(db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'index'")))
        else:
            made = {index["name"] for index in inspect(db.engine).get_indexes("assignments")}
    assert set(EXPRESSION_INDEXES) <= made


def test_models_match_migrated_schema(app):
    # The test database was built from empty by `flask db upgrade` (through setup).
    assert _drift(app) == []


def test_migrations_go_down_to_empty_and_up_again(app):
    with app.app_context():
        downgrade(revision="base")
        tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        assert {"units", "users", "fields", "audit_events"} <= set(inspect(db.engine).get_table_names())
    assert _drift(app) == []


def test_folded_keys_saved_with_invisible_characters_are_cleaned(app, login_as):
    """Search keys stored before input was cleaned: the word as written finds the row again."""
    with app.app_context():
        db.session.execute(text(
            "UPDATE units SET name = :name, name_folded = :folded WHERE code = 'SXD'"),
            {"name": "Sở Xây\u200b dựng\u202e", "folded": "so xay\u200b dung\u202e"})
        db.session.execute(text(
            "UPDATE users SET full_name_folded = :folded WHERE username = 'so.nv'"),
            {"folded": "le thi\u2060 ho\x07a"})
        db.session.commit()
        downgrade(revision="0009_unit_queue_index")
        upgrade()
        assert db.session.scalar(text("SELECT name_folded FROM units WHERE code = 'SXD'")) == "so xay dung"
        assert db.session.scalar(text("SELECT full_name_folded FROM users WHERE username = 'so.nv'")) == "le thi hoa"
        db.session.remove()
    admin = login_as("admin")
    assert "SXD" in admin.get("/admin/units", query_string={"q": "xây dựng"}).get_data(as_text=True)
    assert "so.nv" in admin.get("/admin/users", query_string={"q": "Lê Thị Hoa"}).get_data(as_text=True)
