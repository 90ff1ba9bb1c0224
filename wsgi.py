"""WSGI entry point for gunicorn and waitress: `gunicorn wsgi:app`."""

from app import create_app

app = create_app()
