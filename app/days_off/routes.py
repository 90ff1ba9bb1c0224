"""List, add and remove the province's extra days off (admin only)."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock, deadlines, policy
from app.days_off import services as days_off
from app.days_off.forms import DayOffForm
from app.days_off.models import DayOff
from app.extensions import db
from app.htmx import is_htmx, render

bp = Blueprint("days_off", __name__)

ROW_ID = "day-off-{}"


@bp.before_request
def require_admin():
    """Managing days off is for the admin role only."""
    return policy.role_required(policy.ADMIN)(lambda: None)()


def _year() -> int:
    raw = request.args.get("year", "")
    return int(raw) if raw.isdecimal() and raw.isascii() and 2000 <= int(raw) <= 2100 else clock.today().year


def _calendar_rows(year: int) -> list[dict]:
    """National holidays and extra days off of year, in date order."""
    rows = [{"date": day, "name": name, "day_off": None} for day, name in deadlines.public_holidays(year)]
    rows += [{"date": d.date, "name": d.reason, "day_off": d} for d in days_off.days_off_in(year)]
    return sorted(rows, key=lambda row: row["date"])


def _page(form: DayOffForm, year: int, status: int = 200):
    return render(
        "days_off/index.html", "days_off/_table.html", status,
        form=form, year=year, rows=_calendar_rows(year), row_id=ROW_ID, this_year=clock.today().year,
    )


@bp.route("/", methods=["GET", "POST"])
def index():
    """Show a year's days off and add an extra one."""
    form = DayOffForm()
    year = _year()
    if form.validate_on_submit():
        try:
            day_off = days_off.add_day_off(form.date.data, form.reason.data, actor=current_user)
        except days_off.DayOffError as error:
            form.date.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Đã thêm ngày nghỉ %(day)s.", day=day_off.date.strftime("%d/%m/%Y")), "success")
            return redirect(url_for("days_off.index", year=day_off.date.year), 303)
    return _page(form, year, 400 if form.errors else 200)


@bp.route("/<int:day_off_id>/delete", methods=["POST"])
def delete(day_off_id):
    """Remove an extra day off; htmx gets an empty answer that removes the row."""
    day_off = db.session.get(DayOff, day_off_id)
    if day_off is None:
        abort(404)
    day: date = day_off.date
    days_off.remove_day_off(day_off, actor=current_user)
    db.session.commit()
    if is_htmx():
        return ""
    flash(_("Đã xóa ngày nghỉ %(day)s.", day=day.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("days_off.index", year=day.year), 303)
