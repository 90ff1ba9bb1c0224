"""perf: the assignments list's order from an index, selective views planned apart

Revision ID: 0027_growth
Revises: 0026_dashindex
Create Date: 2026-12-07 09:40:00

The assignments list and the overdue queue order tasks by the deadline in force (none last),
then directive, unit and id. Without an index in that order PostgreSQL sorted every open or
overdue task of the province to show a page (the list 5-8x slower at scale 25 than at scale 1).
With (coalesce(extended_deadline, original_deadline), directive_id) it walks the index and stops.
Selective views (a unit's tasks, a search, the pending extension requests) pick their few rows
first so that they do not walk it (app/directives/lists.py, _ordered_base).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027_growth'
down_revision = '0026_dashindex'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_assignments_due_order', 'assignments',
        [sa.text('coalesce(extended_deadline, original_deadline)'), sa.text('directive_id')], unique=False,
    )


def downgrade():
    op.drop_index('ix_assignments_due_order', table_name='assignments')
