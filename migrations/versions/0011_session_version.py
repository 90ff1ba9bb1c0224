"""users.session_version: part of each session's user id, raised to end every session

Revision ID: 0011_session_version
Revises: 0010_clean_folded_text
Create Date: 2026-12-03 09:00:00

Logout, a new password (changed or reset) and disabling an account raise it; a session
whose version differs is no longer accepted. Sessions made before this revision carry a
bare id and are asked to log in again once.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_session_version'
down_revision = '0010_clean_folded_text'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
