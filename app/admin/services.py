"""Account and reference-data rules shared by the admin screens and the CLI."""

import secrets
import string

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import audit, policy, reference, search
from app.auth.passwords import password_problem
from app.auth.session import end_sessions
from app.documents import headers
from app.extensions import db
from app.locking import is_stale
from app.models import Field, Unit, User
from app.service_error import ServiceError
from app.text import nfc

UNIT_HEADER_FIELDS = ("doc_superior", "doc_name", "doc_abbr", "doc_place", "doc_signer", "doc_layout", "doc_drafts_for")
UNIT_AUDIT_FIELDS = ["code", "name", "kind", "active", "contact_name", "contact_phone", "contact_email",
                     "drafts_need_approval", *UNIT_HEADER_FIELDS]
UNIT_CONTACT_FIELDS = ("name", "contact_name", "contact_phone", "contact_email", "active", "drafts_need_approval")
FIELD_AUDIT_FIELDS = ["name", "default_lead_unit_id", "default_answer_days", "default_deadline_unit", "active"]
USER_AUDIT_FIELDS = ["username", "full_name", "email", "role", "unit_id", "unit_role", "active", "must_change_password"]
_PASSWORD_ALPHABET = string.ascii_letters + string.digits


class AdminError(ServiceError):
    """A request about accounts or reference data that cannot be carried out."""

    def __init__(self, message: str, field: str = "role"):
        super().__init__(message, field)


def role_unit_mismatch(role: str, unit: Unit) -> str:
    """Say how to fix a role that does not fit the unit, whichever of the two is wrong."""
    if unit.is_commune:
        return _(
            "%(unit)s là xã, phường: tài khoản ở đây chỉ có vai trò «%(role)s». Chọn vai trò đó, "
            "hoặc chọn một cơ quan cấp tỉnh ở ô Đơn vị.",
            unit=unit.name, role=policy.ROLE_LABELS[policy.COMMUNE],
        )
    return _(
        "Vai trò «%(role)s» chỉ dùng cho tài khoản của xã, phường. Chọn một xã, phường ở ô Đơn vị, "
        "hoặc chọn vai trò khác cho %(unit)s.",
        role=policy.ROLE_LABELS.get(role, role), unit=unit.name,
    )


class StaleEdit(AdminError):
    """The row changed since the form was rendered: what was typed stays in the form (409)."""


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
        raise AdminError(_("Vai trò không hợp lệ: %(role)s", role=role))
    if role not in policy.allowed_roles_for_unit(unit):
        raise AdminError(role_unit_mismatch(role, unit))
    if db.session.scalar(select(func.count()).select_from(User).where(User.username == username)):
        raise AdminError(_("Tên đăng nhập đã tồn tại: %(name)s", name=username), field="username")
    generated = password is None
    if not generated and not is_demo:
        problem = password_problem(
            password, username=username, full_name=full_name,
            province=reference.province_name(current_app.config["PROVINCE_CODE"]),
        )
        if problem:
            raise AdminError(problem, field="password")
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
    end_sessions(user)  # whoever knew the old password is signed out
    return password


def _keep_an_active_admin(user: User, message: str) -> None:
    """Refuse a change that would leave the site with no active admin but user.

    The active admins' rows are locked (PostgreSQL) while counting, so two admins disabling
    each other at the same moment cannot both succeed; SQLite writers queue anyway.
    """
    admins = db.session.scalars(
        select(User.id).where(User.role == policy.ADMIN, User.active.is_(True)).with_for_update()
    ).all()
    if set(admins) <= {user.id}:
        raise AdminError(message, field="role")


def set_active(user: User, active: bool, *, actor: User | None = None) -> None:
    """Enable or disable user; no one disables themselves or the last active admin."""
    if not active and actor is not None and actor.id == user.id:
        raise AdminError(_("Bạn không thể tự khóa tài khoản của mình."), field="active")
    if not active and user.active and user.role == policy.ADMIN:
        _keep_an_active_admin(user, _(
            "Không thể khóa quản trị viên cuối cùng đang hoạt động: hệ thống phải luôn còn ít nhất "
            "một tài khoản quản trị."
        ))
    before = audit.snapshot(user, ["active"])
    user.active = active
    audit.record("user.enable" if active else "user.disable", user, before=before, after={"active": active})
    if not active:
        end_sessions(user)  # enabling the account again does not bring old sessions back


