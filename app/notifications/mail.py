"""E-mail delivery of notifications with smtplib: one message per event, or a daily digest.

Nothing here runs inside a user's request. Notifications are stored with e-mail
``pending``; a sender (``flask mail send-pending``, ``flask remind``, or a best-effort try
after a response has gone out) claims the due rows for a few minutes, sends them over one
SMTP connection and records the outcome. A failure is logged, counted and retried with a
doubling delay; after MAIL_MAX_ATTEMPTS tries the e-mail is given up (state ``failed``).
The notification itself always stays in the site.

One message never holds up the others: header values are put on one line (a line break in
a name is not allowed in a header, and made the whole run fail, the same message first in
every later run), and a message that still cannot be built or sent as built is given up
alone, with the reason, while the run goes on.
"""

from __future__ import annotations

import email.policy
import logging
import smtplib
import ssl
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from flask import current_app, has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from app import clock
from app.extensions import db
from app.formatting import format_date
from app.formatting import format_datetime as format_local_datetime
from app.models import User
from app.notifications.models import (
    DIGEST,
    EMAIL_FAILED,
    EMAIL_PENDING,
    EMAIL_SENT,
    EMAIL_SKIPPED,
    IMMEDIATE,
    NO_EMAIL,
    Notification,
)
from app.notifications.services import path_for
from app.text import clean, clip

log = logging.getLogger(__name__)

# How long a sender holds the rows it is sending, so a second sender leaves them alone.
CLAIM_SECONDS = 600
MAX_RETRY_DELAY = timedelta(hours=12)
BATCH_SIZE = 500
MAX_BATCHES = 20  # one run sends at most this many batches; the next run takes the rest
SUBJECT_MAX = 160
_ONE_LINE_HEADERS = email.policy.default.clone(max_line_length=998)
_warned_no_site_url = False


@dataclass
class SendReport:
    """What one sender run did, for the CLI and the tests."""

    sent: int = 0
    failed: int = 0
    given_up: int = 0
    skipped: int = 0
    digests: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: SendReport) -> SendReport:
        self.sent += other.sent
        self.failed += other.failed
        self.given_up += other.given_up
        self.skipped += other.skipped
        self.digests += other.digests
        self.errors += other.errors
        return self


def mail_enabled() -> bool:
    """True when an SMTP server is configured."""
    return bool(current_app.config.get("MAIL_SERVER"))


def send_pending(now: datetime | None = None, ids: list[int] | None = None, base_url: str | None = None) -> SendReport:
    """Send every due one-by-one e-mail (and retry failed digests); commits its own work.

    ids limits the run to those notifications (the after-response attempt uses it).
    """
    report = SendReport()
    if not mail_enabled():
        return report
    now = now or clock.now()
    for _batch in range(MAX_BATCHES):
        due = _due_pending(now, ids, (IMMEDIATE, NO_EMAIL))
        to_send = []
        for notification in due:
            if _deliverable_preference(notification) == IMMEDIATE:
                to_send.append(notification)
            else:
                notification.email_state = EMAIL_SKIPPED
                report.skipped += 1
        db.session.commit()
        claimed = _claim([n.id for n in to_send], now)
        if claimed:
            report.add(_deliver([(n, [n]) for n in to_send if n.id in claimed], now, base_url, digest=False))
        if len(due) < BATCH_SIZE:
            break
    if ids is None:
        report.add(send_digests(now, retries_only=True, base_url=base_url))
    return report


def send_digests(now: datetime | None = None, retries_only: bool = False, base_url: str | None = None) -> SendReport:
    """Send each digest user one e-mail listing their pending notifications; commits.

    retries_only sends only the digests whose earlier attempt failed.
    """
    report = SendReport()
    if not mail_enabled():
        return report
    now = now or clock.now()
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in _due_pending(now, None, (DIGEST,), limit=None):
        if _deliverable_preference(notification) == DIGEST:
            by_user[notification.recipient_id].append(notification)
        else:
            notification.email_state = EMAIL_SKIPPED
            report.skipped += 1
    db.session.commit()
    batches = []
    for notifications in by_user.values():
        if retries_only and not any(n.email_attempts for n in notifications):
            continue
        claimed = _claim([n.id for n in notifications], now)
        mine = [n for n in notifications if n.id in claimed]
        if mine:
            batches.append((mine[0], mine))
    if batches:
        report.add(_deliver(batches, now, base_url, digest=True))
    return report


def send_after_response(app, ids: list[int], base_url: str | None) -> None:
    """Best-effort: e-mail a request's new notifications once its response is sent; never raises."""
    try:
        with app.app_context():
            try:
                send_pending(ids=ids, base_url=base_url)
            finally:
                db.session.remove()
    except Exception:  # a failed quick try is retried by the next scheduled run
        log.exception("E-mail attempt after the response failed; the next scheduled run retries it")


