"""The API's tables: tokens, remembered answers to idempotent writes, and the webhook outbox."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.extensions import db
from app.models import TZDateTime, User

READ = "read"
WRITE = "write"  # read and write
SCOPES = (READ, WRITE)
SCOPE_LABELS = {READ: _l("Chỉ đọc"), WRITE: _l("Đọc và ghi")}

# Where a webhook delivery stands (the same steps as a notification's e-mail).
PENDING = "pending"
SENT = "sent"
FAILED = "failed"


class ApiToken(db.Model):
    """A key another system uses to act as one user; only its hash is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    scope: Mapped[str] = mapped_column(String(10), default=READ)
    # SHA-256 of the secret: the secret has 256 random bits, so a fast hash is enough and lets
    # a request find its token by one indexed lookup.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown in lists so people can tell tokens apart
    expires_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    # Optional: where to POST the events this token's user may see, and the HMAC key.
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def scope_label(self) -> str:
        return str(SCOPE_LABELS.get(self.scope, self.scope))

    def is_usable(self, today: date) -> bool:
        return self.revoked_at is None and self.expires_on >= today and self.user.active

    def allows_write(self) -> bool:
        return self.scope == WRITE


class IdempotencyRecord(db.Model):
    """The answer a write gave, kept so that the same Idempotency-Key gets it again."""

    __tablename__ = "api_idempotency"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))  # method, path and body
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[Any] = mapped_column(JSON)
    location: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)

    __table_args__ = (UniqueConstraint("token_id", "key", name="uq_api_idempotency_token_key"),)


class WebhookDelivery(db.Model):
    """One event to POST to one token's webhook: the outbox row, retried with back-off."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)
    delivered_at: Mapped[datetime | None] = mapped_column(TZDateTime)

    token: Mapped[ApiToken] = relationship()
