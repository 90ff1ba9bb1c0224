"""Home page and health check."""

from flask import Blueprint, jsonify, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import text

from app import clock, deadlines
from app.extensions import db
from app.main.panels import panels_for

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """Show the panels of the current user's role."""
    return render_template("main/home.html", panels=panels_for(current_user))


@bp.route("/calendar/days-off")
@login_required
def days_off_calendar():
    """The days a date picker marks in ?year= (default this year): days off with names, worked weekend days."""
    year = request.args.get("year", type=int)
    if year is None or not 1900 <= year <= 2200:
        year = clock.today().year
    marked = deadlines.year_calendar(year)
    response = jsonify(
        year=year,
        off=[{"date": day.isoformat(), "name": name} for day, name in marked["off"]],
        worked=[day.isoformat() for day in marked["worked"]],
    )
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.route("/healthz")
def healthz():
    """Answer ok when the database answers; used by load balancers and the benchmark."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy", never a traceback
        db.session.rollback()
        return "database unavailable", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
