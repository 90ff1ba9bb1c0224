"""The form that adds an extra day off."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.deadlines import WorkingCalendar, public_holiday_name
from app.forms import BaseForm, DateField


class DayOffForm(BaseForm):
    date = DateField(
        _l("Ngày nghỉ"),
        validators=[InputRequired(_l("Nhập ngày nghỉ (dd/mm/yyyy)."))],
    )
    reason = StringField(
        _l("Lý do"),
        validators=[DataRequired(_l("Nhập lý do, ví dụ số quyết định của tỉnh.")), Length(max=200)],
    )

    def validate_date(self, field):
        """Only a day that would otherwise be worked: weekends and holidays are off already."""
        day = field.data
        if day is None:
            return
        if not 2000 <= day.year <= 2100:
            raise ValidationError(_("Năm phải từ 2000 đến 2100."))
        if not WorkingCalendar().is_working_day(day):
            name = public_holiday_name(day)
            if name:
                raise ValidationError(_("Ngày %(day)s đã là ngày nghỉ lễ: %(name)s.", day=day.strftime("%d/%m/%Y"), name=name))
            raise ValidationError(_("Ngày %(day)s là ngày nghỉ cuối tuần.", day=day.strftime("%d/%m/%Y")))
