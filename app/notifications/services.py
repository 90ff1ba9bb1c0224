"""The API features call to tell users about events, and the queries behind the bell."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from flask import current_app, g, has_request_context
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app import clock, policy
from app.database import in_read_request
from app.extensions import db
from app.models import User
from app.notifications.models import (
    DEDUP_KEY_MAX,
    EMAIL_PENDING,
    EMAIL_SKIPPED,
    LINK_MAX,
    NO_EMAIL,
    TITLE_MAX,
    Notification,
)
from app.text import nfc

# Roles that work on a unit's items; users_of_unit leaves out the admin and the
# coordinators or leaders who happen to belong to the same office.
UNIT_STAFF_ROLES = (policy.COMMUNE, policy.DEPARTMENT)

Recipient = User | int


def notify(
    recipients: Recipient | Iterable[Recipient],
    kind: str,
    title: str,
    link: str,
    object_type: str | None = None,
    object_id: int | None = None,
    dedup_key: str | None = None,
) -> list:
    """Add one notification per active recipient to the current transaction; the caller commits.

    recipients are User objects or user ids (duplicates are ignored); link is a path on
    this site ("/proposals/12"). With dedup_key, a recipient who already has a
    notification with that key gets nothing new. Nothing is e-mailed here: rows are
    marked pending and a sender delivers them later, so mail trouble never reaches the caller.
    Returns the notifications created (each with id, recipient_id and email_state).
    """
    users = _active_users(recipients)
    if not users:
        return []
    title = nfc(" ".join(str(title).split()))[:TITLE_MAX]
    link = _checked_link(link)
    if dedup_key is None:
        # One INSERT for everyone (the coordinating office has dozens of accounts).
        mail = _mail_on()
        return _insert([_row(user, kind, title, link, object_type, object_id, mail) for user in users])
    dedup_key = str(dedup_key)[:DEDUP_KEY_MAX]
    already = set(db.session.scalars(select(Notification.recipient_id).where(
        Notification.dedup_key == dedup_key, Notification.recipient_id.in_([u.id for u in users]))))
    created = []
    for user in users:
        if user.id in already:
            continue
        notification = Notification(**_row(user, kind, title, link, object_type, object_id, _mail_on()),
                                    dedup_key=dedup_key)
        if _add_unless_duplicate(notification):
            created.append(notification)
    db.session.flush()
    _remember_for_after_response(created)
    return created


class Delivery(NamedTuple):
    """One item's news for notify_many: the same fields as notify(), without a dedup key."""

    recipients: Recipient | Iterable[Recipient]
    kind: str
    title: str
    link: str
    object_type: str | None = None
    object_id: int | None = None


def notify_many(deliveries: Iterable[Delivery | tuple]) -> int:
    """notify() for many items at once: one read of the recipients, one bulk INSERT.

    For events that touch many items in one go (a directive broadcast to 135 communes
    makes 135 assignments, each with its own link). Same rules as notify(): inactive and
    duplicate recipients of an item are skipped, links must be paths on this site, rows go
    into the caller's transaction with e-mail pending. No dedup keys: use notify() for those.
    Returns how many notifications were created.
    """
    deliveries = [Delivery(*delivery) for delivery in deliveries]
    wanted = [_recipient_ids(delivery.recipients) for delivery in deliveries]
    users = {user.id: user for user in _active_users(sorted({i for ids in wanted for i in ids}))}
    rows, mail = [], _mail_on()
    for delivery, ids in zip(deliveries, wanted, strict=True):
        title = nfc(" ".join(str(delivery.title).split()))[:TITLE_MAX]
        link = _checked_link(delivery.link)
        rows += [_row(users[i], delivery.kind, title, link, delivery.object_type, delivery.object_id, mail)
                 for i in ids if i in users]
    if not any(row["email_state"] == EMAIL_PENDING for row in rows):
        # Nothing to e-mail, nothing to read back: a plain executemany (RETURNING made a
        # 689-row broadcast five times slower on SQLite).
        if rows:
            db.session.execute(insert(Notification.__table__), rows)
        return len(rows)
    return len(_insert(rows))


def _row(user, kind: str, title: str, link: str, object_type: str | None, object_id: int | None,
         mail_on: bool) -> dict:
    """The columns of one notification for user (a row with id, email and email_preference)."""
    wants = mail_on and bool(user.email) and user.email_preference != NO_EMAIL
    return {
        "recipient_id": user.id, "kind": kind, "title": title, "link": link,
        "object_type": object_type, "object_id": object_id, "created_at": clock.now(),
        "email_state": EMAIL_PENDING if wants else EMAIL_SKIPPED, "email_attempts": 0,
    }


