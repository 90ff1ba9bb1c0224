"""Work handed down inside a unit: a delegation of one unit's item to an officer, and the
drafts the officer writes for the head to approve (issue 18, part 2; rules in workflow.py)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app import clock
from app.delegation import workflow
from app.directives.models import Assignment
from app.extensions import db
from app.models import TZDateTime, Unit, User
from app.proposals.models import Proposal
from app.text import nfc

PROPOSAL, ASSIGNMENT = "proposal", "assignment"
ITEM_KINDS = (PROPOSAL, ASSIGNMENT)

delegation_co_officers = Table(
    "delegation_co_officers",
    db.metadata,
    Column("delegation_id", ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)


class Delegation(db.Model):
    """One unit's item given by the unit's head to an officer. The row stays when the item goes
    back to the unit as a whole (state "none"), so a later assignment continues its history."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    # Exactly one of the two: an incoming proposal (as lead or support) or a directive assignment.
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"), unique=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    internal_deadline: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default=workflow.ASSIGNED)
    returned_note: Mapped[str | None] = mapped_column(Text)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now, onupdate=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    unit: Mapped[Unit] = relationship()
    proposal: Mapped[Proposal | None] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    assigned_by: Mapped[User | None] = relationship(foreign_keys=[assigned_by_id])
    co_officers: Mapped[list[User]] = relationship(secondary=delegation_co_officers, order_by=User.full_name)

    __table_args__ = (
        UniqueConstraint("unit_id", "proposal_id", name="uq_delegations_unit_proposal"),
        CheckConstraint("(proposal_id IS NULL) <> (assignment_id IS NULL)", name="delegation_one_item"),
        # The unit's items by officer and state (the head's overview).
        db.Index("ix_delegations_unit_state", "unit_id", "state"),
    )
    __mapper_args__ = {"version_id_col": version}

    @validates("returned_note")
    def _normalise_note(self, key, value):
        return nfc(value) if value else value

    @property
    def item_kind(self) -> str:
        return PROPOSAL if self.proposal_id is not None else ASSIGNMENT

    @property
    def state_label(self) -> str:
        return str(workflow.STATE_LABELS[self.state])


class DelegationDraft(db.Model):
    """What the officer wrote for the unit to send: an answer, a progress report or a completion
    request, with the fields the unit's own form would have asked for."""

    __tablename__ = "delegation_drafts"

    PENDING, SENT, RETURNED, WITHDRAWN = "pending", "sent", "returned", "withdrawn"

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(20))  # answers: the proposal's outcome
    planned_on: Mapped[date | None] = mapped_column(Date)  # answers "in progress"
    percent: Mapped[int | None] = mapped_column(Integer)  # progress reports
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(12), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)

    delegation: Mapped[Delegation] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @validates("text", "decision_note")
    def _normalise_text(self, key, value):
        return nfc(value) if value else value

    @property
    def kind_label(self) -> str:
        return str(workflow.DRAFT_LABELS[self.kind])
