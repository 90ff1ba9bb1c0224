"""The form that adds an entry to the province's calendar."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.days_off.models import DAY_OFF, HOLIDAY_WORKED, WORKDAY
from app.days_off.services import check_entry
from app.forms import DateField, IdempotentForm

KIND_LABELS = {
    DAY_OFF: _l("Nghỉ (ngày nghỉ riêng của tỉnh)"),
    WORKDAY: _l("Làm bù (thứ Bảy, Chủ nhật đi làm)"),
    HOLIDAY_WORKED: _l("Đi làm, không nghỉ lễ"),
}
# Short names for the calendar and the list.
KIND_NAMES = {
    DAY_OFF: _l("Nghỉ riêng của tỉnh"),
    WORKDAY: _l("Ngày làm bù của tỉnh"),
    HOLIDAY_WORKED: _l("Không nghỉ lễ"),
}


class DayOffForm(IdempotentForm):
    date = DateField(
        _l("Ngày"),
        validators=[InputRequired(_l("Nhập ngày (dd/mm/yyyy)."))],
    )
    kind = RadioField(
        _l("Loại"),
        choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()],
        default=DAY_OFF,  # a form sent without it (older pages, scripts) records a day off
    )
    reason = StringField(
        _l("Lý do, căn cứ"),
        validators=[DataRequired(_l("Nhập lý do, ví dụ số quyết định của tỉnh.")), Length(max=200)],
    )

    def validate_date(self, field):
        """A day off must be a working day, a make-up day a weekend day, a cancelled holiday a holiday."""
        day = field.data
        if day is None:
            return
        if not 2000 <= day.year <= 2100:
            raise ValidationError(_("Năm phải từ 2000 đến 2100."))
        kind = self.kind.data if self.kind.data in KIND_LABELS else DAY_OFF
        problem = check_entry(day, kind)
        if problem:
            raise ValidationError(problem)
