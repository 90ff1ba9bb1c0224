"""The token screens' forms."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import URL, DataRequired, Length, Optional

from app.api.models import SCOPE_LABELS
from app.forms import BaseForm, DateField, choices


class TokenForm(BaseForm):
    user_id = SelectField(_l("Tài khoản dùng khóa"), coerce=int, validate_choice=True)
    name = StringField(_l("Tên khóa"), validators=[DataRequired(_l("Nhập tên khóa, ví dụ tên hệ thống sẽ dùng khóa.")),
                                                   Length(max=120)])
    scope = RadioField(_l("Quyền của khóa"), choices=choices(SCOPE_LABELS.items()), default="read")
    expires_on = DateField(_l("Ngày hết hạn"), validators=[DataRequired(_l("Nhập ngày hết hạn."))])
    webhook_url = StringField(
        _l("Địa chỉ nhận sự kiện (webhook, không bắt buộc)"),
        validators=[Optional(), Length(max=500),
                    URL(require_tld=False, message=_l("Địa chỉ phải bắt đầu bằng http:// hoặc https://."))],
    )


class RevokeForm(BaseForm):
    pass
