"""Who an API request acts as: the user behind its bearer token, for this request only.

The API accepts tokens and nothing else. A cookie session gets 401 here, so the API's
exemption from CSRF never gives a browser session a write path without the CSRF token:
only a request that carries a token (which a forged cross-site request cannot attach)
gets past this gate.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from sqlalchemy import update

from app import clock
from app.api import tokens
from app.api.models import ApiToken
from app.api.problems import Problem
from app.demo_mode import demo_mode
from app.extensions import db

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# last_used_at is written at most this often per token: a busy integration must not turn
# every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def rate_limit_key() -> str:
    """Flask-Limiter's key for API requests: the token (its hash), else the client's address."""
    secret = bearer_secret()
    if secret:
        return "api-token:" + hashlib.sha256(secret.encode("utf-8")).hexdigest()[:32]
    return "api-addr:" + (get_remote_address() or "")


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def authenticate() -> None:
    """before_request of the API: find the token, act as its user, or answer 401/403."""
    if request.method == "OPTIONS":
        return
    secret = bearer_secret()
    token = tokens.find_by_secret(secret) if secret else None
    if token is None or not token.is_usable(clock.today()) or (token.user.is_demo and not demo_mode()):
        raise Problem(401, str(_l("Gửi khóa truy cập trong tiêu đề Authorization: Bearer <khóa>. "
                                  "Khóa có thể đã hết hạn hoặc bị thu hồi.")),
                      headers={"WWW-Authenticate": 'Bearer realm="giaoban"'})
    if request.method not in SAFE_METHODS and not token.allows_write():
        raise Problem(403, str(_l("Khóa này chỉ được đọc dữ liệu.")), slug="read-only-token")
    g.api_token = token
    g._login_user = token.user  # Flask-Login's current_user for this request only; no session
    _touch(token)


def _touch(token: ApiToken) -> None:
    now = clock.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    db.session.execute(
        update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()  # the user and token reload on their next use
