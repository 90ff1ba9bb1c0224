"""An uploaded file's life: read and check it, keep it for the preview, confirm it once.

Nothing of a file is saved until it is confirmed; confirming checks the rows again against
the database as it is then (a meeting deleted, an assignment reported on meanwhile) and
saves everything in one transaction, or nothing.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import ModuleType

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import audit, clock, database, policy
from app.attachments.storage import StorageUnavailable
from app.directives import workflow as directive_workflow
from app.extensions import db
from app.formatting import format_datetime
from app.imports import directives as directive_rows
from app.imports import progress as progress_rows
from app.imports import proposals as proposal_rows
from app.imports import rows as R
from app.imports import sheets, sources
from app.imports.models import CONFIRMED, DIRECTIVES, PREVIEW, PROGRESS, PROPOSALS, ImportBatch
from app.locking import STALE_MESSAGE
from app.proposals import workflow as proposal_workflow
from app.service_error import ServiceError

HANDLERS: dict[str, ModuleType] = {
    PROPOSALS: proposal_rows,
    DIRECTIVES: directive_rows,
    PROGRESS: progress_rows,
}
ROLES = {
    PROPOSALS: (policy.COORDINATOR,),
    DIRECTIVES: (policy.COORDINATOR,),
    PROGRESS: progress_rows.UPLOAD_ROLES,
}
# Unconfirmed previews older than this are deleted when someone uploads a new file.
PREVIEW_LIFETIME = timedelta(days=2)
CONFIRMING = "confirming"
SERVICE_ERRORS = (
    ServiceError,  # proposals' ProposalError is one
    proposal_workflow.WorkflowError,
    directive_workflow.WorkflowError,
)
BLOCKING = (R.ERROR,)


class ImportRefused(ValueError):
    """The file or the confirmation cannot go ahead; the message says why."""


def fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def confirmed_key(kind: str, digest: str) -> str:
    return f"{kind}:{digest}"


def already_confirmed(kind: str, digest: str) -> ImportBatch | None:
    return db.session.scalar(select(ImportBatch).where(ImportBatch.confirmed_key == confirmed_key(kind, digest)))


def _already_message(batch: ImportBatch) -> str:
    who = batch.user.full_name or batch.user.username
    return _(
        "Tệp này đã được nhập lúc %(when)s (%(who)s, tệp “%(file)s”); không nhập lại để tránh trùng lặp.",
        when=format_datetime(batch.confirmed_at), who=who, file=batch.file_name,
    )


def _context(user) -> R.Context:
    return R.Context(user=user, today=clock.today())


def _count(rows: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


def ingest(kind: str, upload, user, before_commit: Callable[[ImportBatch], None] | None = None) -> ImportBatch:
    """Read and check an uploaded file and keep it for its preview; raise FileProblem or
    ImportRefused with a message for the user. before_commit(batch) runs in the same
    transaction (the form's key is recorded with the batch it made). Commits."""
    handler = HANDLERS[kind]
    with database.reads_only():  # reading and checking a big file keeps no one from writing
        checked = sheets.check_spreadsheet(upload)
        digest = fingerprint(checked.data)
        if done := already_confirmed(kind, digest):
            raise ImportRefused(_already_message(done))
        started = time.perf_counter()
        read = sheets.read_rows(checked.data, handler.COLUMNS, handler.SHEET_TITLE)
        handler.check(read.rows, _context(user))
        elapsed = int((time.perf_counter() - started) * 1000)
    counts = _count(read.rows)
    _forget_old_previews()
    batch = ImportBatch(
        token=secrets.token_urlsafe(24),
        kind=kind,
        user_id=user.id,
        file_name=checked.original_name,
        sha256=digest,
        state=PREVIEW,
        row_count=len(read.rows),
        error_count=sum(counts.get(s, 0) for s in BLOCKING),
        sheet={"title": read.title, "header_row": read.header_row, "letters": read.letters, "rows": read.rows},
        result={"counts": counts},
        parse_ms=elapsed,
    )
    db.session.add(batch)
    db.session.flush()
    try:
        sources.keep(checked, batch, user)  # the workbook itself, linked from what confirming makes
    except StorageUnavailable as error:  # a message next to the file field, and a 503
        db.session.rollback()
        raise ImportRefused(str(error)) from None
    audit.record(
        "import.upload", batch, actor=user,
        after={"kind": kind, "file": batch.file_name, "sha256": digest, "rows": batch.row_count,
               "errors": batch.error_count, "parse_ms": elapsed},
    )
    if before_commit is not None:
        before_commit(batch)
    db.session.commit()
    return batch


def _forget_old_previews() -> None:
    cutoff = clock.now() - PREVIEW_LIFETIME
    old = list(db.session.scalars(
        select(ImportBatch.id).where(ImportBatch.state == PREVIEW, ImportBatch.created_at < cutoff)
    ))
    sources.forget(old)
    db.session.execute(delete(ImportBatch).where(ImportBatch.id.in_(old), ImportBatch.state == PREVIEW))


def visible_batches(user):
    """select() of the import batches user may see: only the uploader's own."""
    return select(ImportBatch).where(ImportBatch.user_id == user.id)


def get_batch_or_404(token: str, user) -> ImportBatch:
    """The uploader's own batch; anyone else's (or a made-up token) is 404."""
    batch = db.session.scalar(visible_batches(user).where(ImportBatch.token == token))
    if batch is None:
        abort(404)
    return batch


def rows_of(batch: ImportBatch, only: str = "") -> list[dict]:
    rows = (batch.sheet or {}).get("rows", [])
    if only == "problems":
        return [r for r in rows if r.get("status") not in (R.OK, R.CHANGE, R.UNCHANGED)]
    if only == "changes" and batch.kind == PROGRESS:
        return [r for r in rows if r.get("status") == R.CHANGE]
    return rows


def can_confirm(batch: ImportBatch) -> bool:
    counts = (batch.result or {}).get("counts", {})
    if batch.state != PREVIEW or batch.error_count:
        return False
    return counts.get(R.CHANGE, 0) > 0 if batch.kind == PROGRESS else counts.get(R.OK, 0) > 0


@dataclass
class Outcome:
    done: bool
    message: str = ""


def confirm(batch: ImportBatch, user) -> Outcome:
    """Save the file's rows once, in one transaction. A second confirmation (a double click,
    the same file uploaded again) saves nothing and says so. Commits."""
    if batch.state == CONFIRMED:
        return Outcome(True)
    if (done := already_confirmed(batch.kind, batch.sha256)) is not None and done.id != batch.id:
        raise ImportRefused(_already_message(done))
    if not can_confirm(batch):
        raise ImportRefused(_("Tệp còn lỗi hoặc không có dòng nào để lưu; hãy sửa tệp và tải lên lại."))
    # Claim the batch: of two confirmations racing, the second waits here and then finds
    # nothing to claim.
    claimed = db.session.execute(
        update(ImportBatch)
        .where(ImportBatch.id == batch.id, ImportBatch.state == PREVIEW)
        .values(state=CONFIRMING)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(batch)
        return Outcome(batch.state == CONFIRMED)
    handler = HANDLERS[batch.kind]
    rows = copy.deepcopy(batch.sheet["rows"])
    parsed = handler.check(rows, _context(user))
    counts = _count(rows)
    errors = sum(counts.get(s, 0) for s in BLOCKING)
    if errors:
        db.session.rollback()
        _store_recheck(batch, rows, counts, errors)
        raise ImportRefused(_(
            "Dữ liệu trên hệ thống đã thay đổi từ lúc xem trước: %(n)s dòng nay có lỗi. Chưa lưu gì; "
            "xem lại các dòng có lỗi.", n=errors,
        ))
    at = clock.now()
    try:
        events_before = sources.last_event_ids()
        result = handler.save([p for p in parsed if p is not None], user, batch.file_name, at)
        result["counts"] = counts
        batch.state = CONFIRMED
        batch.confirmed_key = confirmed_key(batch.kind, batch.sha256)
        batch.confirmed_at = at
        batch.result = result
        sources.link_events(batch, user, events_before)
        # The rows were needed for the preview; keep only those that were not applied.
        batch.sheet = {**batch.sheet, "rows": _kept_rows(rows)}
        audit.record(
            "import.confirm", batch, actor=user,
            after={"kind": batch.kind, "file": batch.file_name, "sha256": batch.sha256,
                   **{k: v for k, v in result.items() if k != "ids"}},
        )
        db.session.commit()
    except SERVICE_ERRORS as error:
        # The rows were checked just above, so the services should agree; if one does not,
        # nothing is saved and the user reads its reason.
        db.session.rollback()
        raise ImportRefused(_("Chưa lưu gì: %(reason)s", reason=_(str(error)) or str(STALE_MESSAGE))) from None
    except IntegrityError:
        db.session.rollback()
        done = already_confirmed(batch.kind, batch.sha256)
        raise ImportRefused(_already_message(done) if done else str(STALE_MESSAGE)) from None
    except StaleDataError:
        db.session.rollback()
        raise ImportRefused(_(
            "Có nhiệm vụ vừa được cập nhật trên hệ thống trong lúc lưu; chưa lưu gì. Hãy tải lại tệp để xem trước."
        )) from None
    return Outcome(True)


def _kept_rows(rows: list[dict]) -> list[dict]:
    """After confirmation keep only the rows that were not applied (conflicts, refusals)."""
    return [r for r in rows if r.get("status") in (R.CONFLICT, R.REFUSED)]


def _store_recheck(batch: ImportBatch, rows: list[dict], counts: dict, errors: int) -> None:
    db.session.refresh(batch)
    batch.sheet = {**batch.sheet, "rows": rows}
    batch.error_count = errors
    batch.result = {**(batch.result or {}), "counts": counts}
    db.session.commit()


def discard(batch: ImportBatch, user) -> None:
    """Drop an unconfirmed preview. Commits."""
    if batch.state != PREVIEW:
        return
    audit.record("import.discard", batch, actor=user, after={"kind": batch.kind, "file": batch.file_name})
    sources.forget([batch.id])
    db.session.delete(batch)
    db.session.commit()
