"""Work handed down inside a unit: every move of a delegation, checked by workflow.py, written
on the item's timeline and in the audit log, announced to the right person. The caller commits.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app import clock
from app.delegation import notices, people, timeline, workflow
from app.delegation.items import Item
from app.delegation.models import Delegation, DelegationDraft
from app.delegation.sending import DelegationError, check_sendable, send
from app.extensions import db
from app.formatting import format_date
from app.models import User

__all__ = ["DelegationError", "DraftInput"]


def delegation_of(item: Item) -> Delegation | None:
    return db.session.scalar(select(Delegation).where(item.delegation_filter()))


def state_of(delegation: Delegation | None) -> str:
    return delegation.state if delegation is not None else workflow.NONE


def pending_draft(delegation: Delegation | None) -> DelegationDraft | None:
    if delegation is None:
        return None
    query = select(DelegationDraft).where(
        DelegationDraft.delegation_id == delegation.id, DelegationDraft.state == DelegationDraft.PENDING)
    return db.session.scalars(query.order_by(DelegationDraft.id.desc())).first()


def drafts_of(delegation: Delegation | None) -> list[DelegationDraft]:
    if delegation is None:
        return []
    query = select(DelegationDraft).where(DelegationDraft.delegation_id == delegation.id)
    return list(db.session.scalars(query.order_by(DelegationDraft.id.desc())))


def relation_of(user, item: Item, delegation: Delegation | None) -> str | None:
    """What user is to the item's delegation (workflow.HEAD, OFFICER, ...); None outside the unit."""
    if user.unit_id != item.unit_id or user.role not in people.STAFF_ROLES:
        return None
    if people.is_head(user):
        return workflow.HEAD
    if delegation is not None and delegation.officer_id == user.id:
        return workflow.OFFICER
    if delegation is not None and any(u.id == user.id for u in delegation.co_officers):
        return workflow.CO_OFFICER
    return workflow.OTHER_OFFICER


def facts_of(delegation: Delegation | None, draft_kind: str | None = None, needs_approval: bool = True) -> workflow.Facts:
    if draft_kind is None:
        draft = pending_draft(delegation)
        draft_kind = draft.kind if draft is not None else None
    return workflow.Facts(state=state_of(delegation), needs_approval=needs_approval, draft_kind=draft_kind)


def available(user, item: Item) -> list[str]:
    """What user may do on the item's delegation now; nothing where the unit works as a whole."""
    if not people.hands_down(item.unit_id):
        return []
    delegation = delegation_of(item)
    relation = relation_of(user, item, delegation)
    if relation is None:
        return []
    facts = facts_of(delegation, needs_approval=people.must_draft(user, item.unit_id))
    actions = workflow.available(relation, facts)
    if relation == workflow.OFFICER and workflow.SUBMIT not in actions and facts.state in (workflow.ASSIGNED, workflow.RETURNED):
        actions.append(workflow.SUBMIT)  # a draft has no kind until written: the form offers the kinds
    return actions


def _check(action: str, user, item: Item, delegation: Delegation | None, **facts) -> str:
    if not people.hands_down(item.unit_id):
        raise workflow.NotPermitted(action)
    relation = relation_of(user, item, delegation)
    if relation is None:
        raise workflow.NotPermitted(action)
    return workflow.check(action, relation, facts_of(delegation, **facts))


def check_permitted(action: str, user, item: Item) -> None:
    """NotPermitted when user may never take action on this item here (the view's 403), before
    any form is read; the wrong moment is left to the move itself (409)."""
    delegation = delegation_of(item)
    if action in (workflow.ASSIGN, workflow.REASSIGN):
        action = workflow.ASSIGN if state_of(delegation) == workflow.NONE else workflow.REASSIGN
    with contextlib.suppress(workflow.InvalidState):
        _check(action, user, item, delegation, draft_kind=item.draft_kinds[0])


# --- the head: assign, re-assign, take back ------------------------------------------------


def _officer_names(officer: User, co_officers: list[User]) -> str:
    names = officer.full_name or officer.username
    if co_officers:
        names += "; " + _("phối hợp: %(names)s", names=", ".join(u.full_name or u.username for u in co_officers))
    return names


def _check_people(item: Item, officer_id: int | None, co_officer_ids: list[int]) -> tuple[User, list[User]]:
    officers = {u.id: u for u in people.officers_of(item.unit_id)}
    officer = officers.get(officer_id or 0)
    if officer is None:
        raise DelegationError(_("Chọn cán bộ xử lý trong đơn vị."), "officer_id")
    unknown = [i for i in co_officer_ids if i not in officers]
    if unknown:
        raise DelegationError(_("Cán bộ phối hợp phải là cán bộ của đơn vị."), "co_officer_ids")
    return officer, [officers[i] for i in dict.fromkeys(co_officer_ids) if i != officer.id]


def _check_deadline(item: Item, internal_deadline: date | None) -> None:
    if internal_deadline is None:
        return
    if internal_deadline < clock.today():
        raise DelegationError(_("Hạn nội bộ không được trước hôm nay."), "internal_deadline")
    official = item.official_deadline
    if official is not None and internal_deadline >= official:
        raise DelegationError(
            _("Hạn nội bộ phải trước hạn chính thức (%(date)s).", date=format_date(official)), "internal_deadline")


