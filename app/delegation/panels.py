"""The delegation panel on a proposal or assignment page, and the lists built on delegations:
"Việc của tôi" for an officer, the unit's items by officer for its head."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app import clock
from app.delegation import forms, items, people, services, workflow
from app.delegation.models import Delegation, DelegationDraft, delegation_co_officers
from app.directives import workflow as directive_workflow
from app.directives.models import Assignment
from app.directives.visibility import visible_assignments
from app.extensions import db
from app.formatting import format_date
from app.forms import choices
from app.proposals import workflow as proposal_workflow
from app.proposals.models import Proposal
from app.proposals.visibility import visible_proposals

PANEL_ID = "delegation-panel"
DRAFT_STATE_LABELS = {
    DelegationDraft.PENDING: _l("chờ lãnh đạo duyệt"),
    DelegationDraft.SENT: _l("đã gửi đi"),
    DelegationDraft.RETURNED: _l("lãnh đạo trả lại"),
    DelegationDraft.WITHDRAWN: _l("cán bộ đã rút"),
}
DUE_SOON_DAYS = 3


def proposal_item(proposal: Proposal, user) -> items.Item | None:
    """The proposal as an item of user's unit, when that unit leads or supports it."""
    if user.unit_id is None:
        return None
    if proposal.lead_unit_id == user.unit_id or any(u.id == user.unit_id for u in proposal.support_units):
        return items.of_proposal(proposal, user.unit_id)
    return None


def assignment_item(assignment: Assignment, user) -> items.Item | None:
    return items.of_assignment(assignment) if assignment.unit_id == user.unit_id else None


def _assign_form(item: items.Item, delegation: Delegation | None, formdata=None) -> forms.AssignForm:
    form = forms.AssignForm(prefix="assign") if formdata else forms.AssignForm(prefix="assign", formdata=None)
    officers = people.officers_of(item.unit_id)
    names = [(u.id, u.full_name or u.username) for u in officers]
    form.officer_id.choices = choices([(0, _("— Chọn cán bộ —")), *names])
    form.co_officer_ids.choices = choices(names)
    if not formdata and delegation is not None and delegation.officer_id:
        form.officer_id.data = delegation.officer_id
        form.co_officer_ids.data = [u.id for u in delegation.co_officers]
        form.internal_deadline.data = delegation.internal_deadline
    return form


def make_form(action: str, item: items.Item, delegation: Delegation | None, formdata=False):
    if action in (workflow.ASSIGN, workflow.REASSIGN):
        return _assign_form(item, delegation, formdata)
    form_class = forms.FORMS[action]
    form = form_class(prefix=action) if formdata else form_class(prefix=action, formdata=None)
    if isinstance(form, forms.DraftForm):
        form.set_kinds(item)
    return form


def panel(item: items.Item | None, user, overrides: dict | None = None, notice: str | None = None,
          notice_kind: str = "success") -> dict | None:
    """What the panel shows user, or None where the unit works as a whole or user is outside it."""
    if item is None or not people.hands_down(item.unit_id):
        return None
    delegation = services.delegation_of(item)
    relation = services.relation_of(user, item, delegation)
    if relation is None:
        return None
    allowed = services.available(user, item)
    offered = {}
    for action in allowed:
        offered[action] = (overrides or {}).get(action) or make_form(action, item, delegation)
    return {
        "id": PANEL_ID,
        "item": item,
        "delegation": delegation,
        "state": services.state_of(delegation),
        "state_label": workflow.STATE_LABELS[services.state_of(delegation)],
        "relation": relation,
        "offered": offered,
        "pending": services.pending_draft(delegation),
        "drafts": services.drafts_of(delegation)[:5],
        "action_url": _action_url(item),
        "notice": notice,
        "notice_kind": notice_kind,
        "timeliness": timeliness(delegation, item.official_deadline, clock.today()),
        "needs_approval": people.must_draft(user, item.unit_id),
        "action_labels": workflow.ACTION_LABELS,
        "outcome_labels": proposal_workflow.OUTCOME_LABELS,
        "draft_state_labels": DRAFT_STATE_LABELS,
    }


def _action_url(item: items.Item):
    from flask import url_for

    if item.kind == "proposal":
        return lambda action: url_for("delegation.act_on_proposal", proposal_id=item.id, action=action)
    return lambda action: url_for("delegation.act_on_assignment", assignment_id=item.id, action=action)


# --- timeliness -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Timeliness:
    key: str  # "overdue", "due_soon", "on_track", "done", "none"
    label: str


def timeliness(delegation: Delegation | None, official: date | None, today: date) -> Timeliness:
    """Where the officer stands against the internal deadline (else the official one)."""
    state = services.state_of(delegation)
    if state == workflow.DONE:
        return Timeliness("done", _("Đã gửi đi"))
    deadline = (delegation.internal_deadline if delegation is not None else None) or official
    if deadline is None:
        return Timeliness("none", _("Không có hạn"))
    if deadline < today:
        return Timeliness("overdue", _("Quá hạn %(n)s ngày (hạn %(d)s)", n=(today - deadline).days, d=format_date(deadline)))
    if (deadline - today).days <= DUE_SOON_DAYS:
        return Timeliness("due_soon", _("Sắp đến hạn (%(d)s)", d=format_date(deadline)))
    return Timeliness("on_track", _("Trong hạn (%(d)s)", d=format_date(deadline)))


