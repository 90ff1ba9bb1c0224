"""Issuing and editing directives, leaders' comments, and the directive's history."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit, clock
from app.attachments import storage
from app.directives import notices, status, workflow
from app.directives.models import (
    Assignment,
    Directive,
    DirectiveEvent,
)
from app.directives.progress import add_event
from app.extensions import db
from app.text import nfc

DIRECTIVE_AUDIT_FIELDS = [
    "meeting_id", "issued_by_name", "issued_by_title", "title", "content", "field_id",
    "deadline", "is_ongoing", "reporting_period",
]


DIRECTIVE_EVENT_LABELS = {
    "created": _l("Ban hành chỉ đạo"),
    "updated": _l("Sửa nội dung chỉ đạo"),
    "assigned": _l("Giao cho đơn vị"),
    "comment": _l("Ý kiến chỉ đạo của lãnh đạo"),
}
DIRECTIVE_FIELD_LABELS = {
    "meeting_id": _l("Hội nghị"),
    "issued_by_name": _l("Người chỉ đạo"),
    "issued_by_title": _l("Chức vụ"),
    "title": _l("Trích yếu"),
    "content": _l("Nội dung"),
    "field_id": _l("Lĩnh vực"),
    "deadline": _l("Thời hạn"),
    "is_ongoing": _l("Thường xuyên"),
    "reporting_period": _l("Kỳ báo cáo"),
    "files_added": _l("Tệp đính kèm"),
}


def _apply_directive(directive: Directive, data: dict) -> None:
    directive.meeting_id = data.get("meeting_id") or None
    directive.issued_by_name = (data.get("issued_by_name") or "").strip()
    directive.issued_by_title = nfc((data.get("issued_by_title") or "").strip())
    directive.title = data["title"].strip()
    directive.content = data["content"].strip()
    directive.field_id = data.get("field_id") or None
    directive.is_ongoing = bool(data.get("is_ongoing"))
    period = data.get("deadline_period")
    if directive.is_ongoing:
        directive.deadline = None
    elif period is not None:  # n calendar or working days, counted from the province's today
        directive.deadline = period.deadline_from(clock.today())
    else:
        directive.deadline = data.get("deadline")
    directive.reporting_period = data.get("reporting_period") if directive.is_ongoing else None


def create_directive(
    data: dict, user, files: list[storage.CheckedFile] = (), *, source: str | None = None
) -> Directive:
    """Issue a directive (not yet assigned to anyone); the caller commits.

    source says where it came from when not typed in the form (an imported file and row):
    the history and the audit log show it.
    """
    directive = Directive(created_by_id=user.id)
    _apply_directive(directive, data)
    db.session.add(directive)
    db.session.flush()
    for checked in files:
        storage.save(checked, "directive", directive.id, user)
    db.session.add(DirectiveEvent(directive_id=directive.id, actor_id=user.id, kind="created", note=source))
    after = audit.snapshot(directive, DIRECTIVE_AUDIT_FIELDS)
    if source:
        after["source"] = source
    audit.record("directive.create", directive, after=after)
    return directive


def update_directive(directive: Directive, data: dict, user, files: list[storage.CheckedFile] = ()) -> dict:
    """Edit a directive, keeping every assignment and its history; returns what changed.

    A new deadline (or a switch to or from "ongoing") applies to the assignments still open;
    finished ones keep the deadline they were judged against. An approved extension that the
    new deadline overtakes is dropped, since the general deadline now gives more time.
    """
    before = audit.snapshot(directive, DIRECTIVE_AUDIT_FIELDS)
    old_deadline = directive.deadline
    _apply_directive(directive, data)
    for checked in files:
        storage.save(checked, "directive", directive.id, user)
    after = audit.snapshot(directive, DIRECTIVE_AUDIT_FIELDS)
    changes = {key: [before[key], after[key]] for key in DIRECTIVE_AUDIT_FIELDS if before[key] != after[key]}
    if files:
        changes["files_added"] = [None, [c.original_name for c in files]]
    if not changes:
        return changes
    if directive.deadline != old_deadline:
        after["assignments_moved"] = _follow_deadline(directive, user)
    db.session.add(DirectiveEvent(directive_id=directive.id, actor_id=user.id, kind="updated", changes=changes))
    audit.record("directive.update", directive, before=before, after=after)
    return changes


def _follow_deadline(directive: Directive, user) -> int:
    """Move the open assignments to the directive's new deadline; return how many moved."""
    moved = 0
    query = select(Assignment).where(
        Assignment.directive_id == directive.id,
        Assignment.state.in_((*workflow.OPEN_STATES, workflow.SUSPENDED)),
    )
    for assignment in db.session.scalars(query):
        old = assignment.deadline
        assignment.original_deadline = directive.deadline
        if assignment.extended_deadline is not None and (
            directive.deadline is None or assignment.extended_deadline <= directive.deadline
        ):
            assignment.extended_deadline = None
        if assignment.deadline != old:
            moved += 1
            add_event(assignment, user, "deadline_changed", note=_deadline_note(old, assignment.deadline))
    return moved


def _deadline_note(old: date | None, new: date | None) -> str:
    def show(value):
        return value.strftime("%d/%m/%Y") if value else str(status.LABELS[status.ONGOING])

    return f"{show(old)} → {show(new)}"


def add_comment(directive: Directive, user, text: str) -> DirectiveEvent:
    """Add a leader's comment (ý kiến chỉ đạo) to a directive; the caller commits."""
    event = DirectiveEvent(directive_id=directive.id, actor_id=user.id, kind="comment", note=text.strip())
    db.session.add(event)
    db.session.flush()
    audit.record("directive.comment", directive, after={"comment_id": event.id, "text": event.note})
    notices.leader_commented(directive, user)
    return event


def directive_events(directive: Directive, kinds: tuple[str, ...] | None = None) -> list[DirectiveEvent]:
    query = select(DirectiveEvent).where(DirectiveEvent.directive_id == directive.id).options(
        selectinload(DirectiveEvent.actor)
    )
    if kinds:
        query = query.where(DirectiveEvent.kind.in_(kinds))
    return list(db.session.scalars(query.order_by(DirectiveEvent.created_at, DirectiveEvent.id)))
