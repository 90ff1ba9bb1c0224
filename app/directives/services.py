"""Directive rules that span models: visibility, issuing, assigning, the assignment workflow,
roll-ups and list queries. Views parse, call these, and render."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import abort
from sqlalchemy import and_, case, false, func, literal, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import contains_eager, selectinload

from app import audit, clock, policy, search
from app import settings as app_settings
from app.attachments import storage
from app.directives import notices, status, workflow
from app.directives.models import (
    Assignment,
    AssignmentEvent,
    Directive,
    DirectiveEvent,
    ExtensionRequest,
    ProgressReport,
)
from app.extensions import db
from app.listing import KeysetPage, SortKey, keyset_page
from app.models import COMMUNE_KINDS, PROVINCIAL_KINDS, Attachment, Unit, User
from app.service_error import ServiceError
from app.text import nfc, sort_key

DIRECTIVE_AUDIT_FIELDS = [
    "meeting_id", "issued_by_name", "issued_by_title", "title", "content", "field_id",
    "deadline", "is_ongoing", "reporting_period",
]
ASSIGNMENT_AUDIT_FIELDS = [
    "state", "role", "original_deadline", "extended_deadline", "completion_requested_on", "completed_on",
    "state_reason",
]
EXTENSION_AUDIT_FIELDS = ["state", "previous_deadline", "requested_deadline", "reason", "decision_note"]

# Assign-form shortcuts.
SCOPE_ALL_COMMUNES = "all_communes"
SCOPE_ALL_BODIES = "all_bodies"
SCOPE_PICKED = "picked"

# Timeline event kinds and how the timeline names them.
EVENT_LABELS = {
    "assigned": status.N_("Giao nhiệm vụ"),
    "report": status.N_("Báo cáo tiến độ"),
    "completion_requested": status.N_("Đề nghị xác nhận hoàn thành"),
    "confirmed": status.N_("Xác nhận hoàn thành"),
    "sent_back": status.N_("Trả lại, chưa xác nhận hoàn thành"),
    "extension_requested": status.N_("Đề nghị gia hạn"),
    "extension_approved": status.N_("Đồng ý gia hạn"),
    "extension_refused": status.N_("Không đồng ý gia hạn"),
    "extension_withdrawn": status.N_("Đề nghị gia hạn không còn xem xét"),
    "suspended": status.N_("Tạm hoãn"),
    "resumed": status.N_("Tiếp tục thực hiện"),
    "cancelled": status.N_("Hủy nhiệm vụ"),
    "deadline_changed": status.N_("Điều chỉnh thời hạn theo chỉ đạo"),
}
DIRECTIVE_EVENT_LABELS = {
    "created": status.N_("Ban hành chỉ đạo"),
    "updated": status.N_("Sửa nội dung chỉ đạo"),
    "assigned": status.N_("Giao cho đơn vị"),
    "comment": status.N_("Ý kiến chỉ đạo của lãnh đạo"),
}
DIRECTIVE_FIELD_LABELS = {
    "meeting_id": status.N_("Hội nghị"),
    "issued_by_name": status.N_("Người chỉ đạo"),
    "issued_by_title": status.N_("Chức vụ"),
    "title": status.N_("Trích yếu"),
    "content": status.N_("Nội dung"),
    "field_id": status.N_("Lĩnh vực"),
    "deadline": status.N_("Thời hạn"),
    "is_ongoing": status.N_("Thường xuyên"),
    "reporting_period": status.N_("Kỳ báo cáo"),
    "files_added": status.N_("Tệp đính kèm"),
}


def due_soon_days() -> int:
    return app_settings.get_int("due_soon_days")


# --- visibility -----------------------------------------------------------------------------


def _scope_directives(query, user):
    """Province-wide roles see every directive; a unit only those assigned to it; admins none."""
    if policy.sees_everything(user):
        return query
    if user.role in (policy.COMMUNE, policy.DEPARTMENT):
        mine = select(Assignment.id).where(Assignment.directive_id == Directive.id, Assignment.unit_id == user.unit_id)
        return query.where(mine.exists())
    return query.where(false())


def visible_directives(user):
    """select() of the directives user may see."""
    return _scope_directives(select(Directive), user)


def visible_assignments(user):
    """select() of the assignments user may see."""
    return policy.scope_to_unit(select(Assignment), user, Assignment.unit_id)


def get_directive_or_404(directive_id: int, user) -> Directive:
    directive = db.session.scalar(visible_directives(user).where(Directive.id == directive_id))
    if directive is None:
        abort(404)
    return directive


def get_assignment_or_404(assignment_id: int, user) -> Assignment:
    assignment = db.session.scalar(visible_assignments(user).where(Assignment.id == assignment_id))
    if assignment is None:
        abort(404)
    return assignment


def can_see_directive(user, directive_id: int) -> bool:
    query = _scope_directives(select(Directive.id), user).where(Directive.id == directive_id)
    return db.session.scalar(query) is not None


def can_see_report(user, report_id: int) -> bool:
    query = policy.scope_to_unit(
        select(ProgressReport.id).join(Assignment, ProgressReport.assignment_id == Assignment.id),
        user,
        Assignment.unit_id,
    ).where(ProgressReport.id == report_id)
    return db.session.scalar(query) is not None


def attachments_of(owner_type: str, owner_id: int) -> list[Attachment]:
    return list(db.session.scalars(Attachment.for_owner(owner_type, owner_id)))


# --- directives -----------------------------------------------------------------------------


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
            _event(assignment, user, "deadline_changed", note=_deadline_note(old, assignment.deadline))
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


# --- assigning ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignResult:
    created: int
    skipped: int


def units_for_scope(scope: str, picked: list[str] | None = None) -> list[int]:
    """Unit ids for an assign-form shortcut, or the picked ids once checked to be real units."""
    if scope == SCOPE_ALL_COMMUNES:
        query = select(Unit.id).where(Unit.kind.in_(COMMUNE_KINDS), Unit.active.is_(True))
        return list(db.session.scalars(query.order_by(Unit.id)))
    if scope == SCOPE_ALL_BODIES:
        query = select(Unit.id).where(Unit.kind.in_(PROVINCIAL_KINDS), Unit.active.is_(True))
        return list(db.session.scalars(query.order_by(Unit.sort_order, Unit.id)))
    if scope != SCOPE_PICKED:
        raise ServiceError(status.N_("Chọn phạm vi giao nhiệm vụ."), field="scope")
    raw = [value.strip() for value in (picked or []) if value.strip()]
    if not raw:
        raise ServiceError(status.N_("Chọn ít nhất một đơn vị."), field="unit_ids")
    if not all(value.isdigit() and len(value) < 10 for value in raw):
        raise ServiceError(status.N_("Danh sách đơn vị có giá trị không hợp lệ."), field="unit_ids")
    ids = list(dict.fromkeys(int(value) for value in raw))
    found = set(db.session.scalars(select(Unit.id).where(Unit.id.in_(ids), Unit.active.is_(True))))
    if len(found) != len(ids):
        raise ServiceError(status.N_("Có đơn vị không tồn tại hoặc đã ngừng hoạt động trong danh sách đã chọn."), field="unit_ids")
    return ids


def _insert_ignoring_duplicates(table):
    """INSERT ... ON CONFLICT DO NOTHING for the database in use."""
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing(index_elements=["directive_id", "unit_id"])


def assign_to_units(
    directive: Directive, unit_ids: list[int], role: str, user, *, source: str | None = None
) -> AssignResult:
    """Create one assignment per unit not yet assigned, in one transaction of bulk inserts.

    Units that already have an assignment are skipped, and the unique (directive, unit)
    constraint with ON CONFLICT DO NOTHING keeps a double submit from adding anything even
    when two requests race. source (an imported file and row) goes into the history and
    the audit log. The caller commits.
    """
    if role not in workflow.ROLES:
        raise ServiceError(status.N_("Vai trò không hợp lệ."), field="role")
    wanted = list(dict.fromkeys(unit_ids))
    existing = set(db.session.scalars(select(Assignment.unit_id).where(Assignment.directive_id == directive.id)))
    new_ids = [unit_id for unit_id in wanted if unit_id not in existing]
    inserted: list[tuple[int, int]] = []
    if new_ids:
        now = clock.now()
        rows = [
            {
                "directive_id": directive.id,
                "unit_id": unit_id,
                "role": role,
                "state": workflow.IN_PROGRESS,
                "original_deadline": directive.deadline,
                "assigned_by_id": user.id,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for unit_id in new_ids
        ]
        table = Assignment.__table__
        statement = _insert_ignoring_duplicates(table).returning(table.c.id, table.c.unit_id)
        inserted = [tuple(row) for row in db.session.execute(statement, rows)]
        if inserted:
            db.session.execute(
                AssignmentEvent.__table__.insert(),
                [
                    {
                        "assignment_id": assignment_id,
                        "actor_id": user.id,
                        "created_at": now,
                        "kind": "assigned",
                        "to_state": workflow.IN_PROGRESS,
                        "note": workflow.ROLE_LABELS[role],
                    }
                    for assignment_id, _unit_id in inserted
                ],
            )
    created = len(inserted)
    skipped = len(wanted) - created
    if created:
        db.session.add(
            DirectiveEvent(
                directive_id=directive.id, actor_id=user.id, kind="assigned", note=source,
                changes={"role": role, "created": created, "skipped": skipped},
            )
        )
        after = {"role": role, "unit_ids": sorted(unit for _id, unit in inserted), "skipped": skipped}
        if source:
            after["source"] = source
        audit.record("directive.assign", directive, after=after)
        notices.assigned(directive, inserted, role)
    return AssignResult(created=created, skipped=skipped)


def assigned_unit_ids(directive: Directive) -> set[int]:
    return set(db.session.scalars(select(Assignment.unit_id).where(Assignment.directive_id == directive.id)))


def picker_units(q: str = "", level: str = "") -> list[Unit]:
    """Active units for the assign form's picker, bodies first then communes in Vietnamese order."""
    query = select(Unit).where(Unit.active.is_(True))
    if q:
        query = query.where(search.matches(q, Unit.name_folded, search.code_column(Unit.code)))
    if level == "commune":
        query = query.where(Unit.kind.in_(COMMUNE_KINDS))
    elif level == "province":
        query = query.where(Unit.kind.in_(PROVINCIAL_KINDS))
    units = list(db.session.scalars(query))
    units.sort(key=lambda u: u.order_key)
    return units


