"""API fixtures: tokens for the seeded users, and clients that send them."""

from datetime import timedelta

import pytest

from app import clock
from app.api import tokens
from app.extensions import db
from app.models import User
from tests.security.world import build


@pytest.fixture
def world(app, users):
    """commune B's proposal, a directive assigned to commune B and SXD, ... (tests/security/world.py)."""
    return build(app, users).ids


@pytest.fixture
def make_token(app, users):
    """make_token(key, scope=None, webhook_url=None) -> the secret of a new token for that user;
    scope defaults to the widest the user's role allows."""

    def make(key: str, scope: str | None = None, webhook_url: str | None = None, name: str | None = None):
        with app.app_context():
            owner = db.session.get(User, users[key].id)
            admin = db.session.get(User, users["admin"].id)
            scope = scope or tokens.allowed_scopes(owner)[-1]
            created = tokens.create(admin, owner, name or f"Khóa thử {key}", scope,
                                    clock.today() + timedelta(days=30), webhook_url)
            db.session.commit()
            return created.secret

    return make


class ApiClient:
    """The Flask test client, sending one token and JSON."""

    def __init__(self, client, secret: str | None):
        self.client = client
        self.secret = secret

    def open(self, method: str, path: str, *, json=None, headers=None, **kwargs):
        sent = dict(headers or {})
        if self.secret:
            sent.setdefault("Authorization", f"Bearer {self.secret}")
        return self.client.open(path, method=method, json=json, headers=sent, **kwargs)

    def get(self, path, **kwargs):
        return self.open("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.open("POST", path, **kwargs)


@pytest.fixture
def api(app, make_token):
    """api(key, scope=None) -> a client acting through a new token of that user."""

    def make(key: str, scope: str | None = None):
        return ApiClient(app.test_client(), make_token(key, scope))

    return make
