"""perf: the office's "chưa đồng ý" queue from an index

Revision ID: 0024_feedback_index
Revises: 0022_dashperf
Create Date: 2026-12-07 06:45:00

The coordinator's home counts and lists the answers a commune disagrees with (feedback
'disagree', answered, or closed before the commune's word came). Without an index on the
feedback the planner read every closed proposal's row: 66 ms of the home page's 100 ms of SQL
at scale 1 on SQLite, growing with the data. (feedback, state, feedback_at, closed_at) answers
the count from the index and ranks the first rows by feedback_at.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024_feedback_index'
down_revision = '0022_dashperf'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposals', schema=None, recreate='never') as batch_op:
        batch_op.create_index('ix_proposals_feedback', ['feedback', 'state', 'feedback_at', 'closed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('proposals', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_proposals_feedback')
