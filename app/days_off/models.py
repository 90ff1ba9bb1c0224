"""The province's own calendar on top of the national one: extra days off, make-up working
days (ngày làm bù) and national holidays the province works (cancelled)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.extensions import db
from app.models import TZDateTime, User

# What a row records about its day.
DAY_OFF = "day_off"  # a local day off: a working day the province gives off
WORKDAY = "workday"  # a make-up working day: a weekend day the province works
HOLIDAY_WORKED = "holiday_worked"  # a national holiday (or day off in lieu) the province works
KINDS = (DAY_OFF, WORKDAY, HOLIDAY_WORKED)
WORKED_KINDS = (WORKDAY, HOLIDAY_WORKED)


class DayOff(db.Model):
    """One day of the province's own calendar: a day off, or a day worked that would be off."""

    __tablename__ = "days_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, unique=True)
    reason: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=DAY_OFF, server_default=DAY_OFF)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(TZDateTime, default=clock.now)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<DayOff {self.date.isoformat()} {self.kind} {self.reason}>"

    @property
    def is_worked(self) -> bool:
        return self.kind in WORKED_KINDS