def update_user(
    user: User, *, role: str, unit: Unit, full_name: str, email: str | None, actor: User | None = None,
    unit_role: str | None = None,
) -> None:
    """Change an account's role, unit and details, keeping the role fit for the unit.

    Nobody changes their own role (an admin would lose the admin screens, or see everything
    as a coordinator), and the last active admin keeps the role.
    """
    if role != user.role and actor is not None and actor.id == user.id:
        raise AdminError(_(
            "Không thể tự thay đổi vai trò của chính mình. Đề nghị một quản trị viên khác thực hiện."
        ))
    if role not in policy.allowed_roles_for_unit(unit):
        raise AdminError(role_unit_mismatch(role, unit))
    if role != user.role and user.role == policy.ADMIN and user.active:
        _keep_an_active_admin(user, _(
            "Không thể đổi vai trò của quản trị viên cuối cùng đang hoạt động: hệ thống phải luôn "
            "còn ít nhất một tài khoản quản trị."
        ))
    before = audit.snapshot(user, USER_AUDIT_FIELDS)
    user.role = role
    user.unit = unit
    user.full_name = full_name
    user.email = email or None
    if unit_role is not None:
        user.unit_role = unit_role  # head (lãnh đạo đơn vị) or officer: app/delegation
    audit.record("user.update", user, before=before, after=audit.snapshot(user, USER_AUDIT_FIELDS))


def search_users(q: str | None):
    """select() of users matching q in username, name or unit, folded."""
    query = select(User).join(User.unit).order_by(User.username)
    if q:
        query = query.where(search.matches(q, search.code_column(User.username), User.full_name_folded, Unit.name_folded))
    return query


# --- units and fields -------------------------------------------------------------------------


def create_unit(code: str, kind: str, values: dict, *, actor: User | None = None) -> Unit:
    """Add a provincial body (communes come from the official list); the caller commits."""
    if db.session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        raise AdminError(_("Mã đơn vị đã tồn tại."), field="code")
    unit = Unit(code=code, kind=kind, sort_order=1000, **{k: values[k] for k in UNIT_CONTACT_FIELDS})
    # The header as typed; what was left empty starts from the defaults for the kind.
    for name, value in header_values(values).items():
        setattr(unit, name, value or None)
    headers.fill_missing(unit, headers.default_values(unit, current_app.config["PROVINCE_CODE"]))
    db.session.add(unit)
    db.session.flush()
    audit.record("unit.create", unit, after=audit.snapshot(unit, UNIT_AUDIT_FIELDS), actor=actor)
    return unit


def header_values(values: dict) -> dict[str, str]:
    """The printed-header fields among values, cleaned: lines trimmed, blank lines dropped."""
    out = {}
    for name in UNIT_HEADER_FIELDS:
        if name in values and values[name] is not None:
            lines = [" ".join(line.split()) for line in str(values[name]).splitlines()]
            out[name] = nfc("\n".join(line for line in lines if line))
    return out


def update_unit(unit: Unit, version, values: dict, *, actor: User | None = None) -> None:
    """Change a unit's name, contacts and active flag, if nobody changed it since version."""
    if is_stale(unit, version):
        raise StaleEdit(_("Đơn vị vừa được người khác sửa. Dữ liệu bạn nhập vẫn còn; "
                          "hãy tải lại trang để xem bản mới rồi lưu lại."), field="name")
    before = audit.snapshot(unit, UNIT_AUDIT_FIELDS)
    for name in UNIT_CONTACT_FIELDS:
        setattr(unit, name, values[name])
    for name, value in header_values(values).items():
        setattr(unit, name, value)
    db.session.flush()
    audit.record("unit.update", unit, before=before, after=audit.snapshot(unit, UNIT_AUDIT_FIELDS), actor=actor)


def save_field(field: Field | None, version, values: dict, *, actor: User | None = None) -> Field:
    """Create (field None) or change a field of work and its defaults; the caller commits."""
    name = values["name"].strip()
    clash = select(Field.id).where(Field.name == name, Field.id != (field.id if field else 0))
    if db.session.scalar(clash) is not None:
        raise AdminError(_("Đã có lĩnh vực cùng tên."), field="name")
    if field is not None and is_stale(field, version):
        raise StaleEdit(_("Lĩnh vực vừa được người khác sửa. Dữ liệu bạn nhập vẫn còn; "
                          "hãy tải lại trang rồi lưu lại."), field="name")
    before = audit.snapshot(field, FIELD_AUDIT_FIELDS) if field else None
    if field is None:
        field = Field(sort_order=1000)
        db.session.add(field)
    field.name = name
    field.default_lead_unit_id = values["default_lead_unit_id"] or None
    field.default_answer_days = values["default_answer_days"]
    field.default_deadline_unit = values["default_deadline_unit"]
    field.active = values["active"]
    db.session.flush()
    audit.record("field.update" if before else "field.create", field, before=before,
                 after=audit.snapshot(field, FIELD_AUDIT_FIELDS), actor=actor)
    return field
