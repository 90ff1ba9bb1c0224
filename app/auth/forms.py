"""Login and password forms."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app import reference
from app.auth.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
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
            Length(min=MIN_LENGTH, max=MAX_LENGTH, message=_l("Mật khẩu mới cần từ 10 đến 200 ký tự.")),
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
        if not field.data or field.errors:
            return
        if self.user.check_password(field.data):
            raise ValidationError(_l("Mật khẩu mới phải khác mật khẩu hiện tại."))
        problem = password_problem(
            field.data, username=self.user.username, full_name=self.user.full_name,
            province=reference.province_name(current_app.config["PROVINCE_CODE"]),
        )
        if problem:
            raise ValidationError(problem)
