"""The SQL CASE used by filters and grouped counts agrees with the pure classification."""

import itertools

from sqlalchemy import func, select

from app.directives import services, status
from app.directives.models import Assignment
from app.extensions import db
from tests.directives.conftest import days


def test_sql_classification_matches_python(app, make_directive, assign):
    directive_id = make_directive()
    assign(directive_id, "all_communes")
    today = days(0)
    deadlines = [None, days(-5), days(0), days(10)]
    extensions = [None, days(-2), days(1), days(20)]
    completions = [None, days(-6), days(0), days(3)]
    states = ["in_progress", "awaiting_confirmation", "done", "suspended", "cancelled"]
    combos = [
        c for c in itertools.product(states, deadlines, extensions, completions)
        # Only done assignments carry a completion date; extensions need a deadline to extend.
        if (c[0] == "done") == (c[3] is not None) and not (c[1] is None and c[2] is not None)
    ]
    with app.app_context():
        rows = list(db.session.scalars(select(Assignment).where(Assignment.directive_id == directive_id).order_by(Assignment.id)))
        assert len(combos) <= len(rows)
        for assignment, (state, deadline, extension, completed) in zip(rows, combos, strict=False):
            assignment.state, assignment.original_deadline = state, deadline
            assignment.extended_deadline, assignment.completed_on = extension, completed
        db.session.commit()
        used = [a.id for a in rows[: len(combos)]]
        sql_keys = dict(db.session.execute(
            select(Assignment.id, services.status_key_sql(today)).where(Assignment.id.in_(used))
        ).all())
        seen = set()
        for assignment in db.session.scalars(select(Assignment).where(Assignment.id.in_(used))):
            expected = assignment.status_on(today).key
            assert sql_keys[assignment.id] == expected, (assignment.state, assignment.deadline, assignment.completed_on)
            seen.add(expected)
    assert seen == set(status.ALL_KEYS)


def test_grouped_counts_match_python_counts(app, make_directive, assign, set_assignment, assignment_of):
    directive_id = make_directive(deadline=days(-1))
    assign(directive_id, ["Xã Ia Boòng", "Phường Pleiku", "SXD", "SNV"])
    set_assignment(assignment_of(directive_id, "Xã Ia Boòng"), state="done", completed_on=days(-2))
    set_assignment(assignment_of(directive_id, "Phường Pleiku"), state="done", completed_on=days(0))
    set_assignment(assignment_of(directive_id, "SXD"), extended_deadline=days(5))
    with app.app_context():
        counts = services.counts_by_directive([directive_id], days(0))[directive_id]
        overall = services.overall_counts(days(0))
    expected = {"done_on_time": 1, "done_late": 1, "open_on_time": 1, "open_overdue": 1}
    assert {k: counts[k] for k in status.ALL_KEYS if counts[k]} == expected
    assert {k: overall[k] for k in status.ALL_KEYS if overall[k]} == expected
    assert status.format_rate(counts.completion) == "66,7%"
    assert status.format_rate(counts.on_time) == "50%"


def test_counts_by_state_match_the_case_expression(app, make_directive, assign):
    """status_counts_by (grouped by state, the day comparisons counted alongside) gives each unit
    the counts grouping status_key_sql gives, for every state, deadline, extension and completion,
    a completion date left on a reopened task included, judged on days before, on and after them."""
    directive_ids = [make_directive(), make_directive(title="Rà soát hồ sơ đất đai")]
    for directive_id in directive_ids:
        assign(directive_id, "all_communes")
    deadlines = [None, days(-5), days(0), days(10)]
    extensions = [None, days(-2), days(1)]
    completions = [None, days(-6), days(0), days(3)]
    states = ["in_progress", "awaiting_confirmation", "done", "suspended", "cancelled"]
    combos = [c for c in itertools.product(states, deadlines, extensions, completions)
              if not (c[1] is None and c[2] is not None)]
    with app.app_context():
        # 200 combinations over the two directives' 270 tasks: most units hold two, so that a
        # unit's counts add up more than one class.
        tasks = db.session.scalars(select(Assignment).where(Assignment.directive_id.in_(directive_ids))
                                   .order_by(Assignment.directive_id, Assignment.id))
        for assignment, (state, deadline, extension, completed) in zip(tasks, combos, strict=False):
            assignment.state, assignment.original_deadline = state, deadline
            assignment.extended_deadline, assignment.completed_on = extension, completed
        db.session.commit()
        query = select(Assignment).where(Assignment.directive_id.in_(directive_ids))
        seen = set()
        for on in (days(-6), days(-1), days(0), days(3), days(11)):
            by_case: dict[int, dict[str, int]] = {}
            keyed = query.with_only_columns(Assignment.unit_id, services.status_key_sql(on).label("key")).subquery()
            for unit, key, number in db.session.execute(
                select(keyed.c.unit_id, keyed.c.key, func.count()).group_by(keyed.c.unit_id, keyed.c.key)
            ):
                by_case.setdefault(unit, {})[key] = number
                seen.add(key)
            by_state = services.status_counts_by(query, Assignment.unit_id, on)
            assert {unit: {k: n for k, n in counts.by_key.items() if n} for unit, counts in by_state.items()} == by_case, on
    assert seen == set(status.ALL_KEYS)
