"""The API reference: a page of our own drawn from /api/v1/openapi.json, open without a token."""

from flask import Blueprint, render_template

from app.api import reference
from app.extensions import api

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


@bp.route("/docs")
def docs():
    """Show every operation and schema of the API's OpenAPI document, and link the document."""
    return render_template("api/docs.html", ref=reference.build(api.spec.to_dict()))
