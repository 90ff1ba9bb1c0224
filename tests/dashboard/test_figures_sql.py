"""The dashboard's SQL aggregates give the figures the per-row Python rules give.

Each reference below is the loop the dashboard used to run (one directive, one row at a time,
through directives.assignment_rows and the pure classifiers); the dashboard now asks SQL for
the same numbers, and these tests hold it to them.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from flask import url_for
from sqlalchemy import func, select

from app import clock
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
    """The seeded province plus ongoing directives to every commune, some of whose units reported,
    and one sent to a single department."""
    weekly = make_directive(title="Phòng chống thiên tai", ongoing=True, period="weekly")
    quarterly = make_directive(title="Chuyển đổi số", ongoing=True, period="quarterly")
    dated = make_directive(title="Xây dựng nông thôn mới", deadline=days(15))
    for directive_id in (weekly, quarterly, dated):
        assign(directive_id, "all_communes")
    assign(dated, ["SXD", "SNV"], "support")
    # Sent to one unit only: never in the table, however long that unit has not reported.
    alone = make_directive(title="Báo cáo riêng của Sở Xây dựng", ongoing=True, period="weekly")
    assign(alone, ["SXD"])
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
               for c in services.reporting_completeness(leader, scope).rows]
    assert got == expected  # the same directives, counts, and missing units in the same order
    if span == (-60, 0) and unit is None:
        assert len(got) >= 4 and any(missing for _d, _w, missing in got)
        assert any(working > len(missing) for _d, working, missing in got)



def reference_departments(user, scope: services.Scope) -> dict[int, tuple]:
    """lead id -> (four timeliness counts, average days) by proposals.timeliness.classify, row by row."""
    from app.proposals import timeliness
    from app.proposals import workflow as proposal_workflow

    today = clock.today()
    tallies: dict[int, dict[str, int]] = {}
    waits: dict[int, list[int]] = {}
    for proposal in db.session.scalars(services.proposal_query(user, services.proposal_filters(scope))):
        if proposal.lead_unit_id is None:
            continue
        tally = tallies.setdefault(proposal.lead_unit_id, dict.fromkeys(timeliness.KEYS, 0))
        key = timeliness.classify(proposal.answer_deadline, proposal.answered_on, today,
                                  pending=proposal.state == proposal_workflow.ASSIGNED).key
        if key in timeliness.KEYS:
            tally[key] += 1
        if key in (timeliness.ANSWERED_ON_TIME, timeliness.ANSWERED_LATE) and proposal.assigned_at is not None:
            waits.setdefault(proposal.lead_unit_id, []).append(
                (proposal.answered_on - clock.local_date(proposal.assigned_at)).days)
    return {
        lead: (tuple(tally[k] for k in timeliness.KEYS),
               sum(waits[lead]) / len(waits[lead]) if lead in waits else None)
        for lead, tally in tallies.items()
    }


@pytest.fixture
def answered_at_night(app, seeded, make_proposal):
    """More answered proposals, assigned late in the UTC day: the province's day is the next one."""
    from app.proposals import workflow as proposal_workflow
    from app.proposals.models import Proposal

    made = [
        make_proposal(proposal_workflow.ANSWERED, title="Điện chiếu sáng", lead="SXD"),
        make_proposal(proposal_workflow.CLOSED, title="Nước sạch", lead="SXD", answered_days_late=2),
        make_proposal(proposal_workflow.ANSWERED, title="Chợ nông thôn", lead="SNV"),
    ]
    with app.app_context():
        for hour, proposal_id in zip((18, 23, 16), made, strict=True):
            proposal = db.session.get(Proposal, proposal_id)
            proposal.assigned_at = datetime.combine(days(-9), time(hour, 30), tzinfo=UTC)
        db.session.commit()
    return seeded


@pytest.mark.parametrize("span", [(-60, 0), (-400, -300)])
def test_departments_match_the_row_by_row_rule(app, users, answered_at_night, span):
    with app.test_request_context():
        leader = db.session.get(User, users["leader"].id)
        scope = services.Scope(periods.Period(periods.CUSTOM, days(span[0]), days(span[1]), days(0)))
        expected = reference_departments(leader, scope)
        got = {
            row.unit.id: ((row.answered_on_time.value, row.answered_late.value, row.pending_on_time.value,
                           row.pending_overdue.value), row.average_days)
            for row in services.proposal_summary(leader, scope).departments
        }
    assert got == expected
    if span == (-60, 0):
        assert len(got) == 2 and all(average is not None for _counts, average in got.values())


