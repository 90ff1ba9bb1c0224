"""Uploaded files: checked by name and by content, stored outside static/ under random names.

Features own their files through (owner_type, owner_id) and register a visibility check,
so that downloads are served only to users who may see the owning item.

A file and its row live and die together. Files are written to the uploads folder when they
are checked (check_uploads), before anything is saved: a folder that cannot be written is
then a message next to the file field, with the form as it was typed (StorageUnavailable),
not a 500 after the work is done. A file written in a transaction that does not commit
(an error, a refused action, a rollback) is deleted again; the file of a removed row is
deleted only once the removal has committed, so a failed commit leaves the row pointing at
its file. The session events at the end of this module do both.
"""

import io
import logging
import os
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, current_app, g, has_app_context, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.models import Attachment
from app.text import nfc

log = logging.getLogger(__name__)

# extension -> (MIME type sent back, content check)
ALLOWED = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
ALLOWED_LABEL = "PDF, DOC, DOCX, XLS, XLSX, JPG, PNG"
NAME_MAX = 200  # characters of a file's name as kept (attachments.original_name holds 255)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"

# owner_type -> function(user, owner_id) -> bool, registered by each feature.
_VISIBILITY: dict[str, Callable[[object, int], bool]] = {}


class UploadError(ValueError):
    """A file that cannot be accepted; the message is shown next to the field."""


class StorageUnavailable(UploadError):
    """The uploads folder cannot be written: the server's fault, not the file's (503)."""


STORAGE_MESSAGE = _l(
    "Không lưu được tệp đính kèm: thư mục lưu tệp trên máy chủ đang gặp sự cố. Nội dung bạn nhập "
    "vẫn còn nguyên trên trang này; hãy báo quản trị hệ thống, sau đó chọn lại tệp và gửi lại."
)


@dataclass
class CheckedFile:
    original_name: str
    extension: str
    data: bytes
    stored_name: str | None = None  # set once the file is on disk


def register_owner(owner_type: str, can_see: Callable[[object, int], bool]) -> None:
    """Declare who may download files owned by objects of owner_type."""
    _VISIBILITY[owner_type] = can_see


def can_download(user, attachment: Attachment) -> bool:
    check = _VISIBILITY.get(attachment.owner_type)
    return bool(check and check(user, attachment.owner_id))


def _content_matches(extension: str, data: bytes) -> bool:
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("doc", "xls"):
        return data.startswith(_OLE_MAGIC)
    if extension in ("docx", "xlsx"):
        if not data.startswith(_ZIP_MAGIC):
            return False
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return False
        part = "word/" if extension == "docx" else "xl/"
        return "[Content_Types].xml" in names and any(n.startswith(part) for n in names)
    return False


def file_name(raw: str | None) -> str:
    """The name a file is kept under: no folders, nothing unprintable or forbidden on Windows,
    at most NAME_MAX characters, shortened at a word (with "…") before its extension."""
    name = nfc(os.path.basename((raw or "").replace("\\", "/"))).strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/|?*').strip()
    if len(name) <= NAME_MAX or "." not in name:
        return name[:NAME_MAX]
    stem, extension = name.rsplit(".", 1)
    room = NAME_MAX - len(extension) - 2  # the dot and the "…"
    if room < 20:  # no sensible name keeps an extension that long; the check refuses it anyway
        return name[:NAME_MAX]
    stem = " ".join(stem.split())
    cut = room
    while cut > 0 and unicodedata.combining(stem[cut]):  # never part a letter from its marks
        cut -= 1
    head = stem[:cut]
    if " " in head:  # at a word, as app.text.clip cuts
        head = head.rsplit(" ", 1)[0]
    return f"{head.rstrip(' .')}….{extension}"


