"""Work handed down inside a unit (issue 18, part 2): each account's place in its unit, the
unit's approval setting, delegations and their drafts

Revision ID: 0020_delegation
Revises: 0019_import_source
Create Date: 2026-12-07 06:30:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_delegation'
down_revision = '0019_import_source'
branch_labels = None
depends_on = None


# Existing accounts become officers and no unit has a head: every unit keeps working as a whole,
# exactly as before, until the admin designates its head.


def upgrade():
    op.add_column('users', sa.Column('unit_role', sa.String(length=10), nullable=False, server_default='officer'))
    op.add_column('units', sa.Column('drafts_need_approval', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_table(
        'delegations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=True),
        sa.Column('assignment_id', sa.Integer(), nullable=True),
        sa.Column('officer_id', sa.Integer(), nullable=True),
        sa.Column('internal_deadline', sa.Date(), nullable=True),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('returned_note', sa.Text(), nullable=True),
        sa.Column('assigned_by_id', sa.Integer(), nullable=True),
        sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('(proposal_id IS NULL) <> (assignment_id IS NULL)', name='delegation_one_item'),
        sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id']),
        sa.ForeignKeyConstraint(['officer_id'], ['users.id']),
        sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('assignment_id'),
        sa.UniqueConstraint('unit_id', 'proposal_id', name='uq_delegations_unit_proposal'),
    )
    op.create_index('ix_delegations_officer_id', 'delegations', ['officer_id'])
    op.create_index('ix_delegations_unit_state', 'delegations', ['unit_id', 'state'])
    op.create_table(
        'delegation_co_officers',
        sa.Column('delegation_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('delegation_id', 'user_id'),
    )
    op.create_index('ix_delegation_co_officers_user_id', 'delegation_co_officers', ['user_id'])
    op.create_table(
        'delegation_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('delegation_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=True),
        sa.Column('planned_on', sa.Date(), nullable=True),
        sa.Column('percent', sa.Integer(), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['users.id']),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['delegation_id'], ['delegations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_delegation_drafts_delegation_id', 'delegation_drafts', ['delegation_id'])


def downgrade():
    op.drop_index('ix_delegation_drafts_delegation_id', table_name='delegation_drafts')
    op.drop_table('delegation_drafts')
    op.drop_index('ix_delegation_co_officers_user_id', table_name='delegation_co_officers')
    op.drop_table('delegation_co_officers')
    op.drop_index('ix_delegations_unit_state', table_name='delegations')
    op.drop_index('ix_delegations_officer_id', table_name='delegations')
    op.drop_table('delegations')
    op.execute('ALTER TABLE units DROP COLUMN drafts_need_approval')
    op.execute('ALTER TABLE users DROP COLUMN unit_role')
