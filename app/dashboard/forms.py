"""The period selector (this week, month, quarter or a custom range) with a field and a unit.

The dashboard and the reports read it from the query string: ?period=month&field=3&unit=12,
or ?period=custom&from=01/09/2025&to=30/09/2025 (ISO dates work too).
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from app.dashboard import period as periods
from app.dashboard.services import Scope
from app.extensions import db
from app.forms import BaseForm, DateField, optional_int
from app.models import LEADING_KIND, Field, Unit


class ScopeForm(BaseForm):
    """What the figures are about; every field may be left empty."""

    class Meta:
        csrf = False

    period = SelectField(_l("Kỳ báo cáo"), validate_choice=False, default=periods.DEFAULT)
    date_from = DateField(_l("Từ ngày"), name="from")
    date_to = DateField(_l("Đến ngày"), name="to")
    field = SelectField(_l("Lĩnh vực"), coerce=optional_int, validate_choice=False)
    unit = SelectField(_l("Đơn vị"), coerce=optional_int, validate_choice=False)


def scope_form(args) -> ScopeForm:
    """The form bound to the query string, with its choices."""
    form = ScopeForm(formdata=args)
    form.period.choices = [SelectChoice(key, label) for key, label in periods.LABELS.items()]
    fields = db.session.scalars(select(Field).where(Field.active.is_(True)).order_by(Field.sort_order, Field.id))
    form.field.choices = [SelectChoice("", _("Tất cả"))] + [SelectChoice(f.id, f.name) for f in fields]
    units = list(db.session.scalars(select(Unit).where(Unit.active.is_(True), Unit.kind != LEADING_KIND)))
    bodies = sorted((u for u in units if not u.is_commune), key=lambda u: u.order_key)
    communes = sorted((u for u in units if u.is_commune), key=lambda u: u.order_key)
    bodies_label, communes_label = _("Cơ quan cấp tỉnh"), _("Xã, phường")  # translated once, not per unit
    form.unit.choices = (
        [SelectChoice("", _("Tất cả"))]
        + [SelectChoice(u.id, u.name, optgroup=bodies_label) for u in bodies]
        + [SelectChoice(u.id, u.name, optgroup=communes_label) for u in communes]
    )
    form.validate()
    return form


def read_scope(form: ScopeForm, today) -> Scope:
    """The Scope the form asks for; a bad custom range falls back to this month, with a message."""
    start = form.date_from.data if not form.date_from.errors else None
    end = form.date_to.data if not form.date_to.errors else None
    # Only what the query string says: dates without a period mean a custom range.
    kind = form.period.raw_data[0] if form.period.raw_data else None
    try:
        chosen = periods.resolve(kind, today, start, end)
    except periods.PeriodError as error:
        form.date_to.errors = [*form.date_to.errors, str(error)]
        chosen = periods.resolve(periods.DEFAULT, today)
    if chosen.kind != periods.CUSTOM:
        # A named period shows its own dates; typed dates only count with "custom".
        form.date_from.data, form.date_to.data = None, None
    form.period.data = chosen.kind
    unit = db.session.get(Unit, form.unit.data) if form.unit.data and not form.unit.errors else None
    field = db.session.get(Field, form.field.data) if form.field.data and not form.field.errors else None
    return Scope(chosen, field.id if field else None, unit)


def scope_args(scope: Scope) -> dict:
    """The scope as the short query string the dashboard's address bar and links use."""
    args: dict = {"period": scope.period.kind}
    if scope.period.kind == periods.CUSTOM:
        args["from"], args["to"] = scope.period.start.isoformat(), scope.period.end.isoformat()
    if scope.field_id:
        args["field"] = scope.field_id
    if scope.unit is not None:
        args["unit"] = scope.unit.id
    return args


def has_errors(form) -> bool:
    return any(f.errors for f in form)
