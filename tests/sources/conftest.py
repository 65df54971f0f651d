"""Fixtures for the sources tests: loopback HTTP servers and a network tripwire.

Nothing here reaches beyond 127.0.0.1: pytest-httpserver is bound to 127.0.0.1 on port 0, the raw
server (stdlib, threaded, for slow, streaming or hand-written responses) likewise, and `no_network`
makes any DNS lookup or socket connect fail loudly and records it.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

# --------------------------------------------------------------------------- raw server

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass(frozen=True)
class SeenRequest:
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when the request line arrived


class RawServer:
    """A threaded stdlib HTTP/1.0 server on 127.0.0.1:0 whose routes write responses by hand."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        self.connections = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def setup(self) -> None:
                with server._lock:
                    server.connections += 1
                super().setup()

            def do_GET(self) -> None:  # noqa: N802 - stdlib naming
                path = self.path.split("?", 1)[0]
                seen = SeenRequest(self.path, dict(self.headers.items()), time.monotonic())
                with server._lock:
                    server.requests.append(seen)
                route = server.routes.get(path)
                if route is None:
                    self.send_error(404)
                    return
                # the client may hang up on purpose (size cap, timeout, deadline)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    route(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str) -> Callable[[Route], Route]:
        def register(fn: Route) -> Route:
            self.routes[path] = fn
            return fn

        return register

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def raw_server() -> Iterator[RawServer]:
    server = RawServer()
    yield server
    server.close()


# --------------------------------------------------------------------------- network tripwire


class NetworkTripwire:
    """Records every DNS lookup and socket connect attempted while active (and blocks it)."""

    def __init__(self) -> None:
        self.calls: list[str] = []


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> NetworkTripwire:
    wire = NetworkTripwire()

    def fake_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        wire.calls.append(f"getaddrinfo {host}")
        raise OSError("network disabled in this test")

    def fake_connect(self: socket.socket, address: Any) -> None:
        wire.calls.append(f"connect {address}")
        raise OSError("network disabled in this test")

    def fake_create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        wire.calls.append(f"create_connection {address}")
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", fake_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", fake_connect)
    monkeypatch.setattr(socket, "create_connection", fake_create_connection)
    return wire


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "http-cache"
