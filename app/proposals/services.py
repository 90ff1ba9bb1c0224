"""Proposal rules that touch the database: visibility, the workflow's effects, listing.

Every write adds a timeline event and an audit event to the session; callers commit.
State changes go through workflow.check, never around it.
"""

import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import Select, and_, false, or_, select, true
from sqlalchemy.orm import aliased, selectinload

from app import audit, clock, deadlines, search
from app import settings as app_settings
from app.attachments import storage
from app.deadline_choice import MAX_PERIOD_DAYS, Period
from app.extensions import db
from app.formatting import format_date
from app.listing import KeysetPage, SortKey, keyset_page
from app.models import COMMUNE_KINDS, Attachment, Field, Meeting, Unit
from app.proposals import notices, timeliness, workflow
from app.proposals.models import Proposal, ProposalEvent, proposal_support_units
from app.service_error import ServiceError
from app.text import fold

OWNER_TYPE = "proposal"
ANSWER_OWNER_TYPE = "proposal_answer"

CONTENT_AUDIT_FIELDS = ["title", "content", "field_id", "requested_amount", "location", "meeting_id"]
STATE_AUDIT_FIELDS = [
    "state", "field_id", "lead_unit_id", "answer_deadline", "answer_outcome",
    "answer_planned_on", "feedback", "received_at", "closed_at",
]


class ProposalError(ServiceError):
    """A proposal request the rules refuse (app.service_error.ServiceError's shape)."""


# --- who and when ---------------------------------------------------------------------------


def actor_of(user) -> workflow.Actor:
    return workflow.Actor(role=user.role, unit_id=user.unit_id)


def default_answer_days(field: Field | None) -> int:
    """The field's answer period, else the site setting."""
    return default_period(field).days


def default_period(field: Field | None) -> Period:
    """The field's answer period in the field's unit, else the site setting in calendar days."""
    if field is not None and field.default_answer_days:
        unit = field.default_deadline_unit if field.default_deadline_unit in deadlines.UNITS else deadlines.CALENDAR
        return Period(field.default_answer_days, unit)
    return Period(app_settings.get_int("default_answer_days"), deadlines.CALENDAR)


def default_deadline(field: Field | None, start: date | None = None) -> date:
    """The answer deadline the field gives from start (today): a day off moves to the next working day."""
    return default_period(field).deadline_from(start or clock.today())


def timeliness_of(proposal: Proposal, today: date | None = None) -> timeliness.Timeliness:
    """Timeliness badge data for one proposal, computed now."""
    return timeliness_checker(today)(proposal)


def timeliness_checker(today: date | None = None):
    """A function proposal -> Timeliness for a whole list (reads the setting once)."""
    today = today or clock.today()
    due_soon_days = app_settings.get_int("due_soon_days")

    def check(proposal: Proposal) -> timeliness.Timeliness:
        return timeliness.classify(
            proposal.answer_deadline, proposal.answered_on, today,
            pending=proposal.state == workflow.ASSIGNED, due_soon_days=due_soon_days,
        )

    return check


# --- visibility -----------------------------------------------------------------------------


def scope(query: Select, user) -> Select:
    """Restrict a select() over Proposal to what user may see (mirrors workflow.can_see)."""
    if user.role in ("coordinator", "leader"):
        return query.where(Proposal.state != workflow.DRAFT)
    if user.role == "commune":
        return query.where(Proposal.commune_unit_id == user.unit_id)
    if user.role == "department":
        supported = select(proposal_support_units.c.proposal_id).where(
            proposal_support_units.c.unit_id == user.unit_id
        )
        return query.where(or_(Proposal.lead_unit_id == user.unit_id, Proposal.id.in_(supported)))
    return query.where(false())


def visible_proposals(user) -> Select:
    return scope(select(Proposal), user)


def get_proposal_or_404(proposal_id: int, user) -> Proposal:
    """Load a proposal user may see; anything else is 404, so ids reveal nothing."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not workflow.can_see(actor_of(user), proposal.facts):
        abort(404)
    return proposal


def can_see_proposal_id(user, proposal_id: int) -> bool:
    """Visibility check for attachments owned by a proposal or its answer."""
    proposal = db.session.get(Proposal, proposal_id)
    return proposal is not None and workflow.can_see(actor_of(user), proposal.facts)


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
    bodies, so communes do not see them."""
    query = select(ProposalEvent).where(ProposalEvent.proposal_id == proposal.id)
    if user.role == "commune":
        query = query.where(ProposalEvent.kind != "opinion")
    query = query.options(selectinload(ProposalEvent.actor), selectinload(ProposalEvent.actor_unit))
    return list(db.session.scalars(query.order_by(ProposalEvent.created_at, ProposalEvent.id)))


