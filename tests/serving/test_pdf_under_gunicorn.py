"""Report PDFs under gunicorn --workers 2, the README's production command, each made by a
document job: every one answered, no process left behind when gunicorn stops, the port free for
the next start."""

import sqlite3
from concurrent.futures import ThreadPoolExecutor

from tests.live_server import (
    Client,
    demo_env,
    free_port,
    kill_marked,
    listening_socket_holders,
    marked_processes,
    parent_pid,
    process_state,
    serving,
    start_gunicorn,
    stop,
    wait_for,
    wait_until_gone,
)

CLIENTS = 4
PDFS = 40
ACCOUNTS = ("vanphong.demo", "lanhdao.demo")  # coordinator and leader: every report


def _pdf_paths(database_url: str) -> list[str]:
    """PDFS report URLs: the units with the most proposals, the meeting, its follow-up, the week."""
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
        communes = [row[0] for row in conn.execute(
            "SELECT commune_unit_id FROM proposals GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 3")]
        leads = [row[0] for row in conn.execute(
            "SELECT lead_unit_id FROM proposals WHERE lead_unit_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2")]
        meeting = conn.execute("SELECT min(id) FROM meetings").fetchone()[0]
    kinds = [f"/reports/unit.pdf?unit={unit}" for unit in communes + leads]
    kinds += [f"/reports/meeting.pdf?meeting={meeting}", f"/reports/directives.pdf?meeting={meeting}",
              "/reports/weekly.pdf"]
    return [kinds[i % len(kinds)] for i in range(PDFS)]


def _fetch_all(client: Client, paths: list[str]) -> list[tuple[str, int, str, bytes]]:
    out = []
    for path in paths:
        status, headers, body = client.document(path)
        out.append((path, status, headers.get("Content-Type", ""), body[:5]))
    return out


def _gunicorn_processes(processes: dict[int, str], master: int) -> set[int]:
    return {master} | {pid for pid in processes if parent_pid(pid) == master}


def test_forty_pdfs_from_four_clients_then_gunicorn_stops_clean_and_starts_again(demo_database, tmp_path):
    env = demo_env(tmp_path, DATABASE_URL=demo_database)
    marker = env["LIVE_SERVER_MARKER"]
    port = free_port()
    server = start_gunicorn(env, port, tmp_path / "server.log", workers=2)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for(base_url + "/healthz", server)
        clients = [Client(base_url, timeout=60) for _ in range(CLIENTS)]
        for index, client in enumerate(clients):
            assert client.log_in(ACCOUNTS[index % len(ACCOUNTS)]) == 303
        paths = _pdf_paths(demo_database)
        with ThreadPoolExecutor(CLIENTS) as pool:
            shares = [paths[i::CLIENTS] for i in range(CLIENTS)]
            results = [r for share in pool.map(_fetch_all, clients, shares) for r in share]

        assert len(results) == PDFS
        failed = [(path, status, kind, head) for path, status, kind, head in results
                  if (status, kind, head) != (200, "application/pdf", b"%PDF-")]
        assert failed == []

        # While it runs: only gunicorn's master and workers hold the listening socket.
        processes = marked_processes(marker)
        gunicorn = _gunicorn_processes(processes, server.pid)
        assert len(gunicorn) == 3, processes
        assert listening_socket_holders(port, processes) <= gunicorn
        # The PDFs were made outside the workers (by processes of their fork servers, started clean).
        assert any("multiprocessing.forkserver" in cmdline for cmdline in processes.values()), processes

        # A service manager's stop: SIGTERM, then nothing of this server may remain.
        assert stop(server) == 0
        assert wait_until_gone(marker) == {}

        # And it starts again on the same port.
        again = start_gunicorn(env, port, tmp_path / "server-again.log", workers=2)
        try:
            wait_for(base_url + "/healthz", again)
        finally:
            stop(again)
        assert wait_until_gone(marker) == {}
        assert "Address already in use" not in (tmp_path / "server-again.log").read_text()
    finally:
        stop(server)
        kill_marked(marker)


def test_a_document_job_over_its_time_limit_fails_with_a_message_and_its_process_is_gone(demo_database, tmp_path):
    log = tmp_path / "server.log"
    env = demo_env(tmp_path, DATABASE_URL=demo_database, DOCUMENT_JOB_TIMEOUT_SECONDS="0.001")
    with serving(env, log) as (base_url, server):
        client = Client(base_url)
        assert client.log_in("vanphong.demo") == 303
        status, headers, body = client.document("/reports/weekly.pdf")
        page = body.decode()

        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert "Tài liệu chưa tạo xong trong 0,001 giây nên đã dừng" in page

        # The job's process is gone, and no other is left under the fork servers.
        with sqlite3.connect(demo_database.removeprefix("sqlite:///")) as conn:
            state, pid = conn.execute("SELECT state, worker_pid FROM document_jobs ORDER BY id DESC").fetchone()
        assert state == "failed" and pid is not None
        assert process_state(pid) is None
        processes = marked_processes(env["LIVE_SERVER_MARKER"])
        fork_servers = {pid for pid, cmdline in processes.items() if "multiprocessing.forkserver" in cmdline}
        assert fork_servers
        assert [pid for pid in processes if parent_pid(pid) in fork_servers] == []

        # The site still answers.
        assert client.get("/reports/")[0] == 200
