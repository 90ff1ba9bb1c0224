"""flask backup / flask restore on the real database (SQLite file or PostgreSQL)."""

import os
import stat

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Unit


def _unit_name(app, code):
    with app.app_context():
        name = db.session.scalar(select(Unit.name).where(Unit.code == code))
        db.session.remove()
        return name


def _rename(app, code, name):
    with app.app_context():
        db.session.scalar(select(Unit).where(Unit.code == code)).name = name
        db.session.commit()
        db.session.remove()


def test_backup_then_restore_brings_back_the_first_state(app, runner, tmp_path):
    uploads = app.config["UPLOAD_FOLDER"]
    os.makedirs(uploads, exist_ok=True)
    with open(os.path.join(uploads, "a1.pdf"), "wb") as handle:
        handle.write(b"%PDF-1.4 first")
    _rename(app, "SYT", "Sở Y tế (trước sao lưu)")

    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    folders = list((tmp_path / "backups").iterdir())
    assert len(folders) == 1 and (folders[0] / "manifest.json").exists()

    # Change everything after the backup.
    _rename(app, "SYT", "Sở Y tế (sau sao lưu)")
    os.remove(os.path.join(uploads, "a1.pdf"))
    with open(os.path.join(uploads, "b2.pdf"), "wb") as handle:
        handle.write(b"%PDF-1.4 second")

    result = runner.invoke(args=["restore", str(folders[0]), "--yes"])
    assert result.exit_code == 0, result.output
    assert _unit_name(app, "SYT") == "Sở Y tế (trước sao lưu)"
    assert sorted(os.listdir(uploads)) == ["a1.pdf"]


def test_restore_refuses_a_folder_that_is_not_a_backup(runner, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path), "--yes"])
    assert result.exit_code != 0
    assert "is not a backup folder" in result.output


def _modes(root) -> dict[str, int]:
    """Every path under root (root as '.') with its permission bits."""
    found = {".": stat.S_IMODE(os.stat(root).st_mode)}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = stat.S_IMODE(os.stat(path).st_mode)
    return found


@pytest.fixture
def usual_umask():
    """The umask a server usually runs with (files 0644, folders 0755)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_backup_and_restore_leave_owner_only_files(app, runner, tmp_path, usual_umask):
    """The backup's database holds password hashes: it was 0644 in a 0755 folder, for anyone."""
    uploads = app.config["UPLOAD_FOLDER"]
    os.makedirs(uploads, exist_ok=True)
    os.makedirs(os.path.join(uploads, "old"), exist_ok=True)
    for name in ("a1.pdf", "old/b2.pdf"):
        with open(os.path.join(uploads, name), "wb") as handle:  # 0644, as files copied in by hand
            handle.write(b"%PDF-1.4 x")

    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    [folder] = list((tmp_path / "backups").iterdir())
    modes = _modes(folder)
    assert {"manifest.json", "uploads", "uploads/a1.pdf", "uploads/old/b2.pdf"} <= set(modes)
    assert any(name.startswith("database.") for name in modes)
    assert {name: mode for name, mode in modes.items() if mode not in (0o700, 0o600)} == {}
    assert all(mode == 0o700 for name, mode in modes.items() if os.path.isdir(folder / name))

    result = runner.invoke(args=["restore", str(folder), "--yes"])
    assert result.exit_code == 0, result.output
    restored = _modes(uploads)
    assert restored == {".": 0o700, "a1.pdf": 0o600, "old": 0o700, "old/b2.pdf": 0o600}
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() == "sqlite":
        assert stat.S_IMODE(os.stat(url.database).st_mode) == 0o600
