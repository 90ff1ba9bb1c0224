"""Idempotency-Key and If-Match for the API's writes.

A write with an Idempotency-Key keeps its answer (status, body, Location) in the same
transaction as the change. The same key with the same method, path and body gets that
answer again without doing anything; the same key with anything else gets 409. Two
requests racing with one key: the unique (token, key) lets one commit, the other is
rolled back and answers as a repeat.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import g, jsonify, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.api.models import IdempotencyRecord
from app.api.problems import Problem
from app.extensions import db

KEY_MAX = 200
HEADER = "Idempotency-Key"


def _request_hash() -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.get_data(cache=True)):
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _key() -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > KEY_MAX or not key.isascii() or not key.isprintable():
        raise Problem(400, str(_l("Idempotency-Key phải là chuỗi ASCII từ 1 đến 200 ký tự.")),
                      errors={HEADER: str(_l("Giá trị không hợp lệ."))})
    return key


def _replay(record: IdempotencyRecord, request_hash: str):
    if record.request_hash != request_hash:
        raise Problem(409, str(_l("Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác.")),
                      slug="idempotency-key-reused")
    reply = jsonify(record.body)
    reply.status_code = record.status_code
    reply.headers["Idempotent-Replayed"] = "true"
    if record.location:
        reply.headers["Location"] = record.location
    return reply


def _find(key: str) -> IdempotencyRecord | None:
    return db.session.scalar(
        select(IdempotencyRecord).where(IdempotencyRecord.token_id == g.api_token.id, IdempotencyRecord.key == key)
    )


def run(work: Callable[[], tuple[dict, int, str | None]]):
    """Do work() once per Idempotency-Key and commit; work returns (body, status, location).

    work adds its changes to the session (services add audit events and notifications);
    a ServiceError or Problem from it leaves nothing behind.
    """
    key = _key()
    request_hash = _request_hash()
    if key is not None and (record := _find(key)) is not None:
        return _replay(record, request_hash)
    try:
        body, status, location = work()
        if key is not None:
            db.session.add(IdempotencyRecord(token_id=g.api_token.id, key=key, request_hash=request_hash,
                                             status_code=status, body=body, location=location))
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Problem(412, str(_l("Hồ sơ vừa được người khác cập nhật; đọc lại phiên bản mới rồi gửi lại."))) from None
    except IntegrityError:
        db.session.rollback()
        if key is not None and (record := _find(key)) is not None:
            return _replay(record, request_hash)  # another request with this key won the race
        raise
    except Exception:
        db.session.rollback()
        raise
    reply = jsonify(body)
    reply.status_code = status
    if location:
        reply.headers["Location"] = location
    return reply


def check_if_match(obj) -> None:
    """412 when If-Match names another version of obj than the stored one.

    Accepts the ETag the API gave ("3-1a2b3c4d", quoted) or the bare version (3); without
    If-Match the write goes ahead (the row's own version lock still refuses a lost update).
    """
    raw = request.headers.get("If-Match")
    if raw is None:
        return
    # Our ETags are "<version>-<digest of the body>": the version is what If-Match compares.
    wanted = {part.strip().removeprefix("W/").strip('"').split("-")[0] for part in raw.split(",")}
    if "*" in wanted or str(obj.version) in wanted:
        return
    raise Problem(412, str(_l("Phiên bản trong If-Match không còn là phiên bản hiện tại; hãy đọc lại hồ sơ.")),
                  headers={"X-Current-Version": str(obj.version)})
