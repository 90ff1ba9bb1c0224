"""Download an attachment, only for users who may see the item that owns it."""

from flask import Blueprint, abort, g
from flask_login import current_user, login_required

from app.attachments import storage
from app.extensions import db
from app.models import Attachment

bp = Blueprint("attachments", __name__)


@bp.after_app_request
def storage_failure_is_a_503(response):
    """A form sent back because the uploads folder cannot be written: the fault is the server's."""
    if g.get("upload_storage_failed") and response.status_code == 400:
        response.status_code = 503
    return response


@bp.route("/files/<int:attachment_id>")
@login_required
def download(attachment_id):
    """Send the file as an attachment with its original (Vietnamese) name."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not storage.can_download(current_user, attachment):
        abort(404)
    return storage.send(attachment)
