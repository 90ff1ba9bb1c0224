"""`flask bench-data` at a small scale: every state and status class, timelines that match the
states, accounts that log in. (Its speed is measured by bench/run.py, not here.)"""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.benchdata.generator import BENCH_ACCOUNTS, BENCH_PASSWORD, BenchDataError, generate
from app.directives import services as directive_services
from app.directives import status
from app.directives.models import Assignment, ExtensionRequest, ProgressReport
from app.extensions import db
from app.proposals import workflow
from app.proposals.models import Proposal, ProposalEvent

TODAY = date(2026, 11, 28)


@pytest.fixture
def generated(app):
    with app.app_context():
        counts = generate(0.04, seed=3, today=TODAY, log=lambda message: None)
    return counts


def test_every_state_and_status_class_is_present(app, generated):
    assert generated["proposals"] == 800 and generated["directives"] == 120
    with app.app_context():
        states = set(db.session.scalars(select(Proposal.state).distinct()))
        outcomes = set(db.session.scalars(select(Proposal.answer_outcome).distinct())) - {None}
        key = directive_services.status_key_sql(TODAY).label("key")
        keys = set(db.session.scalars(select(select(key).subquery().c.key).distinct()))
        extensions = set(db.session.scalars(select(ExtensionRequest.state).distinct()))
        reports = db.session.scalar(select(func.count()).select_from(ProgressReport))
    assert states == set(workflow.STATES)
    assert outcomes == set(workflow.OUTCOMES)
    assert keys == set(status.ALL_KEYS)
    assert {"approved", "refused"} <= extensions
    assert reports > 2000


def test_timelines_match_states(app, generated):
    with app.app_context():
        events: dict[int, list[ProposalEvent]] = {}
        query = select(ProposalEvent).order_by(ProposalEvent.proposal_id, ProposalEvent.id)
        for event in db.session.scalars(query):
            events.setdefault(event.proposal_id, []).append(event)
        for proposal in db.session.scalars(select(Proposal)):
            timeline = events[proposal.id]
            assert timeline[0].action == "create"
            assert [e.to_state for e in timeline if e.to_state][-1] == proposal.state
            assert all(a.created_at <= b.created_at for a, b in zip(timeline, timeline[1:], strict=False))
            assert proposal.sent_at == (proposal.submitted_at or proposal.created_at)
            if proposal.state in (workflow.ANSWERED, workflow.CLOSED):
                assert proposal.answered_at is not None and proposal.lead_unit_id is not None
            if proposal.state == workflow.DRAFT:
                assert proposal.submitted_at is None
        done = db.session.scalars(select(Assignment).where(Assignment.state == "done"))
        assert all(a.completed_on is not None and a.completed_on <= TODAY for a in done)


def test_each_task_has_its_latest_reports_time(app, generated):
    """The loader writes last_report_at with each task (the trigger then has nothing to do); it is
    the time of the task's report with the highest id, as the trigger would have set it."""
    with app.app_context():
        latest = (select(ProgressReport.created_at).where(ProgressReport.assignment_id == Assignment.id)
                  .order_by(ProgressReport.id.desc()).limit(1).scalar_subquery())
        rows = db.session.execute(select(Assignment.last_report_at, latest)).all()
    assert sum(1 for kept, _latest in rows if kept is not None) > 100
    assert all(kept == latest_time for kept, latest_time in rows)


def test_bench_accounts_log_in(app, generated, client):
    for username in BENCH_ACCOUNTS:
        response = client.post("/login", data={"username": username, "password": BENCH_PASSWORD})
        assert response.status_code == 303, username
        client.post("/logout")


def test_refuses_a_database_with_data(app, generated):
    with app.app_context(), pytest.raises(BenchDataError):
        generate(0.01, seed=3, today=TODAY, log=lambda message: None)