def opinions(proposal: Proposal) -> list[ProposalEvent]:
    query = select(ProposalEvent).where(ProposalEvent.proposal_id == proposal.id, ProposalEvent.kind == "opinion")
    query = query.options(selectinload(ProposalEvent.actor), selectinload(ProposalEvent.actor_unit))
    return list(db.session.scalars(query.order_by(ProposalEvent.created_at, ProposalEvent.id)))


def attachments(proposal: Proposal, owner_type: str = OWNER_TYPE) -> list[Attachment]:
    return list(db.session.scalars(Attachment.for_owner(owner_type, proposal.id)))


# --- reference lists the forms offer ----------------------------------------------------------


def active_fields() -> list[Field]:
    return list(db.session.scalars(select(Field).where(Field.active.is_(True)).order_by(Field.sort_order, Field.id)))


def provincial_units() -> list[Unit]:
    """Provincial bodies a proposal may be assigned to."""
    query = select(Unit).where(Unit.kind.not_in(COMMUNE_KINDS), Unit.active.is_(True))
    return sorted(db.session.scalars(query), key=lambda u: u.order_key)


# --- writing --------------------------------------------------------------------------------


def _snapshot(proposal: Proposal, fields: list[str]) -> dict:
    out = audit.snapshot(proposal, fields)
    if fields is STATE_AUDIT_FIELDS:
        out["support_unit_ids"] = sorted(u.id for u in proposal.support_units)
    return out


def _event(proposal, user, action, *, from_state, to_state, note="", kind=None, at=None) -> ProposalEvent:
    event = ProposalEvent(
        proposal=proposal,
        actor_id=user.id,
        actor_unit_id=user.unit_id,
        kind=kind or workflow.RULES.get(action, workflow.RULES["submit"]).kind,
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note or "",
        created_at=at or clock.now(),
    )
    db.session.add(event)
    return event


def _apply(proposal: Proposal, user, action: str, change, *, note: str = "", at=None, fields=STATE_AUDIT_FIELDS):
    """Check action with the workflow, run change(target_state), record event and audit."""
    target = workflow.check(action, actor_of(user), proposal.facts)
    before_state = proposal.state
    before = _snapshot(proposal, fields)
    change(target)
    proposal.state = target
    db.session.flush()
    event = _event(proposal, user, action, from_state=before_state, to_state=target, note=note, at=at)
    audit.record(f"proposal.{action}", proposal, before=before, after=_snapshot(proposal, fields), actor=user)
    return event


def refresh_search(proposal: Proposal) -> None:
    """Fold what people search for (title, content, place, commune) into one column."""
    commune = proposal.commune or db.session.get(Unit, proposal.commune_unit_id)
    parts = [proposal.title, proposal.content, proposal.location or "", commune.name if commune else ""]
    proposal.search_folded = fold(" ".join(parts))


@dataclass
class ProposalInput:
    title: str
    content: str
    field: Field
    requested_amount: int | None = None
    location: str = ""
    meeting: Meeting | None = None


def _fill(proposal: Proposal, data: ProposalInput) -> None:
    if data.requested_amount is not None and data.requested_amount < 0:
        raise ProposalError(_("Số tiền đề nghị không được âm."), "requested_amount")
    proposal.title = data.title.strip()
    proposal.title_folded = fold(proposal.title)
    proposal.content = data.content.strip()
    proposal.field = data.field
    proposal.field_id = data.field.id
    proposal.requested_amount = data.requested_amount
    proposal.location = (data.location or "").strip()
    proposal.meeting = data.meeting
    proposal.meeting_id = data.meeting.id if data.meeting else None
    refresh_search(proposal)


def find_by_idempotency_key(key: str | None, user) -> Proposal | None:
    if not key:
        return None
    return db.session.scalar(
        select(Proposal).where(Proposal.idempotency_key == key, Proposal.author_id == user.id)
    )