@pytest.mark.parametrize(("moment", "expected"), [
    (datetime(2026, 3, 9, 16, 59, 59, 999999, tzinfo=UTC), 11),  # 23:59:59 on the 9th in the province
    (datetime(2026, 3, 9, 16, 59, 59, 999600, tzinfo=UTC), 11),  # not rounded up into the 10th
    (datetime(2026, 3, 9, 17, 0, tzinfo=UTC), 10),  # midnight: already the 10th there
    (datetime(2026, 3, 9, 23, 30, tzinfo=UTC), 10),
    (datetime(2026, 3, 10, 0, 30, tzinfo=UTC), 10),
    (datetime(2025, 12, 31, 18, 0, tzinfo=UTC), 78),  # the 1st of January there
])
def test_days_since_the_provinces_day_in_sql(app, moment, expected):
    """The SQL twin of (day - clock.local_date(moment)).days, around the province's midnight:
    the day numbers of a date and of a moment's day in the province, subtracted."""
    from sqlalchemy import Date, literal

    from app.local_days import day_number, day_number_sql, local_day_number_sql
    from app.models import TZDateTime

    answered = date(2026, 3, 20)
    assert (answered - clock.local_date(moment)).days == expected
    with app.app_context():
        answered_day = db.session.scalar(select(day_number_sql(literal(answered, Date()))))
        moment_day = db.session.scalar(select(local_day_number_sql(literal(moment, TZDateTime()))))
    assert answered_day == day_number(answered) == 20532
    assert answered_day - moment_day == expected


def test_answer_wait_of_a_period_matches_the_row_by_row_rule(app, users, answered_at_night):
    """The tiles' average days to answer (every lead department together), summed in SQL."""
    from app.proposals import timeliness
    from app.proposals import workflow as proposal_workflow

    with app.test_request_context():
        leader = db.session.get(User, users["leader"].id)
        scope = services.Scope(periods.Period(periods.CUSTOM, days(-60), days(0), days(0)))
        waits = []
        for p in db.session.scalars(services.proposal_query(leader, services.proposal_filters(scope))):
            key = timeliness.classify(p.answer_deadline, p.answered_on, clock.today(),
                                      pending=p.state == proposal_workflow.ASSIGNED).key
            if p.lead_unit_id is not None and p.assigned_at is not None and key in services.ANSWERED_KEYS:
                waits.append((p.answered_on - clock.local_date(p.assigned_at)).days)
        wait = services.answer_wait(leader, scope)
        summary = services.proposal_summary(leader, scope)
    assert len(waits) >= 3
    assert (wait.total_days, wait.answered) == (sum(waits), len(waits))
    assert summary.wait == wait


@pytest.mark.parametrize("unit", [None, "SXD"])
@pytest.mark.parametrize("field", [False, True])
def test_unit_links_are_the_assignments_list_urls(app, users, seeded, unit, field):
    """The ranking's nine links per unit, joined by hand, are what url_for writes."""
    from app.directives import status
    from app.models import Field

    with app.test_request_context():
        field_id = db.session.scalar(select(Field.id).limit(1)) if field else None
        scope = services.Scope(periods.Period(periods.CUSTOM, days(-30), days(0), days(0)), field_id=field_id)
        unit_id = ids(app, unit)[0] if unit else None
        links = services._links(scope, unit_id)
        for key in (*status.ALL_KEYS, "all"):
            args = {"status": key, "unit_id": unit_id, "field_id": field_id,
                    "date_from": days(-30).isoformat(), "date_to": days(0).isoformat()}
            assert links[key] == url_for("directives.assignments", **{k: v for k, v in args.items() if v})


@pytest.mark.parametrize("extra", [
    {},
    {"lead_id": 7, "timeliness": "pending_overdue"},
    {"field_id": 3, "commune_id": 12, "state": "answered"},
    {"department_id": 5, "timeliness": "answered_late", "lead_id": 5},
])
def test_proposal_links_joined_by_hand_are_what_url_for_writes(app, extra):
    """The departments table's links (four per lead department), joined by hand."""
    from app.proposals.lists import ListFilters

    with app.test_request_context():
        filters = ListFilters(date_from=days(-30), date_to=days(0), **extra)
        path = url_for("proposals.index")
        assert services.proposals_url(filters, path) == url_for("proposals.index", **filters.as_args())
        assert services.proposals_url(ListFilters(), path) == url_for("proposals.index")


