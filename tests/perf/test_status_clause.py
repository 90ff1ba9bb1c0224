"""status_clause (the filter an index can serve) selects exactly what status_key_sql classifies."""

import itertools

import pytest
from sqlalchemy import select

from app.directives import services, status
from app.directives.models import Assignment
from app.extensions import db
from tests.directives.conftest import days


@pytest.fixture
def every_combination(app, make_directive, assign):
    """Ids of assignments set to every state x deadline x extension x completion that can occur."""
    directive_id = make_directive()
    assign(directive_id, "all_communes")
    deadlines = [None, days(-5), days(0), days(10)]
    extensions = [None, days(-2), days(1), days(20)]
    completions = [None, days(-6), days(0), days(3)]
    states = ["in_progress", "awaiting_confirmation", "done", "suspended", "cancelled"]
    combos = [
        c for c in itertools.product(states, deadlines, extensions, completions)
        if (c[0] == "done") == (c[3] is not None) and not (c[1] is None and c[2] is not None)
    ]
    with app.app_context():
        rows = list(db.session.scalars(select(Assignment).where(Assignment.directive_id == directive_id).order_by(Assignment.id)))
        for assignment, (state, deadline, extension, completed) in zip(rows, combos, strict=False):
            assignment.state, assignment.original_deadline = state, deadline
            assignment.extended_deadline, assignment.completed_on = extension, completed
        db.session.commit()
        return [a.id for a in rows[: len(combos)]]


@pytest.mark.parametrize("key", status.ALL_KEYS)
def test_status_clause_matches_the_case_expression(app, every_combination, key):
    today = days(0)
    with app.app_context():
        in_scope = Assignment.id.in_(every_combination)
        by_case = set(db.session.scalars(select(Assignment.id).where(in_scope, services.status_key_sql(today) == key)))
        by_clause = set(db.session.scalars(select(Assignment.id).where(in_scope, services.status_clause(key, today))))
    assert by_case, f"no assignment is {key}: the fixture no longer covers it"
    assert by_clause == by_case


def test_unknown_key_selects_nothing(app, every_combination):
    with app.app_context():
        found = db.session.scalars(select(Assignment.id).where(services.status_clause("bogus", days(0))))
        assert list(found) == []