def create(user, data: ProposalInput, *, idempotency_key: str | None = None, at=None) -> Proposal:
    """Save a new draft for user's commune."""
    if user.role != "commune":
        raise workflow.NotPermitted("create")
    at = at or clock.now()
    if idempotency_key and db.session.scalar(select(Proposal.id).where(Proposal.idempotency_key == idempotency_key)):
        idempotency_key = None  # someone else's key: never let it point at their proposal
    proposal = Proposal(
        commune_unit_id=user.unit_id,
        commune=user.unit,
        author_id=user.id,
        state=workflow.DRAFT,
        idempotency_key=idempotency_key,
        created_at=at,
        updated_at=at,
    )
    _fill(proposal, data)
    db.session.add(proposal)
    db.session.flush()
    _event(proposal, user, "create", from_state=None, to_state=workflow.DRAFT, kind="transition", at=at)
    audit.record("proposal.create", proposal, after=_snapshot(proposal, CONTENT_AUDIT_FIELDS), actor=user)
    return proposal


def record_received(user, commune: Unit, data: ProposalInput, *, source: str, at=None) -> Proposal:
    """Record a proposal a commune sent outside the site (a list typed at a meeting, a
    spreadsheet): the coordinator enters it as submitted and already received.

    source names the file and row; the timeline and the audit event show it.
    """
    if user.role != "coordinator":
        raise workflow.NotPermitted("import")
    if not commune.is_commune or not commune.active:
        raise ProposalError(_("Kiến nghị phải của một xã, phường đang hoạt động."), "commune")
    at = at or clock.now()
    proposal = Proposal(
        commune_unit_id=commune.id,
        commune=commune,
        author_id=user.id,
        state=workflow.SUBMITTED,
        created_at=at,
        updated_at=at,
        submitted_at=at,
        received_at=at,
        support_units=[],  # known empty: spares a lazy load per row when an import assigns it
    )
    _fill(proposal, data)
    db.session.add(proposal)
    db.session.flush()
    _event(proposal, user, "import", from_state=None, to_state=workflow.SUBMITTED, note=source, kind="transition", at=at)
    after = _snapshot(proposal, CONTENT_AUDIT_FIELDS)
    after.update(commune_unit_id=commune.id, state=workflow.SUBMITTED, source=source)
    audit.record("proposal.import", proposal, after=after, actor=user)
    return proposal


def update(proposal: Proposal, user, data: ProposalInput, *, at=None) -> None:
    """Change a draft's or a returned proposal's content."""
    workflow.check("edit", actor_of(user), proposal.facts)
    before = _snapshot(proposal, CONTENT_AUDIT_FIELDS)
    _fill(proposal, data)
    db.session.flush()
    after = _snapshot(proposal, CONTENT_AUDIT_FIELDS)
    if before == after:
        return
    _event(proposal, user, "edit", from_state=proposal.state, to_state=proposal.state, at=at)
    audit.record("proposal.update", proposal, before=before, after=after, actor=user)


def add_attachments(proposal: Proposal, user, checked_files, owner_type: str = OWNER_TYPE) -> list[Attachment]:
    saved = [storage.save(checked, owner_type, proposal.id, user) for checked in checked_files]
    db.session.flush()
    for attachment in saved:
        audit.record(
            "attachment.create", attachment,
            after={"owner": f"{owner_type}:{proposal.id}", "name": attachment.original_name, "size": attachment.size},
            actor=user,
        )
    return saved


def remove_attachment(proposal: Proposal, user, attachment: Attachment, *, at=None) -> None:
    """Remove a file from a draft (never from anything the province has received)."""
    workflow.check("remove_file", actor_of(user), proposal.facts)
    if (attachment.owner_type, attachment.owner_id) != (OWNER_TYPE, proposal.id):
        raise workflow.NotPermitted("remove_file")
    path = storage.path_of(attachment)
    audit.record("attachment.delete", attachment, actor=user,
                 before={"owner": f"{OWNER_TYPE}:{proposal.id}", "name": attachment.original_name, "size": attachment.size})
    _event(proposal, user, "remove_file", from_state=proposal.state, to_state=proposal.state,
           note=attachment.original_name, at=at)
    db.session.delete(attachment)
    db.session.flush()
    if os.path.exists(path):
        os.remove(path)


