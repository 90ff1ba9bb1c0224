"""A deadline given as a date, or as a number of calendar or working days from today.

Forms offer both (issue 6: "a deadline can be set as a date or as a number of days,
calendar or working days"); they only parse. The services turn a Period into a date with
app.deadlines, counted from the province's today, so what is saved never depends on a
date the browser computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, StopValidation

from app import deadlines
from app.formatting import format_date
from app.forms import Range

BY_DATE = "date"
BY_DAYS = "days"
MAX_PERIOD_DAYS = 365

WEEKDAYS = (_l("thứ Hai"), _l("thứ Ba"), _l("thứ Tư"), _l("thứ Năm"), _l("thứ Sáu"), _l("thứ Bảy"), _l("Chủ nhật"))


@dataclass(frozen=True)
class Period:
    """n days, counted as calendar days or working days."""

    days: int
    unit: str = deadlines.CALENDAR

    def __post_init__(self):
        if self.unit not in deadlines.UNITS:
            raise ValueError(f"unknown deadline unit {self.unit!r}")

    def deadline_from(self, start: date) -> date:
        """The deadline this period gives from start (start itself not counted)."""
        return deadlines.deadline_from(start, self.days, self.unit)

    @property
    def label(self) -> str:
        """"30 ngày" or "15 ngày làm việc"."""
        return f"{self.days} {deadlines.UNIT_LABELS[self.unit]}"


def weekday_and_date(day: date) -> str:
    """thứ Sáu, 27/02/2026."""
    return f"{WEEKDAYS[day.weekday()]}, {format_date(day)}"


def preview_text(day: date) -> str:
    """What the form shows under the deadline before saving: the day, and a warning on a day off."""
    text = _("Ngày đã chọn: %(day)s", day=weekday_and_date(day))
    if not deadlines.is_working_day(day):
        text += " — " + _("ngày nghỉ, không phải ngày làm việc")
    return text


def by_field() -> RadioField:
    return RadioField(
        _l("Cách đặt thời hạn"),
        choices=[SelectChoice(BY_DATE, _l("Chọn ngày")), SelectChoice(BY_DAYS, _l("Tính theo số ngày kể từ hôm nay"))],
        default=BY_DATE,
        validate_choice=False,
    )


def days_field() -> IntegerField:
    return IntegerField(
        _l("Số ngày"),
        validators=[Optional(), Range(min=1, max=MAX_PERIOD_DAYS, message=_l("Số ngày từ 1 đến 365."))],
    )


def unit_field() -> SelectField:
    return SelectField(
        _l("Tính theo"),
        choices=[SelectChoice(unit, deadlines.UNIT_LABELS[unit]) for unit in deadlines.UNITS],
        default=deadlines.CALENDAR,
        validate_choice=False,
    )


class DeadlineChoiceMixin:
    """Validation and reading for "a date, or n calendar/working days from today".

    A form using it declares, next to its own date field (so they keep their place in the form):

        deadline_by = deadline_choice.by_field()
        deadline_days = deadline_choice.days_field()
        deadline_unit = deadline_choice.unit_field()

    period() gives the Period when days were chosen, else None.
    """

    def validate_deadline_by(self, field):
        if field.data not in (BY_DATE, BY_DAYS):
            raise StopValidation(_l("Chọn cách đặt thời hạn."))

    def validate_deadline_unit(self, field):
        if field.data not in deadlines.UNITS:
            raise StopValidation(_l("Chọn ngày hoặc ngày làm việc."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Not an inline validate_deadline_days: Optional() ends the chain on a blank box first.
        if self.needs_days() and self.deadline_days.data is None and not self.deadline_days.errors:
            self.deadline_days.errors = [*self.deadline_days.errors, str(_l("Nhập số ngày."))]
            valid = False
        return valid

    def needs_days(self) -> bool:
        """True when the form's deadline must come from the number of days."""
        return self.counts_days()

    def counts_days(self) -> bool:
        return self.deadline_by.data == BY_DAYS

    def period(self) -> Period | None:
        """The period asked for, when the deadline is given as a number of days (and valid)."""
        if not self.counts_days() or self.deadline_days.data is None or self.deadline_unit.data not in deadlines.UNITS:
            return None
        return Period(self.deadline_days.data, self.deadline_unit.data)

    def fill_period(self, period: Period, *, by: str = BY_DATE) -> None:
        """Pre-fill the days and unit (a fresh form shows the default period)."""
        self.deadline_by.data = by
        self.deadline_days.data = period.days
        self.deadline_unit.data = period.unit


def preview(form, date_field, start: date) -> tuple[str | None, str | None]:
    """(text, error) for the line under a deadline choice: what saving would give, from start.

    Runs the form's own validators, so the preview and the save agree on what is wrong.
    """
    form.validate()
    fields = [form.deadline_by, form.deadline_days, form.deadline_unit] if form.counts_days() else [form.deadline_by, date_field]
    for field in fields:
        if field.errors:
            return None, str(field.errors[0])
    if form.counts_days():
        period = form.period()
        return _("Hạn sẽ là %(day)s (%(period)s kể từ hôm nay)", day=weekday_and_date(period.deadline_from(start)),
                 period=period.label), None
    if date_field.data:
        return preview_text(date_field.data), None
    return None, None
