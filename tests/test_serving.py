"""Start-up warnings for operators (app/serving.py, called by gunicorn.conf.py in each server)."""

from app.config import DefaultConfig
from app.serving import worker_warnings

DEFAULTS = {name: getattr(DefaultConfig, name) for name in dir(DefaultConfig) if name.isupper()}


def test_the_in_memory_login_limit_is_flagged_when_several_workers_count_it():
    (warning,) = worker_warnings(DEFAULTS, workers=4, worker_timeout=30)
    assert warning.startswith("RATELIMIT_STORAGE_URI is memory:// with 4 workers")
    assert "up to 4 x LOGIN_RATE_LIMIT (10 per minute)" in warning


def test_one_worker_or_a_shared_store_is_fine():
    assert worker_warnings(DEFAULTS, workers=1, worker_timeout=30) == []
    shared = {**DEFAULTS, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"}
    assert worker_warnings(shared, workers=4, worker_timeout=30) == []


def test_a_pdf_time_limit_the_worker_timeout_would_cut_short_is_flagged():
    slow = {**DEFAULTS, "PDF_TIMEOUT_SECONDS": 60.0}
    (warning,) = worker_warnings(slow, workers=1, worker_timeout=30)
    assert warning.startswith("PDF_TIMEOUT_SECONDS (60) is not under the worker timeout (30 s)")
    assert worker_warnings(slow, workers=1, worker_timeout=0) == []  # --timeout 0: never killed
