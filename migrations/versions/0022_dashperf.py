"""dashperf: three indexes widened so that the dashboard's grouped counts read no table rows

Revision ID: 0022_dashperf
Revises: 0020_delegation
Create Date: 2026-12-07 06:40:00

Each index keeps its leading columns, which the lists and queues read; the columns added
after them let the dashboard count from the index alone:
- ix_proposals_sent (sent_at, id, ...): a period's proposals by state, field, lead department
  and answer timeliness, and their days to answer;
- ix_assignments_unit_state (..., completed_on, created_at): the tasks followed in a period,
  per unit and status;
- ix_progress_reports_assignment_id (assignment_id, id, created_at): each working task's
  latest report date (has it reported in the period).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022_dashperf'
down_revision = '0020_delegation'
branch_labels = None
depends_on = None

# (table, index, columns before, columns after)
INDEXES = [
    ('proposals', 'ix_proposals_sent', ['sent_at', 'id'],
     ['sent_at', 'id', 'state', 'field_id', 'lead_unit_id', 'commune_unit_id', 'answer_deadline', 'answered_on',
      'assigned_at']),
    ('assignments', 'ix_assignments_unit_state',
     ['unit_id', 'state', 'original_deadline', 'extended_deadline', 'directive_id', 'id'],
     ['unit_id', 'state', 'original_deadline', 'extended_deadline', 'directive_id', 'id', 'completed_on', 'created_at']),
    ('progress_reports', 'ix_progress_reports_assignment_id', ['assignment_id'], ['assignment_id', 'id', 'created_at']),
]


def _replace(new: bool) -> None:
    for table, name, old_columns, new_columns in INDEXES:
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            batch_op.drop_index(name)
            batch_op.create_index(name, new_columns if new else old_columns, unique=False)


def upgrade():
    _replace(new=True)


def downgrade():
    _replace(new=False)
