"""The extra days off the province decides, on top of the national holidays."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.extensions import db
from app.models import TZDateTime, User


class DayOff(db.Model):
    """An extra day off the province decides, on top of the national holidays."""

    __tablename__ = "days_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, unique=True)
    reason: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(TZDateTime, default=clock.now)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<DayOff {self.date.isoformat()} {self.reason}>"
