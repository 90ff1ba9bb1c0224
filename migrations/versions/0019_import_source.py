"""import_batch_id on proposal, directive and assignment events: the timeline links the file an item was imported from

Revision ID: 0019_import_source
Revises: 0018_figures
Create Date: 2026-12-07 06:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_import_source'
down_revision = '0018_figures'
branch_labels = None
depends_on = None

TABLES = ('proposal_events', 'directive_events', 'assignment_events')

# Plain ALTER TABLE on both databases, as 0014 does: the batch is referred to by id only
# (the file itself is an attachment owned by the batch), no foreign key to add to SQLite.


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column('import_batch_id', sa.Integer(), nullable=True))


def downgrade():
    for table in TABLES:
        op.execute(f'ALTER TABLE {table} DROP COLUMN import_batch_id')
