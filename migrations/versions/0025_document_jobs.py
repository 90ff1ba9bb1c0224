"""document_jobs: documents built in the background, their progress and their cached files

Revision ID: 0025_document_jobs
Revises: 0024_feedback_index
Create Date: 2026-12-07 06:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_document_jobs'
down_revision = '0024_feedback_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'document_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('parameters', sa.JSON(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('step', sa.String(length=200), nullable=False),
        sa.Column('cache_key', sa.String(length=64), nullable=False),
        sa.Column('file_path', sa.String(length=500), nullable=True),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('mime', sa.String(length=120), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('worker_host', sa.String(length=255), nullable=True),
        sa.Column('worker_pid', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_document_jobs_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_jobs')),
    )
    op.create_index(op.f('ix_document_jobs_user_id'), 'document_jobs', ['user_id'])
    op.create_index(op.f('ix_document_jobs_state'), 'document_jobs', ['state'])
    op.create_index(op.f('ix_document_jobs_cache_key'), 'document_jobs', ['cache_key'])


def downgrade():
    op.drop_table('document_jobs')
