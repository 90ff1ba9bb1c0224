"""Who may see which proposal: the one scoped query every list, page, panel, export and
report starts from, and the loaders built on it.

workflow.can_see says the same in pure Python for the rules that need it;
tests/proposals/test_visibility_property.py checks the two agree for every role.
"""


from flask import abort
from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import selectinload

from app import policy
from app.extensions import db
from app.models import Attachment
from app.proposals import workflow
from app.proposals.models import Proposal, ProposalEvent, proposal_support_units

OWNER_TYPE = "proposal"
INTERNAL_EVENT = "internal"  # what happens inside a unit (app/delegation/timeline.py)
ANSWER_OWNER_TYPE = "proposal_answer"


def actor_of(user) -> workflow.Actor:
    return workflow.Actor(role=user.role, unit_id=user.unit_id)


def scope(query: Select, user) -> Select:
    """Restrict a select() over Proposal to what user may see (workflow.can_see in SQL).

    Coordinators and leaders see everything sent (not drafts); a commune its own; a
    department what it leads or supports; anyone else nothing.
    """
    if policy.sees_everything(user):
        return query.where(Proposal.state != workflow.DRAFT)
    if user.role == policy.COMMUNE:
        return policy.scope_to_unit(query, user, Proposal.commune_unit_id)
    if user.role == policy.DEPARTMENT and user.unit_id is not None:
        supported = select(proposal_support_units.c.proposal_id).where(
            proposal_support_units.c.unit_id == user.unit_id
        )
        return query.where(or_(Proposal.lead_unit_id == user.unit_id, Proposal.id.in_(supported)))
    return query.where(false())


def visible_proposals(user) -> Select:
    """select() of the proposals user may see."""
    return scope(select(Proposal), user)


def get_proposal_or_404(proposal_id: int, user) -> Proposal:
    """Load a proposal user may see; anything else is 404, so ids reveal nothing."""
    proposal = db.session.scalar(visible_proposals(user).where(Proposal.id == proposal_id))
    if proposal is None:
        abort(404)
    return proposal


def can_see_proposal_id(user, proposal_id: int) -> bool:
    """Visibility check for attachments owned by a proposal or its answer."""
    return db.session.scalar(scope(select(Proposal.id), user).where(Proposal.id == proposal_id)) is not None


def proposals_for_meeting(meeting_id: int, user) -> Select:
    """The proposals raised at a meeting that user may see, for the meeting page."""
    return (
        visible_proposals(user)
        .where(Proposal.meeting_id == meeting_id)
        .options(selectinload(Proposal.commune), selectinload(Proposal.field), selectinload(Proposal.lead_unit))
        .order_by(Proposal.field_id, Proposal.id)
    )


def timeline(proposal: Proposal, user) -> list[ProposalEvent]:
    """The proposal's events, oldest first. Support opinions are between the province's
    bodies, so communes do not see them; a unit's internal events only it and the province see."""
    query = select(ProposalEvent).where(ProposalEvent.proposal_id == proposal.id)
    if user.role == "commune":
        query = query.where(ProposalEvent.kind != "opinion")
    if not policy.sees_everything(user):
        # Work handed down inside a unit (app/delegation) is the unit's own business.
        query = query.where(or_(ProposalEvent.kind != INTERNAL_EVENT, ProposalEvent.actor_unit_id == user.unit_id))
    query = query.options(selectinload(ProposalEvent.actor), selectinload(ProposalEvent.actor_unit))
    return list(db.session.scalars(query.order_by(ProposalEvent.created_at, ProposalEvent.id)))


def opinions(proposal: Proposal) -> list[ProposalEvent]:
    query = select(ProposalEvent).where(ProposalEvent.proposal_id == proposal.id, ProposalEvent.kind == "opinion")
    query = query.options(selectinload(ProposalEvent.actor), selectinload(ProposalEvent.actor_unit))
    return list(db.session.scalars(query.order_by(ProposalEvent.created_at, ProposalEvent.id)))


def attachments(proposal: Proposal, owner_type: str = OWNER_TYPE) -> list[Attachment]:
    return list(db.session.scalars(Attachment.for_owner(owner_type, proposal.id)))

