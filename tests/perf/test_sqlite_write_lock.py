"""A writing request waits for SQLite's write lock in short steps, within the busy timeout."""

import sqlite3
import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD, base_config, lock_free_probe


def _hold_write_lock(path: str, seconds: float) -> threading.Thread:
    """Another process's writer: take the lock now, release it after seconds."""
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(seconds, lambda: (holder.execute("COMMIT"), holder.close()))
    released.start()
    return released


def test_a_post_waits_for_the_lock_then_writes(app, sqlite_path):
    released = _hold_write_lock(sqlite_path, 0.3)
    with app.test_request_context("/", method="POST"):
        db.session.execute(text("INSERT INTO settings (key, value) VALUES ('lock_test', '1')"))
        db.session.commit()
        # The connection's busy timeout is what it was before the wait.
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == app.config["SQLITE_BUSY_TIMEOUT_MS"]
        assert db.session.execute(text("SELECT value FROM settings WHERE key = 'lock_test'")).scalar() == "1"
        db.session.remove()
    released.join()


def test_the_wait_ends_with_the_busy_timeout(sqlite_path, tmp_path):
    app = create_app({**base_config(f"sqlite:///{sqlite_path}", tmp_path), "SQLITE_BUSY_TIMEOUT_MS": 200})
    released = _hold_write_lock(sqlite_path, 3)
    try:
        with app.test_request_context("/", method="POST"), pytest.raises(OperationalError, match="locked"):
            db.session.execute(text("SELECT 1"))
    finally:
        released.cancel()
        released.function()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_an_export_built_in_its_request_leaves_the_write_lock_to_others(app, sqlite_path, as_user, monkeypatch):
    """Pressing "Tải Excel" (a POST) builds the file in the request: meanwhile a commune filing a
    proposal, or another export in the other worker, must not wait for it."""
    from app.reports import exports

    seen, probe = lock_free_probe(sqlite_path)
    build = exports.FILES["proposals"]

    def build_and_probe(*args, **kwargs):
        probe()
        build(*args, **kwargs)
        probe()

    monkeypatch.setitem(exports.FILES, "proposals", build_and_probe)
    response = as_user("coordinator").post("/reports/export/proposals.xlsx")

    assert response.status_code == 200 and response.data.startswith(b"PK")
    assert seen == [True, True]


def test_a_login_checks_its_password_without_the_write_lock(app, sqlite_path, client, auth, monkeypatch):
    """A login's password check takes ~0.1 s (scrypt): every writer, and every other login,
    waited for it while the lock was held. The login itself is still recorded."""
    from app.models import AuditEvent, User

    seen, probe = lock_free_probe(sqlite_path)
    check = User.check_password

    def check_and_probe(user, password):
        probe()
        return check(user, password)

    monkeypatch.setattr(User, "check_password", check_and_probe)
    wrong = auth.login("coordinator", password="sai-mat-khau")
    right = auth.login("coordinator")

    assert wrong.status_code == 401 and right.status_code == 303
    assert seen == [True, True]
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        coordinator = db.session.scalar(select(User).where(User.role == "coordinator"))
        assert actions[-1] == "auth.login" and coordinator.last_login_at is not None


def test_a_password_change_checks_and_hashes_without_the_write_lock(app, sqlite_path, client, auth, monkeypatch):
    """Checking the current password, comparing the new one and hashing it take ~0.3 s: everyone
    else keeps writing meanwhile. The new password is the one kept."""
    from app.models import User

    assert auth.login("coordinator").status_code == 303
    seen, probe = lock_free_probe(sqlite_path)
    check, hash_password = User.check_password, User.hash_password

    def check_and_probe(user, password):
        probe()
        return check(user, password)

    def hash_and_probe(password, method="scrypt"):
        probe()
        return hash_password(password, method)

    monkeypatch.setattr(User, "check_password", check_and_probe)
    monkeypatch.setattr(User, "hash_password", staticmethod(hash_and_probe))
    new = "Nương rẫy bên suối Ia Ly"
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": new, "confirm": new})

    assert response.status_code == 303 and seen == [True, True, True]
    monkeypatch.undo()
    with app.app_context():
        coordinator = db.session.scalar(select(User).where(User.role == "coordinator"))
        assert coordinator.check_password(new) and not coordinator.must_change_password


def test_a_write_inside_a_read_block_is_kept_and_the_next_write_takes_the_lock(app, sqlite_path):
    """reads_only() is for reading; a write made in it anyway is committed with the block, never
    dropped without a word, and a write after the block begins by taking the lock again."""
    from app.database import in_read_request, reads_only

    with app.test_request_context("/", method="POST"):
        with reads_only():
            assert in_read_request()
            db.session.execute(text("INSERT INTO settings (key, value) VALUES ('inside_read', '1')"))
        assert not in_read_request()
        seen, probe = lock_free_probe(sqlite_path)
        db.session.execute(text("INSERT INTO settings (key, value) VALUES ('after_read', '1')"))
        probe()
        db.session.commit()
        db.session.remove()
    assert seen == [False]  # the write after the block held the lock from its first statement
    with sqlite3.connect(sqlite_path) as other:
        kept = dict(other.execute("SELECT key, value FROM settings WHERE key IN ('inside_read', 'after_read')"))
    assert kept == {"inside_read": "1", "after_read": "1"}
