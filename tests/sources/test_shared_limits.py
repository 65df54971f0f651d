"""Per-host spacing across processes: two processes fetch from one loopback host at once, each through its own
HttpClient; with a real Prefect server configured the host sees their requests spaced by its delay, without one
it sees them in pairs (each process spaces only its own)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from sources.shared_limits import limit_name

DELAY = 1.0
PER_PROCESS = 3

FETCH = """
import sys
from sources.http import HttpClient
from sources.settings import HttpSettings
with HttpClient(HttpSettings.from_env()) as client:
    for i in range(int(sys.argv[2])):
        r = client.fetch(f"{sys.argv[1]}/{sys.argv[3]}/{i}", source="test")
        assert r.ok, r.describe()
"""


@pytest.fixture
def host() -> Iterator[tuple[str, list[float]]]:
    """A loopback site that records when each request arrived."""
    arrivals: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - stdlib naming
            arrivals.append(time.monotonic())
            body = b"<html><body><p>ok</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", arrivals
    finally:
        server.shutdown()
        server.server_close()


def fetch_in_two_processes(base: str, env: dict[str, str]) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", FETCH, base, str(PER_PROCESS), name], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for name in ("a", "b")]
    for p in procs:
        out, _ = p.communicate(timeout=300)
        assert p.returncode == 0, out


def client_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, CROSSCHECK_HTTP_ALLOW_LOOPBACK="1", CROSSCHECK_HTTP_OBEY_ROBOTS="0",
               CROSSCHECK_HTTP_PER_HOST_DELAY_S=str(DELAY), CROSSCHECK_HTTP_CACHE_DIR="",
               PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    env.update(extra)
    return env


def gaps(times: list[float]) -> list[float]:
    times = sorted(times)
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def test_without_a_server_each_process_spaces_only_its_own(host: tuple[str, list[float]]) -> None:
    base, arrivals = host
    fetch_in_two_processes(base, client_env())
    assert len(arrivals) == 2 * PER_PROCESS
    assert min(gaps(arrivals)) < DELAY / 2  # the two processes' requests come close together


def test_with_a_prefect_server_the_spacing_holds_across_processes(host: tuple[str, list[float]],
                                                                   prefect_server: str, tmp_path: Path) -> None:
    base, arrivals = host
    fetch_in_two_processes(base, client_env(PREFECT_API_URL=prefect_server, PREFECT_HOME=str(tmp_path)))
    assert len(arrivals) == 2 * PER_PROCESS
    assert min(gaps(arrivals)) >= DELAY * 0.8, gaps(arrivals)  # the server's slot decays once a second
    made = httpx.post(f"{prefect_server}/v2/concurrency_limits/filter", json={}, timeout=10).json()
    [limit] = [m for m in made if m["name"] == limit_name("127.0.0.1")]
    assert limit["limit"] == 1 and abs(limit["slot_decay_per_second"] - 1 / DELAY) < 1e-6
