"""The choices the directive forms offer, and the assignments list's filters read from the
query string: shared by the directive screens and the Excel export of the list."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import clock, policy
from app.directives import services, status
from app.directives.forms import AssignmentFilterForm
from app.extensions import db
from app.meetings import services as meetings
from app.models import LEADING_KIND, Field, Unit


def field_choices(current_id: int | None = None):
    query = select(Field).where((Field.active.is_(True)) | (Field.id == (current_id or 0)))
    return [(f.id, f.name) for f in db.session.scalars(query.order_by(Field.sort_order, Field.id))]


def meeting_choices(blank: str):
    return [(0, blank)] + [(m.id, f"{m.held_on:%d/%m/%Y} — {m.title}") for m in meetings.recent_meetings()]


def unit_choices():
    units = list(db.session.scalars(select(Unit).where(Unit.active.is_(True), Unit.kind != LEADING_KIND)))
    units.sort(key=lambda u: u.order_key)
    return [("", _("Tất cả"))] + [(u.id, u.name) for u in units]


def status_choices(extra: list[tuple[str, str]] = ()):
    return list(extra) + [(key, label) for key, label in status.LABELS.items()]


def assignment_list_filters():
    """The assignments list's filters read from the query string: (form, filters, on).

    on is the day statuses are taken on: today, or the last day of the period filtered on
    when that is earlier. The list and its Excel export both read them here.
    """
    form = AssignmentFilterForm(formdata=request.args)
    form.status.choices = status_choices([
        (services.LIST_OPEN, _("Chưa hoàn thành")),
        (services.LIST_DUE_SOON, _("Sắp đến hạn")),
        (services.LIST_ALL, _("Tất cả (không tính đã hủy)")),
        (services.LIST_AWAITING, _("Chờ xác nhận hoàn thành")),
        (services.LIST_EXTENSION, _("Có đề nghị gia hạn chờ xem xét")),
    ])
    sees_all = policy.sees_everything(current_user)
    form.unit_id.choices = unit_choices() if sees_all else [("", _("Tất cả"))]
    form.field_id.choices = [("", _("Tất cả"))] + field_choices()
    form.validate()
    filters = {f.name: f.data for f in form if not f.errors}
    if not sees_all:
        filters.pop("unit_id", None)
    on = clock.today()
    if filters.get("date_to") and filters["date_to"] < on:
        on = filters["date_to"]
    return form, filters, on
