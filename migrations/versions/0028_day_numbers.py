"""day numbers: deadlines, completions and answers as integer days, for the dashboard's counts

Revision ID: 0028_day_numbers
Revises: 0027_growth
Create Date: 2026-12-07 13:40:00

Generated columns (app/local_days.py: days since 01/01/1970), VIRTUAL on SQLite (the only kind
ALTER TABLE can add there) and STORED on PostgreSQL:
- assignments.due_day (the deadline in force) and done_day (completed_on): statuses in SQL
  (directives.rollups.status_key_sql) compare integers instead of ISO texts through coalesce;
- proposals.answer_day and assigned_day (the province's day of assigned_at): the days to
  answer without julianday on every row.
Indexes: ix_assignments_unit_days (unit_id, state, due_day, done_day, completed_on, created_at)
takes over the dashboard's per-unit count from ix_assignments_unit_state, which loses the two
dates it carried for it; ix_proposals_sent carries the day numbers instead of assigned_at;
ix_assignments_directive_state (directive_id, state, id) gains the deadlines and the two dates,
so that the directives with the most tasks overdue are counted from it alone.

The expressions are written out here, not taken from the models, so that this revision stays
what it was whatever the models become.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028_day_numbers'
down_revision = '0027_growth'
branch_labels = None
depends_on = None

SQLITE = {
    'date': "CAST(julianday({0}) - 2440587.5 AS INTEGER)",
    'moment': "CAST(julianday(date(substr({0}, 1, 19), '+25200 seconds')) - 2440587.5 AS INTEGER)",
}
POSTGRESQL = {
    'date': "({0} - DATE '1970-01-01')",
    'moment': "(CAST(timezone('Asia/Ho_Chi_Minh', {0}) AS DATE) - DATE '1970-01-01')",
}
COLUMNS = {
    'assignments': [
        ('due_day', 'date', 'coalesce(extended_deadline, original_deadline)'),
        ('done_day', 'date', 'completed_on'),
    ],
    'proposals': [
        ('answer_day', 'date', 'answered_on'),
        ('assigned_day', 'moment', 'assigned_at'),
    ],
}
OLD_SENT = ['sent_at', 'id', 'state', 'field_id', 'lead_unit_id', 'commune_unit_id', 'answer_deadline',
            'answered_on', 'assigned_at']
NEW_SENT = ['sent_at', 'id', 'state', 'field_id', 'lead_unit_id', 'commune_unit_id', 'answer_deadline',
            'answered_on', 'answer_day', 'assigned_day']
OLD_UNIT = ['unit_id', 'state', 'original_deadline', 'extended_deadline', 'directive_id', 'id',
            'completed_on', 'created_at']
NEW_UNIT = OLD_UNIT[:6]
UNIT_DAYS = ['unit_id', 'state', 'due_day', 'done_day', 'completed_on', 'created_at']
OLD_DIRECTIVE = ['directive_id', 'state', 'id']
NEW_DIRECTIVE = OLD_DIRECTIVE + ['original_deadline', 'extended_deadline', 'completed_on', 'created_at']


def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    forms = SQLITE if sqlite else POSTGRESQL
    for table, columns in COLUMNS.items():
        for name, kind, source in columns:
            # SQLite: no keyword, its default kind (VIRTUAL); PostgreSQL: STORED, the kind it indexes.
            computed = sa.Computed(forms[kind].format(source), persisted=None if sqlite else True)
            op.add_column(table, sa.Column(name, sa.Integer(), computed))
    op.drop_index('ix_proposals_sent', table_name='proposals')
    op.create_index('ix_proposals_sent', 'proposals', NEW_SENT, unique=False)
    op.drop_index('ix_assignments_unit_state', table_name='assignments')
    op.create_index('ix_assignments_unit_state', 'assignments', NEW_UNIT, unique=False)
    op.create_index('ix_assignments_unit_days', 'assignments', UNIT_DAYS, unique=False)
    op.drop_index('ix_assignments_directive_state', table_name='assignments')
    op.create_index('ix_assignments_directive_state', 'assignments', NEW_DIRECTIVE, unique=False)
    if sqlite:
        # SQLite plans with the statistics ANALYZE stored (see 0026_dashindex).
        op.execute('ANALYZE assignments')
        op.execute('ANALYZE proposals')


def downgrade():
    op.drop_index('ix_assignments_directive_state', table_name='assignments')
    op.create_index('ix_assignments_directive_state', 'assignments', OLD_DIRECTIVE, unique=False)
    op.drop_index('ix_assignments_unit_days', table_name='assignments')
    op.drop_index('ix_assignments_unit_state', table_name='assignments')
    op.create_index('ix_assignments_unit_state', 'assignments', OLD_UNIT, unique=False)
    op.drop_index('ix_proposals_sent', table_name='proposals')
    op.create_index('ix_proposals_sent', 'proposals', OLD_SENT, unique=False)
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            for name, _kind, _source in reversed(columns):
                batch_op.drop_column(name)
