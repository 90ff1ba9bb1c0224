"""forms: form_submissions (a create form's key and what it made, so that sending it twice
makes one) and saved_lists (a user's last filters per list, and named lists)

Revision ID: 0016_forms
Revises: 0015_api
Create Date: 2026-12-07 03:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_forms'
down_revision = '0015_api'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'form_submissions',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('target_url', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_submissions_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_form_submissions')),
    )
    op.create_index(op.f('ix_form_submissions_user_id'), 'form_submissions', ['user_id'], unique=False)
    op.create_table(
        'saved_lists',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('list_key', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=True),
        sa.Column('query', sa.String(length=2000), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_lists_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_lists')),
    )
    op.create_index('ix_saved_lists_user_list', 'saved_lists', ['user_id', 'list_key'], unique=False)


def downgrade():
    op.drop_index('ix_saved_lists_user_list', table_name='saved_lists')
    op.drop_table('saved_lists')
    op.drop_index(op.f('ix_form_submissions_user_id'), table_name='form_submissions')
    op.drop_table('form_submissions')
