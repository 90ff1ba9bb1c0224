"""The real site under gunicorn on free ports, for tests that need real processes and real HTTP.

Browser tests, the PDF-under-gunicorn test and the nginx test share it. Every process a server
started carries LIVE_SERVER_MARKER=<a fresh id> in its environment (children inherit it), so a
test can find them all in /proc, and the server's stop leaves none behind.
"""

import http.client
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager, suppress
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEMO_PASSWORD = "GiaoBan@2025"  # the demo accounts' password, printed by `flask demo`
MARKER = "LIVE_SERVER_MARKER"
CSRF_RE = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen | None = None, timeout: float = 30, context=None) -> None:
    """Wait until url answers 200; fail early if the process serving it exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1, context=context) as response:  # noqa: S310 — loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer {url} in {timeout}s")


def demo_env(tmp: Path, **settings: str) -> dict:
    """The environment of a demo site on a SQLite file in tmp; settings override or add."""
    return {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": f"sqlite:///{tmp / 'live.sqlite3'}",
        "SECRET_KEY": "browser-test-secret",
        "UPLOAD_FOLDER": str(tmp / "uploads"),
        "DOCUMENT_JOB_DIR": str(tmp / "documents"),
        "LOGIN_RATE_LIMIT": "1000 per minute",
        # Recent gunicorn (27 here) opens a control socket, by default one per user ($HOME/.gunicorn):
        # each test server gets its own.
        "XDG_RUNTIME_DIR": str(tmp),
        MARKER: uuid.uuid4().hex,
        **settings,
    }


def make_demo(env: dict) -> None:
    """`flask demo` on the environment's database."""
    subprocess.run([sys.executable, "-m", "flask", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)


def start_gunicorn(env: dict, port: int, log_path: Path, workers: int = 2, cwd: Path = ROOT) -> subprocess.Popen:
    """The README's production command, run from the repository (cwd), on 127.0.0.1:port."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen, timeout: float = 30) -> int:
    """SIGTERM, as a service manager stops gunicorn; wait for the master to exit."""
    if process.poll() is None:
        process.terminate()
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


@contextmanager
def serving(env: dict, log_path: Path, workers: int = 2, port: int | None = None, cwd: Path = ROOT):
    """gunicorn with env on a free (or the given) port; yields (base URL, process).

    Afterwards the master is stopped, and any process still carrying the server's marker
    (the test has failed by then, or will) is killed so nothing outlives the test.
    """
    port = port or free_port()
    server = start_gunicorn(env, port, log_path, workers, cwd)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for(base_url + "/healthz", server)
        yield base_url, server
    finally:
        stop(server)
        kill_marked(env[MARKER])


@contextmanager
def serve_demo(tmp: Path, prepare=None):
    """`flask demo` on a fresh SQLite file, prepare(database_url) if given, then gunicorn.

    Yields the base URL; stops the server afterwards.
    """
    env = demo_env(tmp)
    make_demo(env)
    if prepare is not None:
        prepare(env["DATABASE_URL"])
    with serving(env, tmp / "server.log") as (base_url, _server):
        yield base_url


# --- the process table ------------------------------------------------------------------------


def marked_processes(marker: str) -> dict[int, str]:
    """pid -> command line of every live process whose environment carries the marker."""
    needle = f"{MARKER}={marker}".encode()
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as handle:
                if needle not in handle.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace").strip()
            if process_state(int(entry)) not in (None, "Z"):
                found[int(entry)] = cmdline
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found


def process_state(pid: int) -> str | None:
    """The one-letter state of pid (R, S, D, Z, ...), None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def parent_pid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return int(handle.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None


def wait_until_gone(marker: str, timeout: float = 15) -> dict[int, str]:
    """Wait for the marked processes to end; return those still there after timeout."""
    deadline = time.monotonic() + timeout
    while (left := marked_processes(marker)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def kill_marked(marker: str) -> None:
    """SIGKILL whatever a server of this test left behind (only processes carrying its marker)."""
    for pid in marked_processes(marker):
        with suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def listening_socket_holders(port: int, pids) -> set[int]:
    """Which of pids hold the socket listening on 127.0.0.1:port."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as handle:
                rows = handle.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{inode}]")
    holders = set()
    for pid in pids:
        try:
            descriptors = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in descriptors:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                    holders.add(pid)
                    break
            except OSError:
                continue
    return holders


# --- a small HTTP client ----------------------------------------------------------------------


class Client:
    """One user's HTTP(S) client: its own cookies, optionally its own source address.

    http.client rather than urllib, to choose the address the connection comes from (several
    clients on one machine: 127.0.0.2, 127.0.0.3, ...) and to see every Set-Cookie as sent.
    """

    def __init__(self, base_url: str, *, source: str | None = None, ssl_context=None, timeout: float = 60):
        parts = urlsplit(base_url)
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname, parts.port
        self.source = (source, 0) if source else None
        self.ssl_context = ssl_context or (ssl.create_default_context() if self.https else None)
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        """Send one request; return (status, headers as a message, body bytes)."""
        if self.https:
            conn = http.client.HTTPSConnection(
                self.host, self.port, timeout=self.timeout, source_address=self.source, context=self.ssl_context
            )
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout, source_address=self.source)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.msg, data

    def get(self, path: str, headers: dict | None = None):
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, fields: dict, headers: dict | None = None):
        body = urlencode(fields).encode()
        sent = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, body=body, headers=sent)

    def csrf_token(self, path: str) -> str:
        status, _headers, body = self.get(path)
        assert status == 200, (path, status)
        match = CSRF_RE.search(body.decode())
        return match.group(1) or match.group(2)

    def document(self, path: str, wait: float = 120):
        """A document as a user takes it: its button (POST), its job's page until done, the file.

        Returns (status, headers, body) of the file, or of the job's page when the job failed."""
        token = self.csrf_token(path)
        status, headers, body = self.post_form(path, {"csrf_token": token})
        assert status == 303, (path, status, body[:300])
        job_page = urlsplit(headers["Location"]).path
        deadline = time.monotonic() + wait
        while True:
            status, headers, body = self.get(job_page, headers={"HX-Request": "true"})
            assert status == 200, (job_page, status)
            if b"hx-trigger" not in body:
                break
            assert time.monotonic() < deadline, f"{job_page} still under way"
            time.sleep(0.2)
        if b"data-auto-download" not in body and b"/file" not in body:
            return status, headers, body
        return self.get(job_page + "/file")

    def log_in(self, username: str, password: str = DEMO_PASSWORD, headers: dict | None = None) -> int:
        """Post the login form as a browser would; return the status (303 when signed in).

        Over HTTPS Flask-WTF also wants the Referer of the page the form came from.
        """
        token = self.csrf_token("/login")
        scheme = "https" if self.https else "http"
        sent = {"Referer": f"{scheme}://{self.host}:{self.port}/login", **(headers or {})}
        status, _headers, _body = self.post_form(
            "/login", {"username": username, "password": password, "csrf_token": token}, sent
        )
        return status