def delete_draft(proposal: Proposal, user) -> None:
    """Delete a draft and its files. Anything ever submitted stays on record."""
    workflow.check("delete", actor_of(user), proposal.facts)
    if proposal.submitted_at is not None:
        # Only drafts pass the workflow check; this keeps the promise that anything
        # once sent stays on record even if the rules above change one day.
        raise workflow.InvalidState("delete")
    before = _snapshot(proposal, CONTENT_AUDIT_FIELDS)
    files = attachments(proposal)
    for attachment in files:
        path = storage.path_of(attachment)
        db.session.delete(attachment)
        if os.path.exists(path):
            os.remove(path)
    audit.record("proposal.delete", proposal, before=before, actor=user)
    db.session.delete(proposal)
    db.session.flush()


def submit(proposal: Proposal, user, *, at=None) -> None:
    at = at or clock.now()
    again = proposal.state == workflow.RETURNED

    def change(target):
        proposal.submitted_at = at
        proposal.received_at = None
        proposal.return_reason = None

    _apply(proposal, user, "submit", change, at=at)
    notices.submitted(proposal, user, again=again)


def withdraw(proposal: Proposal, user, note: str = "", *, at=None) -> None:
    _apply(proposal, user, "withdraw", lambda target: None, note=note, at=at)


def receive(proposal: Proposal, user, *, at=None) -> None:
    at = at or clock.now()

    def change(target):
        proposal.received_at = at

    _apply(proposal, user, "receive", change, at=at)


def return_to_commune(proposal: Proposal, user, reason: str, *, at=None) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise ProposalError(_("Nêu lý do trả lại để xã, phường bổ sung."), "note")

    def change(target):
        proposal.return_reason = reason

    _apply(proposal, user, "return", change, note=reason, at=at)
    notices.returned(proposal, user)


def classify(proposal: Proposal, user, field: Field, *, at=None) -> None:
    """Set or correct the proposal's field."""
    if field.id == proposal.field_id:
        workflow.check("classify", actor_of(user), proposal.facts)
        return
    old = proposal.field.name

    def change(target):
        proposal.field = field
        proposal.field_id = field.id

    _apply(proposal, user, "classify", change, note=_("%(old)s → %(new)s", old=old, new=field.name), at=at)


def _check_units(lead: Unit, supports: list[Unit]) -> list[Unit]:
    if lead is None or lead.is_commune or not lead.active:
        raise ProposalError(_("Chọn đơn vị chủ trì là một cơ quan cấp tỉnh trong danh sách."), "lead_unit_id")
    clean = []
    for unit in supports:
        if unit.is_commune or not unit.active:
            raise ProposalError(_("Đơn vị phối hợp phải là cơ quan cấp tỉnh trong danh sách."), "support_unit_ids")
        if unit.id == lead.id:
            raise ProposalError(_("Đơn vị chủ trì không đồng thời là đơn vị phối hợp."), "support_unit_ids")
        if unit not in clean:
            clean.append(unit)
    return clean


def _check_deadline(deadline: date, proposal: Proposal, at: datetime) -> None:
    """A new deadline cannot be in the past; keeping the current one (even overdue) is fine."""
    if deadline < clock.local_date(at) and deadline != proposal.answer_deadline:
        raise ProposalError(_("Hạn trả lời không được trước ngày hôm nay."), "answer_deadline")


def _check_period(period: Period) -> None:
    if not 1 <= period.days <= MAX_PERIOD_DAYS:
        raise ProposalError(_("Số ngày từ 1 đến 365."), "deadline_days")


def _assignment_note(lead: Unit, supports: list[Unit], deadline: date, note: str, period: Period | None = None) -> str:
    parts = [_("Chủ trì: %(unit)s", unit=lead.name)]
    if supports:
        parts.append(_("Phối hợp: %(units)s", units=", ".join(u.name for u in supports)))
    if period is not None:
        parts.append(_("Hạn trả lời: %(date)s (%(period)s)", date=format_date(deadline), period=period.label))
    else:
        parts.append(_("Hạn trả lời: %(date)s", date=format_date(deadline)))
    text = "; ".join(parts) + "."
    return f"{text}\n{note.strip()}" if note and note.strip() else text


