"""The office's "chưa đồng ý" queue can be read from ix_proposals_disagreed, the partial index of
exactly its rows, on both databases: the query writes the index's values into its SQL, so each
planner can prove the index holds every row it asks for. Which plan a planner then prefers
depends on the data's statistics (docs/performance.md has the plans at scale 1 and 25); here each
is made to show that it can (SQLite: INDEXED BY fails when the index cannot answer the query;
PostgreSQL: with sequential and bitmap scans off it still must find an index path)."""

from sqlalchemy import func, select

from app.extensions import db
from app.proposals.models import Proposal, disagreed_clause


def _queries():
    count = select(func.count()).select_from(Proposal).where(disagreed_clause())
    first = select(Proposal.id).where(disagreed_clause()).order_by(Proposal.feedback_at, Proposal.id).limit(10)
    return count, first


def _plan(sql: str) -> str:
    return " | ".join(str(row[-1]) for row in db.session.execute(db.text(f"EXPLAIN {sql}")))


def test_the_disagreed_queue_can_be_read_from_its_partial_index(app):
    with app.app_context():
        for query in _queries():
            sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
            if db.engine.dialect.name == "sqlite":
                forced = sql.replace("FROM proposals", "FROM proposals INDEXED BY ix_proposals_disagreed", 1)
                plan = _plan(f"QUERY PLAN {forced}")  # "no query solution" if the index cannot serve
            else:
                db.session.execute(db.text("SET LOCAL enable_seqscan = off"))
                db.session.execute(db.text("SET LOCAL enable_bitmapscan = off"))
                plan = _plan(sql)
            assert "ix_proposals_disagreed" in plan, plan
            db.session.rollback()
