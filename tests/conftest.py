"""Shared fixtures: the project's vocabulary, a fresh warehouse path."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest
from support import free_port

from core.config import PROJECT_ROOT
from extractors.claims import ClaimExtractor
from extractors.vocabulary import Vocabulary, load_vocabulary

SEEDS = PROJECT_ROOT / "seeds"

# Tests never touch the internet: online sources are off unless a test points them at loopback itself.
os.environ["CROSSCHECK_OFFLINE"] = "1"
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver on IPv4 loopback, ephemeral port, for every test directory: its server is one per session,
    so the first test to use it decides its address for all."""
    return ("127.0.0.1", 0)


@pytest.fixture(scope="session")
def vocab() -> Vocabulary:
    return load_vocabulary(SEEDS, "iran-2020")


@pytest.fixture(scope="session")
def extractor(vocab: Vocabulary) -> ClaimExtractor:
    return ClaimExtractor(vocab)


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for the whole test session (starting one costs ~7 s)."""
    import os

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield



@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    """`prefect server start` on a free loopback port, with its own home and database."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    env = dict(os.environ, PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_API_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{home}/prefect.db",
               PREFECT_SERVER_API_HOST="127.0.0.1", PREFECT_SERVER_API_PORT=str(port))
    env.pop("PREFECT_API_URL", None)
    with open(home / "server.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                 "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
        api = f"http://127.0.0.1:{port}/api"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError("prefect server did not start: " + (home / "server.log").read_text()[-2000:])
            time.sleep(0.5)
        yield api
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
