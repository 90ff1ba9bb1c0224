"""Write the audit trail: every change names its actor, object, before and after."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import g, has_request_context, request
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent


def snapshot(obj, fields: list[str]) -> dict[str, Any]:
    """Return the listed attributes of obj as JSON-safe values."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def record(
    action: str,
    obj=None,
    *,
    object_type: str | None = None,
    object_id=None,
    before: dict | None = None,
    after: dict | None = None,
    actor=None,
) -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits."""
    if obj is not None:
        object_type = object_type or obj.__tablename__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        action=action,
        object_type=object_type or "",
        object_id=None if object_id is None else str(object_id),
        before=before,
        after=after,
        actor_id=getattr(actor, "id", None),
        ip=request.remote_addr if has_request_context() else None,
        api_token_name=_api_token_name(),
    )
    db.session.add(event)
    return event


def _api_token_name() -> str | None:
    """The name of the API token this request acts through (app.api.auth puts it on g)."""
    if has_request_context():
        token = g.get("api_token")
        return token.name if token is not None else None
    return None


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "id") and hasattr(value, "__tablename__"):
        return value.id
    return value
