"""Configuration: defaults, then instance/config.py, then the environment."""

import os
import secrets
from pathlib import Path

DEFAULT_PROVINCE_CODE = 52  # Gia Lai


class DefaultConfig:
    PROVINCE_CODE = DEFAULT_PROVINCE_CODE
    # The province's seat, printed in the place-and-date line of documents.
    PROVINCE_PLACE_NAME = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLITE_BUSY_TIMEOUT_MS = 15000
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    LOGIN_RATE_LIMIT = "10 per minute"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # htmx comes from static/vendor/ unless HTMX_USE_CDN=1: an intranet that silently drops outside
    # traffic must never make a page wait. From the CDN it is loaded without blocking, pinned by
    # its integrity hash, and the vendored copy takes over when the CDN fails or is slow.
    HTMX_USE_CDN = False
    HTMX_CDN_URL = "https://unpkg.com/htmx.org@2.0.11/dist/htmx.min.js"
    HTMX_CDN_INTEGRITY = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"
    # One file may be MAX_UPLOAD_BYTES; a whole request (several files and the form) a bit more.
    MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    UPLOAD_FOLDER = None  # default: instance/uploads
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 — a hash algorithm name, not a password
    DEFAULT_ANSWER_DAYS = 30
    PAGE_SIZE = 25
    # E-mail for notifications: off while MAIL_SERVER is empty.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS after connecting (usually port 587)
    MAIL_USE_SSL = False  # TLS from the first byte (usually port 465)
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = None  # e.g. "Giao Ban <giaoban@gialai.gov.vn>"; default MAIL_USERNAME
    MAIL_TIMEOUT = 10  # seconds per SMTP connection; a dead server never holds a sender long
    MAIL_MAX_ATTEMPTS = 8  # then the e-mail is given up (the notification stays in the site)
    MAIL_RETRY_SECONDS = 300  # wait before the first retry; doubles each time, at most 12 hours
    MAIL_SEND_AFTER_RESPONSE = True  # try a request's new e-mails once its response is sent
    # The JSON API (app/api): requests per token, and the webhooks' outbox.
    API_RATE_LIMIT = "120 per minute"
    API_PAGE_SIZE_MAX = 100
    API_TITLE = "Giao Ban API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    WEBHOOK_TIMEOUT = 5  # seconds per delivery attempt
    WEBHOOK_MAX_ATTEMPTS = 8  # then the delivery is given up
    WEBHOOK_RETRY_SECONDS = 60  # wait before the first retry; doubles each time, at most 12 hours
    WEBHOOK_SEND_AFTER_RESPONSE = True  # try a request's webhooks once its response is sent
    SITE_URL = None  # e.g. "https://giaoban.gialai.gov.vn": absolute links in e-mails
    # Seconds the dashboard's panels and the leader's home figures may be reused while no audited
    # change is committed (app/datacache.py); 0 turns the cache off.
    DASHBOARD_CACHE_SECONDS = 300
    # Where they are kept: each process's memory, or Redis shared by every worker and host when
    # CACHE_REDIS_URL is set (which also becomes the login limit's storage, unless
    # RATELIMIT_STORAGE_URI says otherwise).
    CACHE_TYPE = "SimpleCache"
    CACHE_THRESHOLD = 32  # entries kept per process by SimpleCache; a five-year fragment is ~0.75 MB
    CACHE_KEY_PREFIX = "giaoban:"
    CACHE_REDIS_URL = None
    # Seconds a PDF may take to lay out before its child process is killed and the user is asked
    # to try again; keep it under gunicorn's --timeout (30 s), or the worker is killed first.
    PDF_TIMEOUT_SECONDS = 20.0
    # Documents (PDF, Word, the big exports) are built by a bounded pool of clean processes, at
    # most DOCUMENT_JOB_PROCESSES at once in the whole server, all its workers together (app/docjobs;
    # 0 builds them inside the request, as the tests do), each killed after
    # DOCUMENT_JOB_TIMEOUT_SECONDS. Their files
    # are kept in DOCUMENT_JOB_DIR (default instance/documents) and served again while nothing
    # changed.
    DOCUMENT_JOB_PROCESSES = 2
    DOCUMENT_JOB_TIMEOUT_SECONDS = 120.0
    DOCUMENT_JOB_DIR = None
    # A list export of at most this many rows is built and sent in its own request (about half a
    # second at 5,000); a bigger one is a document job with a progress bar. 0: every export is a job.
    EXPORT_IN_REQUEST_ROWS = 5000
    # Inside a document job's own process the PDF is laid out there and then (no further child).
    PDF_IN_PROCESS = False
    # PDFs already laid out are kept by their HTML (DOCUMENT_JOB_DIR/layouts, app/documents/pdf.py):
    # the same report's text again is its PDF at once. Off (PDF_LAYOUT_CACHE=0) only to measure
    # WeasyPrint itself (bench/run.py).
    PDF_LAYOUT_CACHE = True
    # How many proxies (nginx, a load balancer) stand in front of the app and set
    # X-Forwarded-For/-Proto/-Host; 0 (the default) trusts none of these headers, so a client
    # talking to the app directly cannot choose the address its logins are counted and audited by.
    TRUSTED_PROXIES = 0
    # Benchmark only: X-Query-Count header on every response (app/benchdata/querycount.py).
    BENCH_QUERY_COUNT = False
    # Demo mode follows the database: on when `flask demo` made it (app/demo_mode.py). None lets
    # the database decide; False (environment DEMO_MODE=0) turns it off. It cannot be forced on.
    DEMO_MODE = None


