"""last report: each task keeps when its latest progress report was sent

Revision ID: 0029_last_report
Revises: 0028_day_numbers
Create Date: 2026-12-07 16:20:00

assignments.last_report_at: the created_at of the task's latest report (the highest id), kept by
a trigger on progress_reports whoever writes the report (the site, the demo, the benchmark's bulk
loader, a restore). Whether a unit has reported in a period (directives.reported_sql, the
dashboard's reporting completeness) reads this column instead of looking the latest report up for
every task, up to four times a task. Reports are never edited or deleted, so an insert is the only
event that moves it. ix_assignments_directive_state carries it, so the units that have not
reported are counted from the index alone.

Written out here rather than taken from the models, so that this revision stays what it was.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029_last_report'
down_revision = '0028_day_numbers'
branch_labels = None
depends_on = None

OLD_DIRECTIVE = ['directive_id', 'state', 'id', 'original_deadline', 'extended_deadline', 'completed_on',
                 'created_at']
NEW_DIRECTIVE = OLD_DIRECTIVE + ['last_report_at']
# Each assignment's latest report (the highest id): when it was sent.
BACKFILL = """
UPDATE assignments SET last_report_at = (
    SELECT created_at FROM progress_reports WHERE assignment_id = assignments.id ORDER BY id DESC LIMIT 1)
"""
# Set when the report inserted is the assignment's latest (no higher id yet) and the value differs:
# a loader that writes the value with the assignment and its reports newest first (the
# benchmark's) makes the trigger write nothing.
SQLITE_TRIGGER = """
CREATE TRIGGER progress_reports_last_report AFTER INSERT ON progress_reports
BEGIN
    UPDATE assignments SET last_report_at = NEW.created_at
    WHERE id = NEW.assignment_id AND last_report_at IS NOT NEW.created_at
      AND NOT EXISTS (SELECT 1 FROM progress_reports AS later
                      WHERE later.assignment_id = NEW.assignment_id AND later.id > NEW.id);
END
"""
# Once per statement over the rows it inserted (a COPY of 20,000 reports is one UPDATE, not
# 20,000), each assignment touched once and only when its value changes: updating a row on
# PostgreSQL writes a new version of it, and a bulk load row by row doubled the table. The
# assignments are locked first, so that the UPDATE, a statement of its own, looks for the latest
# report once another transaction adding one to the same task has committed: two reports sent at
# once keep the one with the higher id, whichever trigger runs first.
POSTGRESQL_FUNCTION = """
CREATE FUNCTION progress_reports_last_report() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM assignments WHERE id IN (SELECT assignment_id FROM inserted_reports) ORDER BY id FOR UPDATE;
    UPDATE assignments SET last_report_at = latest.created_at
    FROM (SELECT DISTINCT ON (r.assignment_id) r.assignment_id, r.created_at
          FROM progress_reports AS r
          WHERE r.assignment_id IN (SELECT assignment_id FROM inserted_reports)
          ORDER BY r.assignment_id, r.id DESC) AS latest
    WHERE assignments.id = latest.assignment_id
      AND assignments.last_report_at IS DISTINCT FROM latest.created_at;
    RETURN NULL;
END
$$
"""
POSTGRESQL_TRIGGER = """
CREATE TRIGGER progress_reports_last_report AFTER INSERT ON progress_reports
REFERENCING NEW TABLE AS inserted_reports
FOR EACH STATEMENT EXECUTE FUNCTION progress_reports_last_report()
"""


def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.add_column('assignments', sa.Column('last_report_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(BACKFILL)
    if sqlite:
        op.execute(SQLITE_TRIGGER)
    else:
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(POSTGRESQL_TRIGGER)
    op.drop_index('ix_assignments_directive_state', table_name='assignments')
    op.create_index('ix_assignments_directive_state', 'assignments', NEW_DIRECTIVE, unique=False)
    if sqlite:
        op.execute('ANALYZE assignments')


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.drop_index('ix_assignments_directive_state', table_name='assignments')
    op.create_index('ix_assignments_directive_state', 'assignments', OLD_DIRECTIVE, unique=False)
    op.execute('DROP TRIGGER progress_reports_last_report' + ('' if sqlite else ' ON progress_reports'))
    if not sqlite:
        op.execute('DROP FUNCTION progress_reports_last_report()')
    with op.batch_alter_table('assignments', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('last_report_at')
