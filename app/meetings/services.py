"""Meeting rules: who sees meetings, recording and editing them with their files."""

from flask import abort
from sqlalchemy import func, select

from app import audit, policy, search
from app.attachments import storage
from app.extensions import db
from app.models import Meeting, Unit
from app.text import fold, nfc

MEETING_AUDIT_FIELDS = [
    "title", "held_on", "kind", "chair_name", "chair_title", "issuing_unit_id", "participants", "summary",
]
# Roles that see meetings: every business role (meetings are the province's common record).
MEETING_VIEW_ROLES = (policy.COMMUNE, policy.DEPARTMENT, policy.COORDINATOR, policy.LEADER)


def can_see_meeting(user, meeting_id: int) -> bool:
    """Everyone working on proposals and directives sees meetings and their files; admins do not."""
    return user.role in MEETING_VIEW_ROLES and db.session.get(Meeting, meeting_id) is not None


def get_meeting_or_404(meeting_id: int) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def issuing_units() -> list[Unit]:
    """The Tỉnh ủy, the UBND tỉnh, Party and state bodies that may issue a meeting's conclusions (they set the print header)."""
    query = (
        select(Unit)
        .where(Unit.kind.in_(("leading_body", "party_body", "state_body")), Unit.active.is_(True))
        .order_by(Unit.sort_order, Unit.id)
    )
    return list(db.session.scalars(query))


def search_meetings(q: str | None = None, kind: str | None = None):
    """select() of meetings, newest first, matching q (folded) and kind."""
    query = select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id.desc())
    if q:
        query = query.where(search.matches(q, Meeting.title_folded))
    if kind:
        query = query.where(Meeting.kind == kind)
    return query


def recent_meetings(limit: int = 300) -> list[Meeting]:
    """The newest meetings, for the pickers and filters that offer meetings to choose from."""
    return list(db.session.scalars(search_meetings().limit(limit)))


def find_meeting(title: str, held_on) -> Meeting | None:
    """The meeting with this title on this day, if recorded (demo loaders share it)."""
    query = select(Meeting).where(Meeting.title_folded == fold(nfc(title)), Meeting.held_on == held_on)
    return db.session.scalars(query.order_by(Meeting.id)).first()


def _apply(meeting: Meeting, data: dict) -> None:
    meeting.title = data["title"].strip()
    meeting.held_on = data["held_on"]
    meeting.kind = data["kind"]
    meeting.chair_name = nfc(data["chair_name"].strip())
    meeting.chair_title = nfc((data.get("chair_title") or "").strip())
    meeting.issuing_unit_id = data["issuing_unit_id"]
    meeting.participants = nfc((data.get("participants") or "").strip())
    meeting.summary = nfc((data.get("summary") or "").strip())


def create_meeting(data: dict, user, files: list[storage.CheckedFile] = ()) -> Meeting:
    """Record a meeting with its files; the caller commits."""
    meeting = Meeting(created_by_id=user.id)
    _apply(meeting, data)
    db.session.add(meeting)
    db.session.flush()
    for checked in files:
        storage.save(checked, "meeting", meeting.id, user)
    audit.record("meeting.create", meeting, after=audit.snapshot(meeting, MEETING_AUDIT_FIELDS))
    return meeting


def update_meeting(meeting: Meeting, data: dict, user, files: list[storage.CheckedFile] = ()) -> None:
    """Change a meeting and add files; the caller commits (the version column catches races)."""
    before = audit.snapshot(meeting, MEETING_AUDIT_FIELDS)
    _apply(meeting, data)
    for checked in files:
        storage.save(checked, "meeting", meeting.id, user)
    after = audit.snapshot(meeting, MEETING_AUDIT_FIELDS)
    if files:
        after["files_added"] = [c.original_name for c in files]
    audit.record("meeting.update", meeting, before=before, after=after)


def directive_counts(meeting_ids: list[int], user) -> dict[int, int]:
    """Number of directives issued at each meeting that user may see."""
    from app.directives.models import Directive
    from app.directives.services import visible_directives

    if not meeting_ids:
        return {}
    sub = visible_directives(user).where(Directive.meeting_id.in_(meeting_ids)).subquery()
    rows = db.session.execute(select(sub.c.meeting_id, func.count()).group_by(sub.c.meeting_id))
    return dict(rows.all())