def test_day_numbers_are_kept_by_the_database(app, answered_at_night):
    """The generated day numbers follow their dates through inserts and changes: an approved
    extension moves due_day, a completion sets done_day and taking it back clears it; a moment
    late in the UTC day counts as the province's next day (assigned_day)."""
    from app.local_days import day_number
    from app.proposals.models import Proposal

    def days_of(model, *columns):
        return {row[0]: tuple(row[1:]) for row in db.session.execute(select(model.id, *columns))}

    with app.app_context():
        proposals = days_of(Proposal, Proposal.answered_on, Proposal.assigned_at, Proposal.answer_day, Proposal.assigned_day)
        answered = [values for values in proposals.values() if values[0] is not None and values[1] is not None]
        assert len(answered) >= 3
        for answered_on, assigned_at, answer_day, assigned_day in answered:
            assert answer_day == day_number(answered_on)
            assert assigned_day == day_number(clock.local_date(assigned_at))
        assert any(clock.local_date(at) != at.date() for _on, at, _a, _b in answered)  # a night moment is in

        task = db.session.scalars(select(Assignment).order_by(Assignment.id)).first()
        original = task.original_deadline
        task.extended_deadline = original.replace(year=original.year + 1)
        task.completed_on = date(2027, 1, 1)
        db.session.commit()
        row = db.session.execute(select(Assignment.due_day, Assignment.done_day).where(Assignment.id == task.id)).one()
        assert tuple(row) == (day_number(task.extended_deadline), day_number(date(2027, 1, 1)))
        task.extended_deadline = None
        task.completed_on = None
        db.session.commit()
        row = db.session.execute(select(Assignment.due_day, Assignment.done_day).where(Assignment.id == task.id)).one()
        assert tuple(row) == (day_number(original), None)


def test_the_per_unit_count_reads_its_narrow_index(app, users, seeded):
    """The dashboard's count per unit and status can be answered from ix_assignments_unit_days,
    which holds every column it reads. SQLite: INDEXED BY fails when the index cannot serve;
    PostgreSQL (where the day numbers are stored): with sequential and bitmap scans off, it
    reads that index alone."""
    from sqlalchemy import event

    with app.test_request_context():
        leader = db.session.get(User, users["leader"].id)
        scope = services.Scope(periods.Period(periods.CUSTOM, days(-60), days(0), days(0)))
        statements = []

        def record(_conn, _cursor, statement, parameters, _context, _many):
            statements.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            services.assignment_summary(leader, scope, per_unit=False)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        (statement, parameters), = [s for s in statements if "GROUP BY" in s[0]]
        connection = db.session.connection()
        if db.engine.dialect.name == "sqlite":
            forced = statement.replace("FROM assignments", "FROM assignments INDEXED BY ix_assignments_unit_days", 1)
            plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {forced}", parameters))
        else:
            connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
            connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
            plan = " ".join(str(row[0]) for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters))
            assert "Index Only Scan using ix_assignments_unit_days" in plan, plan
        db.session.rollback()
    assert "ix_assignments_unit_days" in plan, plan


def test_loading_a_task_or_a_proposal_does_not_read_the_day_numbers(app):
    """The day numbers are for SQL (counts, filters); loading rows into objects leaves them out,
    so that SQLite does not compute them for every task a list or a page shows."""
    from app.proposals.models import Proposal

    with app.app_context():
        loaded = f"{select(Assignment)} {select(Proposal)}"
    assert not any(name in loaded for name in ("due_day", "done_day", "answer_day", "assigned_day"))


