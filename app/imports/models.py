"""One uploaded spreadsheet between its preview and its confirmation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.extensions import db
from app.models import TZDateTime, User

PROPOSALS = "proposals"
DIRECTIVES = "directives"
PROGRESS = "progress"
KINDS = (PROPOSALS, DIRECTIVES, PROGRESS)

PREVIEW = "preview"
CONFIRMED = "confirmed"


class ImportBatch(db.Model):
    """An uploaded file's rows as read at upload, their problems, and what confirming did.

    The rows live here, not in the browser nor on one host's disk: several app processes
    share the database, and a confirmation never trusts rows posted back to it.
    confirmed_key is "<kind>:<sha256>" once confirmed; its unique index is what refuses
    the same file a second time, even when two confirmations race.
    """

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(12), default=PREVIEW)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    # Rows with a problem that must be fixed in the file before anything can be saved.
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    # {"title": sheet title, "header_row": 1, "letters": {column key: letter},
    #  "rows": [{"row": 7, "cells": {...}, "shown": {...}, "problems": [...], "status": "..."}]}
    sheet: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # What the confirmation did: counts and the ids it created or changed.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    parse_ms: Mapped[int] = mapped_column(Integer, default=0)
    confirmed_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(TZDateTime)

    user: Mapped[User] = relationship()
