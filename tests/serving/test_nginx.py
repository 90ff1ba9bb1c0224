"""The shipped nginx configuration (deploy/nginx/giaoban.conf) in front of gunicorn, for real.

Debian's nginx terminates HTTPS with a self-signed certificate and proxies to gunicorn started
with TRUSTED_PROXIES=1 and SESSION_COOKIE_SECURE=1. Clients connect from their own loopback
addresses (127.0.0.2, 127.0.0.3, ...), so each really is a different client to nginx.
"""

import os
import pwd
import re
import sqlite3
import ssl
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.live_server import (
    ROOT,
    Client,
    demo_env,
    free_port,
    serving,
    stop,
    wait_for,
)

NGINX = "/usr/sbin/nginx"
SHIPPED = ROOT / "deploy" / "nginx" / "giaoban.conf"
LIMIT = 3  # login attempts per minute per client address, per worker (memory://)
WORKERS = 2


@pytest.fixture(scope="module")
def nginx_binary():
    if not os.path.exists(NGINX):
        if os.environ.get("REQUIRE_NGINX"):
            pytest.fail(f"{NGINX} is missing: apt-get install nginx")
        pytest.skip(f"{NGINX} is missing (apt-get install nginx); .ci/run requires it")
    return NGINX


def _certificate(tmp: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (openssl, as an operator would make one)."""
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key


def render_shipped_config(values: dict[str, str]) -> str:
    """The shipped file with its @PLACEHOLDERS@ filled, as the README's sed command does."""
    text = SHIPPED.read_text()
    for name, value in values.items():
        assert f"@{name}@" in text, name
        text = text.replace(f"@{name}@", value)
    # Only the comment at the top may still name placeholders (it documents them).
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert not re.search(r"@[A-Z_]+@", body), "a placeholder the test does not fill"
    return text


@contextmanager
def nginx_in_front(tmp: Path, gunicorn_port: int):
    """Debian's nginx in the foreground with the shipped site, its files all in tmp."""
    cert, key = _certificate(tmp)
    http_port, https_port = free_port(), free_port()
    site = tmp / "giaoban.conf"
    site.write_text(render_shipped_config({
        "SERVER_NAME": "127.0.0.1",
        "HTTP_LISTEN": f"127.0.0.1:{http_port}",
        "HTTPS_LISTEN": f"127.0.0.1:{https_port}",
        "CERTIFICATE": str(cert),
        "CERTIFICATE_KEY": str(key),
        "APP_DIR": str(ROOT),
        "GUNICORN": f"127.0.0.1:{gunicorn_port}",
    }))
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, nginx's workers would run as nobody, who cannot enter the test's private tmp.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    main = tmp / "nginx.conf"
    main.write_text(f"""{user}
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp / 'access.log'};
{temp_paths}
    include {site};
}}
""")
    error_log = tmp / "error.log"
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-c", str(main), "-e", str(error_log),
         "-g", f"daemon off; pid {tmp / 'nginx.pid'};"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    context = ssl.create_default_context(cafile=str(cert))
    try:
        try:
            wait_for(f"https://127.0.0.1:{https_port}/healthz", process, timeout=20, context=context)
        except RuntimeError as error:
            raise RuntimeError(f"{error}\n{error_log.read_text() if error_log.exists() else ''}") from None
        yield f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{http_port}", context
    finally:
        process.terminate()  # nginx's fast shutdown
        process.wait(timeout=10)


def _last_login_address(database_url: str) -> str:
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
        return conn.execute(
            "SELECT ip FROM audit_events WHERE action = 'auth.login' ORDER BY id DESC LIMIT 1"
        ).fetchone()[0]


def test_the_shipped_nginx_config_in_front_of_gunicorn(nginx_binary, demo_database, tmp_path):
    env = demo_env(tmp_path, DATABASE_URL=demo_database, TRUSTED_PROXIES="1", SESSION_COOKIE_SECURE="1",
                   LOGIN_RATE_LIMIT=f"{LIMIT} per minute")
    gunicorn_log = tmp_path / "gunicorn.log"
    with serving(env, gunicorn_log, workers=WORKERS) as (app_url, server), \
            nginx_in_front(tmp_path, int(app_url.rsplit(":", 1)[1])) as (site, plain, context):
        # A user logs in over HTTPS from 127.0.0.2: Secure cookies, and the audit has her address.
        user = Client(site, source="127.0.0.2", ssl_context=context)
        assert user.log_in("vanphong.demo") == 303
        session_cookies = [h for h in user.set_cookie_headers if h.startswith("session=")]
        assert session_cookies and all("; Secure" in h and "; HttpOnly" in h for h in session_cookies)
        status, _headers, home = user.get("/")
        assert status == 200 and "Phạm Quốc Khánh" in home.decode()
        assert _last_login_address(demo_database) == "127.0.0.2"

        # A client cannot pass itself off as another address: nginx appends the one it sees.
        liar = Client(site, source="127.0.0.4", ssl_context=context)
        assert liar.log_in("lanhdao.demo", headers={"X-Forwarded-For": "203.0.113.66"}) == 303
        assert _last_login_address(demo_database) == "127.0.0.4"

        # 127.0.0.3 guesses passwords: it is stopped (each worker counts LIMIT), 127.0.0.2 is not.
        guesser = Client(site, source="127.0.0.3", ssl_context=context)
        statuses = [guesser.log_in("vanphong.demo", "sai-mat-khau") for _ in range(WORKERS * LIMIT + 1)]
        assert set(statuses) <= {401, 429} and 429 in statuses, statuses
        assert Client(site, source="127.0.0.2", ssl_context=context).log_in("vanphong.demo") == 303
        assert _last_login_address(demo_database) == "127.0.0.2"

        # The limit being per worker with memory:// is said at start-up, for the operator.
        assert f"RATELIMIT_STORAGE_URI is memory:// with {WORKERS} workers" in gunicorn_log.read_text()

        # Attachments up to the app's own limit pass nginx (its default would refuse over 1 MB).
        uploader = Client(site, source="127.0.0.5", ssl_context=context)
        boundary = "giaoban-test"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
                f"Content-Type: application/pdf\r\n\r\n").encode() + b"x" * (5 * 1024 * 1024) + \
            f"\r\n--{boundary}--\r\n".encode()
        status, _headers, page = uploader.request(
            "POST", "/login", body, {"Content-Type": f"multipart/form-data; boundary={boundary}",
                                     "Referer": f"{site}/login"})
        assert status == 400 and "mã bảo mật" in page.decode()  # the app's CSRF refusal, not nginx's 413

        # Plain HTTP only redirects; another site's name is refused.
        status, headers, _body = Client(plain, source="127.0.0.2").get("/login")
        assert status == 301 and headers["Location"] == "https://127.0.0.1/login"
        assert user.get("/login", headers={"Host": "giaoban.example.com"})[0] == 421

        # static/ comes from nginx: the file as shipped, nginx's caching, no header the app adds.
        status, headers, css = user.get("/static/css/app.css")
        assert status == 200 and css == (ROOT / "static" / "css" / "app.css").read_bytes()
        assert headers["Cache-Control"] == "public, max-age=3600"
        assert "Content-Security-Policy" not in headers
        status, headers, _js = user.get("/static/vendor/htmx-2.0.11.min.js")
        assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"

        # Pages link content-hashed names: nginx strips the hash and lets browsers keep them a year.
        _status, _headers, login_page = user.get("/")
        hashed = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', login_page.decode()).group(1)
        status, headers, css = user.get(hashed)
        assert status == 200 and css == (ROOT / "static" / "css" / "app.css").read_bytes()
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"

        # ... so it still answers with gunicorn stopped, when every page is a 502.
        stop(server)
        assert user.get("/static/css/app.css")[0] == 200
        assert user.get("/login")[0] == 502


def test_without_trusted_proxies_gunicorn_ignores_a_forwarded_address(demo_database, tmp_path):
    env = demo_env(tmp_path, DATABASE_URL=demo_database)
    with serving(env, tmp_path / "gunicorn.log", workers=1) as (app_url, _server):
        client = Client(app_url, source="127.0.0.6")
        assert client.log_in("vanphong.demo", headers={"X-Forwarded-For": "203.0.113.77"}) == 303
        assert _last_login_address(demo_database) == "127.0.0.6"


def test_the_readme_points_to_the_shipped_config_and_its_placeholders():
    readme = (ROOT / "README.md").read_text()
    assert "deploy/nginx/giaoban.conf" in readme
    for name in re.findall(r"^#\s+@([A-Z_]+)@", SHIPPED.read_text(), re.M):
        assert f"@{name}@" in readme, name