def assign(
    proposal: Proposal,
    user,
    lead: Unit,
    supports: list[Unit] | None = None,
    *,
    deadline: date | None = None,
    period: Period | None = None,
    field: Field | None = None,
    note: str = "",
    at=None,
) -> None:
    """Assign (or, once assigned, re-assign) a lead department, supports and a deadline.

    The deadline is a date, or a period (n calendar or working days) counted from the
    province's today; without either, the field's answer period, else the site setting.
    """
    at = at or clock.now()
    action = "reassign" if proposal.state == workflow.ASSIGNED else "assign"
    workflow.check(action, actor_of(user), proposal.facts)
    supports = _check_units(lead, supports or [])
    field = field or proposal.field
    before = notices.unit_roles(proposal) if action == "reassign" else set()
    if period is not None:
        _check_period(period)
        deadline = period.deadline_from(clock.local_date(at))
    elif deadline is None:
        period = default_period(field)
        deadline = period.deadline_from(clock.local_date(at))
    else:
        _check_deadline(deadline, proposal, at)

    def change(target):
        proposal.field = field
        proposal.field_id = field.id
        proposal.lead_unit = lead
        proposal.lead_unit_id = lead.id
        proposal.support_units = supports
        proposal.answer_deadline = deadline
        if action == "assign":
            proposal.assigned_at = at

    _apply(proposal, user, action, change, note=_assignment_note(lead, supports, deadline, note, period), at=at)
    notices.assigned(proposal, user, before)


def bulk_assign(proposals: list[Proposal], user, lead: Unit, *, deadline: date | None = None, at=None) -> None:
    """Assign several proposals of one field to one lead department at once."""
    if not proposals:
        raise ProposalError(_("Chọn ít nhất một kiến nghị."), "ids")
    if len({p.field_id for p in proposals}) > 1:
        raise ProposalError(_("Chỉ giao cùng lúc các kiến nghị thuộc cùng một lĩnh vực."), "ids")
    for proposal in proposals:
        if proposal.state != workflow.SUBMITTED:
            raise ProposalError(
                _("Kiến nghị “%(title)s” không còn ở trạng thái chờ phân công.", title=proposal.title), "ids"
            )
    for proposal in proposals:
        assign(proposal, user, lead, [], deadline=deadline, at=at)


def bulk_receive(proposals: list[Proposal], user, *, at=None) -> int:
    """Receive the selected submitted proposals that are not received yet; return how many."""
    if not proposals:
        raise ProposalError(_("Chọn ít nhất một kiến nghị."), "ids")
    count = 0
    for proposal in proposals:
        if workflow.can("receive", actor_of(user), proposal.facts):
            receive(proposal, user, at=at)
            count += 1
    return count


def answer(
    proposal: Proposal,
    user,
    outcome: str,
    text: str,
    *,
    planned_on: date | None = None,
    at=None,
) -> None:
    """The lead department answers with an outcome (and a planned date when in progress)."""
    at = at or clock.now()
    workflow.check("answer", actor_of(user), proposal.facts)
    if outcome not in workflow.OUTCOMES:
        raise ProposalError(_("Chọn kết quả trả lời."), "outcome")
    if outcome == workflow.IN_PROGRESS and planned_on is None:
        raise ProposalError(_("Nhập thời gian dự kiến hoàn thành."), "planned_on")
    text = (text or "").strip()
    if not text:
        raise ProposalError(_("Nhập nội dung trả lời."), "text")

    def change(target):
        proposal.answer_outcome = outcome
        proposal.answer_planned_on = planned_on if outcome == workflow.IN_PROGRESS else None
        proposal.answer_text = text
        proposal.answered_at = at
        proposal.answered_on = clock.local_date(at)
        proposal.answered_by_id = user.id

    label = str(workflow.OUTCOME_LABELS[outcome])
    if outcome == workflow.IN_PROGRESS:
        label += " " + _("(dự kiến %(date)s)", date=format_date(planned_on))
    _apply(proposal, user, "answer", change, note=f"{label}: {text}", at=at)
    notices.answered(proposal, user)


def close(proposal: Proposal, user, note: str = "", *, at=None) -> None:
    at = at or clock.now()

    def change(target):
        proposal.closed_at = at

    _apply(proposal, user, "close", change, note=note, at=at)
    notices.closed(proposal, user)


