"""perf: assignments by state and the deadline in force, for the overdue queue

Revision ID: 0008_state_deadline
Revises: 0007_perf_indexes
Create Date: 2026-11-28 09:45:00

An expression index on coalesce(extended_deadline, original_deadline) (directives.services.
deadline_sql), after the state: the leader's and coordinator's overdue queue read every open
task of every unit through ix_assignments_unit_state, then its directive, to keep the ~5,000
past their deadline (scale 1); with this index it reads those alone.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_state_deadline'
down_revision = '0007_perf_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_assignments_state_deadline', 'assignments',
        [sa.text('state'), sa.text('coalesce(extended_deadline, original_deadline)')], unique=False,
    )


def downgrade():
    op.drop_index('ix_assignments_state_deadline', table_name='assignments')
