"""API tokens: create (the secret is shown once), find by the secret, list, revoke."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import audit, clock, policy
from app.api.models import READ, SCOPES, WRITE, ApiToken
from app.extensions import db
from app.models import User
from app.service_error import ServiceError

SECRET_PREFIX = "gb_"  # noqa: S105 — the visible start of every token, not a secret
MAX_DAYS = 2 * 366  # a token lives at most two years; a new one is one click away
# Roles whose work the API can write (file a proposal, report on a task, issue and assign).
WRITING_ROLES = (policy.COMMUNE, policy.DEPARTMENT, policy.COORDINATOR)
AUDIT_FIELDS = ["name", "scope", "expires_on", "user_id", "webhook_url", "revoked_at"]


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Created:
    token: ApiToken
    secret: str  # shown once, never stored


def allowed_scopes(user: User) -> tuple[str, ...]:
    """A token can never do more than its user: write only for the roles the API writes for."""
    return SCOPES if user.role in WRITING_ROLES else (READ,)


def may_manage(actor: User, owner: User) -> bool:
    """An admin manages anyone's tokens; everyone else only their own."""
    return actor.role == policy.ADMIN or actor.id == owner.id


def create(actor: User, owner: User, name: str, scope: str, expires_on: date,
           webhook_url: str | None = None) -> Created:
    """Make a token for owner; the caller commits and shows the secret once."""
    if not may_manage(actor, owner):
        raise ServiceError(_l("Bạn chỉ được tạo khóa cho chính tài khoản của mình."), "user_id")
    name = (name or "").strip()
    if not name:
        raise ServiceError(_l("Nhập tên khóa, ví dụ tên hệ thống sẽ dùng khóa."), "name")
    if scope not in allowed_scopes(owner):
        raise ServiceError(_l("Vai trò của tài khoản này chỉ cho phép khóa chỉ đọc."), "scope")
    if (webhook_url or "").strip() and actor.role != policy.ADMIN:
        # The server would POST to any address typed here, internal ones included: only the
        # admin, who answers for the province's network, points a token at a receiver.
        raise ServiceError(_l("Chỉ quản trị hệ thống được đặt địa chỉ nhận sự kiện; đề nghị quản trị cấu hình."),
                           "webhook_url")
    today = clock.today()
    if expires_on <= today:
        raise ServiceError(_l("Ngày hết hạn phải sau hôm nay."), "expires_on")
    if expires_on > today + timedelta(days=MAX_DAYS):
        raise ServiceError(_l("Khóa có hiệu lực tối đa 2 năm."), "expires_on")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=owner.id, user=owner, name=name, scope=scope, token_hash=hash_secret(secret),
        prefix=secret[:10], expires_on=expires_on, created_by_id=actor.id,
        webhook_url=(webhook_url or "").strip() or None,
    )
    if token.webhook_url:
        token.webhook_secret = secrets.token_hex(32)
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.create", token, after=audit.snapshot(token, AUDIT_FIELDS), actor=actor)
    return Created(token, secret)


def find_by_secret(secret: str) -> ApiToken | None:
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    return db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)).options(selectinload(ApiToken.user))
    )


def visible_tokens(actor: User):
    """select() of the tokens actor may see: an admin all, anyone else their own."""
    query = select(ApiToken).options(selectinload(ApiToken.user))
    if actor.role != policy.ADMIN:
        query = query.where(ApiToken.user_id == actor.id)
    return query.order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())


def get_token_or_none(token_id: int, actor: User) -> ApiToken | None:
    return db.session.scalar(visible_tokens(actor).where(ApiToken.id == token_id))


def revoke(token: ApiToken, actor: User) -> None:
    """Stop a token at once; the caller commits."""
    if token.revoked_at is not None:
        return
    before = audit.snapshot(token, AUDIT_FIELDS)
    token.revoked_at = clock.now()
    audit.record("api_token.revoke", token, before=before, after=audit.snapshot(token, AUDIT_FIELDS), actor=actor)


def users_for_picker(actor: User) -> list[User]:
    """Whose tokens actor may create: an admin any active account, others themselves."""
    if actor.role != policy.ADMIN:
        return [actor]
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.username)))


__all__ = ["READ", "WRITE", "Created", "create", "find_by_secret", "revoke", "visible_tokens"]
