"""What the site keeps only for a while, removed by the daily run (`flask remind`, or on its own
`flask prune`): nothing here is a record anyone reads later.

- a create form's key (app.idempotency) answers a second sending of the same form: Back and
  submit again, a resend after a dropped connection. After FORM_KEYS_FOR nobody resends.
- a webhook delivery that was sent or given up is the receiver's business once it is old:
  DELIVERIES_FOR keeps a quarter for an administrator checking what a receiver was sent.
  Pending deliveries are never removed here.
- pending uploads (files chosen in a form that was refused and never sent again) older than a
  day, in batches until none is left (app.attachments.pending.sweep).
- document jobs (app.docjobs) finished or failed more than DOCUMENTS_FOR ago, with their files:
  a stored file serves the same document asked again while nothing changed, which after a
  week it has; the same document asked later is built afresh.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from app import clock
from app.api.models import FAILED, SENT, WebhookDelivery
from app.attachments import pending
from app.docjobs import services as docjobs
from app.docjobs.models import DONE, DocumentJob
from app.docjobs.models import FAILED as JOB_FAILED
from app.extensions import db
from app.idempotency import FormSubmission

FORM_KEYS_FOR = timedelta(days=30)
DELIVERIES_FOR = timedelta(days=90)
DOCUMENTS_FOR = timedelta(days=7)


@dataclass
class Pruned:
    form_keys: int = 0
    deliveries: int = 0
    pending_files: int = 0
    documents: int = 0

    def __str__(self) -> str:
        return (f"{self.form_keys} form key(s), {self.deliveries} webhook delivery record(s), "
                f"{self.pending_files} abandoned upload(s), {self.documents} old document(s) removed")


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
    result.documents = _old_documents(now - DOCUMENTS_FOR)
    return result


def _old_documents(cutoff: datetime) -> int:
    """Remove finished document jobs older than cutoff, their files after the rows are gone."""
    old = db.session.execute(select(DocumentJob.id, DocumentJob.file_path).where(
        DocumentJob.state.in_((DONE, JOB_FAILED)), DocumentJob.updated_at < cutoff)).all()
    if not old:
        return 0
    db.session.execute(delete(DocumentJob).where(DocumentJob.id.in_([row.id for row in old])))
    db.session.commit()
    for row in old:
        if row.file_path:
            with contextlib.suppress(FileNotFoundError):
                os.remove(row.file_path)
        docjobs.discard_partial(row.id)  # a build stopped halfway (time limit, lost worker)
    return len(old)
