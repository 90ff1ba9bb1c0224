"""units.doc_*: each unit's printed header (superior line, name, number symbol, place, signer,
layout, body it drafts for), seeded by `flask setup` and editable by admins

Revision ID: 0017_documents
Revises: 0016_forms
Create Date: 2026-12-07 03:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_documents'
down_revision = '0016_forms'
branch_labels = None
depends_on = None

COLUMNS = (
    ('doc_superior', 200), ('doc_name', 300), ('doc_abbr', 40), ('doc_place', 100), ('doc_signer', 200),
    ('doc_layout', 10), ('doc_drafts_for', 32),
)


# Plain ALTER TABLE on both databases, as 0013 does (a batch copy of units is refused by SQLite's
# foreign keys). Existing units get their header data from the next `flask setup`; until then the
# defaults by kind apply.


def upgrade():
    for name, length in COLUMNS:
        op.add_column('units', sa.Column(name, sa.String(length=length), nullable=True))


def downgrade():
    for name, _length in reversed(COLUMNS):
        op.execute(f'ALTER TABLE units DROP COLUMN {name}')
