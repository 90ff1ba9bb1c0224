"""The assignments list's first rows ranked on their ids alone, then loaded (assignments_among,
as the home's queues do), come in the order search_assignments gives them."""

import pytest
from sqlalchemy import select

from app.directives import services, status
from app.directives.models import Assignment
from app.extensions import db
from app.models import User
from tests.directives.conftest import days


@pytest.fixture
def spread(app, make_directive, assign):
    """Three directives to every commune, deadlines spread so that rows tie on the deadline and
    differ by directive and unit; some overdue, some extended, some done."""
    ids = [make_directive(title=f"Chỉ đạo số {n}", deadline=days(10)) for n in range(3)]
    for directive_id in ids:
        assign(directive_id, "all_communes")
    with app.app_context():
        rows = list(db.session.scalars(select(Assignment).where(Assignment.directive_id.in_(ids)).order_by(Assignment.id)))
        for n, assignment in enumerate(rows):
            assignment.original_deadline = days(-(n % 7) * 3 + 5)
            if n % 5 == 0:
                assignment.extended_deadline = days(n % 11)
            if n % 9 == 0:
                assignment.state, assignment.completed_on = "done", days(-1)
        db.session.commit()
    return ids


@pytest.mark.parametrize("filters", [
    {"status": status.OPEN_OVERDUE},
    {"status": "all"},
    {"status": "open", "q": "Chỉ đạo số 1"},
    {"status": status.OPEN_ON_TIME, "date_from": days(-30), "date_to": days(30)},
])
def test_first_ids_follow_the_list_order(app, users, spread, filters):
    with app.app_context():
        coordinator = db.session.get(User, users["coordinator"].id)
        on = days(0)
        listed = [a.id for a in db.session.scalars(services.search_assignments(coordinator, filters, on).limit(12))]
        ranked = services.search_assignments(coordinator, filters, on).with_only_columns(Assignment.id).limit(12)
        first = list(db.session.scalars(ranked))
        loaded = [a.id for a in db.session.scalars(services.assignments_among(ranked))]
    assert len(listed) == 12
    assert first == listed
    assert loaded == listed
