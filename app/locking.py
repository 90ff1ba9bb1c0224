"""Optimistic locking: a form carries the version it was rendered from."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.models import AuditEvent

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


CONFLICT_MESSAGE = _l(
    "Người khác vừa lưu hồ sơ này trong lúc bạn sửa. Nội dung bạn nhập vẫn còn; những gì họ đã thay đổi "
    "hiện ở đầu biểu mẫu. Bấm lưu lần nữa để ghi nội dung của bạn lên bản mới nhất."
)


@dataclass(frozen=True)
class Conflict:
    """What a refused save shows: who saved meanwhile, when, and their values that differ."""

    by: str
    at: datetime | None
    changes: list[tuple[str, str]]  # (field label, the value now saved)


def _shown(value) -> str:
    if value is None or value == "":
        return str(_l("(để trống)"))
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def conflict(obj, form, fields: list[str], shown: dict[str, Callable[[object], object]] | None = None) -> Conflict:
    """After a refused save: move form onto the row's current version, so that the next save
    goes on top of it, keep what was typed, and say what the other person changed.

    fields: the form fields to compare with the attributes of the same names; shown: how to
    show a saved value where the attribute is an id (field_id -> the field's name). Only values
    that differ from what this user typed are listed: the next save would overwrite those.
    The form records the conflict as form.conflict; the form macros show it at its top.
    """
    db.session.refresh(obj)
    shown = shown or {}
    changes = []
    for name in fields:
        saved, typed = getattr(obj, name), form[name].data
        if str(saved if saved is not None else "").strip() != str(typed if typed is not None else "").strip():
            changes.append((str(form[name].label.text), _shown(shown[name](obj) if name in shown else saved)))
    form.version.data = str(obj.version)
    last = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.object_type == obj.__tablename__, AuditEvent.object_id == str(obj.id))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    actor = last.actor if last is not None else None
    by = (actor.full_name or actor.username) if actor is not None else str(_l("Một người dùng khác"))
    form.conflict = Conflict(by=by, at=last.created_at if last is not None else None, changes=changes)
    return form.conflict
