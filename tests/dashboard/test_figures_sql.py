"""The dashboard's SQL aggregates give the figures the per-row Python rules give.

Each reference below is the loop the dashboard used to run (one directive, one row at a time,
through directives.assignment_rows and the pure classifiers); the dashboard now asks SQL for
the same numbers, and these tests hold it to them.
"""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.dashboard import period as periods
from app.dashboard import services
from app.directives import services as directives
from app.directives import workflow as directive_workflow
from app.directives.models import Assignment, Directive, ProgressReport
from app.extensions import db
from app.models import Unit, User
from tests.dashboard.conftest import ids
from tests.directives.conftest import days


def reference_completeness(user, scope: services.Scope) -> list[tuple[int, int, list[int]]]:
    """(directive id, units working, assignment ids not reported) the way the dashboard did it."""
    followed = services.assignment_query(user, scope).order_by(None).with_only_columns(Assignment.id)
    many = select(Assignment.directive_id).group_by(Assignment.directive_id).having(func.count() >= 2)
    open_ids = select(Assignment.directive_id).where(
        Assignment.id.in_(followed), Assignment.state.in_(directive_workflow.OPEN_STATES)
    )
    query = select(Directive).where(Directive.id.in_(open_ids), Directive.id.in_(many)).order_by(Directive.id)
    out = []
    for directive in db.session.scalars(query):
        rows = directives.assignment_rows(directive, user, scope.period.as_of, 3)
        if scope.unit is not None:
            rows = [r for r in rows if r.unit.id == scope.unit.id]
        working = [r for r in rows if r.assignment.state == directive_workflow.IN_PROGRESS]
        if working:
            out.append((directive.id, len(working), [r.assignment.id for r in directives.not_reported(rows)]))
    out.sort(key=lambda item: (-len(item[2]), item[0]))
    return out


@pytest.fixture
def reporting(app, seeded, make_directive, assign):
    """The seeded province plus ongoing directives to every commune, some of whose units reported."""
    weekly = make_directive(title="Phòng chống thiên tai", ongoing=True, period="weekly")
    quarterly = make_directive(title="Chuyển đổi số", ongoing=True, period="quarterly")
    dated = make_directive(title="Xây dựng nông thôn mới", deadline=days(15))
    for directive_id in (weekly, quarterly, dated):
        assign(directive_id, "all_communes")
    assign(dated, ["SXD", "SNV"], "support")
    local = ZoneInfo("Asia/Ho_Chi_Minh")
    with app.app_context():
        rows = db.session.scalars(select(Assignment).where(Assignment.directive_id.in_((weekly, quarterly, dated)))
                                  .order_by(Assignment.id))
        for index, assignment in enumerate(rows):
            if index % 3:
                day = days(-(index % 50))
                created = datetime.combine(day, time(index % 24, 30), tzinfo=local).astimezone(UTC)
                db.session.add(ProgressReport(assignment_id=assignment.id, text="Đã triển khai.", percent=30,
                                              created_at=created))
            if index % 7 == 0:
                assignment.state = directive_workflow.AWAITING_CONFIRMATION
            elif index % 11 == 0:
                assignment.state = directive_workflow.SUSPENDED
        db.session.commit()
    return seeded


@pytest.mark.parametrize("unit", [None, "SXD", "Xã Ia Boòng"])
@pytest.mark.parametrize("span", [(-60, 0), (-5, 0), (-400, -300)])
def test_reporting_completeness_matches_the_row_by_row_rule(app, users, reporting, unit, span):
    with app.test_request_context():
        leader = db.session.get(User, users["leader"].id)
        period = periods.Period(periods.CUSTOM, days(span[0]), days(span[1]), days(0))
        scope = services.Scope(period, unit=db.session.get(Unit, ids(app, unit)[0]) if unit else None)
        expected = reference_completeness(leader, scope)
        got = [(c.directive.id, c.working, [m.assignment_id for m in c.missing])
               for c in services.reporting_completeness(leader, scope)]
    assert got == expected  # the same directives, counts, and missing units in the same order
    if span == (-60, 0) and unit is None:
        assert len(got) >= 4 and any(missing for _d, _w, missing in got)
        assert any(working > len(missing) for _d, working, missing in got)