def test_each_task_keeps_its_latest_reports_time(app, users, make_directive, assign):
    """assignments.last_report_at is the created_at of the task's latest report (the highest id),
    whoever writes the report and in whatever order: the site through the ORM, a bulk loader in
    plain SQL (the benchmark's, a restore). A later report with an older date still counts as
    the latest."""
    directive_id = make_directive(title="Báo cáo định kỳ", ongoing=True, period="monthly")
    assign(directive_id, ["SXD", "SNV"])
    first, second = (datetime(2026, 3, 2, 1, 30, tzinfo=UTC), datetime(2026, 2, 1, 8, 0, tzinfo=UTC))
    with app.app_context():
        task, other = db.session.scalars(
            select(Assignment).where(Assignment.directive_id == directive_id).order_by(Assignment.id)).all()

        def kept(assignment_id):
            return db.session.scalar(select(Assignment.last_report_at).where(Assignment.id == assignment_id))

        assert kept(task.id) is None
        db.session.add(ProgressReport(assignment_id=task.id, text="Lần 1.", percent=10, created_at=first))
        db.session.commit()
        assert kept(task.id) == first
        db.session.add(ProgressReport(assignment_id=task.id, text="Lần 2.", percent=20, created_at=second))
        db.session.commit()
        assert kept(task.id) == second
        assert kept(other.id) is None
        # Plain INSERTs, as a bulk loader writes reports: one statement of many rows for both
        # tasks, newest first; then a row below the highest id (a restore's order), which changes nothing.
        top = db.session.scalar(select(func.max(ProgressReport.id)))
        rows = [
            {"id": top + 12, "assignment_id": other.id, "created_at": second},
            {"id": top + 11, "assignment_id": task.id, "created_at": first},
            {"id": top + 10, "assignment_id": other.id, "created_at": first},
        ]
        db.session.execute(ProgressReport.__table__.insert(), [dict(row, text="Nhập lô.", percent=5) for row in rows])
        db.session.commit()
        assert kept(other.id) == second
        assert kept(task.id) == first
        db.session.execute(ProgressReport.__table__.insert().values(
            id=top + 5, assignment_id=task.id, text="Khôi phục.", percent=5, created_at=second))
        db.session.commit()
        assert kept(task.id) == first


def test_two_reports_sent_at_once_keep_the_later_ones_time(app, users, make_directive, assign):
    """Two transactions add a report to the same task at once; the one with the higher id runs
    its trigger first and the other's trigger waits on it. The task keeps the higher id's time
    (without the trigger's lock, PostgreSQL's waiting UPDATE put the lower id's back)."""
    import threading

    directive_id = make_directive(title="Báo cáo cùng lúc", deadline=days(20))
    assign(directive_id, ["SXD"])
    earlier, later = datetime(2026, 3, 2, 1, 0, tzinfo=UTC), datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    with app.app_context():
        task_id = db.session.scalar(select(Assignment.id).where(Assignment.directive_id == directive_id))
        top = db.session.scalar(select(func.coalesce(func.max(ProgressReport.id), 0)))
        db.session.remove()
        insert = ProgressReport.__table__.insert()
        report = {"assignment_id": task_id, "text": "Cùng lúc.", "percent": 10}
        engine = db.engine
        higher = engine.connect()
        transaction = higher.begin()
        higher.execute(insert, [dict(report, id=top + 2, created_at=later)])  # holds the task's row
        failures = []

        def lower_id():
            try:
                with engine.begin() as lower:
                    lower.execute(insert, [dict(report, id=top + 1, created_at=earlier)])
            except Exception as error:  # noqa: BLE001 — reported below
                failures.append(error)

        worker = threading.Thread(target=lower_id)
        worker.start()
        worker.join(0.5)  # waiting on the first transaction (PostgreSQL), or on its write lock (SQLite)
        transaction.commit()
        higher.close()
        worker.join(20)
        assert not worker.is_alive() and not failures, failures
        kept = db.session.scalar(select(Assignment.last_report_at).where(Assignment.id == task_id))
    assert kept == later


def test_whether_a_unit_has_reported_reads_no_report(app, users, reporting):
    """Reporting completeness looks up no report per task: the time of each task's latest
    report is on the task (last_report_at), so its statements never read progress_reports."""
    from sqlalchemy import event

    with app.test_request_context():
        leader = db.session.get(User, users["leader"].id)
        scope = services.Scope(periods.Period(periods.CUSTOM, days(-60), days(0), days(0)))
        statements = []

        def record(_conn, _cursor, statement, _parameters, _context, _many):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            table = services.reporting_completeness(leader, scope, 5)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert table.rows and any(row.missing for row in table.rows) and any(row.reported for row in table.rows)
    assert not [s for s in statements if "progress_reports" in s]
