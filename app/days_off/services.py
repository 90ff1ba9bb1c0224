"""Recording and removing the province's calendar entries, with their audit events.

An entry is a local day off (a working day given off), a make-up working day (a weekend day
worked, ngày làm bù) or a national holiday the province works; each day has one entry at most.
"""

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select

from app import audit, deadlines
from app.days_off.models import DAY_OFF, HOLIDAY_WORKED, KINDS, WORKDAY, DayOff
from app.extensions import db
from app.service_error import ServiceError
from app.text import nfc

AUDIT_FIELDS = ["date", "kind", "reason"]


class DayOffError(ServiceError):
    """A calendar entry that cannot be recorded; the message is for users."""


def days_off_in(year: int) -> list[DayOff]:
    """The province's calendar entries of year, in date order."""
    query = select(DayOff).where(DayOff.date >= dt.date(year, 1, 1), DayOff.date <= dt.date(year, 12, 31))
    return list(db.session.scalars(query.order_by(DayOff.date)))


def check_entry(day: dt.date, kind: str) -> str | None:
    """Why day cannot carry an entry of kind (a message next to the date), or None."""
    shown = day.strftime("%d/%m/%Y")
    national_name = deadlines.public_holiday_name(day)
    worked = deadlines.WorkingCalendar.is_national_working_day(day)
    if kind == DAY_OFF and not worked:
        if national_name:
            return _("Ngày %(day)s đã là ngày nghỉ lễ: %(name)s.", day=shown, name=national_name)
        return _("Ngày %(day)s là ngày nghỉ cuối tuần.", day=shown)
    if kind == WORKDAY:
        if national_name:
            return _("Ngày %(day)s là ngày nghỉ lễ (%(name)s): chọn “Đi làm, không nghỉ lễ” nếu tỉnh không nghỉ ngày này.",
                     day=shown, name=national_name)
        if worked:
            return _("Ngày %(day)s đã là ngày làm việc; ngày làm bù phải là thứ Bảy hoặc Chủ nhật.", day=shown)
    if kind == HOLIDAY_WORKED and not national_name:
        return _("Ngày %(day)s không phải ngày nghỉ lễ, Tết theo quy định của Nhà nước.", day=shown)
    return None


def add_day_off(day: dt.date, reason: str, actor=None, kind: str = DAY_OFF) -> DayOff:
    """Record a calendar entry with an audit event; the caller commits."""
    if kind not in KINDS:
        raise DayOffError(_("Chọn loại ngày."), "kind")
    if db.session.scalar(select(DayOff).where(DayOff.date == day)) is not None:
        raise DayOffError(_("Ngày %(day)s đã có trong lịch của tỉnh.", day=day.strftime("%d/%m/%Y")), "date")
    problem = check_entry(day, kind)
    if problem:
        raise DayOffError(problem, "date")
    day_off = DayOff(date=day, kind=kind, reason=nfc(reason.strip()), created_by_id=getattr(actor, "id", None))
    db.session.add(day_off)
    db.session.flush()
    audit.record("day_off.create", day_off, after=audit.snapshot(day_off, AUDIT_FIELDS), actor=actor)
    deadlines.forget_calendar()
    return day_off


def remove_day_off(day_off: DayOff, actor=None) -> None:
    """Delete a calendar entry with an audit event; the caller commits."""
    audit.record("day_off.delete", day_off, before=audit.snapshot(day_off, AUDIT_FIELDS), actor=actor)
    db.session.delete(day_off)
    deadlines.forget_calendar()
