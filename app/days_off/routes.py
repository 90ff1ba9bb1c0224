"""The year's working calendar on one page; add and remove the province's entries (admin only)."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock, idempotency, policy
from app.days_off import calendar
from app.days_off import services as days_off
from app.days_off.forms import KIND_NAMES, DayOffForm
from app.days_off.models import DayOff
from app.extensions import db
from app.htmx import render

bp = Blueprint("days_off", __name__)

ROW_ID = "day-off-{}"


@bp.before_request
def require_admin():
    """Managing days off is for the admin role only."""
    return policy.role_required(policy.ADMIN)(lambda: None)()


def _year() -> int:
    raw = request.args.get("year", "")
    return int(raw) if raw.isdecimal() and raw.isascii() and 2000 <= int(raw) <= 2100 else clock.today().year


def _page(form: DayOffForm, year: int, status: int = 200):
    months, rows = calendar.year_calendar(year)
    return render(
        "days_off/index.html", "days_off/_table.html", status,
        form=form, year=year, months=months, rows=rows, row_id=ROW_ID, this_year=clock.today().year,
        working_days=calendar.working_days_in(months), kind_names=KIND_NAMES, today=clock.today(),
    )


@bp.route("/", methods=["GET", "POST"])
def index():
    """Show a year's working calendar and add an entry to it."""
    form = DayOffForm()
    year = _year()
    key = form.clean_idempotency_key()
    if request.method == "POST" and (done := idempotency.replay(key, current_user)):
        return done  # sent twice: the calendar with the day the first sending added
    if form.validate_on_submit():
        try:
            day_off = days_off.add_day_off(form.date.data, form.reason.data, actor=current_user, kind=form.kind.data)
        except days_off.DayOffError as error:
            form.date.errors.append(str(error))
        else:
            target = url_for("days_off.index", year=day_off.date.year)
            idempotency.remember(key, current_user, target)
            if done := idempotency.commit_or_replay(key, current_user):
                return done
            flash(_("Đã thêm ngày %(day)s vào lịch của tỉnh: %(kind)s.", day=day_off.date.strftime("%d/%m/%Y"),
                    kind=KIND_NAMES[day_off.kind]), "success")
            return redirect(target, 303)
    if request.method == "GET":
        form.issue_key()
    return _page(form, year, 400 if form.errors else 200)


@bp.route("/<int:day_off_id>/delete", methods=["POST"])
def delete(day_off_id):
    """Remove an entry of the province's calendar and show the year again."""
    day_off = db.session.get(DayOff, day_off_id)
    if day_off is None:
        abort(404)
    day: date = day_off.date
    days_off.remove_day_off(day_off, actor=current_user)
    db.session.commit()
    flash(_("Đã xóa ngày %(day)s khỏi lịch của tỉnh.", day=day.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("days_off.index", year=day.year), 303)
