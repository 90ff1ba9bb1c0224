"""What the site keeps only for a while, removed by the daily run (`flask remind`, or on its own
`flask prune`): nothing here is a record anyone reads later.

- a create form's key (app.idempotency) answers a second sending of the same form: Back and
  submit again, a resend after a dropped connection. After FORM_KEYS_FOR nobody resends.
- a webhook delivery that was sent or given up is the receiver's business once it is old:
  DELIVERIES_FOR keeps a quarter for an administrator checking what a receiver was sent.
  Pending deliveries are never removed here.
- pending uploads (files chosen in a form that was refused and never sent again) older than a
  day, in batches until none is left (app.attachments.pending.sweep).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete

from app import clock
from app.api.models import FAILED, SENT, WebhookDelivery
from app.attachments import pending
from app.extensions import db
from app.idempotency import FormSubmission

FORM_KEYS_FOR = timedelta(days=30)
DELIVERIES_FOR = timedelta(days=90)


@dataclass
class Pruned:
    form_keys: int = 0
    deliveries: int = 0
    pending_files: int = 0

    def __str__(self) -> str:
        return (f"{self.form_keys} form key(s), {self.deliveries} webhook delivery record(s), "
                f"{self.pending_files} abandoned upload(s) removed")


def prune(now: datetime | None = None) -> Pruned:
    """Remove what has outlived its use; commits."""
    now = now or clock.now()
    result = Pruned()
    result.form_keys = db.session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < now - FORM_KEYS_FOR)).rowcount
    result.deliveries = db.session.execute(
        delete(WebhookDelivery).where(WebhookDelivery.state.in_((SENT, FAILED)),
                                      WebhookDelivery.created_at < now - DELIVERIES_FOR)).rowcount
    db.session.commit()
    while removed := pending.sweep(now):
        db.session.commit()
        result.pending_files += removed
    return result
