"""perf: the office's "chưa đồng ý" queue from an index of exactly its rows

Revision ID: 0024_feedback_index
Revises: 0022_dashperf
Create Date: 2026-12-07 07:35:00

The coordinator's home counts and lists the answers a commune disagrees with (feedback
'disagree', answered, or closed before the commune's word came: proposals.models.
disagreed_clause). Without an index the planner read every closed proposal's row: 66 ms of
the home page's 100 ms of SQL at scale 1 on SQLite, 274 ms at scale 25 on PostgreSQL. A
partial index on (feedback_at, id) holding just those rows answers the count and the first
rows from the index alone (0.3 ms at scale 25).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024_feedback_index'
down_revision = '0022_dashperf'
branch_labels = None
depends_on = None

# As proposals.models.DISAGREED_SQL was when this was written.
WHERE = ("feedback = 'disagree' AND (state = 'answered' OR state = 'closed' AND feedback_at > closed_at)")


def upgrade():
    op.create_index('ix_proposals_disagreed', 'proposals', ['feedback_at', 'id'], unique=False,
                    sqlite_where=sa.text(WHERE), postgresql_where=sa.text(WHERE))


def downgrade():
    op.drop_index('ix_proposals_disagreed', table_name='proposals')
