"""Proposal tables: the proposal itself, its support units and its timeline."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    and_,
    event,
    literal_column,
    or_,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app import clock
from app.delegation import workflow as delegation_workflow
from app.extensions import db
from app.local_days import GeneratedDay, day_number_sql, local_day_number_sql
from app.models import Field, Meeting, TZDateTime, Unit, User
from app.proposals import workflow
from app.text import nfc

proposal_support_units = Table(
    "proposal_support_units",
    db.metadata,
    Column("proposal_id", ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id"), primary_key=True, index=True),
)


# What the dashboard reads of each proposal sent in a period (see ix_proposals_sent).
SENT_COVERS = ("state", "field_id", "lead_unit_id", "commune_unit_id", "answer_deadline", "answered_on",
               "answer_day", "assigned_day")


class Proposal(db.Model):
    """A commune's proposal (kiến nghị) to the province, followed until it is answered."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    commune_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # indexes: see __table_args__
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(300))
    title_folded: Mapped[str] = mapped_column(String(300), default="")  # sorts "Âu" with "Au", not after "Z"
    content: Mapped[str] = mapped_column(Text)
    field_id: Mapped[int] = mapped_column(ForeignKey("fields.id"))
    requested_amount: Mapped[int | None] = mapped_column(BigInteger)  # whole đồng
    location: Mapped[str] = mapped_column(String(200), default="")
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=workflow.DRAFT)

    # Triage and assignment (coordinator).
    received_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    return_reason: Mapped[str | None] = mapped_column(Text)
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    answer_deadline: Mapped[date | None] = mapped_column(Date, index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(TZDateTime)

    # The lead department's answer. answered_on is the answer's date in the province's
    # time zone, kept so that lists can filter on timeliness in SQL.
    answered_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    answered_on: Mapped[date | None] = mapped_column(Date)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answer_outcome: Mapped[str | None] = mapped_column(String(20))
    answer_planned_on: Mapped[date | None] = mapped_column(Date)
    answer_text: Mapped[str | None] = mapped_column(Text)

    # The commune's feedback on the answer.
    feedback: Mapped[str | None] = mapped_column(String(20))
    feedback_text: Mapped[str | None] = mapped_column(Text)
    feedback_at: Mapped[datetime | None] = mapped_column(TZDateTime)

    closed_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    search_folded: Mapped[str] = mapped_column(Text, default="")
    # Random key of the form that created the row: a double click creates one proposal.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)
    submitted_at: Mapped[datetime | None] = mapped_column(TZDateTime, index=True)
    # When the commune sent it (submitted_at), else when it was written (drafts): what lists sort
    # and filter by "ngày gửi". Kept by _keep_sent_at below, so that one index serves it.
    sent_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now, onupdate=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    commune: Mapped[Unit] = relationship(foreign_keys=[commune_unit_id])
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    field: Mapped[Field] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    lead_unit: Mapped[Unit | None] = relationship(foreign_keys=[lead_unit_id])
    support_units: Mapped[list[Unit]] = relationship(secondary=proposal_support_units, order_by=Unit.sort_order)
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    # Day numbers kept by the database (app/local_days.py, GeneratedDay): the answer's day and the
    # province's day of the assignment. The dashboard's days to answer subtract these integers,
    # read from ix_proposals_sent, instead of running julianday on every proposal. Deferred: the
    # ORM never reads them in Python, so loading a proposal does not compute them.
    answer_day: Mapped[int | None] = mapped_column(
        Integer, GeneratedDay(day_number_sql(literal_column("answered_on"))), deferred=True)
    assigned_day: Mapped[int | None] = mapped_column(
        Integer, GeneratedDay(local_day_number_sql(literal_column("assigned_at"))), deferred=True)
    events: Mapped[list[ProposalEvent]] = relationship(
        back_populates="proposal", order_by="ProposalEvent.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("requested_amount IS NULL OR requested_amount >= 0", name="amount_not_negative"),
        # Keyset pagination of the lists (newest sent first), everyone's and one commune's. The
        # columns after the id make it cover the dashboard's grouped count of a period's proposals
        # (dashboard.services.proposal_groups), read from the index alone, not from the wide rows.
        db.Index("ix_proposals_sent", "sent_at", "id", *SENT_COVERS),
        db.Index("ix_proposals_commune_sent", "commune_unit_id", "sent_at", "id"),
        # The commune's home: its latest proposals, and how many were returned to it.
        db.Index("ix_proposals_commune_updated", "commune_unit_id", "updated_at"),
        db.Index("ix_proposals_commune_state", "commune_unit_id", "state"),
        # List filtered by field and state, newest first.
        db.Index("ix_proposals_field_state_sent", "field_id", "state", "sent_at"),
        # Queues by state, due soonest first: the overdue panel, the inbox, and a department's queue
        # (its own index: the planner reads the lead unit's rows of the one state, not all of them).
        db.Index("ix_proposals_state_deadline", "state", "answer_deadline"),
        db.Index("ix_proposals_lead_state", "lead_unit_id", "state", "answer_deadline"),
    )
    __mapper_args__ = {"version_id_col": version}

    @validates("title", "content", "location", "answer_text", "feedback_text", "return_reason")
    def _normalise_text(self, key, value):
        return nfc(value)

    @property
    def state_label(self) -> str:
        return workflow.state_label(self.state, self.received_at is not None)

    @property
    def facts(self) -> workflow.Facts:
        return workflow.Facts(
            state=self.state,
            commune_unit_id=self.commune_unit_id,
            lead_unit_id=self.lead_unit_id,
            support_unit_ids=frozenset(u.id for u in self.support_units),
            received=self.received_at is not None,
        )

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.state}>"


