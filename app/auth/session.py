"""Flask-Login wiring and the forced password change."""

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.extensions import db, login_manager
from app.models import User

# Endpoints a user who must change the password may still reach.
OPEN_WHILE_MUST_CHANGE = {"auth.change_password", "auth.logout", "static", "main.healthz"}


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_enforce_password_change)


@login_manager.user_loader
def load_user(user_id: str):
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active:
        return None
    return user


def _enforce_password_change():
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in OPEN_WHILE_MUST_CHANGE
    ):
        if request.headers.get("HX-Request") == "true":
            return "", 204, {"HX-Redirect": url_for("auth.change_password")}
        flash(_l("Bạn cần đổi mật khẩu trước khi tiếp tục."), "warning")
        return redirect(url_for("auth.change_password"))
    return None
