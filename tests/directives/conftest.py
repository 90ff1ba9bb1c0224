"""Fixtures for directive tests: issue and assign directives straight through the services."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.directives import services, workflow
from app.directives.models import Assignment, Directive
from app.extensions import db
from app.models import Field, Unit, User

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def unit_id(code_or_name: str) -> int:
    """Id of a unit by code or exact name (inside an app context)."""
    return db.session.scalar(select(Unit.id).where((Unit.code == code_or_name) | (Unit.name == code_or_name)))


@pytest.fixture
def make_directive(app, users):
    """Return make(**overrides) -> directive id, issued by the test coordinator."""

    def make(title="Kiện toàn tổ chức bộ máy xã, phường", content="Bổ sung đủ ủy viên Ban Chấp hành.",
             deadline=None, ongoing=False, period=None, field_name="Biên chế, tổ chức bộ máy",
             meeting_id=None, issuer="Lương Văn Trọng"):
        with app.app_context():
            coordinator = db.session.get(User, users["coordinator"].id)
            field_id = db.session.scalar(select(Field.id).where(Field.name == field_name))
            directive = services.create_directive(
                {
                    "meeting_id": meeting_id, "issued_by_name": issuer, "issued_by_title": "Bí thư Tỉnh ủy",
                    "title": title, "content": content, "field_id": field_id, "is_ongoing": ongoing,
                    "deadline": None if ongoing else (deadline or clock.today() + timedelta(days=30)),
                    "reporting_period": period,
                },
                coordinator,
            )
            db.session.commit()
            return directive.id

    return make


@pytest.fixture
def assign(app, users):
    """Return assign(directive_id, units, role) where units is a scope name or unit codes/names."""

    def do(directive_id, units, role=workflow.LEAD):
        with app.app_context():
            coordinator = db.session.get(User, users["coordinator"].id)
            directive = db.session.get(Directive, directive_id)
            if isinstance(units, str):
                ids = services.units_for_scope(units)
            else:
                ids = [unit_id(u) for u in units]
            result = services.assign_to_units(directive, ids, role, coordinator)
            db.session.commit()
            return result

    return do


@pytest.fixture
def assignment_of(app):
    """Return find(directive_id, unit code or name) -> assignment id."""

    def find(directive_id, unit):
        with app.app_context():
            return db.session.scalar(
                select(Assignment.id).where(Assignment.directive_id == directive_id, Assignment.unit_id == unit_id(unit))
            )

    return find


@pytest.fixture
def set_assignment(app):
    """Return set(assignment_id, **columns) to put an assignment in a given state directly."""

    def update(assignment_id, **columns):
        with app.app_context():
            assignment = db.session.get(Assignment, assignment_id)
            for name, value in columns.items():
                setattr(assignment, name, value)
            db.session.commit()

    return update


def days(n: int) -> date:
    """Today in the province plus n days (the app's notion of today)."""
    return clock.today() + timedelta(days=n)


def download_status(client, url: str) -> int:
    """GET a file and close the response (send_file keeps the file open until then)."""
    response = client.get(url)
    response.close()
    return response.status_code
