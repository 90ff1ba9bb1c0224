"""The office sent an item back (a proposal reopened, a completion not confirmed): the officer
whose part was done takes it up again (workflow REOPEN, by the system).

Called by the proposal and directive services next to their own change, so it imports nothing
that imports them.
"""

from __future__ import annotations

from sqlalchemy import select

from app.delegation import notices, timeline, workflow
from app.delegation.items import Item, of_assignment, of_proposal
from app.delegation.models import Delegation
from app.extensions import db


def _reopen(item: Item, actor) -> None:
    delegation = db.session.scalar(select(Delegation).where(item.delegation_filter()))
    if delegation is None or not workflow.can(workflow.REOPEN, workflow.SYSTEM, workflow.Facts(delegation.state)):
        return
    before = timeline.snapshot(delegation)
    delegation.state = workflow.check(workflow.REOPEN, workflow.SYSTEM, workflow.Facts(delegation.state))
    timeline.write(delegation, actor, workflow.REOPEN, "", before=before)
    notices.reopened(item, delegation.officer, actor)


def proposal_reopened(proposal, actor) -> None:
    """The office reopened an answered proposal: the lead unit's officer answers again."""
    if proposal.lead_unit_id is not None:
        _reopen(of_proposal(proposal, proposal.lead_unit_id), actor)


def assignment_sent_back(assignment, actor) -> None:
    """The office did not confirm the completion: the unit's officer carries on."""
    _reopen(of_assignment(assignment), actor)
