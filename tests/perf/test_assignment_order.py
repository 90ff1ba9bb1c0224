"""The assignments list and the home queues show the same rows in the same order whichever way a
view is planned: walking ix_assignments_due_order (the wide views) or picking the rows in a CTE
and sorting them (selective views, directives.lists._ordered_base). Each view is checked against
the list's order written out plainly (deadline, none last; directive; unit's place and name; id),
on both paths, a whole list and page by page."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.directives import lists, panels, status, workflow
from app.directives.models import Assignment, Directive, ExtensionRequest
from app.extensions import db
from app.models import Unit, User
from tests.directives.conftest import days

VIEWS = [
    {}, {"status": "all"}, {"status": "extension"}, {"status": "awaiting"}, {"status": "due_soon"},
    {"status": status.OPEN_OVERDUE}, {"status": status.ONGOING}, {"status": status.DONE_LATE},
    {"unit_id": "unit"}, {"q": "kiện toàn"}, {"status": "extension", "unit_id": "unit"},
    {"status": "all", "q": "bộ máy", "unit_id": "unit"},
]


@pytest.fixture
def tasks(app, users, make_directive, assign):
    """Four directives (two sharing a deadline, one ongoing) to every commune, in mixed states,
    some extended, some with a pending extension request."""
    made = [
        make_directive(title="Kiện toàn tổ chức bộ máy", deadline=days(-20)),
        make_directive(title="Chuyển đổi số cấp xã", deadline=days(2)),
        make_directive(title="Kiện toàn ban chỉ đạo", deadline=days(2)),
        make_directive(title="Rà soát đất công", ongoing=True),
    ]
    for directive_id in made:
        assign(directive_id, "all_communes")
    rng = random.Random(20)
    with app.app_context():
        coordinator = db.session.get(User, users["coordinator"].id)
        rows = db.session.scalars(select(Assignment).where(Assignment.directive_id.in_(made)).order_by(Assignment.id))
        for assignment in rows:
            state = rng.choice(workflow.STATES + (workflow.IN_PROGRESS,) * 3)
            assignment.state = state
            if state == workflow.DONE:
                assignment.completed_on = days(rng.randint(-30, 0))
            if assignment.original_deadline and rng.random() < 0.3:
                assignment.extended_deadline = assignment.original_deadline + timedelta(days=rng.choice((-20, 0, 5)))
            if state in workflow.OPEN_STATES and assignment.original_deadline and rng.random() < 0.3:
                db.session.add(ExtensionRequest(
                    assignment_id=assignment.id, previous_deadline=assignment.original_deadline,
                    requested_deadline=assignment.original_deadline + timedelta(days=10), reason="Chờ kinh phí",
                    requested_by_id=coordinator.id,
                ))
        db.session.commit()
    return made


def _filters(view, users):
    if view.get("unit_id") == "unit":
        return {**view, "unit_id": users["commune_a"].unit_id}
    return view


def _expected(user, filters):
    """The list's order, written out as it was before the order index."""
    deadline = lists.deadline_sql()
    query = lists.filtered_assignments(user, filters, clock.today()).with_only_columns(Assignment.id)
    return list(db.session.scalars(
        query.order_by(deadline.is_(None), deadline, Directive.id, Unit.sort_order, Unit.name, Assignment.id)
    ))


def _paged(user, filters, per_page=7):
    ids, after = [], None
    while True:
        page = lists.assignments_page(user, filters, clock.today(), per_page=per_page, after=after)
        ids += [a.id for a in page.items]
        if not page.has_next:
            return ids, page
        after = page.next_cursor


@pytest.mark.parametrize("planned", ["as chosen", "picked first", "walked"])
@pytest.mark.parametrize("key", ["coordinator", "commune_a"])
@pytest.mark.parametrize("view", VIEWS, ids=lambda v: "+".join(f"{k}={v[k]}" for k in v) or "open")
def test_every_view_keeps_its_rows_and_order(app, users, tasks, monkeypatch, view, key, planned):
    if planned != "as chosen":
        monkeypatch.setattr(lists, "is_selective", lambda user, filters: planned == "picked first")
    filters = _filters(view, users)
    with app.app_context():
        user = db.session.get(User, users[key].id)
        expected = _expected(user, filters)
        if key == "coordinator" and "unit_id" not in view:
            assert expected, "the fixture no longer gives this view any row"
        found = [a.id for a in db.session.scalars(lists.search_assignments(user, filters, clock.today()))]
        assert found == expected
        paged, last = _paged(user, filters)
        assert paged == expected
        if last.has_prev:  # and back again from the last page
            back = lists.assignments_page(user, filters, clock.today(), per_page=7, before=last.prev_cursor)
            start = len(expected) - len(last.items) - len(back.items)
            assert [a.id for a in back.items] == expected[start:start + len(back.items)]


def test_each_queue_shows_the_first_rows_of_its_view(app, users, tasks):
    with app.app_context(), app.test_request_context("/"):
        coordinator = db.session.get(User, users["coordinator"].id)
        for panel, view in ((panels.extension_requests, "extension"), (panels.overdue, status.OPEN_OVERDUE),
                            (panels.awaiting_confirmation, "awaiting")):
            expected = _expected(coordinator, {"status": view})
            _, context = panel(coordinator)
            assert [row[0].id for row in context["rows"]] == expected[:panels.PANEL_SIZE]
            assert context["total"] == len(expected)
        commune = db.session.get(User, users["commune_a"].id)
        soon = {"status": "due_soon"}
        _, context = panels.unit_due_soon(commune)
        assert [row[0].id for row in context["rows"]] == _expected(commune, soon)[:panels.PANEL_SIZE]
