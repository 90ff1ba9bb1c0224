"""Who hears of what happens to a proposal (issue 6), through app.notifications.

services.py calls these next to the change they announce, in the same transaction, so a
rollback drops the notification with the change. The recipients are exactly the issue's:

- departments: a proposal assigned to them (lead or support); the coordinator reopening
  the lead's answer; a leader's comment on a proposal they lead or support;
- the commune: its proposal returned, answered or closed;
- the coordinators: a proposal submitted (or resubmitted); an answer given; the commune
  not agreeing with an answer.

Nothing else notifies (comments, opinions, withdrawal, receipt, classification...). The
person who acts is never told of their own action.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from app.formatting import format_date
from app.models import User
from app.notifications import coordinators, notify, path_for, users_of_unit
from app.proposals import workflow
from app.proposals.models import Proposal
from app.text import clip as clip_text
from app.text import in_sentence

OBJECT_TYPE = "proposal"
TITLE_CLIP = 150

SUBMITTED = "proposal.submitted"
RETURNED = "proposal.returned"
ASSIGNED = "proposal.assigned"
ANSWERED = "proposal.answered"
CLOSED = "proposal.closed"
REOPENED = "proposal.reopened"
FEEDBACK_DISAGREED = "proposal.feedback_disagreed"
LEADER_COMMENT = "proposal.leader_comment"
DUE_SOON = "proposal.due_soon"
OVERDUE = "proposal.overdue"


def clip(text: str) -> str:
    """Item titles cut short, so a notification stays one readable line."""
    return clip_text(text, TITLE_CLIP)


def link_to(proposal: Proposal) -> str:
    return path_for("proposals.detail", proposal_id=proposal.id)


def _tell(recipients: Iterable[User], kind: str, title: str, proposal: Proposal, actor: User | None = None):
    if actor is not None:
        recipients = [user for user in recipients if user.id != actor.id]
    return notify(recipients, kind, title, link_to(proposal), OBJECT_TYPE, proposal.id)


def _commune_name(proposal: Proposal) -> str:
    return proposal.commune.name if proposal.commune is not None else ""


def submitted(proposal: Proposal, actor: User, *, again: bool) -> None:
    """A commune sent a proposal (again: after the coordinator returned it)."""
    if again:
        title = _("%(unit)s gửi lại kiến nghị đã bổ sung: %(title)s", unit=_commune_name(proposal), title=clip(proposal.title))
    else:
        title = _("Kiến nghị mới của %(unit)s: %(title)s", unit=in_sentence(_commune_name(proposal)),
                  title=clip(proposal.title))
    _tell(coordinators(), SUBMITTED, title, proposal, actor)


def returned(proposal: Proposal, actor: User) -> None:
    title = _("Kiến nghị “%(title)s” được trả lại để bổ sung", title=clip(proposal.title))
    _tell(users_of_unit(proposal.commune_unit_id), RETURNED, title, proposal, actor)


def assigned(proposal: Proposal, actor: User, before: set[tuple[int, str]]) -> None:
    """Tell each lead or support department it was given the proposal.

    before: the (unit id, role) pairs the proposal had before this (re)assignment; a
    re-assignment tells only the departments newly given the proposal or a new role on it.
    """
    day = format_date(proposal.answer_deadline)
    titles = {
        workflow.LEAD_DEPARTMENT: _("Đơn vị được giao chủ trì trả lời kiến nghị của %(unit)s: %(title)s, hạn %(day)s",
                                    unit=in_sentence(_commune_name(proposal)), title=clip(proposal.title), day=day),
        workflow.SUPPORT_DEPARTMENT: _("Đơn vị được giao phối hợp xử lý kiến nghị của %(unit)s: %(title)s, hạn %(day)s",
                                       unit=in_sentence(_commune_name(proposal)), title=clip(proposal.title), day=day),
    }
    for unit_id, role in unit_roles(proposal):
        if (unit_id, role) not in before:
            _tell(users_of_unit(unit_id), ASSIGNED, titles[role], proposal, actor)


def unit_roles(proposal: Proposal) -> set[tuple[int, str]]:
    """The proposal's departments as (unit id, role) pairs."""
    pairs = {(unit.id, workflow.SUPPORT_DEPARTMENT) for unit in proposal.support_units}
    if proposal.lead_unit_id is not None:
        pairs.add((proposal.lead_unit_id, workflow.LEAD_DEPARTMENT))
    return pairs


def answered(proposal: Proposal, actor: User) -> None:
    """The commune learns its proposal was answered; the coordinators, that an answer is in."""
    outcome = str(workflow.OUTCOME_LABELS[proposal.answer_outcome])
    _tell(users_of_unit(proposal.commune_unit_id), ANSWERED,
          _("Kiến nghị “%(title)s” đã được trả lời: %(outcome)s", title=clip(proposal.title), outcome=outcome),
          proposal, actor)
    lead = proposal.lead_unit.name if proposal.lead_unit is not None else ""
    _tell(coordinators(), ANSWERED,
          _("%(unit)s đã trả lời kiến nghị “%(title)s”: %(outcome)s", unit=lead, title=clip(proposal.title), outcome=outcome),
          proposal, actor)


def closed(proposal: Proposal, actor: User) -> None:
    _tell(users_of_unit(proposal.commune_unit_id), CLOSED,
          _("Kiến nghị “%(title)s” đã hoàn thành", title=clip(proposal.title)), proposal, actor)


def reopened(proposal: Proposal, actor: User) -> None:
    """The lead department's answer was not accepted: it has to answer again."""
    title = _("Kiến nghị “%(title)s” được mở lại, cần trả lời lại, hạn %(day)s",
              title=clip(proposal.title), day=format_date(proposal.answer_deadline))
    _tell(users_of_unit(proposal.lead_unit_id), REOPENED, title, proposal, actor)


def feedback_given(proposal: Proposal, actor: User) -> None:
    """Only "chưa đồng ý" is news for the coordinators; agreement notifies nobody."""
    if proposal.feedback != workflow.DISAGREE:
        return
    title = _("%(unit)s chưa đồng ý với câu trả lời kiến nghị “%(title)s”", unit=_commune_name(proposal),
              title=clip(proposal.title))
    _tell(coordinators(), FEEDBACK_DISAGREED, title, proposal, actor)


def leader_commented(proposal: Proposal, actor: User) -> None:
    """The lead and support departments read the leader's comment on their proposal."""
    title = _("Ý kiến chỉ đạo của %(leader)s về kiến nghị “%(title)s”", leader=actor.full_name or actor.username,
              title=clip(proposal.title))
    unit_ids = sorted({unit_id for unit_id, _role in unit_roles(proposal)})
    _tell([user for unit_id in unit_ids for user in users_of_unit(unit_id)], LEADER_COMMENT, title, proposal, actor)
