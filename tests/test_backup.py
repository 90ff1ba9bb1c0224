"""flask backup / flask restore on the real database (SQLite file or PostgreSQL)."""

import os

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
