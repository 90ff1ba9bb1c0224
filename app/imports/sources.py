"""The workbook an import came from: kept as an attachment of its batch, linked from the
timeline of every item the import made or changed, downloadable by few.

The file is stored when it is uploaded (the preview needs nothing more, but the bytes exist
only then) and removed with its batch when a preview is discarded or forgotten; a confirmed
batch keeps it for good. The file holds every row of the import, so it goes only to the user
who imported it, the coordinating office, the admin, and a user who can see every item the
import made or changed (through each entity's own scoping query); anyone else gets 404.
"""

from __future__ import annotations

from flask import abort, g, url_for
from sqlalchemy import func, select, update

from app import policy
from app.attachments import storage
from app.directives.models import Assignment, AssignmentEvent, Directive, DirectiveEvent
from app.directives.visibility import visible_assignments, visible_directives
from app.extensions import db
from app.imports.models import CONFIRMED, DIRECTIVES, PROGRESS, PROPOSALS, ImportBatch
from app.models import Attachment
from app.proposals.models import Proposal, ProposalEvent
from app.proposals.visibility import visible_proposals

OWNER_TYPE = "import"
# Roles that may download any import's file, whoever imported it.
OFFICE_ROLES = (policy.COORDINATOR, policy.ADMIN)
# kind -> (the user's visible items, their id column): who sees every item sees the file.
_ITEMS = {
    PROPOSALS: (visible_proposals, Proposal.id),
    DIRECTIVES: (visible_directives, Directive.id),
    PROGRESS: (visible_assignments, Assignment.id),
}
_EVENTS = (ProposalEvent, DirectiveEvent, AssignmentEvent)


def keep(checked: storage.CheckedFile, batch: ImportBatch, user) -> Attachment:
    """Store the uploaded workbook as the batch's file; the caller commits."""
    return storage.save(checked, OWNER_TYPE, batch.id, user)


def forget(batch_ids) -> None:
    """Remove the files of batches about to be deleted (each file goes once the deletion commits)."""
    ids = list(batch_ids)
    if not ids:
        return
    query = select(Attachment).where(Attachment.owner_type == OWNER_TYPE, Attachment.owner_id.in_(ids))
    for attachment in db.session.scalars(query):
        storage.remove(attachment)


def last_event_ids() -> dict[type, int]:
    """The newest event id of each timeline, taken just before an import saves its rows."""
    return {model: db.session.scalar(select(func.coalesce(func.max(model.id), 0))) for model in _EVENTS}


def link_events(batch: ImportBatch, user, before: dict[type, int]) -> None:
    """Tie to batch every timeline event its confirmation wrote (newer than before, by user,
    on the items it made or changed), so each links the file; the caller commits."""
    ids = (batch.result or {}).get("ids") or []
    if not ids:
        return
    db.session.flush()
    targets = {
        PROPOSALS: [(ProposalEvent, ProposalEvent.proposal_id, ids)],
        DIRECTIVES: [
            (DirectiveEvent, DirectiveEvent.directive_id, ids),
            (AssignmentEvent, AssignmentEvent.assignment_id,
             select(Assignment.id).where(Assignment.directive_id.in_(ids)).scalar_subquery()),
        ],
        PROGRESS: [(AssignmentEvent, AssignmentEvent.assignment_id, ids)],
    }[batch.kind]
    for model, item_column, items in targets:
        db.session.execute(
            update(model)
            .where(item_column.in_(items), model.id > before[model], model.actor_id == user.id,
                   model.import_batch_id.is_(None))
            .values(import_batch_id=batch.id)
            .execution_options(synchronize_session=False)
        )


def may_download(user, batch: ImportBatch) -> bool:
    """The importer, the office and the admin; else only who can see every item of a confirmed import."""
    if batch.user_id == user.id or user.role in OFFICE_ROLES:
        return True
    ids = set((batch.result or {}).get("ids") or [])
    if batch.state != CONFIRMED or not ids:
        return False
    visible, id_column = _ITEMS[batch.kind]
    seen = visible(user).where(id_column.in_(ids)).with_only_columns(id_column).subquery()
    return db.session.scalar(select(func.count()).select_from(seen)) == len(ids)


def get_source_or_404(batch_id: int, user) -> Attachment:
    """The file of an import this user may download; 404 for anyone else and for a batch without one."""
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or not may_download(user, batch):
        abort(404)
    attachment = db.session.scalar(Attachment.for_owner(OWNER_TYPE, batch.id))
    if attachment is None:
        abort(404)
    return attachment


def source_url(batch_id: int | None, user) -> str | None:
    """Where a timeline event's "tệp nguồn" link points, or None when this user may not have
    the file (the event then names the file and row only). Asked once per batch per request."""
    if batch_id is None or not getattr(user, "is_authenticated", False):
        return None
    known = g.setdefault("import_source_urls", {})
    if batch_id not in known:
        batch = db.session.get(ImportBatch, batch_id)
        allowed = batch is not None and may_download(user, batch)
        known[batch_id] = url_for("imports.source", batch_id=batch_id) if allowed else None
    return known[batch_id]
