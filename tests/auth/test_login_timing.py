"""Login costs one password hash of the configured kind, whether or not the name exists.

Counted, not timed: every hash werkzeug computes goes through hashlib.pbkdf2_hmac with the
test configuration's method (pbkdf2:sha256:1000), so the calls and their cost parameters are
recorded for each kind of failed login.
"""

import hashlib

import pytest

from app.extensions import db
from app.models import User


@pytest.fixture
def hashes(monkeypatch):
    """The (hash name, iterations) of every PBKDF2 computation, as they happen."""
    calls: list[tuple[str, int]] = []
    real = hashlib.pbkdf2_hmac

    def counting(hash_name, password, salt, iterations, *args, **kwargs):
        calls.append((hash_name, iterations))
        return real(hash_name, password, salt, iterations, *args, **kwargs)

    monkeypatch.setattr(hashlib, "pbkdf2_hmac", counting)
    return calls


WRONG_PASSWORD = "Sai-mat-khau-hoan-toan"


def _login_cost(client, hashes, username, password=WRONG_PASSWORD):
    hashes.clear()
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True) or "đã bị khóa" in response.get_data(as_text=True)
    return list(hashes)


def test_unknown_name_costs_the_same_hash_as_a_wrong_password(client, hashes):
    client.fetch_csrf_token()
    _login_cost(client, hashes, "khong.ton.tai.0")  # the first one may also make the dummy hash
    known = _login_cost(client, hashes, "vanphong")
    unknown = _login_cost(client, hashes, "khong.ton.tai")
    assert known == [("sha256", 1000)]
    assert unknown == known


def test_disabled_account_costs_the_same_hash(app, client, hashes, users):
    with app.app_context():
        db.session.get(User, users["leader"].id).active = False
        db.session.commit()
    client.fetch_csrf_token()
    assert _login_cost(client, hashes, "lanhdao") == [("sha256", 1000)]
    assert _login_cost(client, hashes, "lanhdao", password="Mat-khau-thu-nghiem-1") == [("sha256", 1000)]
