"""Imported by the fork server (app/docjobs/pool.py): build a throw-away app once, so every
module the app imports is loaded there and a job's process starts with all of them.

Nothing of that app is kept or used (no database is opened); each job creates its own. A
failure here only costs the job's process the imports.
"""

try:
    from app import create_app

    create_app({"TESTING": True, "SECRET_KEY": "fork-server-warm-up", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
except Exception:  # noqa: BLE001,S110 — a warm-up; the job's process imports what it needs itself
    pass
