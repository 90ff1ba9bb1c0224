"""Log in, log out, change password."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app import audit, clock, database
from app.auth.forms import ChangePasswordForm, LoginForm
from app.auth.passwords import spend_dummy_check
from app.auth.session import end_sessions
from app.demo_mode import demo_mode
from app.extensions import db, limiter
from app.models import User
from app.text import nfc

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def safe_next(target: str | None) -> str | None:
    """Return target only if it is a path on this site (no scheme, no host, no //)."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Show the login form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        username = nfc(form.username.data.strip()).lower()
        with database.reads_only():  # the password's check (~0.1 s) keeps no one from writing
            user = db.session.scalar(select(User).where(User.username == username))
            if user is None:
                spend_dummy_check(form.password.data, current_app.config["PASSWORD_HASH_METHOD"])
            checked = user is not None and user.check_password(form.password.data)
        if not checked:
            form.password.errors.append(_("Tên đăng nhập hoặc mật khẩu không đúng."))
        elif not user.active:
            form.username.errors.append(_("Tài khoản này đã bị khóa. Liên hệ quản trị hệ thống."))
        elif user.is_demo and not demo_mode():
            # Said only after the right password, which is published anyway: nothing is given away,
            # and whoever tries the README's logins on the real site learns why they fail.
            form.username.errors.append(_(
                "Đây là tài khoản thử nghiệm, chỉ dùng trên trang thử nghiệm. Trang này chạy với dữ liệu "
                "thật nên không nhận tài khoản thử nghiệm; liên hệ quản trị hệ thống để được cấp tài khoản."
            ))
        else:
            # A new session at login: nothing planted before it (fixation) survives.
            session.clear()
            login_user(user)
            user.last_login_at = clock.now()
            audit.record("auth.login", user, actor=user)
            db.session.commit()
            if user.must_change_password:
                return redirect(url_for("auth.change_password"), 303)
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"), 303)
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign the user out, here and on every other device (a copied cookie dies too)."""
    user = current_user._get_current_object()
    audit.record("auth.logout", user)
    end_sessions(user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Let a user set a new password (forced after an account is created or reset)."""
    user = current_user._get_current_object()
    form = ChangePasswordForm(user)
    with database.reads_only():  # three slow hashes (~0.3 s) keep no one from writing
        valid = form.validate_on_submit()
        if valid:
            new_hash = User.hash_password(form.new_password.data, current_app.config["PASSWORD_HASH_METHOD"])
    if valid:
        user.password_hash = new_hash
        user.must_change_password = False
        audit.record("user.change_password", user)
        end_sessions(user)
        db.session.commit()
        login_user(user)  # this session goes on under the new session version; the others end
        flash(_("Đã đổi mật khẩu."), "success")
        return redirect(url_for("main.home"), 303)
    status = 400 if form.errors else 200
    return render_template("auth/change_password.html", form=form), status
