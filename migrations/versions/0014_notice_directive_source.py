"""directives.notice_attachment_id and notice_item: the conclusion notice a directive was read from

Revision ID: 0014_notice
Revises: 0013_unit_version
Create Date: 2026-12-07 03:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_notice'
down_revision = '0013_unit_version'
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both databases, as 0013 does. The attachment is referred to by id only,
# like every owner of attachments (owner_type, owner_id): no foreign key to add to SQLite.


def upgrade():
    op.add_column('directives', sa.Column('notice_attachment_id', sa.Integer(), nullable=True))
    op.add_column('directives', sa.Column('notice_item', sa.String(length=40), nullable=True))
    op.create_index('ix_directives_notice_attachment_id', 'directives', ['notice_attachment_id'])


def downgrade():
    op.drop_index('ix_directives_notice_attachment_id', table_name='directives')
    op.execute('ALTER TABLE directives DROP COLUMN notice_item')
    op.execute('ALTER TABLE directives DROP COLUMN notice_attachment_id')
