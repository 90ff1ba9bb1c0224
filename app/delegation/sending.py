"""Sending what the officer drafted: through the item's own services, so what leaves the unit
is exactly what the unit's own form would have sent."""

from __future__ import annotations

from flask_babel import gettext as _

from app import clock
from app.delegation import workflow
from app.delegation.items import Item
from app.delegation.models import PROPOSAL, DelegationDraft
from app.directives import progress
from app.directives import workflow as directive_workflow
from app.extensions import db
from app.proposals import changes as proposal_changes
from app.proposals import workflow as proposal_workflow
from app.proposals.visibility import actor_of
from app.service_error import ServiceError


class DelegationError(ServiceError):
    """A delegation request the rules refuse (app.service_error.ServiceError's shape)."""



def check_sendable(item: Item, user, draft: DelegationDraft) -> None:
    """Refuse a draft the unit could not send now (wrong kind, wrong moment, missing fields)."""
    if draft.kind not in item.draft_kinds:
        raise DelegationError(_("Loại dự thảo này không dùng cho việc này."), "kind")
    if not (draft.text or "").strip():
        raise DelegationError(_("Nhập nội dung dự thảo."), "text")
    try:
        if item.kind == PROPOSAL:
            action = "answer" if item.leads else "opinion"
            proposal_workflow.check(action, actor_of(user), item.obj.facts)
            if item.leads and draft.outcome not in proposal_workflow.OUTCOMES:
                raise DelegationError(_("Chọn kết quả trả lời."), "outcome")
            if item.leads and draft.outcome == proposal_workflow.IN_PROGRESS and draft.planned_on is None:
                raise DelegationError(_("Nhập thời gian dự kiến hoàn thành."), "planned_on")
        else:
            action = directive_workflow.REPORT if draft.kind == workflow.REPORT else directive_workflow.REQUEST_COMPLETION
            progress.check_action(action, user, item.obj)
            if draft.kind == workflow.REPORT and (draft.percent is None or not 0 <= draft.percent <= 100):
                raise DelegationError(_("Nhập tỷ lệ hoàn thành từ 0 đến 100."), "percent")
    except (proposal_workflow.WorkflowError, directive_workflow.WorkflowError):
        raise DelegationError(_("Việc này hiện không ở bước gửi được loại dự thảo này."), "kind") from None


def send(item: Item, user, draft: DelegationDraft) -> None:
    """Send the draft under the unit's name, as user (the head approving, or the officer when
    no approval is needed), through the item's own service."""
    if item.kind == PROPOSAL:
        if item.leads:
            proposal_changes.answer(item.obj, user, draft.outcome, draft.text, planned_on=draft.planned_on)
        else:
            proposal_changes.add_note(item.obj, user, draft.text, action="opinion")
    elif draft.kind == workflow.REPORT:
        progress.add_report(item.obj, user, draft.text, draft.percent)
    else:
        progress.request_completion(item.obj, user, clock.today(), draft.text)
    db.session.flush()