# --- lists ----------------------------------------------------------------------------------


@dataclass
class Row:
    delegation: Delegation | None  # None: not handed down yet
    item: items.Item
    timeliness: Timeliness
    link: str = ""
    mine: bool = True


@dataclass
class OfficerGroup:
    officer: object
    rows: list[Row] = field(default_factory=list)


def _visible_delegations(user):
    """The unit's open delegations whose item user may see (the items' own scoped queries)."""
    proposals = visible_proposals(user).with_only_columns(Proposal.id)
    assignments = visible_assignments(user).with_only_columns(Assignment.id)
    return (
        select(Delegation)
        .where(Delegation.unit_id == user.unit_id, Delegation.state.in_(workflow.OPEN_STATES))
        .where(or_(Delegation.proposal_id.in_(proposals), Delegation.assignment_id.in_(assignments)))
        .options(selectinload(Delegation.officer), selectinload(Delegation.co_officers),
                 selectinload(Delegation.proposal), selectinload(Delegation.assignment).selectinload(Assignment.directive))
    )


def _link(item: items.Item) -> str:
    from flask import url_for

    if item.kind == "proposal":
        return url_for("proposals.detail", proposal_id=item.id)
    return url_for("directives.assignment", assignment_id=item.id)


def _row(delegation: Delegation, today: date, user=None) -> Row:
    item = items.of_delegation(delegation)
    return Row(delegation, item, timeliness(delegation, item.official_deadline, today), _link(item),
               mine=user is None or delegation.officer_id == user.id)


def _order(rows: list[Row]) -> list[Row]:
    rank = {"overdue": 0, "due_soon": 1, "on_track": 2, "none": 3, "done": 4}
    return sorted(rows, key=lambda r: (rank[r.timeliness.key], r.item.official_deadline or date.max, r.delegation.id))


def my_work(user) -> list[Row]:
    """The open items given to user, as officer or co-officer; most urgent first."""
    if user.role not in people.STAFF_ROLES:
        return []
    co = select(delegation_co_officers.c.delegation_id).where(delegation_co_officers.c.user_id == user.id)
    query = _visible_delegations(user).where(or_(Delegation.officer_id == user.id, Delegation.id.in_(co)))
    today = clock.today()
    return _order([_row(d, today, user) for d in db.session.scalars(query)])


def awaiting_approval(user) -> list[Row]:
    """For a head: the drafts waiting for them."""
    if not people.is_head(user):
        return []
    query = _visible_delegations(user).where(Delegation.state == workflow.AWAITING_APPROVAL)
    today = clock.today()
    return _order([_row(d, today) for d in db.session.scalars(query)])


def by_officer(user) -> list[OfficerGroup]:
    """For a head: the unit's open items grouped by officer, with their timeliness."""
    today = clock.today()
    groups: dict[int, OfficerGroup] = {u.id: OfficerGroup(u) for u in people.officers_of(user.unit_id)}
    for delegation in db.session.scalars(_visible_delegations(user)):
        group = groups.setdefault(delegation.officer_id, OfficerGroup(delegation.officer))
        group.rows.append(_row(delegation, today))
    for group in groups.values():
        group.rows = _order(group.rows)
    return list(groups.values())


def not_handed_down(user, limit: int = 50) -> list[Row]:
    """For a head: the unit's open items nobody holds yet (tasks in progress, proposals to
    answer or to give an opinion on), most urgent first, so that none is forgotten."""
    if not people.is_head(user):
        return []
    held = select(Delegation.id).where(Delegation.unit_id == user.unit_id, Delegation.state != workflow.NONE)
    tasks = visible_assignments(user).where(
        Assignment.state == directive_workflow.IN_PROGRESS,
        ~select(Delegation.id).where(Delegation.assignment_id == Assignment.id, Delegation.id.in_(held)).exists(),
    ).options(selectinload(Assignment.directive)).limit(limit)
    proposals = visible_proposals(user).where(
        Proposal.state == proposal_workflow.ASSIGNED,
        ~select(Delegation.id).where(Delegation.proposal_id == Proposal.id, Delegation.id.in_(held)).exists(),
    ).limit(limit)
    today = clock.today()
    found = [items.of_assignment(a) for a in db.session.scalars(tasks)]
    found += [items.of_proposal(p, user.unit_id) for p in db.session.scalars(proposals)]
    rows = [Row(None, item, timeliness(None, item.official_deadline, today), _link(item)) for item in found]
    return sorted(rows, key=lambda r: (r.item.official_deadline or date.max, r.item.kind, r.item.id))[:limit]
