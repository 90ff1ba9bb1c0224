"""Demo accounts and content drawn from the source article (Báo Gia Lai, 24-9-2025).

People are invented (no one named in the article appears); the article's conclusions and
figures are kept as it states them; everything else is an illustration (app/meetings/demo.py).

Each feature adds its content through DEMO_LOADERS; every loader is idempotent.
Every account made here is flagged is_demo and shares DEMO_PASSWORD (app.demo_mode).
"""

from collections.abc import Callable

from sqlalchemy import select

from app import policy
from app.admin import services as accounts
from app.delegation.demo import load_delegation_demo
from app.demo_mode import DEMO_PASSWORD
from app.directives.demo import load_directives_demo
from app.extensions import db
from app.models import Unit, User
from app.proposals.demo import load_demo_proposals

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "load_demo"]

# username, role, unit (code or exact name), full name
DEMO_ACCOUNTS = [
    ("xa.demo", policy.COMMUNE, "Xã Ia Boòng", "Rơ Châm Hiền"),
    ("xa2.demo", policy.COMMUNE, "Phường Pleiku", "Nguyễn Thị Lan"),
    ("so.demo", policy.DEPARTMENT, "SXD", "Trần Văn Minh"),
    ("so2.demo", policy.DEPARTMENT, "SNV", "Lê Thị Hoa"),
    ("vanphong.demo", policy.COORDINATOR, "TU-VP", "Phạm Quốc Khánh"),
    ("lanhdao.demo", policy.LEADER, "TU-VP", "Lê Minh Quang"),
    ("quantri.demo", policy.ADMIN, "UB-VP", "Đỗ Văn Tâm"),
]

# Feature loaders, called in order with the dict of demo users by username.
# The delegation demo comes last: it designates heads, after which officers no longer send directly.
DEMO_LOADERS: list[Callable[[dict[str, User]], None]] = [load_demo_proposals, load_directives_demo, load_delegation_demo]


def load_demo() -> list[User]:
    """Create the demo accounts and content; running it again adds nothing twice.

    Only `flask demo` calls it, on a database it has found empty and marked (app.demo_mode).
    """
    users: dict[str, User] = {}
    for username, role, unit_ref, full_name in DEMO_ACCOUNTS:
        user = db.session.scalar(select(User).where(User.username == username))
        if user is None:
            unit = accounts.find_unit(unit_ref)
            if unit is None:  # another province: fall back to its first unit of the right level
                unit = _fallback_unit(role)
            user, _ = accounts.create_user(
                username, role, unit, password=DEMO_PASSWORD, full_name=full_name, must_change=False, is_demo=True
            )
        users[username] = user
    db.session.flush()
    for loader in DEMO_LOADERS:
        loader(users)
    return list(users.values())


def _fallback_unit(role: str) -> Unit:
    communes = ("xa", "phuong", "dac_khu")
    query = select(Unit).where(Unit.kind.in_(communes) if role == policy.COMMUNE else Unit.kind.not_in(communes))
    return db.session.scalars(query.order_by(Unit.code)).first()


def demo_accounts() -> list[User]:
    """Every demo account in the database, by role (as the site lists roles), then name."""
    order = {role: i for i, role in enumerate(policy.ROLES)}
    users = db.session.scalars(select(User).where(User.is_demo.is_(True))).all()
    return sorted(users, key=lambda u: (order.get(u.role, len(order)), u.username))
