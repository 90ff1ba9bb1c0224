"""Files kept across a failed validation: a form shown again with an error keeps the files
that were chosen, instead of asking for them again.

A file that passes its checks while the rest of the form does not is stored as a pending
attachment of the user who sent it (owner_type "pending", owner_id the user's id). The form
shown again lists it as already attached, with a ticked box (pending_keep) per file; sending
the form again carries those ids, and a successful save hands them to what it made
(adopt). Only the sender's own pending files can be named; those left behind (the form
abandoned, the box unticked) are removed a day later by the next sweep.
"""

from __future__ import annotations

from datetime import timedelta

from flask import request
from sqlalchemy import select

from app import audit, clock
from app.attachments import storage
from app.extensions import db
from app.models import Attachment
from app.urls import parse_id

OWNER_TYPE = "pending"
FIELD = "pending_keep"
KEEP_FOR = timedelta(days=1)
SWEEP_BATCH = 200


def held(values, user) -> list[Attachment]:
    """The user's pending files named by values (the form's pending_keep ids), in order."""
    ids = [number for value in values if (number := parse_id(value))]
    if not ids:
        return []
    return list(db.session.scalars(
        select(Attachment).where(Attachment.id.in_(ids), Attachment.owner_type == OWNER_TYPE,
                                 Attachment.owner_id == user.id).order_by(Attachment.id)
    ))


def keep(checked_files, user) -> list[Attachment]:
    """Store checked files as the user's pending files; the caller commits."""
    sweep()
    kept = [storage.save(checked, OWNER_TYPE, user.id, user) for checked in checked_files]
    db.session.flush()
    return kept


def adopt(attachments, owner_type: str, owner_id: int, user) -> None:
    """Hand pending files to what the form made; the caller commits."""
    for attachment in attachments:
        attachment.owner_type, attachment.owner_id = owner_type, owner_id
        audit.record("attachment.create", attachment, actor=user, after={
            "owner": f"{owner_type}:{owner_id}", "name": attachment.original_name, "size": attachment.size})


def sweep(now=None) -> int:
    """Remove pending files older than KEEP_FOR (a bounded batch); the caller commits."""
    cutoff = (now or clock.now()) - KEEP_FOR
    stale = list(db.session.scalars(
        select(Attachment).where(Attachment.owner_type == OWNER_TYPE, Attachment.created_at < cutoff)
        .order_by(Attachment.id).limit(SWEEP_BATCH)
    ))
    for attachment in stale:
        storage.remove(attachment)
    return len(stale)


def refused_files(field, held, user) -> list[Attachment]:
    """A form refused: keep the files chosen this time (field: a single or a multiple file field) (unless one was refused already, whose
    message is on the field) as the user's pending files, and return them after those held
    from before, for the form shown again. Commits when it kept any."""
    checked = []
    if not field.errors:
        try:
            data = field.data
            uploads = data if isinstance(data, list) else [data] if data else []
            for upload in uploads:  # a validator may have read it already
                if getattr(upload, "stream", None) is not None and upload.stream.seekable():
                    upload.stream.seek(0)
            checked = storage.check_uploads(uploads)
        except storage.UploadError as error:
            field.errors = [*field.errors, str(error)]
    kept = keep(checked, user) if checked else []
    if kept:
        db.session.commit()
    return list(held) + kept


def from_form(user) -> list[Attachment]:
    """The user's pending files the form sent back (its ticked pending_keep boxes)."""
    return held(request.form.getlist(FIELD), user)
