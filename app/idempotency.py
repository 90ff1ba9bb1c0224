"""One form, one result: a create form sent twice (Back then submit, a double click, a resend
after a dropped connection) shows what the first sending made instead of making it again.

Every create form carries a random key (app.forms.IdempotentForm, issued when the form is
rendered). The view asks replay() first: a key this user already used answers with a 303 to
what it made. Otherwise it does the work and calls remember() in the same transaction, so the
key and the thing it made commit together; a twin request racing it fails on the key's
primary key at commit (commit_or_replay()) and is sent to the winner's result.

Proposals keep their own column (proposals.idempotency_key, the first use of the pattern);
the rest of the site goes through this table.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from flask import redirect
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.extensions import db
from app.models import TZDateTime

KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class FormSubmission(db.Model):
    """A create form's key and the page of what it made."""

    __tablename__ = "form_submissions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target_url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)


def new_key() -> str:
    return secrets.token_urlsafe(24)


def clean(key: str | None) -> str | None:
    """key if it looks like one we issue (a hidden field gets no error message), else None."""
    return key if key and KEY_PATTERN.fullmatch(key) else None


def done_url(key: str | None, user) -> str | None:
    """Where the first sending of this user's form with key led, if it was sent."""
    if not clean(key):
        return None
    return db.session.scalar(
        select(FormSubmission.target_url).where(FormSubmission.key == key, FormSubmission.user_id == user.id)
    )


def replay(key: str | None, user):
    """A 303 to what the form already made, or None when it is sent for the first time."""
    url = done_url(key, user)
    return redirect(url, 303) if url else None


def remember(key: str | None, user, target_url: str) -> None:
    """Record in the caller's transaction that key made what target_url shows."""
    if clean(key):
        db.session.add(FormSubmission(key=key, user_id=user.id, target_url=target_url, created_at=clock.now()))


def commit_or_replay(key: str | None, user):
    """Commit; when a twin request committed the same key first, roll back and return a 303
    to its result (None when the commit went through)."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        response = replay(key, user)
        if response is None:
            raise
        return response
    return None
