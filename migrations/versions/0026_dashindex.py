"""dashindex: a directive's tasks by state, and tasks by state and completion date, from an index

Revision ID: 0026_dashindex
Revises: 0025_document_jobs
Create Date: 2026-12-07 09:50:00

- ix_assignments_directive_state (directive_id, state, id): the units still working on a
  directive (the dashboard's reporting completeness, a directive's counts) read from the index,
  not each task's row for its state (the unique (directive_id, unit_id) holds no state);
- ix_assignments_state (state) becomes ix_assignments_state_completed (state, completed_on,
  created_at, directive_id): the same lookups by state; the tasks completed in a span (the
  trends' "completed" series); and the directives with an open task followed in a period (the
  dashboard's reporting completeness), each without reading the tasks' rows.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0026_dashindex'
down_revision = '0025_document_jobs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignments', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_assignments_state')
        batch_op.create_index('ix_assignments_state_completed', ['state', 'completed_on', 'created_at', 'directive_id'],
                               unique=False)
        batch_op.create_index('ix_assignments_directive_state', ['directive_id', 'state', 'id'], unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite plans with the statistics ANALYZE stored, and it has none yet for the new
        # indexes (PostgreSQL's come from the table's, kept by autovacuum).
        op.execute('ANALYZE assignments')


def downgrade():
    with op.batch_alter_table('assignments', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_assignments_directive_state')
        batch_op.drop_index('ix_assignments_state_completed')
        batch_op.create_index('ix_assignments_state', ['state'], unique=False)
