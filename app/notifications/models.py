"""The notification a user finds behind the bell, and its e-mail delivery state."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.extensions import db
from app.models import TZDateTime, User

# E-mail preferences, stored on users.email_preference.
IMMEDIATE = "immediate"
DIGEST = "digest"
NO_EMAIL = "none"
EMAIL_PREFERENCES = (IMMEDIATE, DIGEST, NO_EMAIL)
EMAIL_PREFERENCE_LABELS = {
    IMMEDIATE: _l("Gửi thư ngay khi có thông báo"),
    DIGEST: _l("Gửi một thư tổng hợp mỗi ngày"),
    NO_EMAIL: _l("Không gửi thư, chỉ xem trên hệ thống"),
}

# Where a notification stands on its way to the recipient's mailbox.
EMAIL_PENDING = "pending"  # to be sent (alone or in tomorrow's digest)
EMAIL_SENT = "sent"
EMAIL_SKIPPED = "skipped"  # no mail server, no address, preference "none", or read in the site first
EMAIL_FAILED = "failed"  # gave up after MAIL_MAX_ATTEMPTS tries
EMAIL_STATES = (EMAIL_PENDING, EMAIL_SENT, EMAIL_SKIPPED, EMAIL_FAILED)

TITLE_MAX = 500
LINK_MAX = 500
DEDUP_KEY_MAX = 200


class Notification(db.Model):
    """One event told to one user: what happened, and where to look."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    link: Mapped[str] = mapped_column(String(LINK_MAX))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    # Same key for the same recipient is refused by the database: reminders run twice add nothing.
    dedup_key: Mapped[str | None] = mapped_column(String(DEDUP_KEY_MAX))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    email_state: Mapped[str] = mapped_column(String(10), default=EMAIL_SKIPPED, index=True)
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Not before this moment: the retry back-off, and a short lease while a sender holds it.
    email_next_try_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    email_error: Mapped[str | None] = mapped_column(String(500))
    emailed_at: Mapped[datetime | None] = mapped_column(TZDateTime)

    recipient: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("recipient_id", "dedup_key"),
        db.Index("ix_notifications_recipient_read", "recipient_id", "read_at"),
        db.Index("ix_notifications_object", "object_type", "object_id"),
    )

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @classmethod
    def for_recipient(cls, user_id: int, unread_only: bool = False):
        """The user's notifications, newest first, as a select() to paginate."""
        query = select(cls).where(cls.recipient_id == user_id)
        if unread_only:
            query = query.where(cls.read_at.is_(None))
        return query.order_by(cls.created_at.desc(), cls.id.desc())

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} to {self.recipient_id}>"
