"""What happens inside the unit, written on the item's own timeline and in the audit log.

Proposal timelines get an "internal" event (shown to the unit and to the province-wide roles,
see proposals.visibility.timeline); assignment timelines an event of kind "delegation.<action>".
"""

from __future__ import annotations

from app import audit, clock
from app.delegation.models import Delegation
from app.directives.models import AssignmentEvent
from app.extensions import db
from app.proposals.models import ProposalEvent
from app.proposals.visibility import INTERNAL_EVENT

INTERNAL = INTERNAL_EVENT  # ProposalEvent.kind of what happens inside a unit
AUDIT_FIELDS = ["state", "officer_id", "internal_deadline", "returned_note", "unit_id", "proposal_id", "assignment_id"]


def event_name(action: str) -> str:
    """The timeline's name of a move; workflow.TIMELINE_LABELS says how it reads."""
    return f"delegation.{action}"


def snapshot(delegation: Delegation) -> dict:
    out = audit.snapshot(delegation, AUDIT_FIELDS)
    out["co_officer_ids"] = sorted(u.id for u in delegation.co_officers)
    return out


def write(delegation: Delegation, user, action: str, note: str, *, before: dict | None, extra: dict | None = None):
    """The timeline line and the audit event of one move; the caller commits."""
    now = clock.now()
    name = event_name(action)
    if delegation.proposal_id is not None:
        db.session.add(ProposalEvent(
            proposal_id=delegation.proposal_id, actor_id=getattr(user, "id", None), actor_unit_id=delegation.unit_id,
            kind=INTERNAL, action=name, note=note, created_at=now,
        ))
    else:
        db.session.add(AssignmentEvent(
            assignment_id=delegation.assignment_id, actor_id=getattr(user, "id", None), kind=name,
            note=note or None, created_at=now,
        ))
    db.session.flush()
    after = snapshot(delegation) | (extra or {})
    audit.record(name, delegation, before=before, after=after, actor=user)

