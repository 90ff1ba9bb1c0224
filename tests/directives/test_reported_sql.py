"""reported_sql (the dashboard's "has reported") agrees with assignment_rows' reported_this_period."""

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.directives import services, status
from app.directives.models import Assignment, Directive, ProgressReport
from app.extensions import db
from tests.directives.conftest import days

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def local_moment(day, hour, minute=0):
    """A UTC datetime for a local wall-clock time (reports are stored in UTC)."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL).astimezone(UTC)


def test_sql_reported_matches_python(app, users, make_directive, assign):
    directive_ids = [make_directive(title="Có thời hạn", deadline=days(20))] + [
        make_directive(title=f"Thường xuyên {period}", ongoing=True, period=period)
        for period in status.REPORTING_PERIODS
    ] + [make_directive(title="Thường xuyên, không kỳ báo cáo", ongoing=True, period=None)]
    for directive_id in directive_ids:
        assign(directive_id, "all_communes")
    # Days checked on: a Monday, the first of a quarter, the day after, an ordinary day.
    checked_on = [days(0), days(-1) - timedelta(days=days(-1).weekday()), days(0).replace(month=1, day=1),
                  days(0).replace(month=4, day=2), days(-40)]
    # Reports around each period's first day: the local midnight itself and a minute before it.
    moments = [None]
    for on, period in itertools.product(checked_on, status.REPORTING_PERIODS):
        start = status.reporting_period_start(period, on)
        moments += [local_moment(start, 0), local_moment(start - timedelta(days=1), 23, 59)]
    moments.append(local_moment(days(-400), 9))
    with app.app_context():
        rows = list(db.session.scalars(
            select(Assignment).where(Assignment.directive_id.in_(directive_ids)).order_by(Assignment.id)
        ))
        for index, assignment in enumerate(rows):
            when = moments[index % len(moments)]
            if when is not None:
                db.session.add(ProgressReport(assignment_id=assignment.id, text="Báo cáo.", percent=10,
                                              created_at=when))
            if index % 3 == 0:  # a later report with an older date: the highest id is the latest
                db.session.flush()
                db.session.add(ProgressReport(assignment_id=assignment.id, text="Báo cáo cũ.", percent=5,
                                              created_at=local_moment(days(-500), 8)))
        db.session.commit()
        outcomes = set()
        for on in checked_on:
            sql = dict(db.session.execute(
                select(Assignment.id, services.reported_sql(on))
                .join(Assignment.directive)
                .where(Assignment.directive_id.in_(directive_ids))
            ).all())
            for directive in db.session.scalars(select(Directive).where(Directive.id.in_(directive_ids))):
                for row in services.assignment_rows(directive, users["leader"], on, 3):
                    assert bool(sql[row.assignment.id]) == row.reported_this_period, (
                        directive.title, on, row.latest_report and row.latest_report.created_at)
                    outcomes.add((directive.reporting_period, row.reported_this_period))
    # Every kind of directive had units that reported and units that did not.
    assert outcomes == {(period, reported) for period in (*status.REPORTING_PERIODS, None) for reported in (True, False)}

