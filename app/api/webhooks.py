"""Webhooks: the outbox the e-mail uses, for other systems.

An event is written as a webhook_deliveries row in the same transaction as the change that
caused it (found from the audit events the services already add), for every token with a
webhook URL whose user may see the object: a commune's token hears about its commune,
the coordinator's about everything. Rows are sent after the response (never inside a
request) and by `flask webhooks send-pending` (every few minutes, like the e-mail), and
retried with a doubling back-off until WEBHOOK_MAX_ATTEMPTS.

Each POST carries the JSON payload and
    X-GiaoBan-Event: the event name
    X-GiaoBan-Delivery: the delivery id (the same on every retry: receivers drop repeats)
    X-GiaoBan-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the token's webhook secret>
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import current_app, g, has_request_context, request
from flask.cli import AppGroup
from sqlalchemy import event as sa_event
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload

from app import clock
from app.api.models import FAILED, PENDING, SENT, ApiToken, WebhookDelivery
from app.directives.models import Assignment
from app.directives.visibility import scope_assignments
from app.extensions import db
from app.models import AuditEvent
from app.proposals.visibility import can_see_proposal_id

log = logging.getLogger(__name__)

ASSIGNMENT_CREATED = "assignment.created"
REPORT_ADDED = "report.added"
COMPLETION_CONFIRMED = "completion.confirmed"
PROPOSAL_ANSWERED = "proposal.answered"
EVENTS = (ASSIGNMENT_CREATED, REPORT_ADDED, COMPLETION_CONFIRMED, PROPOSAL_ANSWERED)
# The audit action each event is read from: every such write records one (app.audit).
FROM_AUDIT = {
    "directive.assign": ASSIGNMENT_CREATED,
    "assignment.report": REPORT_ADDED,
    "assignment.confirm": COMPLETION_CONFIRMED,
    "proposal.answer": PROPOSAL_ANSWERED,
}
LEASE = timedelta(minutes=2)  # a sender holds a row this long; a crashed one's rows come back
MAX_BACKOFF = timedelta(hours=12)
BATCH = 100
_INFO_KEY = "webhook_audit_events"


# --- writing the outbox -----------------------------------------------------------------------


def _collect(session: Session, flush_context) -> None:
    for obj in session.new:
        if isinstance(obj, AuditEvent) and obj.action in FROM_AUDIT:
            session.info.setdefault(_INFO_KEY, []).append(
                (obj.action, obj.object_id, dict(obj.after or {}), obj.created_at or clock.now()))


def _forget(session: Session, *args) -> None:
    session.info.pop(_INFO_KEY, None)


def _enqueue(session: Session) -> None:
    session.flush()  # what is still pending is collected by _collect now, not at the next commit
    audits = session.info.pop(_INFO_KEY, None)
    if not audits:
        return
    with session.no_autoflush:
        hooked = list(session.scalars(
            select(ApiToken).where(ApiToken.webhook_url.is_not(None), ApiToken.revoked_at.is_(None),
                                   ApiToken.expires_on >= clock.today())
            .options(selectinload(ApiToken.user))
        ))
        hooked = [t for t in hooked if t.user.active]
        if not hooked:
            return
        created = []
        for action, object_id, after, at in audits:
            for token in hooked:
                data = _data_for(action, object_id, after, token.user)
                if data is None:
                    continue
                name = FROM_AUDIT[action]
                delivery = WebhookDelivery(
                    token_id=token.id, event=name, state=PENDING, attempts=0,
                    payload={"id": str(uuid.uuid4()), "event": name, "occurred_at": _iso(at), "data": data},
                )
                session.add(delivery)
                created.append(delivery)
        if created and has_request_context():
            g.setdefault("webhook_deliveries", []).extend(created)


def _iso(at: datetime) -> str:
    return at.isoformat()


def _data_for(action: str, object_id: str | None, after: dict, user) -> dict | None:
    """What the event says, if user may see it; None otherwise."""
    if object_id is None:
        return None
    if action == "directive.assign":
        query = scope_assignments(select(Assignment.id, Assignment.unit_id), user).where(
            Assignment.directive_id == int(object_id), Assignment.unit_id.in_(after.get("unit_ids") or []))
        rows = db.session.execute(query.order_by(Assignment.id)).all()
        if not rows:
            return None
        return {"directive_id": int(object_id), "role": after.get("role"),
                "assignments": [{"id": aid, "unit_id": uid} for aid, uid in rows]}
    if action in ("assignment.report", "assignment.confirm"):
        query = scope_assignments(select(Assignment.id, Assignment.directive_id, Assignment.unit_id), user).where(
            Assignment.id == int(object_id))
        row = db.session.execute(query).first()
        if row is None:
            return None
        data = {"assignment_id": row.id, "directive_id": row.directive_id, "unit_id": row.unit_id}
        if action == "assignment.report":
            data.update(report_id=after.get("report_id"), percent=after.get("percent"))
        else:
            data["completed_on"] = after.get("completed_on")
        return data
    if action == "proposal.answer":
        if not can_see_proposal_id(user, int(object_id)):
            return None
        return {"proposal_id": int(object_id), "answer_outcome": after.get("answer_outcome")}
    return None


# --- sending ----------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _claim(ids: list[int], now: datetime) -> list[int]:
    """Take rows for LEASE so that two senders never post the same delivery at once."""
    claimed = []
    for delivery_id in ids:
        result = db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.state == PENDING,
                   or_(WebhookDelivery.next_try_at.is_(None), WebhookDelivery.next_try_at <= now))
            .values(next_try_at=now + LEASE),
            execution_options={"synchronize_session": False},
        )
        if result.rowcount:
            claimed.append(delivery_id)
    db.session.commit()
    return claimed


def _post(delivery: WebhookDelivery, now: datetime) -> None:
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    timestamp = int(now.timestamp())
    req = urllib.request.Request(  # noqa: S310 — the URL was checked to be http(s) when the token was made
        delivery.token.webhook_url, data=body, method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "GiaoBan-Webhooks/1",
            "X-GiaoBan-Event": delivery.event,
            "X-GiaoBan-Delivery": str(delivery.payload.get("id")),
            "X-GiaoBan-Signature": sign(delivery.token.webhook_secret or "", timestamp, body),
        },
    )
    if not delivery.token.webhook_url.lower().startswith(("http://", "https://")):
        raise ValueError("not an http(s) URL")
    with urllib.request.urlopen(req, timeout=current_app.config["WEBHOOK_TIMEOUT"]) as reply:  # noqa: S310
        reply.read(1024)


def backoff(attempts: int) -> timedelta:
    """The wait after the attempts-th failure: WEBHOOK_RETRY_SECONDS, doubling, at most 12 hours."""
    first = timedelta(seconds=current_app.config["WEBHOOK_RETRY_SECONDS"])
    return min(first * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def send_pending(now: datetime | None = None, ids: list[int] | None = None) -> SendReport:
    """Post every due delivery (only ids, when given); commits its own work; never raises for a
    receiver's failure."""
    now = now or clock.now()
    report = SendReport()
    query = select(WebhookDelivery.id).where(
        WebhookDelivery.state == PENDING,
        or_(WebhookDelivery.next_try_at.is_(None), WebhookDelivery.next_try_at <= now),
    ).order_by(WebhookDelivery.id).limit(BATCH)
    if ids is not None:
        query = query.where(WebhookDelivery.id.in_(ids))
    claimed = _claim(list(db.session.scalars(query)), now)
    for delivery_id in claimed:
        delivery = db.session.get(WebhookDelivery, delivery_id)
        token = delivery.token
        delivery.attempts += 1
        if token.revoked_at is not None or not token.webhook_url:
            delivery.state, delivery.last_error = FAILED, "token revoked"
            report.failed += 1
        else:
            try:
                _post(delivery, now)
            except (OSError, ValueError, urllib.error.URLError) as error:
                delivery.last_error = str(error)[:500]
                if delivery.attempts >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]:
                    delivery.state = FAILED
                    report.failed += 1
                else:
                    delivery.next_try_at = now + backoff(delivery.attempts)
                    report.retried += 1
            else:
                delivery.state, delivery.delivered_at, delivery.last_error = SENT, now, None
                delivery.next_try_at = None
                report.sent += 1
        db.session.commit()
    return report


