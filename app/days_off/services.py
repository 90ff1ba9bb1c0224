"""Recording and removing the admin's extra days off, with their audit events."""

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit, deadlines
from app.days_off.models import DayOff
from app.extensions import db
from app.service_error import ServiceError
from app.text import nfc


class DayOffError(ServiceError):
    """A day off that cannot be recorded; the message is for users."""


def days_off_in(year: int) -> list[DayOff]:
    """The extra days off of year, in date order."""
    query = select(DayOff).where(DayOff.date >= dt.date(year, 1, 1), DayOff.date <= dt.date(year, 12, 31))
    return list(db.session.scalars(query.order_by(DayOff.date)))


def add_day_off(day: dt.date, reason: str, actor=None) -> DayOff:
    """Record an extra day off with an audit event; the caller commits."""
    if db.session.scalar(select(DayOff).where(DayOff.date == day)) is not None:
        raise DayOffError(_("Ngày %(day)s đã có trong danh sách ngày nghỉ.", day=day.strftime("%d/%m/%Y")), "date")
    day_off = DayOff(date=day, reason=nfc(reason.strip()), created_by_id=getattr(actor, "id", None))
    db.session.add(day_off)
    db.session.flush()
    audit.record("day_off.create", day_off, after=audit.snapshot(day_off, ["date", "reason"]), actor=actor)
    deadlines.forget_calendar()
    return day_off


def remove_day_off(day_off: DayOff, actor=None) -> None:
    """Delete an extra day off with an audit event; the caller commits."""
    audit.record("day_off.delete", day_off, before=audit.snapshot(day_off, ["date", "reason"]), actor=actor)
    db.session.delete(day_off)
    deadlines.forget_calendar()
