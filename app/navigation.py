"""The navigation bar: one entry list, filtered by the current user's role."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app import policy
from app.demo_mode import demo_mode

ALL_BUSINESS_ROLES = (policy.COMMUNE, policy.DEPARTMENT, policy.COORDINATOR, policy.LEADER)

# (endpoint, label, roles that see it). Features add their own entries here.
NAV_ITEMS = [
    ("main.home", _l("Trang chủ"), policy.ROLES),
    ("delegation.mine", _l("Việc của tôi"), (policy.COMMUNE, policy.DEPARTMENT)),
    ("proposals.index", _l("Kiến nghị"), ALL_BUSINESS_ROLES),
    ("directives.assignments", _l("Nhiệm vụ được giao"), (policy.COMMUNE, policy.DEPARTMENT)),
    ("directives.index", _l("Chỉ đạo"), (policy.COORDINATOR, policy.LEADER)),
    ("meetings.index", _l("Hội nghị"), ALL_BUSINESS_ROLES),
    ("dashboard.index", _l("Bảng điều hành"), (policy.COORDINATOR, policy.LEADER)),
    ("reports.index", _l("Báo cáo"), ALL_BUSINESS_ROLES),
    ("admin.users", _l("Tài khoản"), (policy.ADMIN,)),
    ("admin.units", _l("Đơn vị"), (policy.ADMIN,)),
    ("admin.fields", _l("Lĩnh vực"), (policy.ADMIN,)),
    ("admin.settings", _l("Cài đặt"), (policy.ADMIN,)),
    ("days_off.index", _l("Lịch làm việc"), (policy.ADMIN,)),
    ("admin.audit", _l("Nhật ký"), (policy.ADMIN,)),
]


def _demo_site() -> bool:
    """demo_mode() for the banner; an error page for a database that fails shows no banner."""
    try:
        return demo_mode()
    except SQLAlchemyError:
        return False


def inject_navigation() -> dict:
    """Give templates the nav entries the current user may follow, and whether this is a demo site."""
    if not current_user.is_authenticated:
        return {"nav_items": [], "role_labels": policy.ROLE_LABELS, "demo_site": _demo_site}
    items = [
        (endpoint, label)
        for endpoint, label, roles in NAV_ITEMS
        if current_user.role in roles and endpoint in current_app.view_functions
    ]
    return {"nav_items": items, "role_labels": policy.ROLE_LABELS, "demo_site": _demo_site, "printed_at": _printed_at}


def _printed_at() -> str:
    """When the page was made, for its print header (dd/mm/yyyy hh:mm in the province)."""
    from app import clock
    from app.formatting import format_datetime

    return format_datetime(clock.now())
