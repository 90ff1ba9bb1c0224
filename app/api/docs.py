"""The browsable API docs: Swagger UI from static/vendor (no CDN), open without a token."""

from flask import Blueprint, render_template

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


@bp.route("/docs")
def docs():
    """Show the API's documentation, built from /api/v1/openapi.json."""
    return render_template("api/docs.html")