# --- composing ---------------------------------------------------------------------------------


def absolute_url(path: str, base_url: str | None = None) -> str:
    """path on this site as a full address, from SITE_URL (or the current request's host)."""
    base = current_app.config.get("SITE_URL") or base_url
    if not base and has_request_context():
        base = request.host_url
    if not base:
        global _warned_no_site_url
        if not _warned_no_site_url:
            log.warning("SITE_URL is not set: e-mails carry links without the site's address")
            _warned_no_site_url = True
        return path
    return base.rstrip("/") + path


def sender_address() -> str:
    cfg = current_app.config
    return cfg.get("MAIL_FROM") or cfg.get("MAIL_USERNAME") or "giaoban@localhost"


def compose(user: User, notification: Notification, base_url: str | None = None) -> EmailMessage:
    """One notification as a Vietnamese plain-text e-mail."""
    with force_locale("vi"):
        body = "\n".join([
            _("Kính gửi %(name)s,", name=user.full_name or user.username),
            "",
            notification.title,
            "",
            _("Xem chi tiết: %(url)s", url=absolute_url(notification.link, base_url)),
            "",
            _("Thời điểm: %(when)s", when=format_local_datetime(notification.created_at)),
            *_footer(base_url),
        ])
        subject = _("[Giao Ban] %(title)s", title=notification.title)
    return _message(user, subject, body)


def compose_digest(user: User, notifications: list[Notification], base_url: str | None = None) -> EmailMessage:
    """Several notifications in one Vietnamese e-mail, oldest first."""
    notifications = sorted(notifications, key=lambda n: (n.created_at, n.id))
    with force_locale("vi"):
        day = format_date(clock.now())
        lines = [
            _("Kính gửi %(name)s,", name=user.full_name or user.username),
            "",
            _("Có %(count)s thông báo mới trên hệ thống Giao Ban:", count=len(notifications)),
            "",
        ]
        for number, notification in enumerate(notifications, start=1):
            lines += [
                f"{number}. {notification.title}",
                f"   {absolute_url(notification.link, base_url)}",
                f"   ({format_local_datetime(notification.created_at)})",
                "",
            ]
        lines.append(_("Xem tất cả thông báo: %(url)s", url=absolute_url(path_for("notifications.index"), base_url)))
        lines += _footer(base_url)
        subject = _("[Giao Ban] Tổng hợp %(count)s thông báo ngày %(day)s", count=len(notifications), day=day)
    return _message(user, subject, "\n".join(lines))


def _footer(base_url: str | None) -> list[str]:
    return [
        "",
        "-- ",
        _("Thư do hệ thống Giao Ban gửi tự động; không trả lời vào địa chỉ này."),
        _("Đổi cách nhận thư thông báo: %(url)s", url=absolute_url(path_for("notifications.preferences"), base_url)),
    ]


def header_text(value: str | None) -> str:
    """value as a header may hold it: on one line, without control characters."""
    return " ".join((clean(value) or "").split())