class ProposalEvent(db.Model):
    """One line of a proposal's timeline: who did what, when, from which state to which."""

    __tablename__ = "proposal_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The actor's unit at the time: people move, the record should not.
    actor_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    # transition, edit, comment, opinion, feedback or leader_comment
    kind: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    # The import batch (app.imports) whose file this event came from: the timeline links it.
    import_batch_id: Mapped[int | None] = mapped_column(Integer)

    proposal: Mapped[Proposal] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
    actor_unit: Mapped[Unit | None] = relationship()

    @validates("note")
    def _normalise_note(self, key, value):
        return nfc(value or "")

    @property
    def action_label(self) -> str:
        return workflow.ACTION_LABELS.get(self.action) or delegation_workflow.TIMELINE_LABELS.get(self.action, self.action)

    @property
    def changes_state(self) -> bool:
        return self.from_state is not None and self.from_state != self.to_state


@event.listens_for(Proposal, "before_insert")
@event.listens_for(Proposal, "before_update")
def _keep_sent_at(mapper, connection, proposal: Proposal) -> None:
    """sent_at is submitted_at, else created_at, whoever writes the row through the ORM."""
    if proposal.created_at is None:
        proposal.created_at = clock.now()
    proposal.sent_at = proposal.submitted_at or proposal.created_at


DISAGREED_SQL = (f"feedback = '{workflow.DISAGREE}' AND (state = '{workflow.ANSWERED}' "
                 f"OR state = '{workflow.CLOSED}' AND feedback_at > closed_at)")


def disagreed_clause():
    """The commune said "chưa đồng ý" and the office has not decided since: answered, or
    closed before the commune's word came (a reopen clears the feedback).

    Its values are written into the SQL, not bound, so that both databases see that a query
    holding it may read ix_proposals_disagreed, the index of exactly these rows: the coordinator's
    home counted them by reading every disagreed proposal's row (274 ms at scale 25).
    """
    return and_(
        Proposal.feedback == literal_column(f"'{workflow.DISAGREE}'"),
        or_(Proposal.state == literal_column(f"'{workflow.ANSWERED}'"),
            and_(Proposal.state == literal_column(f"'{workflow.CLOSED}'"), Proposal.feedback_at > Proposal.closed_at)),
    )


db.Index("ix_proposals_disagreed", Proposal.feedback_at, Proposal.id,
         sqlite_where=text(DISAGREED_SQL), postgresql_where=text(DISAGREED_SQL))
