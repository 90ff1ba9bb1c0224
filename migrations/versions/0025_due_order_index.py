"""perf: the assignments list's order from an index

Revision ID: 0025_due_order
Revises: 0024_feedback_index
Create Date: 2026-12-07 07:40:00

The assignments list and the overdue queue order tasks by the deadline in force (none last),
then directive, unit and id. Without an index in that order PostgreSQL sorted every open or
overdue task to show the first page: 318 ms for the overdue queue's first eight at scale 25
(127,000 overdue tasks), the list 8× slower than at scale 1. With (coalesce(extended_deadline,
original_deadline), directive_id) it walks the index and sorts only the ties by unit: 0.4 ms.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_due_order'
down_revision = '0024_feedback_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_assignments_due_order', 'assignments',
        [sa.text('coalesce(extended_deadline, original_deadline)'), sa.text('directive_id')], unique=False,
    )


def downgrade():
    op.drop_index('ix_assignments_due_order', table_name='assignments')
