"""The two kinds of item a unit hands down, seen the same way: an incoming proposal (as lead
or support) and a directive assignment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from app.delegation import workflow
from app.delegation.models import ASSIGNMENT, PROPOSAL, Delegation
from app.directives import workflow as directive_workflow
from app.directives.models import Assignment
from app.proposals.models import Proposal


@dataclass(frozen=True)
class Item:
    """One unit's item: what it is, whose, its official deadline and where it lives."""

    kind: str
    obj: Proposal | Assignment
    unit_id: int

    @property
    def id(self) -> int:
        return self.obj.id

    @property
    def title(self) -> str:
        return self.obj.title if self.kind == PROPOSAL else self.obj.directive.title

    @property
    def official_deadline(self) -> date | None:
        return self.obj.answer_deadline if self.kind == PROPOSAL else self.obj.deadline

    @property
    def leads(self) -> bool:
        """The unit leads (chủ trì) rather than supports (phối hợp)."""
        if self.kind == PROPOSAL:
            return self.obj.lead_unit_id == self.unit_id
        return self.obj.role == directive_workflow.LEAD

    @property
    def role_label(self) -> str:
        return _("Chủ trì") if self.leads else _("Phối hợp")

    @property
    def draft_kinds(self) -> tuple[str, ...]:
        """What the officer may draft for this item."""
        return (workflow.ANSWER,) if self.kind == PROPOSAL else (workflow.REPORT, workflow.COMPLETION)

    def draft_label(self, kind: str) -> str:
        if self.kind == PROPOSAL and not self.leads:
            return _("Dự thảo ý kiến phối hợp")
        return str(workflow.DRAFT_LABELS[kind])

    def delegation_filter(self):
        if self.kind == PROPOSAL:
            return (Delegation.proposal_id == self.id) & (Delegation.unit_id == self.unit_id)
        return Delegation.assignment_id == self.id


def of_proposal(proposal: Proposal, unit_id: int) -> Item:
    return Item(PROPOSAL, proposal, unit_id)


def of_assignment(assignment: Assignment) -> Item:
    return Item(ASSIGNMENT, assignment, assignment.unit_id)


def of_delegation(delegation: Delegation) -> Item:
    if delegation.proposal_id is not None:
        return of_proposal(delegation.proposal, delegation.unit_id)
    return of_assignment(delegation.assignment)
