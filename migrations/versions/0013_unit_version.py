"""units.version: an admin's edit of a unit is refused when someone changed it meanwhile

Revision ID: 0013_unit_version
Revises: 0012_demo_mark
Create Date: 2026-12-02 19:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_unit_version'
down_revision = '0012_demo_mark'
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both databases (SQLite 3.35+ drops columns itself): a batch copy of
# units would have to drop a table every user row refers to, which SQLite's foreign keys refuse.


def upgrade():
    op.add_column('units', sa.Column('version', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    op.execute('ALTER TABLE units DROP COLUMN version')
