"""The committed migrations build exactly the schema the models describe (on both databases)."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db

pytestmark = pytest.mark.own_database  # these tests migrate the schema down and up


def _drift(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


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
