"""demo mark: taken back from databases that hold real accounts

Revision ID: 0012_demo_mark
Revises: 0011_session_version
Create Date: 2026-12-03 10:00:00

Before this revision `flask demo --force` added the demo accounts to a database with real
accounts and marked it a demo database. The mark now puts the site in demo mode (the demo
accounts log in, with their published password), so it stays only where every account is a
demo account or the `admin` that `flask setup` made; elsewhere it is deleted, and the demo
accounts there are refused at login.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012_demo_mark'
down_revision = '0011_session_version'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "DELETE FROM settings WHERE key = 'demo_database' AND EXISTS "
        "(SELECT 1 FROM users WHERE is_demo = false AND username <> 'admin')"
    )


def downgrade():
    pass  # the mark of a mixed database is not put back