# --- assignment workflow --------------------------------------------------------------------


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


def _event(assignment, user, kind, *, from_state=None, to_state=None, note=None, report=None, extension=None, at=None):
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
    _event(assignment, user, kind, from_state=old_state, to_state=new_state, note=note)
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
        _event(assignment, user, "extension_withdrawn", extension=extension)
        audit.record("extension.withdrawn", extension, before=before, after=audit.snapshot(extension, EXTENSION_AUDIT_FIELDS))


def add_report(
    assignment: Assignment, user, text: str, percent: int, files: list[storage.CheckedFile] = (), at=None,
    *, source: str | None = None, on_behalf: bool = False,
) -> ProgressReport:
    """Add a progress report with its files; the caller commits.

    source (an uploaded file and row) is added to the timeline note and the audit event;
    on_behalf lets the coordinator record a unit's report (see check_action).
    """
    check_action(workflow.REPORT, user, assignment, on_behalf=on_behalf)
    report = ProgressReport(assignment_id=assignment.id, text=text.strip(), percent=percent, author_id=user.id)
    if at is not None:
        report.created_at = at
    db.session.add(report)
    db.session.flush()
    for checked in files:
        storage.save(checked, "progress_report", report.id, user)
    _event(assignment, user, "report", note=f"{percent}% — {source}" if source else f"{percent}%", report=report, at=at)
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
    _event(assignment, user, "extension_requested", note=extension.reason, extension=extension)
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
    _event(assignment, user, "extension_approved" if approve else "extension_refused",
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


# --- classification in SQL, roll-ups, tables ------------------------------------------------


def deadline_sql():
    """The deadline in force, as SQL: the approved extension, else the original."""
    return func.coalesce(Assignment.extended_deadline, Assignment.original_deadline)


def status_key_sql(on: date):
    """status.classify_assignment written as a SQL CASE, for filters and grouped counts.

    tests/directives/test_status_sql.py checks that both give the same key.
    """
    deadline = deadline_sql()
    return case(
        (Assignment.state == workflow.CANCELLED, literal(status.CANCELLED)),
        (Assignment.state == workflow.SUSPENDED, literal(status.SUSPENDED)),
        (deadline.is_(None), literal(status.ONGOING)),
        (
            and_(Assignment.state == workflow.DONE, Assignment.completed_on <= on),
            case((Assignment.completed_on <= deadline, literal(status.DONE_ON_TIME)), else_=literal(status.DONE_LATE)),
        ),
        (deadline >= on, literal(status.OPEN_ON_TIME)),
        else_=literal(status.OPEN_OVERDUE),
    )


def status_clause(key: str, on: date):
    """WHERE clause equivalent to status_key_sql(on) == key, in a form an index on state can serve
    (the CASE hides the state from the planner, so filtering on it reads every assignment).

    tests/perf/test_status_clause.py checks both select the same rows.
    """
    deadline = deadline_sql()
    state = Assignment.state
    if key == status.CANCELLED:
        return state == workflow.CANCELLED
    if key == status.SUSPENDED:
        return state == workflow.SUSPENDED
    if key == status.ONGOING:
        return and_(state.not_in((workflow.CANCELLED, workflow.SUSPENDED)), deadline.is_(None))
    # Done by the day judged on; a task finished after it was still open that day.
    done_by_then = and_(state == workflow.DONE, Assignment.completed_on <= on)
    open_then = or_(
        state.in_(workflow.OPEN_STATES),
        and_(state == workflow.DONE, or_(Assignment.completed_on.is_(None), Assignment.completed_on > on)),
    )
    if key == status.DONE_ON_TIME:
        return and_(done_by_then, Assignment.completed_on <= deadline)
    if key == status.DONE_LATE:
        return and_(done_by_then, deadline.is_not(None), Assignment.completed_on > deadline)
    if key == status.OPEN_ON_TIME:
        return and_(open_then, deadline >= on)
    if key == status.OPEN_OVERDUE:
        return and_(open_then, deadline < on)
    return false()


def counts_by_directive(directive_ids: list[int], on: date, user=None) -> dict[int, status.Counts]:
    """Five-way counts of each directive's assignments (only those user sees, when given)."""
    if not directive_ids:
        return {}
    inner = select(Assignment.directive_id, status_key_sql(on).label("key")).where(
        Assignment.directive_id.in_(directive_ids)
    )
    if user is not None:
        inner = policy.scope_to_unit(inner, user, Assignment.unit_id)
    sub = inner.subquery()
    rows = db.session.execute(
        select(sub.c.directive_id, sub.c.key, func.count()).group_by(sub.c.directive_id, sub.c.key)
    )
    grouped: dict[int, dict[str, int]] = {}
    for directive_id, key, number in rows:
        grouped.setdefault(directive_id, {})[key] = number
    return {directive_id: status.counts_from_mapping(grouped.get(directive_id, {})) for directive_id in directive_ids}


def overall_counts(on: date) -> status.Counts:
    """Five-way counts of every assignment in the province (the leader's panel)."""
    sub = select(status_key_sql(on).label("key")).subquery()
    rows = db.session.execute(select(sub.c.key, func.count()).group_by(sub.c.key))
    return status.counts_from_mapping(dict(rows.all()))


@dataclass
class AssignmentRow:
    assignment: Assignment
    status: status.Status
    latest_report: ProgressReport | None
    reported_this_period: bool

    @property
    def unit(self) -> Unit:
        return self.assignment.unit


def latest_reports(assignment_ids: list[int]) -> dict[int, ProgressReport]:
    """Each assignment's most recent progress report."""
    if not assignment_ids:
        return {}
    newest = (
        select(func.max(ProgressReport.id))
        .where(ProgressReport.assignment_id.in_(assignment_ids))
        .group_by(ProgressReport.assignment_id)
    )
    reports = db.session.scalars(select(ProgressReport).where(ProgressReport.id.in_(newest)))
    return {report.assignment_id: report for report in reports}


def assignment_rows(directive: Directive, user, on: date, soon: int) -> list[AssignmentRow]:
    """The directive's assignments user may see, with status and latest report, units in order."""
    query = (
        policy.scope_to_unit(select(Assignment, Unit), user, Assignment.unit_id)
        .join(Unit, Assignment.unit_id == Unit.id)
        .where(Assignment.directive_id == directive.id)
    )
    pairs = db.session.execute(query).all()
    reports = latest_reports([a.id for a, _u in pairs])
    period_start = (
        status.reporting_period_start(directive.reporting_period, on)
        if directive.is_ongoing and directive.reporting_period
        else None
    )
    rows = []
    for assignment, _unit in pairs:
        latest = reports.get(assignment.id)
        reported = latest is not None and (
            period_start is None or clock.local_date(latest.created_at) >= period_start
        )
        rows.append(AssignmentRow(assignment, assignment.status_on(on, soon), latest, reported))
    rows.sort(key=lambda r: (r.assignment.role != workflow.LEAD, *r.unit.order_key))
    return rows


def not_reported(rows: list[AssignmentRow]) -> list[AssignmentRow]:
    """Units still working on it that have sent no report (in this period, for ongoing ones)."""
    return [r for r in rows if r.assignment.state == workflow.IN_PROGRESS and not r.reported_this_period]


def reported_sql(on: date):
    """AssignmentRow.reported_this_period as SQL, over Assignment joined to its Directive.

    The same rule as assignment_rows: the assignment's latest report (the highest id) exists
    and, for an ongoing directive with a reporting period, was sent on or after the first day
    of the period containing on. Compared in UTC with the start of that local day, as
    tracked_in_period does. tests/directives/test_reported_sql.py checks both agree.
    """
    latest = (
        select(ProgressReport.created_at)
        .where(ProgressReport.assignment_id == Assignment.id)
        .order_by(ProgressReport.id.desc())
        .limit(1)
        .correlate(Assignment)
        .scalar_subquery()
    )
    no_period = or_(
        Directive.is_ongoing.is_(False),
        Directive.reporting_period.is_(None),
        Directive.reporting_period.not_in(status.REPORTING_PERIODS),
    )
    in_period = [
        and_(
            Directive.reporting_period == period,
            latest >= clock.start_of_day(status.reporting_period_start(period, on)),
        )
        for period in status.REPORTING_PERIODS
    ]
    return and_(latest.is_not(None), or_(no_period, *in_period))


# --- lists ----------------------------------------------------------------------------------


def search_directives(user, filters: dict, on: date):
    """select() of the directives user sees, filtered; sorting is applied by the caller."""
    query = visible_directives(user)
    if q := (filters.get("q") or "").strip():
        query = query.where(search.matches(q, Directive.search_folded))
    if field_id := filters.get("field_id"):
        query = query.where(Directive.field_id == field_id)
    if meeting_id := filters.get("meeting_id"):
        query = query.where(Directive.meeting_id == meeting_id)
    if issuer := filters.get("issuer"):
        query = query.where(Directive.issued_by_name == issuer)
    if deadline_from := filters.get("deadline_from"):
        query = query.where(Directive.deadline >= deadline_from)
    if deadline_to := filters.get("deadline_to"):
        query = query.where(Directive.deadline <= deadline_to)
    unit_id = filters.get("unit_id")
    status_key = filters.get("status")
    if unit_id or status_key:
        # One EXISTS, so "unit X's assignment is overdue" means the same assignment.
        conditions = [Assignment.directive_id == Directive.id]
        if unit_id:
            conditions.append(Assignment.unit_id == unit_id)
        if status_key:
            conditions.append(status_clause(status_key, on))
        if user.role in (policy.COMMUNE, policy.DEPARTMENT):
            conditions.append(Assignment.unit_id == user.unit_id)
        query = query.where(select(Assignment.id).where(and_(*conditions)).exists())
    return query


def issuers(user) -> list[str]:
    """Names that directives user sees were issued by, for the filter."""
    sub = _scope_directives(select(Directive.issued_by_name), user).where(Directive.issued_by_name != "").distinct()
    return sorted(db.session.scalars(sub), key=sort_key)


# Filter values of the assignments list beyond the five-way keys.
LIST_OPEN = "open"
LIST_ALL = "all"
LIST_AWAITING = "awaiting"
LIST_EXTENSION = "extension"


def tracked_in_period(date_from: date | None, date_to: date | None):
    """Assignments followed during a period: given by its last day and not finished before
    its first (what was assigned in it, plus what earlier periods carried over)."""
    conditions = []
    if date_to is not None:
        conditions.append(Assignment.created_at < clock.start_of_day(date_to + timedelta(days=1)))
    if date_from is not None:
        conditions.append(or_(Assignment.completed_on.is_(None), Assignment.completed_on >= date_from))
    return and_(true(), *conditions)


def search_assignments(user, filters: dict, on: date):
    """select() of the assignments user sees (directive and unit loaded), due soonest first.

    on: the day statuses are taken on (today, or the last day of the period filtered on).
    """
    deadline = deadline_sql()
    query = filtered_assignments(user, filters, on).options(
        contains_eager(Assignment.directive), contains_eager(Assignment.unit)
    )
    return query.order_by(deadline.is_(None), deadline, Directive.id, Unit.sort_order, Unit.name)


def filtered_assignments(user, filters: dict, on: date):
    """select(Assignment) joined to its directive and unit, scoped and filtered; no order."""
    query = (
        policy.scope_to_unit(select(Assignment), user, Assignment.unit_id)
        .join(Assignment.directive)
        .join(Assignment.unit)
    )
    view = filters.get("status") or LIST_OPEN
    if view == LIST_OPEN:
        query = query.where(Assignment.state.in_(workflow.OPEN_STATES))
    elif view == LIST_AWAITING:
        query = query.where(Assignment.state == workflow.AWAITING_CONFIRMATION)
    elif view == LIST_EXTENSION:
        # IN over the few pending requests, not EXISTS per assignment: that read every assignment.
        pending = select(ExtensionRequest.assignment_id).where(ExtensionRequest.state == workflow.EXT_PENDING)
        query = query.where(Assignment.id.in_(pending))
    elif view in status.ALL_KEYS:
        query = query.where(status_clause(view, on))
    if q := (filters.get("q") or "").strip():
        query = query.where(search.matches(q, Directive.search_folded, Unit.name_folded))
    if unit_id := filters.get("unit_id"):
        query = query.where(Assignment.unit_id == unit_id)
    if field_id := filters.get("field_id"):
        query = query.where(Directive.field_id == field_id)
    if filters.get("date_from") or filters.get("date_to"):
        query = query.where(tracked_in_period(filters.get("date_from"), filters.get("date_to")))
    return query


def assignment_sort_keys() -> list[SortKey]:
    """search_assignments' order for keyset pages: deadline (none last), directive, unit, then id."""
    return [
        SortKey(deadline_sql(), lambda a: a.deadline, date, nullable=True),
        SortKey(Directive.id, lambda a: a.directive_id, int),
        SortKey(Unit.sort_order, lambda a: a.unit.sort_order, int),
        SortKey(Unit.name, lambda a: a.unit.name, str),
        SortKey(Assignment.id, lambda a: a.id, int),
    ]


def assignments_page(user, filters: dict, on: date, *, per_page: int, after=None, before=None) -> KeysetPage:
    """One keyset page of the assignments list (app.listing), directive and unit loaded."""
    base = filtered_assignments(user, filters, on)
    query = base.options(contains_eager(Assignment.directive), contains_eager(Assignment.unit))
    return keyset_page(query, base.with_only_columns(Assignment.id), assignment_sort_keys(), sort="due",
                       per_page=per_page, after=after, before=before,
                       text_search=bool((filters.get("q") or "").strip()))


# ?sort= of the directive list -> its keyset order (the id breaks ties).
DIRECTIVE_SORTS = {
    "-created": lambda: [
        SortKey(Directive.created_at, lambda d: d.created_at, datetime, descending=True),
        SortKey(Directive.id, lambda d: d.id, int, descending=True),
    ],
    "deadline": lambda: [
        SortKey(Directive.deadline, lambda d: d.deadline, date, nullable=True),
        SortKey(Directive.id, lambda d: d.id, int, descending=True),
    ],
    "title": lambda: [
        SortKey(Directive.title, lambda d: d.title, str),
        SortKey(Directive.id, lambda d: d.id, int),
    ],
}
DEFAULT_DIRECTIVE_SORT = "-created"


def directives_page(user, filters: dict, on: date, sort: str, *, per_page: int, after=None, before=None) -> KeysetPage:
    """One keyset page of the directive list, with its meeting and field loaded."""
    base = search_directives(user, filters, on)
    query = base.options(selectinload(Directive.meeting), selectinload(Directive.field))
    keys = DIRECTIVE_SORTS.get(sort, DIRECTIVE_SORTS[DEFAULT_DIRECTIVE_SORT])()
    return keyset_page(query, base.with_only_columns(Directive.id), keys, sort=sort, per_page=per_page,
                       after=after, before=before,
                       text_search=bool((filters.get("q") or "").strip()))


def queue_count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))

