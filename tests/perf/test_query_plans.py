"""The home queues that grow with the years read an index, not every row (SQLite's plan; on
PostgreSQL the planner rightly scans the test database's few rows, so the plan says nothing)."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.proposals.lists import disagreed_clause
from app.proposals.models import Proposal


def _plan(query) -> str:
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    return " | ".join(row[-1] for row in db.session.execute(db.text(f"EXPLAIN QUERY PLAN {compiled}")))


def test_the_disagreed_queue_is_counted_and_ranked_from_its_index(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("query plans are checked on SQLite")
        count = select(func.count()).select_from(Proposal).where(disagreed_clause())
        first = select(Proposal.id).where(disagreed_clause()).order_by(Proposal.feedback_at, Proposal.id).limit(10)
        for query in (count, first):
            plan = _plan(query)
            assert "ix_proposals_feedback" in plan, plan
