"""dashperf: ix_proposals_sent covers the dashboard's grouped count of a period's proposals

Revision ID: 0022_dashperf
Revises: 0018_figures
Create Date: 2026-12-07 06:40:00

The index keeps its leading (sent_at, id), which the lists' keyset pages read; the columns
added after them let the dashboard group a period's proposals by state, field, lead
department and answer timeliness, and sum their days to answer, from the index alone.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022_dashperf'
down_revision = '0018_figures'
branch_labels = None
depends_on = None

COVERS = ['state', 'field_id', 'lead_unit_id', 'commune_unit_id', 'answer_deadline', 'answered_on', 'assigned_at']


def upgrade():
    with op.batch_alter_table('proposals', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_proposals_sent')
        batch_op.create_index('ix_proposals_sent', ['sent_at', 'id', *COVERS], unique=False)


def downgrade():
    with op.batch_alter_table('proposals', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_proposals_sent')
        batch_op.create_index('ix_proposals_sent', ['sent_at', 'id'], unique=False)