def reopen(proposal: Proposal, user, reason: str, *, deadline: date | None = None, at=None) -> None:
    """Send an answered or closed proposal back to its departments; the old answer stays in the timeline."""
    at = at or clock.now()
    reason = (reason or "").strip()
    if not reason:
        raise ProposalError(_("Nêu lý do mở lại."), "note")
    if deadline is not None:
        _check_deadline(deadline, proposal, at)

    def change(target):
        proposal.answer_outcome = None
        proposal.answer_planned_on = None
        proposal.answer_text = None
        proposal.answered_at = None
        proposal.answered_on = None
        proposal.answered_by_id = None
        proposal.closed_at = None
        proposal.feedback = None
        proposal.feedback_text = None
        proposal.feedback_at = None
        if deadline is not None:
            proposal.answer_deadline = deadline

    note = reason
    if deadline is not None:
        note += "\n" + _("Hạn trả lời mới: %(date)s", date=format_date(deadline))
    _apply(proposal, user, "reopen", change, note=note, at=at)
    notices.reopened(proposal, user)


def give_feedback(proposal: Proposal, user, feedback: str, text: str = "", *, at=None) -> None:
    """The commune says whether it agrees with the answer."""
    at = at or clock.now()
    if feedback not in workflow.FEEDBACK_LABELS:
        raise ProposalError(_("Chọn đồng ý hoặc chưa đồng ý."), "feedback")
    text = (text or "").strip()
    if feedback == workflow.DISAGREE and not text:
        raise ProposalError(_("Nêu lý do chưa đồng ý với câu trả lời."), "text")

    def change(target):
        proposal.feedback = feedback
        proposal.feedback_text = text
        proposal.feedback_at = at

    label = str(workflow.FEEDBACK_LABELS[feedback])
    _apply(proposal, user, "feedback", change, note=f"{label}: {text}" if text else label, at=at)
    notices.feedback_given(proposal, user)


def add_note(proposal: Proposal, user, text: str, *, action: str | None = None, at=None) -> ProposalEvent:
    """Add a comment, a support opinion or a leader's comment to the timeline."""
    actor = actor_of(user)
    action = action or workflow.note_action(actor, proposal.facts) or "comment"
    if action not in workflow.NOTE_ACTIONS:
        raise workflow.NotPermitted(action)
    workflow.check(action, actor, proposal.facts)
    text = (text or "").strip()
    if not text:
        raise ProposalError(_("Nhập nội dung ý kiến."), "text")
    event = _event(proposal, user, action, from_state=proposal.state, to_state=proposal.state, note=text, at=at)
    db.session.flush()
    audit.record(f"proposal.{action}", proposal, after={"note": text}, actor=user)
    if action == "leader_comment":
        notices.leader_commented(proposal, user)
    return event


# --- listing --------------------------------------------------------------------------------


# The commune joined for sorting by its name.
_Commune = aliased(Unit, name="commune_unit")


@dataclass
class ListFilters:
    q: str = ""
    state: str = ""
    field_id: int | None = None
    commune_id: int | None = None
    department_id: int | None = None  # lead or support
    lead_id: int | None = None  # lead (chủ trì) only: the unit that answers
    meeting_id: int | None = None
    timeliness: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def as_args(self) -> dict:
        """The filters as query-string arguments (for links that keep them)."""
        out = {
            "q": self.q, "state": self.state, "field": self.field_id, "commune": self.commune_id,
            "department": self.department_id, "lead": self.lead_id, "meeting": self.meeting_id, "timeliness": self.timeliness,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }
        return {key: value for key, value in out.items() if value}


def timeliness_clause(key: str, today: date):
    """SQL twin of timeliness.classify, for filtering lists."""
    answered = Proposal.state.in_((workflow.ANSWERED, workflow.CLOSED))
    pending = Proposal.state == workflow.ASSIGNED
    if key == timeliness.ANSWERED_ON_TIME:
        return and_(answered, Proposal.answered_on <= Proposal.answer_deadline)
    if key == timeliness.ANSWERED_LATE:
        return and_(answered, Proposal.answered_on > Proposal.answer_deadline)
    if key == timeliness.PENDING_ON_TIME:
        return and_(pending, Proposal.answer_deadline >= today)
    if key == timeliness.PENDING_OVERDUE:
        return and_(pending, Proposal.answer_deadline < today)
    return true()


def search_clause(q: str):
    """Every word of q, folded, must appear in the folded text: "truong hoc" finds "Trường học"."""
    return search.matches(q, Proposal.search_folded)


