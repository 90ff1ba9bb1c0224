"""Who is who inside a unit: its heads, its officers, and whether work is handed down there.

A low module (models only), so that the proposal and directive services can ask it whether
an officer must go through a draft without importing the delegation services.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app import policy
from app.delegation import workflow
from app.extensions import db
from app.models import UNIT_HEAD, UNIT_OFFICER, Unit, User

# The accounts that work on a unit's items (coordinators or admins who belong to an office do not).
STAFF_ROLES = (policy.COMMUNE, policy.DEPARTMENT)


def _staff(unit_id: int):
    return select(User).where(User.unit_id == unit_id, User.active.is_(True), User.role.in_(STAFF_ROLES))


def staff_count(unit_id: int) -> int:
    query = select(func.count()).select_from(User).where(
        User.unit_id == unit_id, User.active.is_(True), User.role.in_(STAFF_ROLES))
    return db.session.scalar(query) or 0


def heads_of(unit_id: int) -> list[User]:
    return list(db.session.scalars(_staff(unit_id).where(User.unit_role == UNIT_HEAD).order_by(User.full_name_folded)))


def officers_of(unit_id: int) -> list[User]:
    """The officers work can be handed to, by name."""
    query = _staff(unit_id).where(User.unit_role == UNIT_OFFICER).order_by(User.full_name_folded, User.id)
    return list(db.session.scalars(query))


def is_head(user) -> bool:
    return user.role in STAFF_ROLES and user.unit_role == UNIT_HEAD


def hands_down(unit_id: int) -> bool:
    """Work is handed down in a unit once it has a head and someone besides: a unit with one
    account, or whose head is not designated yet, works as a whole, as before."""
    return bool(heads_of(unit_id)) and staff_count(unit_id) > 1


def must_draft(user, unit_id: int) -> bool:
    """Whether what user sends for unit_id must wait for the head's approval: an officer of a
    unit that hands work down and asks for approval (workflow.needs_approval)."""
    if user.role not in STAFF_ROLES or user.unit_id != unit_id or not hands_down(unit_id):
        return False
    unit = db.session.get(Unit, unit_id)
    return workflow.needs_approval(unit.drafts_need_approval, staff_count(unit_id), is_head(user))
