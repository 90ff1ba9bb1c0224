"""The form that saves a filtered list under a name."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import BaseForm, single_line


class SaveViewForm(BaseForm):
    list_key = HiddenField()
    query = HiddenField()
    name = StringField(
        _l("Tên danh sách"),
        validators=[DataRequired(_l("Đặt tên cho danh sách, ví dụ: Kiến nghị quá hạn của Sở Xây dựng.")),
                    single_line, Length(max=120)],
    )


class DeleteViewForm(BaseForm):
    pass
