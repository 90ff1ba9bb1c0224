"""A list's query string kept for one user: the last one used (name NULL), or a named view."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.extensions import db
from app.models import TZDateTime

# The longest query string kept (the column's length).
QUERY_MAX = 2000

class SavedList(db.Model):
    __tablename__ = "saved_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    list_key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(String(120))  # None: the filters used last
    query: Mapped[str] = mapped_column(String(QUERY_MAX))
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=clock.now)

    __table_args__ = (db.Index("ix_saved_lists_user_list", "user_id", "list_key"),)