def _insert(rows: list[dict]) -> list:
    """Insert notification rows in one statement; returns (id, recipient_id, email_state) rows.

    A Core insert: the ORM's per-row bookkeeping (and its one INSERT per object) is not needed.
    """
    if not rows:
        return []
    table = Notification.__table__
    returning = insert(table).returning(table.c.id, table.c.recipient_id, table.c.email_state)
    created = sorted(db.session.execute(returning, rows).all(), key=lambda row: row.id)
    _remember_for_after_response(created)
    return created


def path_for(endpoint: str, **values) -> str:
    """url_for's path, also where there is no request (flask remind runs from cron)."""
    adapter = current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    return adapter.build(endpoint, values)


def users_of_unit(unit_id: int, roles: Iterable[str] = UNIT_STAFF_ROLES) -> list[User]:
    """The active accounts of a unit that work on its items (commune and department staff)."""
    query = select(User).where(User.unit_id == unit_id, User.active.is_(True), User.role.in_(tuple(roles)))
    return list(db.session.scalars(query.order_by(User.id)))


def users_with_role(role: str) -> list[User]:
    """Every active account holding role."""
    return list(db.session.scalars(select(User).where(User.role == role, User.active.is_(True)).order_by(User.id)))


def coordinators() -> list[User]:
    """The active accounts of the coordinating office."""
    return users_with_role(policy.COORDINATOR)


def unread_count(user_id: int) -> int:
    """How many notifications user_id has not read yet."""
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.recipient_id == user_id, Notification.read_at.is_(None))) or 0


def mark_read(notification: Notification) -> None:
    """Mark one notification read (keeps the first reading time); the caller commits."""
    if notification.read_at is None:
        notification.read_at = clock.now()


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of user_id read; returns how many changed. Caller commits."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def mark_object_read(user_id: int, object_type: str, object_id: int) -> int:
    """Mark user_id's notifications about one item read, e.g. when they open that item.

    Opening a page is a GET, whose SQLite transaction is a deferred read: turning it into a
    write fails at once ("database is locked") when another request has written since it
    began, so a page read by several people at the same time answered 500. Nothing is
    written unless there is something unread, and then in a transaction of its own that
    starts with the write and so waits for the lock like any POST. Returns how many changed;
    the caller commits (ending its read, so the bell counts what is unread now).
    """
    ids = db.session.scalars(select(Notification.id).where(
        Notification.recipient_id == user_id, Notification.read_at.is_(None),
        Notification.object_type == object_type, Notification.object_id == object_id,
    )).all()
    if not ids:
        return 0
    change = update(Notification).where(Notification.id.in_(ids), Notification.read_at.is_(None)).values(read_at=clock.now())
    if not in_read_request():  # a POST or a command: its transaction already holds the write lock
        return db.session.execute(change.execution_options(synchronize_session=False)).rowcount
    with db.engine.begin() as connection:
        return connection.execute(change).rowcount


def _recipient_ids(recipients: Recipient | Iterable[Recipient]) -> list[int]:
    """User ids in the order given, each once."""
    if isinstance(recipients, User | int):
        recipients = [recipients]
    return list(dict.fromkeys(recipient.id if isinstance(recipient, User) else int(recipient) for recipient in recipients))


def _active_users(recipients: Recipient | Iterable[Recipient]) -> list:
    """The active ones among recipients, in the order given: rows of id, email, email_preference."""
    ids = _recipient_ids(recipients)
    if not ids:
        return []
    query = select(User.id, User.email, User.email_preference).where(User.id.in_(ids), User.active.is_(True))
    by_id = {row.id: row for row in db.session.execute(query)}
    return [by_id[i] for i in ids if i in by_id]


def _checked_link(link: str) -> str:
    """Only paths on this site: a notification must never send users elsewhere."""
    link = str(link).strip()
    if not link.startswith("/") or link.startswith("//") or "\\" in link or len(link) > LINK_MAX:
        raise ValueError(f"notification link must be a path on this site, got {link!r}")
    return link


def _mail_on() -> bool:
    """Whether this site sends e-mail at all (a mail server is configured)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def _add_unless_duplicate(notification: Notification) -> bool:
    """Insert inside a savepoint so a concurrent twin (same recipient and key) is skipped, not fatal."""
    try:
        with db.session.begin_nested():
            db.session.add(notification)
    except IntegrityError:
        return False
    return True


def _remember_for_after_response(created: list) -> None:
    """Note pending e-mails so the request can try to send them once the response is out."""
    if has_request_context():
        pending = [n.id for n in created if n.email_state == EMAIL_PENDING]
        if pending:
            g.setdefault("notifications_to_email", []).extend(pending)