def _message(user: User, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    # Cut at a word, never inside a date or a name ("…(23/"), the ellipsis within the limit.
    message["Subject"] = clip(header_text(subject), SUBJECT_MAX - 1)
    message["From"] = sender_address()
    message["To"] = Address(display_name=header_text(user.full_name), addr_spec=user.email)
    message["Date"] = format_datetime(clock.now())
    domain = parseaddr(sender_address())[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    # Python folds a long non-ASCII header into several encoded words and drops the space at
    # each fold ("đã trả lờikiến nghị" once read back). A subject of SUBJECT_MAX characters is
    # at most ~650 encoded: on one line within RFC 5322's 998, it is never folded.
    message.policy = _ONE_LINE_HEADERS
    return message


# --- sending -----------------------------------------------------------------------------------


def _due_pending(now: datetime, ids: list[int] | None, preferences: tuple[str, ...],
                 limit: int | None = BATCH_SIZE) -> list[Notification]:
    """Pending, due notifications of recipients whose preference is one of preferences."""
    query = (
        select(Notification)
        .join(User, User.id == Notification.recipient_id)
        .where(
            Notification.email_state == EMAIL_PENDING,
            or_(Notification.email_next_try_at.is_(None), Notification.email_next_try_at <= now),
            User.email_preference.in_(preferences),
        )
        .order_by(Notification.id)
    )
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def _deliverable_preference(notification: Notification) -> str | None:
    """The recipient's current preference, or None when this e-mail should not go at all."""
    user = notification.recipient
    if notification.read_at is not None or not user.active or not user.email:
        return None
    return user.email_preference if user.email_preference in (IMMEDIATE, DIGEST) else None


def _claim(ids: list[int], now: datetime) -> set[int]:
    """Take the rows still pending and due for CLAIM_SECONDS; a concurrent sender gets none of them."""
    if not ids:
        return set()
    result = db.session.execute(
        update(Notification)
        .where(
            Notification.id.in_(ids),
            Notification.email_state == EMAIL_PENDING,
            or_(Notification.email_next_try_at.is_(None), Notification.email_next_try_at <= now),
        )
        .values(email_next_try_at=now + timedelta(seconds=CLAIM_SECONDS))
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )
    claimed = set(result.scalars())
    db.session.commit()
    return claimed


def _deliver(batches: list[tuple[Notification, list[Notification]]], now: datetime, base_url: str | None, digest: bool) -> SendReport:
    """Send each (first, covered) batch over one SMTP connection; record what happened; commit."""
    report = SendReport()
    try:
        connection = _connect()
    except (OSError, smtplib.SMTPException) as error:
        for _first, covered in batches:
            _record_failure(covered, error, now, report)
        db.session.commit()
        return report
    try:
        for first, covered in batches:
            user = first.recipient
            try:
                message = compose_digest(user, covered, base_url) if digest else compose(user, first, base_url)
            except Exception as error:  # noqa: BLE001 — e.g. an address the e-mail library refuses
                log.exception("Could not build the e-mail of notification %s", first.id)
                _record_failure(covered, error, now, report, permanent=True)
                db.session.commit()
                continue
            try:
                connection.send_message(message)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
                # The server answered and refused this message only: the connection is fine.
                _record_failure(covered, error, now, report, permanent=_is_permanent(error))
                continue
            except (smtplib.SMTPNotSupportedError, ValueError, UnicodeError) as error:
                # This message cannot go as built (a non-ASCII address to a server without
                # SMTPUTF8): retrying will not change that, and the connection is fine.
                _record_failure(covered, error, now, report, permanent=True)
                continue
            except OSError as error:  # connection trouble (smtplib's errors are OSErrors too)
                _record_failure(covered, error, now, report)
                connection = _reconnect_or_none(connection)
                if connection is None:
                    _fail_rest(batches, first, now, report)
                    break
                continue
            for notification in covered:
                notification.email_state = EMAIL_SENT
                notification.emailed_at = now
                notification.email_next_try_at = None
                notification.email_error = None
            report.sent += len(covered)
            report.digests += 1 if digest else 0
            db.session.commit()
    finally:
        _close(connection)
    db.session.commit()
    return report


def _fail_rest(batches, failed_first, now, report) -> None:
    """Record a failure for the batches after failed_first (the connection is gone)."""
    reached = False
    for first, covered in batches:
        if reached:
            _record_failure(covered, smtplib.SMTPServerDisconnected("connection lost"), now, report)
        reached = reached or first is failed_first


def _is_permanent(error: smtplib.SMTPException) -> bool:
    """A 5xx answer (no such mailbox, message refused) will not change by retrying."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return getattr(error, "smtp_code", 0) >= 500


def _record_failure(notifications: list[Notification], error: Exception, now: datetime, report: SendReport,
                    permanent: bool = False) -> None:
    cfg = current_app.config
    max_attempts = int(cfg.get("MAIL_MAX_ATTEMPTS", 8))
    base_delay = int(cfg.get("MAIL_RETRY_SECONDS", 300))
    text = f"{type(error).__name__}: {error}"[:500]
    report.errors.append(text)
    for notification in notifications:
        notification.email_attempts += 1
        notification.email_error = text
        if permanent or notification.email_attempts >= max_attempts:
            notification.email_state = EMAIL_FAILED
            notification.email_next_try_at = None
            report.given_up += 1
            log.error("Giving up e-mailing notification %s after %s attempts: %s",
                      notification.id, notification.email_attempts, text)
        else:
            delay = min(timedelta(seconds=base_delay * 2 ** (notification.email_attempts - 1)), MAX_RETRY_DELAY)
            notification.email_next_try_at = now + delay
            report.failed += 1
            log.warning("Could not e-mail notification %s (attempt %s, retry after %s): %s",
                        notification.id, notification.email_attempts, notification.email_next_try_at, text)


def _connect() -> smtplib.SMTP:
    cfg = current_app.config
    host, port, timeout = cfg["MAIL_SERVER"], int(cfg.get("MAIL_PORT") or 25), float(cfg.get("MAIL_TIMEOUT") or 10)
    if cfg.get("MAIL_USE_SSL"):
        connection: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if cfg.get("MAIL_USE_TLS") and not cfg.get("MAIL_USE_SSL"):
            connection.starttls(context=ssl.create_default_context())
        if cfg.get("MAIL_USERNAME"):
            connection.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
    except BaseException:
        _close(connection)
        raise
    return connection


def _reconnect_or_none(connection: smtplib.SMTP) -> smtplib.SMTP | None:
    _close(connection)
    try:
        return _connect()
    except (OSError, smtplib.SMTPException):
        return None


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is None:
        return
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()
