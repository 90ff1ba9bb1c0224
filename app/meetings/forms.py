"""Meeting forms: record a meeting, search the list."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms import BaseForm, DateField, IdempotentForm, choices

KINDS = {
    "giao_ban": _l("Giao ban"),
    "lam_viec": _l("Làm việc"),
    "chuyen_de": _l("Chuyên đề"),
    "khac": _l("Khác"),
}


class MeetingForm(IdempotentForm):
    title = StringField(_l("Tên hội nghị"), validators=[DataRequired(_l("Nhập tên hội nghị.")), Length(max=300)])
    held_on = DateField(_l("Ngày họp"), validators=[InputRequired(_l("Nhập ngày họp."))])
    kind = SelectField(_l("Loại hội nghị"), choices=choices(KINDS.items()))
    chair_name = StringField(_l("Người chủ trì"), validators=[DataRequired(_l("Nhập họ tên người chủ trì.")), Length(max=120)])
    chair_title = StringField(_l("Chức vụ người chủ trì"), validators=[Optional(), Length(max=200)])
    issuing_unit_id = SelectField(
        _l("Cơ quan ban hành thông báo kết luận"), coerce=int, validate_choice=True,
    )
    participants = TextAreaField(_l("Thành phần tham dự"), validators=[Optional(), Length(max=5000)])
    summary = TextAreaField(_l("Nội dung, kết luận chính"), validators=[Optional(), Length(max=20000)])
    files = MultipleFileField(_l("Tệp đính kèm (biên bản, thông báo kết luận)"))
    version = HiddenField()


class MeetingFilterForm(BaseForm):
    """The list's filters, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("Tìm"), validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Loại"), choices=choices([("", _l("Tất cả")), *KINDS.items()]), validate_choice=False)