def filtered_query(user, filters: ListFilters, today: date | None = None) -> Select:
    """select(Proposal) scoped to user and filtered; no order, no joins, no loader options."""
    query = visible_proposals(user)
    if filters.q:
        query = query.where(search_clause(filters.q))
    if filters.state in workflow.STATES:
        query = query.where(Proposal.state == filters.state)
    if filters.field_id:
        query = query.where(Proposal.field_id == filters.field_id)
    if filters.commune_id:
        query = query.where(Proposal.commune_unit_id == filters.commune_id)
    if filters.department_id:
        supported = select(proposal_support_units.c.proposal_id).where(
            proposal_support_units.c.unit_id == filters.department_id
        )
        query = query.where(or_(Proposal.lead_unit_id == filters.department_id, Proposal.id.in_(supported)))
    if filters.lead_id:
        query = query.where(Proposal.lead_unit_id == filters.lead_id)
    if filters.meeting_id:
        query = query.where(Proposal.meeting_id == filters.meeting_id)
    if filters.timeliness in timeliness.KEYS:
        query = query.where(timeliness_clause(filters.timeliness, today or clock.today()))
    # sent_at is coalesce(submitted_at, created_at), stored so that an index serves it.
    if filters.date_from:
        query = query.where(Proposal.sent_at >= clock.start_of_day(filters.date_from))
    if filters.date_to:
        query = query.where(Proposal.sent_at < clock.start_of_day(filters.date_to + timedelta(days=1)))
    return query


def list_query(user, filters: ListFilters, order_by, today: date | None = None) -> Select:
    """The list screen's query: scoped to user, filtered, ordered (every row; see list_page)."""
    query = (
        filtered_query(user, filters, today)
        .join(_Commune, Proposal.commune_unit_id == _Commune.id)
        .options(
            selectinload(Proposal.commune), selectinload(Proposal.field),
            selectinload(Proposal.lead_unit), selectinload(Proposal.support_units),
            selectinload(Proposal.meeting),
        )
    )
    return query.order_by(order_by, Proposal.id.desc())


def sort_columns() -> dict:
    """Allow-listed sort keys for ?sort= (see app.listing.parse_sort)."""
    return {
        "submitted": Proposal.sent_at,
        "title": Proposal.title_folded,
        "commune": _Commune.name_folded,
        "state": Proposal.state,
        "deadline": Proposal.answer_deadline,
        "amount": Proposal.requested_amount,
    }


# How each sort reads its value back from a row, for the cursor: (column, row -> value, type, nullable).
_SORT_VALUES = {
    "submitted": (lambda p: p.sent_at, datetime, False),
    "title": (lambda p: p.title_folded, str, False),
    "commune": (lambda p: p.commune.name_folded, str, False),
    "state": (lambda p: p.state, str, False),
    "deadline": (lambda p: p.answer_deadline, date, True),
    "amount": (lambda p: p.requested_amount, int, True),
}


def sort_keys(sort: str) -> list[SortKey]:
    """The keyset order of ?sort=sort: its column, then the id (newest first) to break ties."""
    name = sort.lstrip("-")
    value, kind, nullable = _SORT_VALUES[name]
    return [
        SortKey(sort_columns()[name], value, kind, descending=sort.startswith("-"), nullable=nullable),
        SortKey(Proposal.id, lambda p: p.id, int, descending=True),
    ]


def list_page(user, filters: ListFilters, sort: str, *, per_page: int, after: str | None = None,
              before: str | None = None, today: date | None = None) -> KeysetPage:
    """One page of the list screen: keyset-paginated, with a bounded total (app.listing)."""
    base = filtered_query(user, filters, today)
    query = base.options(selectinload(Proposal.commune), selectinload(Proposal.field), selectinload(Proposal.lead_unit))
    if sort.lstrip("-") == "commune":
        query = query.join(_Commune, Proposal.commune_unit_id == _Commune.id)
    return keyset_page(query, base.with_only_columns(Proposal.id), sort_keys(sort), sort=sort,
                       per_page=per_page, after=after, before=before, text_search=bool(filters.q))


def units_by_ids(ids: list[int]) -> list[Unit]:
    if not ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids))))


def communes() -> list[Unit]:
    rows = db.session.scalars(select(Unit).where(Unit.kind.in_(COMMUNE_KINDS), Unit.active.is_(True)))
    return sorted(rows, key=lambda u: u.order_key)