def _send_after_response(app, ids: list[int]) -> None:
    """Best effort once the client has its answer; a failure is retried by the next run."""
    try:
        with app.app_context():
            try:
                send_pending(ids=ids)
            finally:
                db.session.remove()
    except Exception:
        log.exception("Webhook attempt after the response failed; the next scheduled run retries it")


def _after_request(response):
    created = g.pop("webhook_deliveries", None)
    if created and current_app.config.get("WEBHOOK_SEND_AFTER_RESPONSE"):
        ids = [d.id for d in created if d.id is not None]
        app = current_app._get_current_object()
        if ids:
            response.call_on_close(lambda: _send_after_response(app, ids))
    return response


webhooks_cli = AppGroup("webhooks", help="Webhook deliveries to other systems.")


@webhooks_cli.command("send-pending")
def send_pending_command():
    """Post the webhook deliveries waiting to go (and retry failed ones whose time has come)."""
    report = send_pending()
    click.echo(f"Webhooks: {report.sent} sent, {report.retried} to retry, {report.failed} given up")


_listening = False


def init_webhooks(app) -> None:
    global _listening
    if not _listening:  # session events are global to SQLAlchemy: listen once per process
        sa_event.listen(Session, "after_flush", _collect)
        sa_event.listen(Session, "before_commit", _enqueue)
        sa_event.listen(Session, "after_rollback", _forget)
        _listening = True
    app.after_request(_after_request)
    app.cli.add_command(webhooks_cli)


__all__ = ["EVENTS", "send_pending", "sign", "request"]
