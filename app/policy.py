"""Who may do what: roles, view decorators and the query scoping every list reuses.

Templates may hide a button; these functions are what actually refuse.
"""

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

COMMUNE = "commune"
DEPARTMENT = "department"
COORDINATOR = "coordinator"
LEADER = "leader"
ADMIN = "admin"

ROLES = (COMMUNE, DEPARTMENT, COORDINATOR, LEADER, ADMIN)
ROLE_LABELS = {
    COMMUNE: _l("Cán bộ xã, phường"),
    DEPARTMENT: _l("Cán bộ sở, ban, ngành"),
    COORDINATOR: _l("Văn phòng điều phối"),
    LEADER: _l("Lãnh đạo tỉnh"),
    ADMIN: _l("Quản trị hệ thống"),
}
# Roles whose users see every proposal and directive of the province.
PROVINCE_WIDE_ROLES = (COORDINATOR, LEADER)


def role_required(*roles: str):
    """Let only users with one of roles in: browsers go to login, the rest get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def sees_everything(user) -> bool:
    """True for roles that see every unit's items."""
    return user.role in PROVINCE_WIDE_ROLES


def scope_to_unit(query, user, unit_column):
    """Restrict a select() to what user may see, unit_column naming the owning unit.

    Coordinators and leaders see everything; commune and department users see their
    own unit's rows; admins see none of the business data.
    """
    if sees_everything(user):
        return query
    if user.role in (COMMUNE, DEPARTMENT) and user.unit_id is not None:
        return query.where(unit_column == user.unit_id)
    return query.where(False)


def allowed_roles_for_unit(unit) -> tuple[str, ...]:
    """Roles an account of unit may hold: communes hold commune accounts only."""
    if unit.is_commune:
        return (COMMUNE,)
    return (DEPARTMENT, COORDINATOR, LEADER, ADMIN)
