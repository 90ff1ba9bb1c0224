"""Document jobs: start one (or find the same document already made), build it, recover the lost.

A job is a row (app/docjobs/models.py); its file lies in DOCUMENT_JOB_DIR. The same document
asked again by the same user while nothing changed (the newest audit event, the day and the
user's role and unit are part of the cache key) is the finished job's file, served at once.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import secrets
import socket
from datetime import timedelta

from flask import abort, current_app
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import func, select, update
from werkzeug.exceptions import HTTPException

from app import clock, datacache
from app.docjobs import kinds
from app.docjobs.models import DONE, FAILED, QUEUED, RUNNING, DocumentJob
from app.documents.pdf import PdfNotReady
from app.extensions import db
from app.models import User

HOST = socket.gethostname()[:255]
MAX_ATTEMPTS = 2  # a job whose process was lost is queued once more, then given up
LOST_GRACE_SECONDS = 60  # past its time limit, a running job nobody updates is taken as lost


def get_job_or_404(job_id: int, user) -> DocumentJob:
    """The job, only for the user who asked for it: anyone else gets 404."""
    job = db.session.get(DocumentJob, job_id)
    if job is None or job.user_id != user.id:
        abort(404)
    return job


def cache_key(kind: str, parameters: dict, args: dict, user) -> str:
    """Same kind, parameters and query, same user, role and unit, same day, same data version."""
    material = {
        "kind": kind, "parameters": parameters, "args": args,
        "user": [user.id, user.role, user.unit_id], "today": clock.today().isoformat(),
        "data": datacache.data_version(),
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


def start(kind: str, parameters: dict, args: dict) -> DocumentJob:
    """The job for this document: a finished one whose file is kept, one under way, or a new one
    queued (the caller commits and wakes the pool)."""
    key = cache_key(kind, parameters, args, current_user)
    for job in db.session.scalars(
        select(DocumentJob)
        .where(DocumentJob.user_id == current_user.id, DocumentJob.cache_key == key,
               DocumentJob.state.in_((QUEUED, RUNNING, DONE)))
        .order_by(DocumentJob.id.desc())
    ):
        if job.state != DONE or (job.file_path and os.path.exists(job.file_path)):
            return job
    job = DocumentJob(
        kind=kind, parameters={**parameters, "args": args}, user_id=current_user.id, state=QUEUED,
        progress=0, step=_("Đang chờ đến lượt"), cache_key=key, attempts=0,
    )
    db.session.add(job)
    db.session.flush()
    return job


def _write(statement) -> int:
    """Run one UPDATE in a short transaction of its own, apart from the session: a build's
    session only reads (on SQLite a read transaction that then writes fails at once when another
    wrote meanwhile), and progress must be seen by others while the build goes on."""
    with db.engine.begin() as connection:
        return connection.execute(statement).rowcount


# Any number that names the claims' lock on PostgreSQL (pg_advisory_xact_lock); "GBdoc".
CLAIM_LOCK = 0x4742646F63


def claim(job_id: int, pid: int | None, *, limit: int | None = None) -> bool:
    """Take a queued job for one process; False when another took it first (one UPDATE).

    limit: also False while that many jobs are running already, in every server process and on
    every host using this database (the pools' limit is the server's, not each worker's). The
    count and the claim are one statement; on PostgreSQL the claims also take turns (a lock held
    to the end of their short transaction), since two UPDATEs of different rows would otherwise
    each count the running jobs without the other's.
    """
    now = clock.now()
    statement = (
        update(DocumentJob)
        .where(DocumentJob.id == job_id, DocumentJob.state == QUEUED)
        .values(state=RUNNING, worker_host=HOST, worker_pid=pid, started_at=now, updated_at=now,
                attempts=DocumentJob.attempts + 1, progress=5, step=_("Đang bắt đầu"))
    )
    if limit is None:
        return _write(statement) == 1
    running = select(func.count(DocumentJob.id)).where(DocumentJob.state == RUNNING).scalar_subquery()
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(CLAIM_LOCK)))
        return connection.execute(statement.where(running < limit)).rowcount == 1


def still_queued(job_id: int) -> bool:
    """Whether the job still waits for a place (its claim found the server's limit reached)."""
    state = db.session.scalar(select(DocumentJob.state).where(DocumentJob.id == job_id))
    db.session.commit()
    return state == QUEUED


def set_worker(job_id: int, pid: int) -> None:
    _write(update(DocumentJob).where(DocumentJob.id == job_id).values(worker_pid=pid))


def next_queued() -> int | None:
    """The oldest queued job; the read's transaction ends at once (its claim writes apart)."""
    job_id = db.session.scalar(select(DocumentJob.id).where(DocumentJob.state == QUEUED).order_by(DocumentJob.id))
    db.session.commit()
    return job_id


def set_progress(job_id: int, percent: int, step: str) -> None:
    _write(
        update(DocumentJob).where(DocumentJob.id == job_id, DocumentJob.state == RUNNING)
        .values(progress=percent, step=step, updated_at=clock.now())
    )


def fail(job_id: int, message: str, *, pid: int | None = None) -> None:
    """Mark a running job failed (only while it is still that process's job)."""
    query = update(DocumentJob).where(DocumentJob.id == job_id, DocumentJob.state == RUNNING)
    if pid is not None:
        query = query.where(DocumentJob.worker_pid == pid)
    now = clock.now()
    _write(query.values(state=FAILED, error=message, step=message, updated_at=now, finished_at=now))


def timeout_message(seconds: float) -> str:
    return _("Tài liệu chưa tạo xong trong %(s)s giây nên đã dừng. Xin thử lại sau ít phút, hoặc chọn "
             "phạm vi nhỏ hơn.", s=f"{seconds:g}".replace(".", ","))


def crash_message() -> str:
    return _("Việc tạo tài liệu bị dừng giữa chừng (máy chủ khởi động lại hoặc gặp lỗi). Xin bấm tạo lại.")


def run(job_id: int) -> None:
    """Build a claimed job's document as its user, and keep the file (in this process)."""
    job = db.session.get(DocumentJob, job_id)
    kind, parameters, user_id = job.kind, dict(job.parameters), job.user_id
    args = parameters.pop("args", {})
    db.session.commit()  # the build reads in transactions of its own; its writes go apart (_write)
    folder = current_app.config["DOCUMENT_JOB_DIR"]
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{job_id}-{secrets.token_hex(8)}.bin")
    # The builder writes into the file as it goes (an export row by row: memory stays flat
    # however many rows), under a name no download serves until it is renamed, done.
    temporary = path + ".part"
    try:
        # A GET: on SQLite the build's transactions begin as reads and hold no write lock.
        with current_app.test_request_context("/", query_string=args), open(temporary, "wb") as out:
            user = db.session.get(User, user_id)
            login_user(user)
            prepared = kinds.prepare(kind, parameters)
            set_progress(job_id, 10, _("Đang đọc số liệu"))
            prepared.build(lambda percent, step: set_progress(job_id, percent, step), out)
    except PdfNotReady:
        db.session.rollback()
        discard_partial(job_id)
        fail(job_id, timeout_message(current_app.config["PDF_TIMEOUT_SECONDS"]))
        return
    except HTTPException:
        db.session.rollback()
        discard_partial(job_id)
        fail(job_id, _("Tài liệu này không còn tạo được (số liệu đã đổi hoặc đã bị xóa)."))
        return
    except Exception:
        db.session.rollback()
        discard_partial(job_id)
        current_app.logger.exception("document job %s failed", job_id)
        fail(job_id, _("Có lỗi khi tạo tài liệu. Xin thử lại; nếu vẫn lỗi, xin báo quản trị hệ thống."))
        return
    db.session.rollback()  # end the build's read transaction
    set_progress(job_id, 95, _("Đang lưu tệp"))
    os.replace(temporary, path)
    now = clock.now()
    _write(
        update(DocumentJob).where(DocumentJob.id == job_id, DocumentJob.state == RUNNING)
        .values(state=DONE, progress=100, step=_("Đã xong"), file_path=path, file_name=prepared.file_name,
                mime=prepared.mime, updated_at=now, finished_at=now)
    )


def discard_partial(job_id: int) -> None:
    """Remove what a build of job_id left half written: it failed, or its process was stopped
    (the pool's time limit, a lost worker). Its finished file, if any, is not touched."""
    folder = current_app.config["DOCUMENT_JOB_DIR"]
    for path in glob.glob(os.path.join(glob.escape(folder), f"{job_id}-*.part")):
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


def recover_lost(job_ids_here: set[int] = frozenset()) -> int:
    """Put back jobs left running by a process that is gone: queued once more, then failed.

    Gone: on this host, its process no longer exists; anywhere, nobody updated it for its time
    limit and a grace. Jobs this process's own pool watches (job_ids_here) are left to it.
    """
    limit = current_app.config["DOCUMENT_JOB_TIMEOUT_SECONDS"] + LOST_GRACE_SECONDS
    stale = clock.now() - timedelta(seconds=limit)
    recovered = 0
    running = db.session.scalars(select(DocumentJob).where(DocumentJob.state == RUNNING)).all()
    db.session.commit()  # the writes below go apart (_write); no transaction is held meanwhile
    for job in running:
        if job.id in job_ids_here:
            continue
        dead_here = job.worker_host == HOST and job.worker_pid is not None and not _alive(job.worker_pid)
        if not (dead_here or job.updated_at < stale):
            continue
        again = job.attempts < MAX_ATTEMPTS
        values = (dict(state=QUEUED, progress=0, step=_("Đang chờ tạo lại"), worker_pid=None)
                  if again else dict(state=FAILED, error=crash_message(), step=crash_message(),
                                     finished_at=clock.now()))
        recovered += _write(
            update(DocumentJob)
            .where(DocumentJob.id == job.id, DocumentJob.state == RUNNING,
                   DocumentJob.worker_pid.is_(None) if job.worker_pid is None
                   else DocumentJob.worker_pid == job.worker_pid)
            .values(updated_at=clock.now(), **values)
        )
    return recovered


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
