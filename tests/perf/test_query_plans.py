"""The office's "chưa đồng ý" queue can be read from ix_proposals_disagreed, the partial index of
exactly its rows, on both databases: the query writes the index's values into its SQL, so each
planner can prove the index holds every row it asks for. Which plan a planner then prefers
depends on the data's statistics (docs/performance.md has the plans at scale 1 and 25); here each
is made to show that it can (SQLite: INDEXED BY fails when the index cannot answer the query;
PostgreSQL: with sequential and bitmap scans off it still must find an index path)."""

import pytest
from sqlalchemy import func, select

from app import clock
from app.directives import services as directives
from app.directives import status
from app.extensions import db
from app.models import User
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


# --- the assignments list's order index (ix_assignments_due_order) -------------------------------
#
# Views holding a large share of the province's tasks walk the index in the list's order and stop
# after a page; selective views must never walk it (the extension-request queue: 1 s at scale 25
# when it did), so they pick their rows in a MATERIALIZED CTE and sort those by the deadline the
# CTE carries, an order no index gives (directives.lists._ordered_base). Each test pushes the
# planner towards ordered paths (PostgreSQL: sorting, sequential and bitmap scans off; SQLite: the
# index forced with INDEXED BY) and checks what it can and cannot do.

WIDE = [{}, {"status": status.OPEN_OVERDUE}, {"status": "all"}]
SELECTIVE = [{"status": "extension"}, {"unit_id": "unit"}, {"q": "kiện toàn"}, {"status": "extension", "q": "bộ máy"}]


def _first_page(app, users, key, filters):
    """SQL (values written in) of the first page of the assignments list for filters."""
    with app.app_context():
        user = db.session.get(User, users[key].id)
        if filters.get("unit_id") == "unit":
            filters = {**filters, "unit_id": users["commune_a"].unit_id}
        query = directives.search_assignments(user, filters, clock.today()).limit(26)
        return str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))


def _pushed_plan(sql: str, sqlite_index: str | None = None) -> str:
    if db.engine.dialect.name == "sqlite":
        if sqlite_index:
            sql = sql.replace("FROM assignments", f"FROM assignments INDEXED BY {sqlite_index}", 1)
        return _plan(f"QUERY PLAN {sql}")
    for setting in ("enable_sort", "enable_seqscan", "enable_bitmapscan"):
        db.session.execute(db.text(f"SET LOCAL {setting} = off"))
    return _plan(sql)


@pytest.mark.parametrize("filters", WIDE, ids=lambda f: f.get("status", "open"))
def test_a_wide_view_walks_the_order_index(app, users, filters):
    sql = _first_page(app, users, "coordinator", filters)
    with app.app_context():
        plan = _pushed_plan(sql, "ix_assignments_due_order")
        db.session.rollback()
    assert "ix_assignments_due_order" in plan, plan
    # The deadline (and directive) come in order from the index: at most the units' tie is sorted.
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
    assert "Sort Key: (COALESCE" not in plan or "Presorted Key: (COALESCE" in plan, plan


@pytest.mark.parametrize("key, filters", [("coordinator", f) for f in SELECTIVE] + [("commune_a", {}), ("department", {"status": "due_soon"})],
                         ids=lambda v: v if isinstance(v, str) else "+".join(f"{k}" for k in v) or "open")
def test_a_selective_view_sorts_its_picked_rows_and_never_walks_the_order_index(app, users, key, filters):
    sql = _first_page(app, users, key, filters)
    assert "MATERIALIZED" in sql
    with app.app_context():
        plan = _pushed_plan(sql)
        db.session.rollback()
        dialect = db.engine.dialect.name
    if dialect == "sqlite":
        assert "MATERIALIZE picked" in plan, plan
        assert "USE TEMP B-TREE FOR ORDER BY" in plan, plan  # the whole order sorted, nothing walked
        assert "SCAN assignments USING INDEX ix_assignments_due_order" not in plan, plan
    else:
        assert "CTE picked" in plan, plan
        assert "Sort Key: picked.deadline" in plan, plan  # even with sorting "off": no index gives it
        # The CTE may read the index for a range of deadlines (due soon); nothing else may read it.
        assert "ix_assignments_due_order" not in _outside_cte(plan), plan


def _outside_cte(plan: str) -> str:
    """A PostgreSQL plan (lines joined by " | ") without the subtree of its CTE."""
    kept, cte_depth = [], None
    for line in plan.split(" | "):
        depth = len(line) - len(line.lstrip())
        if cte_depth is not None and depth > cte_depth:
            continue
        cte_depth = depth if line.strip().startswith("CTE picked") else None
        kept.append(line)
    return " | ".join(kept)
