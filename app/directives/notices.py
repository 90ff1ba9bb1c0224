"""Who hears of what happens to a directive and its assignments (issue 6), through app.notifications.

services.py calls these next to the change they announce, in the same transaction. The
recipients are exactly the issue's:

- the assigned unit's staff: the assignment created (one notification per assignment,
  also for the 135-unit broadcast); its completion confirmed or sent back; its extension
  approved or refused;
- the coordinators: a unit asking for completion or for an extension;
- departments: a leader's comment on a directive assigned to their unit.

Reports, suspension, resumption, cancellation and deadline edits notify nobody.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.directives import workflow
from app.directives.models import Assignment, Directive, ExtensionRequest
from app.extensions import db
from app.formatting import format_date
from app.models import User
from app.notifications import Delivery, coordinators, notify, notify_many, path_for, users_of_unit
from app.notifications.services import UNIT_STAFF_ROLES
from app.text import clip as clip_text

ASSIGNMENT = "assignment"
DIRECTIVE = "directive"
TITLE_CLIP = 150

ASSIGNED = "assignment.assigned"
COMPLETION_REQUESTED = "assignment.completion_requested"
CONFIRMED = "assignment.confirmed"
SENT_BACK = "assignment.sent_back"
EXTENSION_REQUESTED = "assignment.extension_requested"
EXTENSION_APPROVED = "assignment.extension_approved"
EXTENSION_REFUSED = "assignment.extension_refused"
LEADER_COMMENT = "directive.leader_comment"
DUE_SOON = "assignment.due_soon"
OVERDUE = "assignment.overdue"
NUDGED = "assignment.nudged"  # the office's reminder by hand (app/directives/nudging.py)


def clip(text: str) -> str:
    """Item titles cut short, so a notification stays one readable line."""
    return clip_text(text, TITLE_CLIP)


def assignment_link(assignment_id: int) -> str:
    return path_for("directives.assignment", assignment_id=assignment_id)


def staff_by_unit(unit_ids: Iterable[int], roles: Iterable[str] = UNIT_STAFF_ROLES) -> dict[int, list[int]]:
    """users_of_unit for many units in one query: {unit id: ids of its active staff}."""
    unit_ids = sorted(set(unit_ids))
    out: dict[int, list[int]] = {}
    if not unit_ids:
        return out
    query = select(User.id, User.unit_id).where(
        User.unit_id.in_(unit_ids), User.active.is_(True), User.role.in_(tuple(roles)))
    for user_id, unit_id in db.session.execute(query.order_by(User.id)):
        out.setdefault(unit_id, []).append(user_id)
    return out


def _tell_unit(assignment: Assignment, kind: str, title: str, actor: User | None):
    recipients = [user for user in users_of_unit(assignment.unit_id) if actor is None or user.id != actor.id]
    return notify(recipients, kind, title, assignment_link(assignment.id), ASSIGNMENT, assignment.id)


def _tell_coordinators(assignment: Assignment, kind: str, title: str, actor: User | None):
    recipients = [user for user in coordinators() if actor is None or user.id != actor.id]
    return notify(recipients, kind, title, assignment_link(assignment.id), ASSIGNMENT, assignment.id)


def _deadline_text(deadline) -> str:
    return _("hạn %(day)s", day=format_date(deadline)) if deadline else _("thường xuyên")


def assigned(directive: Directive, created: list[tuple[int, int]], role: str) -> int:
    """One notification per new assignment to its unit's staff; returns how many were made.

    created: (assignment id, unit id) pairs just inserted. The staff of every unit come in
    one query and the rows go in one bulk insert, so a 135-unit broadcast stays one quick request.
    """
    if not created:
        return 0
    if role == workflow.SUPPORT:
        title = _("Nhiệm vụ mới (phối hợp): %(title)s, %(deadline)s", title=clip(directive.title),
                  deadline=_deadline_text(directive.deadline))
    else:
        title = _("Nhiệm vụ mới (chủ trì): %(title)s, %(deadline)s", title=clip(directive.title),
                  deadline=_deadline_text(directive.deadline))
    staff = staff_by_unit(unit_id for _id, unit_id in created)
    return notify_many(
        Delivery(staff[unit_id], ASSIGNED, title, assignment_link(assignment_id), ASSIGNMENT, assignment_id)
        for assignment_id, unit_id in created
        if unit_id in staff
    )


def completion_requested(assignment: Assignment, actor: User) -> None:
    title = _("%(unit)s đề nghị xác nhận hoàn thành nhiệm vụ: %(title)s", unit=assignment.unit.name,
              title=clip(assignment.directive.title))
    _tell_coordinators(assignment, COMPLETION_REQUESTED, title, actor)


def completion_confirmed(assignment: Assignment, actor: User) -> None:
    title = _("Nhiệm vụ “%(title)s” đã được xác nhận hoàn thành", title=clip(assignment.directive.title))
    _tell_unit(assignment, CONFIRMED, title, actor)


def sent_back(assignment: Assignment, actor: User) -> None:
    title = _("Nhiệm vụ “%(title)s” chưa được xác nhận hoàn thành, trả lại để tiếp tục thực hiện",
              title=clip(assignment.directive.title))
    _tell_unit(assignment, SENT_BACK, title, actor)


def extension_requested(assignment: Assignment, extension: ExtensionRequest, actor: User) -> None:
    title = _("%(unit)s đề nghị gia hạn nhiệm vụ “%(title)s” đến %(day)s", unit=assignment.unit.name,
              title=clip(assignment.directive.title), day=format_date(extension.requested_deadline))
    _tell_coordinators(assignment, EXTENSION_REQUESTED, title, actor)


def extension_decided(assignment: Assignment, extension: ExtensionRequest, actor: User) -> None:
    if extension.state == workflow.EXT_APPROVED:
        kind = EXTENSION_APPROVED
        title = _("Đồng ý gia hạn nhiệm vụ “%(title)s” đến %(day)s", title=clip(assignment.directive.title),
                  day=format_date(extension.requested_deadline))
    else:
        kind = EXTENSION_REFUSED
        title = _("Không đồng ý gia hạn nhiệm vụ “%(title)s”; thời hạn vẫn là %(day)s",
                  title=clip(assignment.directive.title), day=format_date(extension.previous_deadline))
    _tell_unit(assignment, kind, title, actor)


def leader_commented(directive: Directive, actor: User) -> None:
    """The departments assigned the directive read the leader's comment (communes are not told)."""
    unit_ids = db.session.scalars(select(Assignment.unit_id).where(Assignment.directive_id == directive.id))
    staff = staff_by_unit(unit_ids, roles=(policy.DEPARTMENT,))
    recipients = [user_id for user_ids in staff.values() for user_id in user_ids if user_id != actor.id]
    title = _("Ý kiến chỉ đạo của %(leader)s về nhiệm vụ “%(title)s”", leader=actor.full_name or actor.username,
              title=clip(directive.title))
    notify(recipients, LEADER_COMMENT, title, path_for("directives.detail", directive_id=directive.id),
           DIRECTIVE, directive.id)
