"""days_off.kind: the admin's calendar records make-up working days and cancelled holidays too

Revision ID: 0018_figures
Revises: 0017_documents
Create Date: 2026-12-07 03:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_figures'
down_revision = '0017_documents'
branch_labels = None
depends_on = None


# Every row written before this was a day off. Plain ALTER TABLE on both databases (SQLite
# 3.35+ drops columns itself).


def upgrade():
    op.add_column('days_off', sa.Column('kind', sa.String(length=20), nullable=False, server_default='day_off'))


def downgrade():
    op.execute("DELETE FROM days_off WHERE kind <> 'day_off'")
    op.execute('ALTER TABLE days_off DROP COLUMN kind')
