"""Flask-Login wiring and the forced password change."""

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import update

from app.demo_mode import demo_mode
from app.extensions import db, login_manager
from app.models import User

# Endpoints a user who must change the password may still reach.
OPEN_WHILE_MUST_CHANGE = {"auth.change_password", "auth.logout", "static", "main.healthz"}


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Đăng nhập để sử dụng hệ thống.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_enforce_password_change)


@login_manager.user_loader
def load_user(session_user_id: str):
    """The account of a session whose id ("id:session_version", User.get_id) still holds."""
    user_id, _, version = session_user_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # also sessions made before session versions: they log in again once
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    if user.is_demo and not demo_mode():
        return None  # a demo account's session ends when the site leaves demo mode
    return user


def end_sessions(user: User) -> None:
    """End every session of user, wherever it was opened; the caller commits.

    One UPDATE adding 1 in the database, so two requests ending the same account's sessions
    at once (two tabs logging out) both count, and the edit form's version is left alone.
    """
    db.session.execute(
        update(User).where(User.id == user.id).values(session_version=User.session_version + 1),
        execution_options={"synchronize_session": False},
    )
    db.session.expire(user, ["session_version"])


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
