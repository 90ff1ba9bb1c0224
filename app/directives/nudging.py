"""Reminders by hand (đôn đốc): the coordinator reminds units that have not reported.

The automatic reminders (app/directives/reminders.py, `flask remind`) cover deadlines; this
is the office's own push, from the directive page, to every unit that has not reported or
to the ones picked, with an optional message. Each reminded unit's staff get a notification
(and e-mail through the outbox, as every notification), and the reminder is a line on the
assignment's timeline. A unit reminded less than the nudge_gap_hours setting ago is skipped,
so two clicks, or two people in the office, never remind it twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit, clock
from app import settings as app_settings
from app.directives import notices
from app.directives.models import Assignment, AssignmentEvent, Directive
from app.directives.progress import add_event
from app.directives.rollups import AssignmentRow, not_reported
from app.extensions import db
from app.notifications import notify
from app.service_error import ServiceError
from app.text import clip

NUDGED = "nudged"  # the timeline event kind
MESSAGE_MAX = 1000


@dataclass
class NudgeResult:
    reminded: list[Assignment] = field(default_factory=list)
    skipped: list[Assignment] = field(default_factory=list)  # reminded within the gap already


def gap_hours() -> int:
    return app_settings.get_int("nudge_gap_hours")


def recently_nudged(assignment_ids, now) -> set[int]:
    """Which of assignment_ids were reminded by hand within the gap before now."""
    ids = list(assignment_ids)
    if not ids:
        return set()
    since = now - timedelta(hours=gap_hours())
    return set(db.session.scalars(
        select(AssignmentEvent.assignment_id).where(
            AssignmentEvent.assignment_id.in_(ids), AssignmentEvent.kind == NUDGED, AssignmentEvent.created_at >= since)
    ))


def nudge(directive: Directive, rows: list[AssignmentRow], user, picked: list[int] | None, message: str = "",
          *, at=None) -> NudgeResult:
    """Remind the units of directive that have not reported (all, or the picked assignment ids
    among them); the caller commits. Raises ServiceError when nobody is left to remind."""
    at = at or clock.now()
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise ServiceError(_("Lời nhắn tối đa %(n)s ký tự.", n=MESSAGE_MAX), "message")
    candidates = [r.assignment for r in not_reported(rows)]
    if picked is not None:
        wanted = set(picked)
        candidates = [a for a in candidates if a.id in wanted]
        if not candidates:
            raise ServiceError(_("Chọn ít nhất một đơn vị chưa báo cáo để đôn đốc."), "assignment_ids")
    if not candidates:
        raise ServiceError(_("Không còn đơn vị nào chưa báo cáo để đôn đốc."), "assignment_ids")
    recent = recently_nudged((a.id for a in candidates), at)
    result = NudgeResult()
    staff = notices.staff_by_unit(a.unit_id for a in candidates if a.id not in recent)
    title = _("Văn phòng đôn đốc báo cáo: %(title)s", title=notices.clip(directive.title))
    if message:
        title = f"{title} — {clip(message, 120)}"
    for assignment in candidates:
        if assignment.id in recent:
            result.skipped.append(assignment)
            continue
        add_event(assignment, user, NUDGED, note=message or None, at=at)
        recipients = staff.get(assignment.unit_id, [])
        if recipients:
            notify(recipients, notices.NUDGED, title, notices.assignment_link(assignment.id),
                   notices.ASSIGNMENT, assignment.id)
        result.reminded.append(assignment)
    if result.reminded:
        audit.record("directive.nudge", directive, actor=user, after={
            "units": [a.unit_id for a in result.reminded], "message": message,
            "skipped": [a.unit_id for a in result.skipped]})
    return result
