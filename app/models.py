"""Core models shared by every feature: units, users, fields, meetings, files, audit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload, validates
from werkzeug.security import check_password_hash, generate_password_hash

from app import clock
from app.deadline_units import CALENDAR, UNIT_LABELS
from app.extensions import db
from app.text import fold, nfc, sort_key


class TZDateTime(db.TypeDecorator):
    """Timezone-aware UTC datetimes on SQLite (which keeps none) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


# Unit kinds. Commune-level kinds come from the vietnam-provinces division types.
COMMUNE_KINDS = ("xa", "phuong", "dac_khu")
PROVINCIAL_KINDS = ("party_body", "state_body", "mass_org")
# The Tỉnh ủy and the UBND tỉnh: bodies reports are issued in the name of (their offices draft
# for them), never given tasks or proposals themselves.
LEADING_KIND = "leading_body"
# Printed-header layouts: Nghị định 30/2020 (state) or Hướng dẫn 36-HD/VPTW (Party).
STATE_LAYOUT, PARTY_LAYOUT = "state", "party"
# A unit account's place in its unit (User.unit_role; app/delegation).
UNIT_HEAD, UNIT_OFFICER = "head", "officer"


class Unit(db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The printed header (app.documents.headers); empty ones fall back to defaults by kind.
    doc_superior: Mapped[str | None] = mapped_column(String(200))  # "UBND TỈNH GIA LAI"; "" = none
    doc_name: Mapped[str | None] = mapped_column(String(300))  # lines as printed, "\n" between
    doc_abbr: Mapped[str | None] = mapped_column(String(40))  # number symbol: "SGDĐT", "VPTU"
    doc_place: Mapped[str | None] = mapped_column(String(100))  # date line: "Gia Lai", "Ia Boòng"
    doc_signer: Mapped[str | None] = mapped_column(String(200))  # "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    doc_layout: Mapped[str | None] = mapped_column(String(10))  # STATE_LAYOUT or PARTY_LAYOUT
    doc_drafts_for: Mapped[str | None] = mapped_column(String(32))  # code of the body it drafts for
    # Work handed down inside the unit (app/delegation): an officer's draft waits for the head's
    # approval before it leaves the unit. Only applies once a head is designated.
    drafts_need_approval: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    users: Mapped[list[User]] = relationship(back_populates="unit")

    __mapper_args__ = {"version_id_col": version}

    @validates("name")
    def _normalise_name(self, key, value):
        value = nfc(value)
        self.name_folded = fold(value)
        return value

    @property
    def is_commune(self) -> bool:
        return self.kind in COMMUNE_KINDS

    @property
    def is_party_body(self) -> bool:
        return self.kind == "party_body"

    @property
    def is_leading_body(self) -> bool:
        return self.kind == LEADING_KIND

    @property
    def order_key(self) -> tuple:
        """The one order units are shown in: provincial bodies in their listed order, then
        communes; names in Vietnamese dictionary order where the listed order ties."""
        return (self.is_commune, 0 if self.is_commune else self.sort_order, sort_key(self.name))

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    full_name_folded: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)
    last_login_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    # How notifications reach this user by e-mail: "immediate", "digest" (daily) or "none".
    email_preference: Mapped[str] = mapped_column(String(10), default="immediate", server_default="immediate")
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Part of every session's user id: raising it ends every session of the account
    # (logout, new password, disable); see app.auth.session.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # The account's place inside its unit (app/delegation): UNIT_HEAD (head or deputy, lãnh đạo
    # đơn vị) or UNIT_OFFICER (chuyên viên, công chức). Everyone starts an officer: a unit with
    # no head designated works as a whole, as before delegation existed.
    unit_role: Mapped[str] = mapped_column(String(10), default="officer", server_default="officer")

    unit: Mapped[Unit] = relationship(back_populates="users")

    __mapper_args__ = {"version_id_col": version}

    @validates("full_name")
    def _normalise_full_name(self, key, value):
        value = nfc(value or "")
        self.full_name_folded = fold(value)
        return value

    @property
    def is_unit_head(self) -> bool:
        return self.unit_role == UNIT_HEAD

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """The id a session keeps: "id:session_version", so old sessions stop matching."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str, method: str = "scrypt") -> None:
        self.password_hash = self.hash_password(password, method)

    @staticmethod
    def hash_password(password: str, method: str = "scrypt") -> str:
        """The stored form of password: slow on purpose (~0.1 s of scrypt)."""
        return generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class Field(db.Model):
    """A policy area (lĩnh vực) that proposals and directives belong to."""

    __tablename__ = "fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_folded: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    default_lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    default_answer_days: Mapped[int | None] = mapped_column(Integer)
    # How default_answer_days count: "calendar" or "working" (app.deadline_units.UNITS).
    default_deadline_unit: Mapped[str] = mapped_column(String(10), default="calendar", server_default="calendar")
    version: Mapped[int] = mapped_column(Integer, default=1)

    default_lead_unit: Mapped[Unit | None] = relationship()

    @property
    def default_deadline_unit_label(self) -> str:
        return str(UNIT_LABELS.get(self.default_deadline_unit, UNIT_LABELS[CALENDAR]))

    __mapper_args__ = {"version_id_col": version}

    @validates("name")
    def _normalise_name(self, key, value):
        value = nfc(value)
        self.name_folded = fold(value)
        return value


class Setting(db.Model):
    """An admin-editable setting; code reads it through app.settings."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Meeting(db.Model):
    """A briefing or working meeting that raises proposals and issues directives."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    title_folded: Mapped[str] = mapped_column(String(300), default="")
    held_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20), default="giao_ban")
    chair_name: Mapped[str] = mapped_column(String(120), default="")
    chair_title: Mapped[str] = mapped_column(String(200), default="")
    # The body in whose name the follow-up is issued: decides the print header.
    issuing_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    participants: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)
    version: Mapped[int] = mapped_column(Integer, default=1)

    issuing_unit: Mapped[Unit | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @validates("title")
    def _normalise_title(self, key, value):
        value = nfc(value)
        self.title_folded = fold(value)
        return value


class Attachment(db.Model):
    """An uploaded file, owned by one object (proposal, meeting, report, ...)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)

    uploaded_by: Mapped[User | None] = relationship()

    __table_args__ = (db.Index("ix_attachments_owner", "owner_type", "owner_id"),)

    @classmethod
    def for_owner(cls, owner_type: str, owner_id: int):
        return (
            select(cls)
            .where(cls.owner_type == owner_type, cls.owner_id == owner_id)
            .options(selectinload(cls.uploaded_by))  # the file list names who uploaded each
            .order_by(cls.id)
        )


class AuditEvent(db.Model):
    """One write, as the audit log shows it: who did what to which object."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(String(64))
    # The API token the write came through (its name when made), None for the site's own forms.
    api_token_name: Mapped[str | None] = mapped_column(String(120))

    actor: Mapped[User | None] = relationship()

    __table_args__ = (db.Index("ix_audit_events_object", "object_type", "object_id"),)
