"""Reminders by hand (đôn đốc) for an overdue answer: the office reminds the lead department.

The same rule as for directives (app/directives/nudging.py): a notification to the lead
unit's staff (e-mailed through the outbox), a line on the proposal's timeline, and no
second reminder within the nudge_gap_hours setting.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, clock
from app import settings as app_settings
from app.extensions import db
from app.formatting import format_date
from app.notifications import notify, users_of_unit
from app.proposals import notices, workflow
from app.proposals.changes import ProposalError, _event
from app.proposals.models import Proposal, ProposalEvent

NUDGE = "nudge"  # the timeline action and kind
NUDGED = "proposal.nudged"  # the notification kind
LABEL = _l("Văn phòng đôn đốc trả lời")
MESSAGE_MAX = 1000


def can_nudge(proposal: Proposal, user, today) -> bool:
    """The office may remind the lead unit of an assigned proposal past its answer deadline."""
    return (user.role == "coordinator" and proposal.state == workflow.ASSIGNED and proposal.lead_unit_id is not None
            and proposal.answer_deadline is not None and proposal.answer_deadline < today)


def last_nudge(proposal: Proposal):
    return db.session.scalar(
        select(ProposalEvent.created_at).where(ProposalEvent.proposal_id == proposal.id, ProposalEvent.action == NUDGE)
        .order_by(ProposalEvent.id.desc()).limit(1)
    )


def nudge(proposal: Proposal, user, message: str = "", *, at=None) -> bool:
    """Remind the lead department; False when it was reminded within the gap. The caller commits."""
    at = at or clock.now()
    if not can_nudge(proposal, user, clock.local_date(at)):
        raise ProposalError(_("Chỉ đôn đốc được kiến nghị đã quá hạn trả lời."), "message")
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise ProposalError(_("Lời nhắn tối đa %(n)s ký tự.", n=MESSAGE_MAX), "message")
    last = last_nudge(proposal)
    if last is not None and last >= at - timedelta(hours=app_settings.get_int("nudge_gap_hours")):
        return False
    _event(proposal, user, NUDGE, from_state=proposal.state, to_state=proposal.state, note=message, kind=NUDGE, at=at)
    title = _("Văn phòng đôn đốc trả lời kiến nghị “%(title)s” (hạn %(day)s)",
              title=notices.clip(proposal.title), day=format_date(proposal.answer_deadline))
    if message:
        title = f"{title} — {message[:120]}"
    notify(users_of_unit(proposal.lead_unit_id), NUDGED, title, notices.link_to(proposal), notices.OBJECT_TYPE,
           proposal.id)
    audit.record("proposal.nudge", proposal, actor=user, after={"unit": proposal.lead_unit_id, "message": message})
    return True