def assign(item: Item, user, officer_id: int | None, co_officer_ids: list[int] = (),
           internal_deadline: date | None = None) -> Delegation:
    """Give the item to an officer (or to another one), with co-officers and an internal deadline."""
    delegation = delegation_of(item)
    action = workflow.ASSIGN if state_of(delegation) == workflow.NONE else workflow.REASSIGN
    target = _check(action, user, item, delegation)
    officer, co_officers = _check_people(item, officer_id, list(co_officer_ids))
    _check_deadline(item, internal_deadline)
    before = None
    previous_officer = None
    if delegation is None:
        delegation = Delegation(unit_id=item.unit_id, state=target)
        if item.kind == "proposal":
            delegation.proposal_id = item.id
        else:
            delegation.assignment_id = item.id
        db.session.add(delegation)
    else:
        before = timeline.snapshot(delegation)
        previous_officer = delegation.officer if delegation.officer_id not in (None, officer.id) else None
    delegation.state = target
    delegation.officer = officer
    delegation.co_officers = co_officers
    delegation.internal_deadline = internal_deadline
    delegation.returned_note = None
    delegation.assigned_by_id = user.id
    delegation.assigned_at = clock.now()
    db.session.flush()
    note = _officer_names(officer, co_officers)
    if internal_deadline is not None:
        note += "; " + _("hạn nội bộ %(date)s", date=format_date(internal_deadline))
    timeline.write(delegation, user, action, note, before=before)
    notices.assigned(item, officer, co_officers, user)
    if previous_officer is not None:
        notices.taken_back(item, previous_officer, user)
    return delegation


def unassign(item: Item, user) -> None:
    """Take the item back to the unit as a whole."""
    delegation = delegation_of(item)
    target = _check(workflow.UNASSIGN, user, item, delegation)
    before = timeline.snapshot(delegation)
    officer = delegation.officer
    delegation.state = target
    delegation.officer = None
    delegation.co_officers = []
    delegation.internal_deadline = None
    delegation.returned_note = None
    timeline.write(delegation, user, workflow.UNASSIGN, "", before=before)
    notices.taken_back(item, officer, user)


# --- the officer: submit a draft, withdraw it ---------------------------------------------


@dataclass
class DraftInput:
    kind: str
    text: str
    outcome: str | None = None
    planned_on: date | None = None
    percent: int | None = None


def submit(item: Item, user, data: DraftInput) -> DelegationDraft:
    """The officer's draft: to the head when the unit asks for approval, else sent at once."""
    delegation = delegation_of(item)
    needs = people.must_draft(user, item.unit_id)
    target = _check(workflow.SUBMIT, user, item, delegation, draft_kind=data.kind, needs_approval=needs)
    draft = DelegationDraft(
        delegation_id=delegation.id, kind=data.kind, text=(data.text or "").strip(), author_id=user.id,
        outcome=data.outcome, planned_on=data.planned_on, percent=data.percent, state=DelegationDraft.PENDING,
    )
    check_sendable(item, user, draft)
    before = timeline.snapshot(delegation)
    db.session.add(draft)
    delegation.state = target
    delegation.returned_note = None
    db.session.flush()
    timeline.write(delegation, user, workflow.SUBMIT, item.draft_label(draft.kind), before=before,
                   extra={"draft_id": draft.id, "draft_kind": draft.kind})
    if target == workflow.AWAITING_APPROVAL:
        notices.awaiting_approval(item, user)
    else:
        draft.state = DelegationDraft.SENT
        draft.decided_at = clock.now()
        send(item, user, draft)
    return draft


def withdraw(item: Item, user) -> DelegationDraft:
    """The officer takes the waiting draft back to change it."""
    delegation = delegation_of(item)
    target = _check(workflow.WITHDRAW, user, item, delegation)
    draft = pending_draft(delegation)
    before = timeline.snapshot(delegation)
    draft.state = DelegationDraft.WITHDRAWN
    delegation.state = target
    timeline.write(delegation, user, workflow.WITHDRAW, item.draft_label(draft.kind), before=before,
                   extra={"draft_id": draft.id})
    return draft


# --- the head: approve or return ---------------------------------------------------------


def approve(item: Item, user) -> DelegationDraft:
    """The head sends the waiting draft out under the unit's name, through the item's services."""
    delegation = delegation_of(item)
    target = _check(workflow.APPROVE, user, item, delegation)
    draft = pending_draft(delegation)
    check_sendable(item, user, draft)
    before = timeline.snapshot(delegation)
    draft.state = DelegationDraft.SENT
    draft.decided_by_id = user.id
    draft.decided_at = clock.now()
    delegation.state = target
    author = draft.author
    timeline.write(delegation, user, workflow.APPROVE, item.draft_label(draft.kind), before=before,
                   extra={"draft_id": draft.id})
    send(item, user, draft)
    notices.approved(item, author, user)
    return draft


def return_draft(item: Item, user, note: str) -> DelegationDraft:
    """The head sends the draft back to its writer with what to change."""
    note = (note or "").strip()
    delegation = delegation_of(item)
    target = _check(workflow.RETURN, user, item, delegation)
    if not note:
        raise DelegationError(_("Nhập nội dung cần sửa để cán bộ biết."), "note")
    draft = pending_draft(delegation)
    before = timeline.snapshot(delegation)
    draft.state = DelegationDraft.RETURNED
    draft.decided_by_id = user.id
    draft.decided_at = clock.now()
    draft.decision_note = note
    delegation.state = target
    delegation.returned_note = note
    timeline.write(delegation, user, workflow.RETURN, note, before=before, extra={"draft_id": draft.id})
    notices.returned(item, draft.author, user)
    return draft
