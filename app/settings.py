"""Admin-editable settings with their defaults and Vietnamese labels."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Setting


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    default: int
    minimum: int
    maximum: int


SETTINGS = {
    spec.key: spec
    for spec in (
        SettingSpec("default_answer_days", _l("Thời hạn trả lời kiến nghị mặc định (ngày)"), 30, 1, 365),
        SettingSpec("due_soon_days", _l("Số ngày cảnh báo trước hạn"), 3, 0, 30),
        SettingSpec("nudge_gap_hours", _l("Không đôn đốc lại cùng một đơn vị trong vòng (giờ)"), 24, 1, 168),
    )
}


def get_int(key: str) -> int:
    """Return the stored value of setting key, else its default."""
    spec = SETTINGS[key]
    row = db.session.get(Setting, key)
    if row is None:
        return int(current_app.config.get(key.upper(), spec.default))
    return int(row.value)


def set_int(key: str, value: int) -> None:
    """Store setting key; the caller commits."""
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=str(value)))
    else:
        row.value = str(value)
