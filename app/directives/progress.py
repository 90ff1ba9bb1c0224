"""The assignment workflow's effects: reports, completion, extensions, suspension, and the
assignment's timeline. workflow.py decides what may happen; this module writes it down."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit, clock, policy
from app.attachments import storage
from app.delegation import people as delegation_people
from app.delegation import reopening
from app.delegation import workflow as delegation_workflow
from app.directives import notices, workflow
from app.directives.models import (
    Assignment,
    AssignmentEvent,
    ExtensionRequest,
    ProgressReport,
)
from app.extensions import db
from app.models import Attachment, User
from app.service_error import ServiceError
from app.text import nfc

ASSIGNMENT_AUDIT_FIELDS = [
    "state", "role", "original_deadline", "extended_deadline", "completion_requested_on", "completed_on",
    "state_reason",
]
EXTENSION_AUDIT_FIELDS = ["state", "previous_deadline", "requested_deadline", "reason", "decision_note"]


# Timeline event kinds and how the timeline names them.
EVENT_LABELS = {
    "assigned": _l("Giao nhiệm vụ"),
    "report": _l("Báo cáo tiến độ"),
    "completion_requested": _l("Đề nghị xác nhận hoàn thành"),
    "confirmed": _l("Xác nhận hoàn thành"),
    "sent_back": _l("Trả lại, chưa xác nhận hoàn thành"),
    "extension_requested": _l("Đề nghị gia hạn"),
    "extension_approved": _l("Đồng ý gia hạn"),
    "extension_refused": _l("Không đồng ý gia hạn"),
    "extension_withdrawn": _l("Đề nghị gia hạn không còn xem xét"),
    "suspended": _l("Tạm hoãn"),
    "resumed": _l("Tiếp tục thực hiện"),
    "cancelled": _l("Hủy nhiệm vụ"),
    "deadline_changed": _l("Điều chỉnh thời hạn theo chỉ đạo"),
    "nudged": _l("Văn phòng đôn đốc báo cáo"),
} | delegation_workflow.TIMELINE_LABELS


def actor_of(user, assignment: Assignment) -> str | None:
    return workflow.actor_for(user.role, user.unit_id, assignment.unit_id)


def pending_extension(assignment: Assignment) -> ExtensionRequest | None:
    query = select(ExtensionRequest).where(
        ExtensionRequest.assignment_id == assignment.id, ExtensionRequest.state == workflow.EXT_PENDING
    )
    return db.session.scalars(query.order_by(ExtensionRequest.id)).first()


def allowed_actions(user, assignment: Assignment) -> list[str]:
    return workflow.allowed_actions(
        actor_of(user, assignment),
        assignment.state,
        has_deadline=assignment.deadline is not None,
        extension_pending=pending_extension(assignment) is not None,
    )


def check_action(action: str, user, assignment: Assignment, *, on_behalf: bool = False) -> str:
    """The state after action, or WorkflowError (permission=True means 403).

    on_behalf: the coordinator records what the unit sent outside the site (a spreadsheet
    of reports), so the unit's rules apply; for anyone else it changes nothing.
    """
    actor = actor_of(user, assignment)
    if on_behalf and user.role == policy.COORDINATOR:
        actor = workflow.UNIT
    return workflow.check(
        action,
        actor,
        assignment.state,
        has_deadline=assignment.deadline is not None,
        extension_pending=pending_extension(assignment) is not None,
    )


def add_event(assignment, user, kind, *, from_state=None, to_state=None, note=None, report=None, extension=None, at=None):
    event = AssignmentEvent(
        assignment_id=assignment.id, actor_id=getattr(user, "id", None), kind=kind,
        from_state=from_state, to_state=to_state, note=nfc(note) if note else None,
        report=report, extension=extension,
    )
    if at is not None:
        event.created_at = at
    db.session.add(event)
    return event


def _transition(
    assignment: Assignment, user, action: str, kind: str, note: str | None = None, *,
    on_behalf: bool = False, source: str | None = None, **changes,
) -> None:
    """Move assignment through action: check, change, timeline, audit."""
    new_state = check_action(action, user, assignment, on_behalf=on_behalf)
    before = audit.snapshot(assignment, ASSIGNMENT_AUDIT_FIELDS)
    old_state = assignment.state
    assignment.state = new_state
    for name, value in changes.items():
        setattr(assignment, name, value)
    if workflow.ends_pending_extensions(new_state):
        _withdraw_pending_extensions(assignment, user)
    if source:
        note = f"{note}\n{source}" if note else source
    add_event(assignment, user, kind, from_state=old_state, to_state=new_state, note=note)
    after = audit.snapshot(assignment, ASSIGNMENT_AUDIT_FIELDS)
    if source:
        after["source"] = source
    audit.record(f"assignment.{action}", assignment, before=before, after=after)


def _withdraw_pending_extensions(assignment: Assignment, user) -> None:
    extension = pending_extension(assignment)
    if extension is not None:
        before = audit.snapshot(extension, EXTENSION_AUDIT_FIELDS)
        extension.state = workflow.EXT_WITHDRAWN
        extension.decided_at = clock.now()
        extension.decided_by_id = getattr(user, "id", None)
        add_event(assignment, user, "extension_withdrawn", extension=extension)
        audit.record("extension.withdrawn", extension, before=before, after=audit.snapshot(extension, EXTENSION_AUDIT_FIELDS))


def refuse_undrafted(user, assignment: Assignment) -> None:
    """An officer of a unit whose head approves what leaves it writes a draft instead
    (app/delegation); the head, or a unit working as a whole, sends directly as before."""
    if delegation_people.must_draft(user, assignment.unit_id):
        raise ServiceError(_l("Đơn vị yêu cầu lãnh đạo duyệt trước khi gửi: hãy soạn dự thảo ở mục Phân công trong đơn vị."),
                           "text")


def add_report(
    assignment: Assignment, user, text: str, percent: int, files: list[storage.CheckedFile] = (), at=None,
    *, source: str | None = None, on_behalf: bool = False,
) -> ProgressReport:
    """Add a progress report with its files; the caller commits.

    source (an uploaded file and row) is added to the timeline note and the audit event;
    on_behalf lets the coordinator record a unit's report (see check_action).
    """
    check_action(workflow.REPORT, user, assignment, on_behalf=on_behalf)
    refuse_undrafted(user, assignment)
    report = ProgressReport(assignment_id=assignment.id, text=text.strip(), percent=percent, author_id=user.id)
    if at is not None:
        report.created_at = at
    db.session.add(report)
    db.session.flush()
    for checked in files:
        storage.save(checked, "progress_report", report.id, user)
    add_event(assignment, user, "report", note=f"{percent}% — {source}" if source else f"{percent}%", report=report, at=at)
    after = {"report_id": report.id, "percent": percent, "files": [c.original_name for c in files]}
    if source:
        after["source"] = source
    audit.record("assignment.report", assignment, after=after)
    return report


def request_completion(
    assignment: Assignment, user, on: date, note: str | None = None, *,
    source: str | None = None, on_behalf: bool = False,
) -> None:
    """The unit says it is done; the day it asked becomes the completion date once confirmed."""
    refuse_undrafted(user, assignment)
    _transition(
        assignment, user, workflow.REQUEST_COMPLETION, "completion_requested", note,
        on_behalf=on_behalf, source=source, completion_requested_on=on,
    )
    notices.completion_requested(assignment, user)


def confirm_completion(assignment: Assignment, user, note: str | None = None) -> None:
    _transition(assignment, user, workflow.CONFIRM, "confirmed", note, completed_on=assignment.completion_requested_on)
    notices.completion_confirmed(assignment, user)


def send_back(assignment: Assignment, user, reason: str) -> None:
    _transition(assignment, user, workflow.SEND_BACK, "sent_back", reason, completion_requested_on=None)
    notices.sent_back(assignment, user)
    reopening.assignment_sent_back(assignment, user)


def suspend(assignment: Assignment, user, reason: str) -> None:
    _transition(assignment, user, workflow.SUSPEND, "suspended", reason, state_reason=reason, completion_requested_on=None)


def resume(assignment: Assignment, user, note: str | None = None) -> None:
    _transition(assignment, user, workflow.RESUME, "resumed", note, state_reason=None)


def cancel(assignment: Assignment, user, reason: str) -> None:
    _transition(assignment, user, workflow.CANCEL, "cancelled", reason, state_reason=reason)


def request_extension(assignment: Assignment, user, requested: date, reason: str, on: date) -> ExtensionRequest:
    """Ask to move the deadline; the original stays on record whatever the decision."""
    check_action(workflow.REQUEST_EXTENSION, user, assignment)
    try:
        workflow.check_extension_date(requested, assignment.deadline, on)
    except workflow.WorkflowError as error:
        raise ServiceError(error.message, field="requested_deadline") from None
    extension = ExtensionRequest(
        assignment_id=assignment.id, previous_deadline=assignment.deadline, requested_deadline=requested,
        reason=nfc(reason.strip()), requested_by_id=user.id,
    )
    db.session.add(extension)
    db.session.flush()
    add_event(assignment, user, "extension_requested", note=extension.reason, extension=extension)
    audit.record("extension.request", extension, after=audit.snapshot(extension, EXTENSION_AUDIT_FIELDS))
    notices.extension_requested(assignment, extension, user)
    return extension


def decide_extension(assignment: Assignment, user, approve: bool, note: str | None = None) -> ExtensionRequest:
    """Approve (the new date becomes the deadline in force) or refuse the pending request."""
    action = workflow.APPROVE_EXTENSION if approve else workflow.REFUSE_EXTENSION
    check_action(action, user, assignment)
    extension = pending_extension(assignment)
    before = audit.snapshot(extension, EXTENSION_AUDIT_FIELDS)
    extension.state = workflow.decide_extension(extension.state, approve)
    extension.decided_by_id = user.id
    extension.decided_at = clock.now()
    extension.decision_note = nfc(note.strip()) if note and note.strip() else None
    if approve:
        assignment_before = audit.snapshot(assignment, ASSIGNMENT_AUDIT_FIELDS)
        assignment.extended_deadline = extension.requested_deadline
        audit.record("assignment.extend", assignment, before=assignment_before,
                     after=audit.snapshot(assignment, ASSIGNMENT_AUDIT_FIELDS))
    add_event(assignment, user, "extension_approved" if approve else "extension_refused",
           note=extension.decision_note, extension=extension)
    audit.record(f"extension.{extension.state}", extension, before=before,
                 after=audit.snapshot(extension, EXTENSION_AUDIT_FIELDS))
    notices.extension_decided(assignment, extension, user)
    return extension


def timeline(assignment: Assignment) -> list[AssignmentEvent]:
    """The assignment's events, oldest first, with their reports and extension requests."""
    query = select(AssignmentEvent).where(AssignmentEvent.assignment_id == assignment.id).options(
        selectinload(AssignmentEvent.actor).selectinload(User.unit),
        selectinload(AssignmentEvent.report),
        selectinload(AssignmentEvent.extension),
    )
    return list(db.session.scalars(query.order_by(AssignmentEvent.created_at, AssignmentEvent.id)))


def report_attachments(report_ids: list[int]) -> dict[int, list[Attachment]]:
    if not report_ids:
        return {}
    query = (
        select(Attachment)
        .where(Attachment.owner_type == "progress_report", Attachment.owner_id.in_(report_ids))
        .order_by(Attachment.id)
    )
    out: dict[int, list[Attachment]] = {}
    for attachment in db.session.scalars(query):
        out.setdefault(attachment.owner_id, []).append(attachment)
    return out


def extensions_of(assignment: Assignment) -> list[ExtensionRequest]:
    query = select(ExtensionRequest).where(ExtensionRequest.assignment_id == assignment.id)
    return list(db.session.scalars(query.order_by(ExtensionRequest.id)))
