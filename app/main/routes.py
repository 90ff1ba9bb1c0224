"""Home page and health check."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import text

from app.extensions import db
from app.main.panels import panels_for

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    """Show the panels of the current user's role."""
    return render_template("main/home.html", panels=panels_for(current_user))


@bp.route("/healthz")
def healthz():
    """Answer ok when the database answers; used by load balancers and the benchmark."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy", never a traceback
        db.session.rollback()
        return "database unavailable", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
