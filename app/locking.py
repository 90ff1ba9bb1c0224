"""Optimistic locking: a form carries the version it was rendered from."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db

STALE_MESSAGE = _l(
    "Hồ sơ vừa được người khác cập nhật trong lúc bạn sửa. Nội dung bạn nhập vẫn còn trong biểu mẫu; "
    "hãy xem bản mới nhất (mở trang trong thẻ khác) rồi lưu lại."
)


def is_stale(obj, submitted_version) -> bool:
    """True when the row changed since the form was rendered (or the version is missing)."""
    return str(getattr(obj, "version", "")) != str(submitted_version or "").strip()


def commit() -> bool:
    """Commit the session; False (rolled back) when a versioned row changed meanwhile."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return False
    return True