def _env_overrides() -> dict:
    """Read the settings that operators give through the environment."""
    out: dict = {}
    if url := os.environ.get("DATABASE_URL"):
        out["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(url)
    if key := os.environ.get("SECRET_KEY"):
        out["SECRET_KEY"] = key
    if code := os.environ.get("PROVINCE_CODE"):
        out["PROVINCE_CODE"] = int(code)
    if limit := os.environ.get("LOGIN_RATE_LIMIT"):
        out["LOGIN_RATE_LIMIT"] = limit
    if redis_url := os.environ.get("CACHE_REDIS_URL"):
        out["CACHE_REDIS_URL"] = redis_url
    if storage := os.environ.get("RATELIMIT_STORAGE_URI"):
        out["RATELIMIT_STORAGE_URI"] = storage
    if prefix := os.environ.get("CACHE_KEY_PREFIX"):
        out["CACHE_KEY_PREFIX"] = prefix
    if os.environ.get("SESSION_COOKIE_SECURE", "").lower() in {"1", "true", "yes"}:
        out["SESSION_COOKIE_SECURE"] = True
        out["REMEMBER_COOKIE_SECURE"] = True
    if (use_cdn := _env_flag("HTMX_USE_CDN")) is not None:
        out["HTMX_USE_CDN"] = use_cdn
    if folder := os.environ.get("UPLOAD_FOLDER"):
        out["UPLOAD_FOLDER"] = folder
    out.update(_mail_overrides())
    if (seconds := os.environ.get("DASHBOARD_CACHE_SECONDS", "").strip()).isdigit():
        out["DASHBOARD_CACHE_SECONDS"] = int(seconds)
    if seconds := os.environ.get("PDF_TIMEOUT_SECONDS", "").strip():
        out["PDF_TIMEOUT_SECONDS"] = float(seconds)
    if (processes := os.environ.get("DOCUMENT_JOB_PROCESSES", "").strip()).isdigit():
        out["DOCUMENT_JOB_PROCESSES"] = int(processes)
    if seconds := os.environ.get("DOCUMENT_JOB_TIMEOUT_SECONDS", "").strip():
        out["DOCUMENT_JOB_TIMEOUT_SECONDS"] = float(seconds)
    if (cache := os.environ.get("PDF_LAYOUT_CACHE", "").strip()) in ("0", "1"):
        out["PDF_LAYOUT_CACHE"] = cache == "1"
    if folder := os.environ.get("DOCUMENT_JOB_DIR"):
        out["DOCUMENT_JOB_DIR"] = folder
    if proxies := os.environ.get("TRUSTED_PROXIES", "").strip():
        out["TRUSTED_PROXIES"] = int(proxies)
    if _env_flag("BENCH_QUERY_COUNT"):
        out["BENCH_QUERY_COUNT"] = True
    if _env_flag("DEMO_MODE") is False:
        out["DEMO_MODE"] = False
    return out


def _env_flag(name: str) -> bool | None:
    value = os.environ.get(name, "").strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    return None


def _mail_overrides() -> dict:
    """SMTP settings and the site's public address, for notification e-mails."""
    out: dict = {}
    for name in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM", "SITE_URL"):
        if value := os.environ.get(name):
            out[name] = value
    if port := os.environ.get("MAIL_PORT"):
        out["MAIL_PORT"] = int(port)
    for name in ("MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_SEND_AFTER_RESPONSE"):
        if (flag := _env_flag(name)) is not None:
            out[name] = flag
    return out


def _normalise_db_url(url: str) -> str:
    """Let operators write postgres:// URLs; we drive them with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_secret_key(instance_path: str) -> str:
    """Return the key stored in instance/, creating it owner-only on first use."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def configure(app, test_config: dict | None) -> None:
    """Fill app.config in order: defaults, instance file, environment, test overrides."""
    app.config.from_object(DefaultConfig)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
        app.instance_path, "giaoban.sqlite3"
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(_env_overrides())
    else:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")
    if not app.config.get("DOCUMENT_JOB_DIR"):
        app.config["DOCUMENT_JOB_DIR"] = os.path.join(app.instance_path, "documents")
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    _share_through_redis(app.config)
    if not app.config["PDF_TIMEOUT_SECONDS"] > 0:  # 0 would refuse every PDF with "try again"
        raise ValueError(f"PDF_TIMEOUT_SECONDS must be a positive number of seconds, not {app.config['PDF_TIMEOUT_SECONDS']}")


def _share_through_redis(config) -> None:
    """With CACHE_REDIS_URL, the figures cache and (unless set apart) the login limit live in Redis."""
    if not config.get("CACHE_REDIS_URL"):
        return
    config["CACHE_TYPE"] = "RedisCache"
    if config.get("RATELIMIT_STORAGE_URI", "memory://") == "memory://":
        config["RATELIMIT_STORAGE_URI"] = config["CACHE_REDIS_URL"]
    # One site's keys under one prefix, so several sites (or test runs) can share a Redis.
    config.setdefault("RATELIMIT_KEY_PREFIX", config["CACHE_KEY_PREFIX"].rstrip(":"))