def check_upload(upload: FileStorage) -> CheckedFile:
    """Read and check one uploaded file; raise UploadError with a Vietnamese message."""
    name = file_name(upload.filename)
    if not name or "." not in name:
        raise UploadError(_l("Tệp không có tên hoặc phần mở rộng hợp lệ."))
    extension = name.rsplit(".", 1)[1].lower()
    if extension not in ALLOWED:
        raise UploadError(_l("Chỉ nhận tệp %(types)s.", types=ALLOWED_LABEL))
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise UploadError(_l("Tệp %(name)s vượt quá dung lượng cho phép.", name=name))
    if not data:
        raise UploadError(_l("Tệp %(name)s không có nội dung.", name=name))
    if not _content_matches(extension, data):
        raise UploadError(_l("Nội dung tệp %(name)s không đúng định dạng %(ext)s.", name=name, ext=extension.upper()))
    return CheckedFile(name, extension, data)


def check_uploads(uploads: list[FileStorage]) -> list[CheckedFile]:
    """Check every non-empty upload of a multi-file field and put it on disk (see the module's
    docstring); raise UploadError, or StorageUnavailable when the folder cannot be written."""
    checked = [check_upload(u) for u in uploads if u and u.filename]
    for item in checked:
        _write(item)
    return checked


def check_form_files(field) -> list[CheckedFile] | None:
    """Check a form's multi-file field; on a bad file put the message on the field, return None."""
    try:
        return check_uploads(field.data or [])
    except UploadError as error:
        field.errors.append(str(error))
        return None


def _write(checked: CheckedFile) -> None:
    """Put a checked file in the uploads folder under a random name (once)."""
    if checked.stored_name is not None:
        return
    folder = current_app.config["UPLOAD_FOLDER"]
    stored_name = secrets.token_hex(16) + "." + checked.extension
    path = os.path.join(folder, stored_name)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        _pending(_WRITTEN).add(path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(checked.data)
    except OSError as error:
        log.error("Uploads folder %s cannot be written (%s): uploads are refused until it is fixed", folder, error)
        if has_app_context():
            g.upload_storage_failed = True  # the attachments blueprint answers 503
        raise StorageUnavailable(STORAGE_MESSAGE) from error
    checked.stored_name = stored_name


def save(checked: CheckedFile, owner_type: str, owner_id: int, user) -> Attachment:
    """Add the row of a file (written now if check_uploads did not); the caller commits."""
    _write(checked)
    attachment = Attachment(
        owner_type=owner_type,
        owner_id=owner_id,
        original_name=checked.original_name,
        stored_name=checked.stored_name,
        content_type=ALLOWED[checked.extension],
        size=len(checked.data),
        uploaded_by_id=getattr(user, "id", None),
    )
    db.session.add(attachment)
    return attachment


def remove(attachment: Attachment) -> None:
    """Delete the row now and its file once the deletion commits; the caller commits."""
    _pending(_DISCARDED).add(path_of(attachment))
    db.session.delete(attachment)


def path_of(attachment: Attachment) -> str:
    return os.path.join(current_app.config["UPLOAD_FOLDER"], attachment.stored_name)


def send(attachment: Attachment):
    """The file as a download under its original (Vietnamese) name, never cached; 404 when
    its file is missing. The caller has checked who may have it."""
    path = path_of(attachment)
    if not os.path.exists(path):
        abort(404)
    response = send_file(path, mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- files follow the transaction ---------------------------------------------------------------
# The session's info holds the paths written in the current transaction (kept if it commits:
# every caller saves a row for each file it checked before committing, and a file kept for
# nothing is only clutter, where a row without its file is a broken download) and the paths
# of the rows removed (deleted once the removal commits).

_WRITTEN = "uploads_written"
_DISCARDED = "uploads_discarded"


def _pending(key: str) -> set[str]:
    return db.session.info.setdefault(key, set())


def _unlink(paths) -> None:
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        except OSError as error:  # the row is already gone; the file is only clutter now
            log.warning("Could not delete uploaded file %s: %s", path, error)


@event.listens_for(Session, "after_commit")
def _settle_files(session) -> None:
    session.info.pop(_WRITTEN, None)
    _unlink(session.info.pop(_DISCARDED, ()))


@event.listens_for(Session, "after_transaction_end")
def _undo_files(session, transaction) -> None:
    """The outermost transaction ended without a commit: its files go, removed rows stay."""
    if transaction.parent is not None:
        return
    _unlink(session.info.pop(_WRITTEN, ()))
    session.info.pop(_DISCARDED, None)
