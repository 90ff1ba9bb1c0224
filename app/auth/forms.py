"""Login and password forms."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.auth.passwords import is_common_password
from app.forms import BaseForm


class LoginForm(BaseForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Nhập tên đăng nhập.")), Length(max=64)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Nhập mật khẩu.")), Length(max=200)])


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Nhập mật khẩu hiện tại."))])
    new_password = PasswordField(
        _l("Mật khẩu mới"),
        validators=[
            DataRequired(_l("Nhập mật khẩu mới.")),
            Length(min=10, max=200, message=_l("Mật khẩu mới cần từ 10 đến 200 ký tự.")),
        ],
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[DataRequired(_l("Nhập lại mật khẩu mới.")), EqualTo("new_password", _l("Hai mật khẩu không khớp."))],
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_current_password(self, field):
        if not self.user.check_password(field.data or ""):
            raise ValidationError(_l("Mật khẩu hiện tại không đúng."))

    def validate_new_password(self, field):
        if field.data and self.user.check_password(field.data):
            raise ValidationError(_l("Mật khẩu mới phải khác mật khẩu hiện tại."))
        if field.data and is_common_password(field.data, self.user.username):
            raise ValidationError(_l("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác."))
