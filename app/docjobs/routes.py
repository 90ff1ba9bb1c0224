"""The document job pages: start one, see how it goes, take its file.

A document link (GET) shows a page with one button; the button (POST, with CSRF) starts the job,
or finds the same document already made, and leads to the job's page: a progress bar that htmx
refreshes every second and, once done, a link the page follows by itself (static/js/documents.js).
Without JavaScript the page refreshes itself and offers the link.
"""

import os
import re
import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from app.docjobs import kinds, pool, services
from app.docjobs.models import DONE
from app.documents.delivery import attach
from app.extensions import db
from app.htmx import render

bp = Blueprint("docjobs", __name__)

JOB_ID = "document-job"  # the fragment's id, which htmx swaps and the tests look for
ASKED_RE = re.compile(r"[0-9a-f]{12}")


def offer_or_start(kind: str, parameters: dict, title: str):
    """The answer of a document's own URL: GET offers the button, POST starts the job.

    The document is checked first (kinds.prepare aborts with the view's 403/404/400), so a
    refusal comes at once, never from the job.
    """
    prepared = kinds.prepare(kind, parameters)
    if request.method == "GET":
        return render_template("docjobs/offer.html", title=title, file_name=prepared.file_name)
    args = request.args.to_dict(flat=False)
    job = services.start(kind, parameters, args)
    job_id, done = job.id, job.state == DONE
    db.session.commit()  # and no transaction after it: the job's writes go apart
    if not done:
        if current_app.config["DOCUMENT_JOB_PROCESSES"] <= 0:
            _build_here(job_id)
        else:
            pool.wake(current_app._get_current_object())
    # Each press gets its own mark: the page downloads the file once per press, not on a reload.
    return redirect(url_for("docjobs.status", job_id=job_id, asked=secrets.token_hex(6)), 303)


def _build_here(job_id: int) -> None:
    """Without a pool (DOCUMENT_JOB_PROCESSES = 0): build in this request, the same way."""
    if services.claim(job_id, os.getpid()):
        services.run(job_id)


@bp.route("/documents/jobs/<int:job_id>")
@login_required
def status(job_id):
    """Show how far a document is; htmx asks again every second while it is being made."""
    job = services.get_job_or_404(job_id, current_user)
    if job.waiting:
        app = current_app._get_current_object()
        services.recover_lost(pool.watched_here(app))
        if current_app.config["DOCUMENT_JOB_PROCESSES"] <= 0:
            _build_here(job.id)
        else:
            pool.wake(app)
        db.session.rollback()  # read the job again, as the others left it
        job = services.get_job_or_404(job_id, current_user)
    asked = request.args.get("asked", "")
    response = render("docjobs/job.html", "docjobs/_job.html", job=job, job_dom_id=JOB_ID,
                      asked=asked if ASKED_RE.fullmatch(asked) else None)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/documents/jobs/<int:job_id>/file")
@login_required
def download(job_id):
    """The finished document, only to the user who asked for it."""
    job = services.get_job_or_404(job_id, current_user)
    if job.state != DONE or not job.file_path or not os.path.exists(job.file_path):
        abort(404)
    folder = os.path.realpath(current_app.config["DOCUMENT_JOB_DIR"])
    path = os.path.realpath(job.file_path)
    if os.path.dirname(path) != folder:  # only files the jobs wrote
        abort(404)
    response = send_file(path, mimetype=job.mime, conditional=False, etag=False, max_age=0)
    return attach(response, job.file_name)
