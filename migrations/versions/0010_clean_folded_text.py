"""search keys: take control and invisible characters out of the folded columns

Revision ID: 0010_clean_folded_text
Revises: 0009_unit_queue_index
Create Date: 2026-12-02 18:00:00

Text typed before forms cleaned it may hold a zero-width space inside a word, a bidi
override, a bell character: its folded search key kept them, so searching the word as
written never found the row. app.text.fold now drops them; this brings the keys already
stored in line. Only rows holding one are read and written. The characters are listed here
as they were when this ran (a migration does not follow later changes to app.text); those
that str.split() counts as white space are already spaces in the keys. Nothing to undo.
"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_clean_folded_text'
down_revision = '0009_unit_queue_index'
branch_labels = None
depends_on = None

FOLDED = [
    ('units', 'name_folded'), ('users', 'full_name_folded'), ('fields', 'name_folded'),
    ('meetings', 'title_folded'), ('proposals', 'title_folded'), ('proposals', 'search_folded'),
    ('directives', 'search_folded'),
]
UNWANTED = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
    "\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
# The ones a folded key can still hold (PostgreSQL never stored a NUL).
SOUGHT = [chr(c) for c in range(0x01, 0xFFFF) if UNWANTED.match(chr(c)) and not chr(c).isspace()]


def upgrade():
    bind = op.get_bind()
    for table_name, column_name in FOLDED:
        table = sa.table(table_name, sa.column('id', sa.Integer), sa.column(column_name, sa.Text))
        column = table.c[column_name]
        holding = sa.or_(*(column.contains(ch, autoescape=True) for ch in SOUGHT))
        rows = bind.execute(sa.select(table.c.id, column).where(holding)).all()
        for row_id, value in rows:
            cleaned = " ".join(UNWANTED.sub("", value).split())
            bind.execute(sa.update(table).where(table.c.id == row_id).values({column_name: cleaned}))


def downgrade():
    pass
