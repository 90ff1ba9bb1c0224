"""Every change to a proposal: the workflow's effects, its content and files.

Every write adds a timeline event and an audit event to the session; callers commit.
State changes go through workflow.check, never around it.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit, clock
from app.attachments import storage
from app.deadline_choice import MAX_PERIOD_DAYS, Period
from app.delegation import people as delegation_people
from app.delegation import reopening
from app.extensions import db
from app.formatting import format_date
from app.models import Attachment, Field, Meeting, Unit
from app.proposals import notices, workflow
from app.proposals.models import Proposal, ProposalEvent
from app.proposals.timing import default_period
from app.proposals.visibility import OWNER_TYPE, actor_of, attachments
from app.service_error import ServiceError
from app.text import fold

CONTENT_AUDIT_FIELDS = ["title", "content", "field_id", "requested_amount", "location", "meeting_id"]
STATE_AUDIT_FIELDS = [
    "state", "field_id", "lead_unit_id", "answer_deadline", "answer_outcome",
    "answer_planned_on", "feedback", "received_at", "closed_at",
]


class ProposalError(ServiceError):
    """A proposal request the rules refuse (app.service_error.ServiceError's shape)."""


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
    audit.record("attachment.delete", attachment, actor=user,
                 before={"owner": f"{OWNER_TYPE}:{proposal.id}", "name": attachment.original_name, "size": attachment.size})
    _event(proposal, user, "remove_file", from_state=proposal.state, to_state=proposal.state,
           note=attachment.original_name, at=at)
    storage.remove(attachment)  # the file goes once this commits
    db.session.flush()


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
        storage.remove(attachment)  # the files go once this commits
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


def _refuse_undrafted(user, unit_id) -> None:
    """An officer of a unit whose head approves what leaves it writes a draft instead
    (app/delegation); the head, or a unit working as a whole, sends directly as before."""
    if delegation_people.must_draft(user, unit_id):
        raise ProposalError(_("Đơn vị yêu cầu lãnh đạo duyệt trước khi gửi: hãy soạn dự thảo ở mục Phân công trong đơn vị."), "text")


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
    _refuse_undrafted(user, proposal.lead_unit_id)
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
    reopening.proposal_reopened(proposal, user)


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
    if action == "opinion":
        _refuse_undrafted(user, user.unit_id)
    text = (text or "").strip()
    if not text:
        raise ProposalError(_("Nhập nội dung ý kiến."), "text")
    event = _event(proposal, user, action, from_state=proposal.state, to_state=proposal.state, note=text, at=at)
    db.session.flush()
    audit.record(f"proposal.{action}", proposal, after={"note": text}, actor=user)
    if action == "leader_comment":
        notices.leader_commented(proposal, user)
    return event

