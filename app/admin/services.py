"""Account and reference-data rules shared by the admin screens and the CLI."""

import secrets
import string

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import audit, policy, search
from app.extensions import db
from app.models import Unit, User
from app.text import nfc

USER_AUDIT_FIELDS = ["username", "full_name", "email", "role", "unit_id", "active", "must_change_password"]
_PASSWORD_ALPHABET = string.ascii_letters + string.digits


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message is for users."""

    def __init__(self, message: str, field: str = "role"):
        super().__init__(message)
        self.field = field


def generate_password(length: int = 14) -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def find_unit(code_or_name: str) -> Unit | None:
    """Find a unit by its official code or its exact name (case and marks as typed)."""
    value = nfc(code_or_name.strip())
    unit = db.session.scalar(select(Unit).where(Unit.code == value))
    if unit is None:
        unit = db.session.scalar(select(Unit).where(Unit.name == value))
    return unit


def normalise_username(username: str) -> str:
    return nfc(username.strip()).lower()


def create_user(
    username: str,
    role: str,
    unit: Unit,
    *,
    password: str | None = None,
    full_name: str = "",
    email: str | None = None,
    must_change: bool | None = None,
    is_demo: bool = False,
) -> tuple[User, str]:
    """Create an account and return it with its password (generated when not given)."""
    username = normalise_username(username)
    if role not in policy.ROLES:
        raise AccountError(_("Vai trò không hợp lệ: %(role)s", role=role))
    if role not in policy.allowed_roles_for_unit(unit):
        raise AccountError(_("Tài khoản của xã, phường chỉ có vai trò cán bộ xã, phường."))
    if db.session.scalar(select(func.count()).select_from(User).where(User.username == username)):
        raise AccountError(_("Tên đăng nhập đã tồn tại: %(name)s", name=username), field="username")
    generated = password is None
    password = password or generate_password()
    user = User(
        username=username,
        role=role,
        unit=unit,
        full_name=full_name,
        email=email or None,
        is_demo=is_demo,
        must_change_password=generated if must_change is None else must_change,
    )
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", user, after=audit.snapshot(user, USER_AUDIT_FIELDS))
    return user, password


def reset_password(user: User) -> str:
    """Give user a new random password that must be changed at next login."""
    password = generate_password()
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    user.must_change_password = True
    audit.record("user.reset_password", user)
    return password


def set_active(user: User, active: bool) -> None:
    before = audit.snapshot(user, ["active"])
    user.active = active
    audit.record("user.enable" if active else "user.disable", user, before=before, after={"active": active})


def update_user(user: User, *, role: str, unit: Unit, full_name: str, email: str | None) -> None:
    """Change an account's role, unit and details, keeping the role fit for the unit."""
    if role not in policy.allowed_roles_for_unit(unit):
        raise AccountError(_("Tài khoản của xã, phường chỉ có vai trò cán bộ xã, phường."))
    before = audit.snapshot(user, USER_AUDIT_FIELDS)
    user.role = role
    user.unit = unit
    user.full_name = full_name
    user.email = email or None
    audit.record("user.update", user, before=before, after=audit.snapshot(user, USER_AUDIT_FIELDS))


def search_users(q: str | None):
    """select() of users matching q in username, name or unit, folded."""
    query = select(User).join(User.unit).order_by(User.username)
    if q:
        query = query.where(search.matches(q, search.code_column(User.username), User.full_name_folded, Unit.name_folded))
    return query
