"""Consistent backups of the database and the uploads, and restoring them.

SQLite is copied with its online backup API (safe while the site runs); PostgreSQL with
pg_dump/pg_restore. The database is copied before the uploads, so every file the copied
database refers to is already on disk when the uploads are copied.

A backup holds password hashes and every uploaded file: what backup and restore write is
owner-only (folders 0700, files 0600), created so (umask 077) and set so afterwards (copies
keep their source's mode), the restored SQLite database included.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from app import clock
from app.extensions import db

MANIFEST = "manifest.json"
FOLDER_MODE = 0o700
FILE_MODE = 0o600


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why."""


def _sqlite_path(url) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return url.database


def _pg_args(url) -> list[str]:
    args = ["--dbname", url.set(drivername="postgresql").render_as_string(hide_password=False)]
    return args


@contextmanager
def _owner_only_files() -> Iterator[None]:
    """Files and folders made inside are the owner's alone (umask 077), whoever runs this."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _restrict(path: Path) -> None:
    """Make path, and all under it, owner-only (a copy keeps its source's wider mode)."""
    if path.is_symlink():
        return
    if path.is_dir():
        for child in path.iterdir():
            _restrict(child)
        path.chmod(FOLDER_MODE)
    elif path.exists():
        path.chmod(FILE_MODE)


def create_backup(dest_root: str, upload_folder: str) -> Path:
    """Write a new backup folder under dest_root (owner-only) and return its path."""
    with _owner_only_files():
        target = _create_backup(dest_root, upload_folder)
        _restrict(target)
    return target


def _create_backup(dest_root: str, upload_folder: str) -> Path:
    url = make_url(str(db.engine.url.render_as_string(hide_password=False)))
    stamp = clock.now().strftime("%Y%m%d-%H%M%S-%f")
    target = Path(dest_root) / f"giaoban-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    if url.get_backend_name() == "sqlite":
        db_file = "database.sqlite3"
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target / db_file)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    elif url.get_backend_name() == "postgresql":
        db_file = "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target / db_file), *_pg_args(url)])
    else:
        raise BackupError(f"unsupported database: {url.get_backend_name()}")
    uploads = Path(upload_folder)
    if uploads.exists():
        shutil.copytree(uploads, target / "uploads")
    else:
        (target / "uploads").mkdir()
    manifest = {
        "created_at": clock.now().isoformat(),
        "backend": url.get_backend_name(),
        "database_file": db_file,
        "upload_files": sum(1 for p in (target / "uploads").rglob("*") if p.is_file()),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return target


def restore_backup(source_dir: str, upload_folder: str) -> dict:
    """Replace the database and the uploads with the backup in source_dir (owner-only)."""
    with _owner_only_files():
        return _restore_backup(source_dir, upload_folder)


def _restore_backup(source_dir: str, upload_folder: str) -> dict:
    source = Path(source_dir)
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} is not a backup folder (no {MANIFEST})")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    url = make_url(str(db.engine.url.render_as_string(hide_password=False)))
    if manifest["backend"] != url.get_backend_name():
        raise BackupError(f"backup is for {manifest['backend']}, this site runs {url.get_backend_name()}")
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        copy = sqlite3.connect(source / manifest["database_file"])
        live = sqlite3.connect(_sqlite_path(url))
        try:
            copy.backup(live)
        finally:
            live.close()
            copy.close()
        for path in _sqlite_files(_sqlite_path(url)):
            path.chmod(FILE_MODE)
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              *_pg_args(url), str(source / manifest["database_file"])])
    uploads = Path(upload_folder)
    if uploads.exists():
        shutil.rmtree(uploads)
    shutil.copytree(source / "uploads", uploads)
    _restrict(uploads)
    return manifest


def _sqlite_files(database: str) -> list[Path]:
    """The database file and the write-ahead log files SQLite keeps beside it."""
    return [path for suffix in ("", "-wal", "-shm") if (path := Path(database + suffix)).exists()]


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603 — fixed argv
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools are needed)") from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.strip()}") from error
