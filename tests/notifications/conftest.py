"""Fixtures for notifications: a real SMTP server on loopback, and helpers to set users up."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.notifications.models import Notification
from app.notifications.services import notify


class Inbox:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("khongton"):  # a mailbox that does not exist
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["X-Envelope-To"]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """A real SMTP server on a free loopback port that a test can stop and start."""

    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_port():
    """A loopback port nobody listens on yet: mail configured, server down."""
    return SmtpServer()


@pytest.fixture
def smtp(smtp_port):
    """A running SMTP server; its inbox holds what the app sent."""
    smtp_port.start()
    yield smtp_port
    smtp_port.stop()


@pytest.fixture
def mail_app(app, smtp_port):
    """The app with e-mail on, pointed at the loopback server's port."""
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port.port, MAIL_FROM="Giao Ban <giaoban@gialai.gov.vn>",
        SITE_URL="https://giaoban.gialai.gov.vn", MAIL_TIMEOUT=5,
    )
    yield app
    smtp_port.stop()


def set_user(app, user, **values):
    """Change a seeded account (email, email_preference, active) and commit."""
    with app.app_context():
        row = db.session.get(User, user.id)
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def add_notifications(app, user, count=1, **kwargs):
    """Create count notifications for user through the public API; returns their ids."""
    ids = []
    with app.app_context():
        for number in range(count):
            created = notify([user.id], kwargs.get("kind", "test.event"), kwargs.get("title", f"Thông báo số {number + 1}"),
                             kwargs.get("link", f"/items/{number + 1}"), object_type=kwargs.get("object_type"),
                             object_id=kwargs.get("object_id"), dedup_key=kwargs.get("dedup_key"))
            ids += [n.id for n in created]
        db.session.commit()
    return ids


def notifications_of(app, user) -> list[Notification]:
    with app.app_context():
        rows = list(db.session.scalars(select(Notification).where(Notification.recipient_id == user.id).order_by(Notification.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


@pytest.fixture
def people(app, users):
    """The seeded accounts plus a second (and a disabled) account in each unit that hears of events."""
    from tests.notifications.event_helpers import make_people

    return make_people(app, users)
