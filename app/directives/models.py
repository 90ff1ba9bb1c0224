"""Directives (chỉ đạo), their assignments to units, progress reports, extensions, timelines."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app import clock
from app.directives import status, workflow
from app.extensions import db
from app.local_days import GeneratedDay, day_number_sql
from app.models import Field, Meeting, TZDateTime, Unit, User
from app.text import fold, nfc

_SEARCHED = ("title", "content", "issued_by_name")


class Directive(db.Model):
    """A leader's directive: what is to be done, by when (or ongoing), issued at which meeting."""

    __tablename__ = "directives"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    issued_by_name: Mapped[str] = mapped_column(String(120), default="")
    issued_by_title: Mapped[str] = mapped_column(String(200), default="")
    # Trích yếu: the short summary lists and timelines show.
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text, default="")
    # Folded title + content + issuer, for diacritic-insensitive LIKE search.
    search_folded: Mapped[str] = mapped_column(Text, default="")
    field_id: Mapped[int | None] = mapped_column(ForeignKey("fields.id"), index=True)
    # None with is_ongoing: thường xuyên, followed through periodic reports.
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    is_ongoing: Mapped[bool] = mapped_column(Boolean, default=False)
    reporting_period: Mapped[str | None] = mapped_column(String(12))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Read from a conclusion notice (app.conclusions): its file (an attachment of the meeting,
    # None when the text was pasted) and the item's number there ("II.3", "2.a").
    notice_attachment_id: Mapped[int | None] = mapped_column(Integer, index=True)
    notice_item: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now, index=True)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now, onupdate=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    meeting: Mapped[Meeting | None] = relationship()
    field: Mapped[Field | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @validates(*_SEARCHED)
    def _normalise_text(self, key, value):
        value = nfc(value or "")
        parts = {name: getattr(self, name, None) or "" for name in _SEARCHED}
        parts[key] = value
        self.search_folded = fold(" ".join(parts[name] for name in _SEARCHED))
        return value

    @property
    def reporting_period_label(self) -> str | None:
        return status.REPORTING_PERIOD_LABELS.get(self.reporting_period or "")


# What the dashboard reads of each task after its unit and state (ix_assignments_unit_days): the
# day numbers its status is classed by, and the dates a period follows it by.
UNIT_DAYS_COVERS = ("due_day", "done_day", "completed_on", "created_at")
# What it reads of each task after its directive, state and id (ix_assignments_directive_state).
DIRECTIVE_STATE_COVERS = ("original_deadline", "extended_deadline", "completed_on", "created_at", "last_report_at")


class Assignment(db.Model):
    """One unit's share of a directive, as lead (chủ trì) or support (phối hợp)."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed through the unique (directive_id, unit_id) and (unit_id, state) below.
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(10), default=workflow.LEAD)
    state: Mapped[str] = mapped_column(String(24), default=workflow.IN_PROGRESS)
    # The deadline as assigned (follows the directive while the assignment is open);
    # an approved extension goes to extended_deadline and this one stays on record.
    original_deadline: Mapped[date | None] = mapped_column(Date)
    extended_deadline: Mapped[date | None] = mapped_column(Date)
    completion_requested_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    # Why the coordinator suspended or cancelled it (empty otherwise).
    state_reason: Mapped[str | None] = mapped_column(Text)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now, onupdate=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Day numbers kept by the database (app/local_days.py, GeneratedDay): the deadline in force
    # and the completion day. Statuses in SQL (rollups.status_key_sql) compare these integers
    # rather than ISO texts through coalesce: the dashboard classes every task. Deferred: the ORM
    # never reads them in Python, so loading a task does not compute them.
    due_day: Mapped[int | None] = mapped_column(Integer, GeneratedDay(day_number_sql(
        func.coalesce(literal_column("extended_deadline"), literal_column("original_deadline")))), deferred=True)
    done_day: Mapped[int | None] = mapped_column(
        Integer, GeneratedDay(day_number_sql(literal_column("completed_on"))), deferred=True)
    # When its latest report (the highest id) was sent, kept by the database: a trigger on
    # progress_reports (migration 0029_last_report) sets it whoever writes a report. Whether a unit
    # has reported in a period (rollups.reported_sql) reads it instead of looking the report up.
    # Deferred like the day numbers: nothing reads it in Python.
    last_report_at: Mapped[datetime | None] = mapped_column(TZDateTime, deferred=True)

    directive: Mapped[Directive] = relationship()
    unit: Mapped[Unit] = relationship()

    __table_args__ = (
        # One assignment per unit and directive: a broadcast sent twice adds nothing.
        UniqueConstraint("directive_id", "unit_id", name="uq_assignments_directive_unit"),
        # A unit's open assignments, and (deadlines in the index) which of them are overdue without
        # reading each row; with the directive and the id, the unit's home panel ranks them from
        # the index alone.
        db.Index("ix_assignments_unit_state", "unit_id", "state", "original_deadline", "extended_deadline",
                 "directive_id", "id"),
        # The dashboard counts the tasks followed in a period per unit and status through this
        # narrow index (dashboard.services._status_counts; PostgreSQL from the index alone, SQLite
        # also visits each task's row: it counts no index on a VIRTUAL column as covering).
        db.Index("ix_assignments_unit_days", "unit_id", "state", *UNIT_DAYS_COVERS),
        # Lookups by state; the tasks completed in a span (the trends) and the directives with an
        # open task followed in a period (reporting completeness), without the tasks' rows.
        db.Index("ix_assignments_state_completed", "state", "completed_on", "created_at", "directive_id"),
        # A directive's tasks in a state (the units still working on it) without their rows; with
        # the dates, the directives with the most tasks overdue in a period (dashboard.overview.
        # most_behind, status_clause and tracked_in_period) counted from the index alone, and
        # with the latest report's time, the units that have not reported (reported_sql).
        db.Index("ix_assignments_directive_state", "directive_id", "state", "id", *DIRECTIVE_STATE_COVERS),
    )
    __mapper_args__ = {"version_id_col": version}

    @property
    def deadline(self) -> date | None:
        """The deadline in force: the approved extension, else the original."""
        return status.deadline_in_force(self.original_deadline, self.extended_deadline)

    def status_on(self, today: date, due_soon_days: int = 3) -> status.Status:
        return status.classify_assignment(self.state, self.deadline, self.completed_on, today, due_soon_days)

    @property
    def state_label(self) -> str:
        return workflow.STATE_LABELS[self.state]

    @property
    def role_label(self) -> str:
        return workflow.ROLE_LABELS[self.role]


# The province's tasks in one state by the deadline in force (directives.services.deadline_sql):
# the overdue queue and its count read the open tasks past their deadline, not every open task of
# every unit (ix_assignments_unit_state) and then each one's directive. An expression, so declared
# once the table exists.
db.Index(
    "ix_assignments_state_deadline",
    Assignment.state, func.coalesce(Assignment.extended_deadline, Assignment.original_deadline),
)
# The assignments list's order (deadline in force, none last, then directive): the list's first
# page and the overdue queue walk it and stop instead of sorting every open or overdue task.
# Selective views must not walk it (directives.lists._ordered_base picks their rows first).
db.Index(
    "ix_assignments_due_order",
    func.coalesce(Assignment.extended_deadline, Assignment.original_deadline), Assignment.directive_id,
)


class ProgressReport(db.Model):
    """What a unit reports on its assignment: text, percent done, attachments."""

    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"))
    text: Mapped[str] = mapped_column(Text)
    percent: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now, index=True)

    assignment: Mapped[Assignment] = relationship()
    author: Mapped[User | None] = relationship()

    __table_args__ = (
        # An assignment's reports; with the id and the date, its latest report and that report's
        # date (latest_reports, and the trigger that keeps Assignment.last_report_at) from the index alone.
        db.Index("ix_progress_reports_assignment_id", "assignment_id", "id", "created_at"),
    )

    @validates("text")
    def _normalise_text(self, key, value):
        return nfc(value)


class ExtensionRequest(db.Model):
    """A unit's request to move its deadline, and the coordinator's decision on it."""

    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    # The deadline in force when asked, and the one asked for.
    previous_deadline: Mapped[date] = mapped_column(Date)
    requested_deadline: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default=workflow.EXT_PENDING, index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)

    assignment: Mapped[Assignment] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def state_label(self) -> str:
        return workflow.EXTENSION_STATE_LABELS[self.state]


class AssignmentEvent(db.Model):
    """One line of an assignment's timeline: who did what, when, from which state to which."""

    __tablename__ = "assignment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)
    kind: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str | None] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("progress_reports.id"))
    extension_id: Mapped[int | None] = mapped_column(ForeignKey("extension_requests.id"))
    # The import batch (app.imports) whose file this event came from: the timeline links it.
    import_batch_id: Mapped[int | None] = mapped_column(Integer)

    actor: Mapped[User | None] = relationship()
    report: Mapped[ProgressReport | None] = relationship()
    extension: Mapped[ExtensionRequest | None] = relationship()


class DirectiveEvent(db.Model):
    """One line of a directive's history: created, edited (what changed), assigned, commented."""

    __tablename__ = "directive_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The import batch (app.imports) whose file this event came from: the history links it.
    import_batch_id: Mapped[int | None] = mapped_column(Integer)

    actor: Mapped[User | None] = relationship()

    @validates("note")
    def _normalise_note(self, key, value):
        return nfc(value)
