"""Fixtures for the reports tests: a warehouse populated for real once per session (reports_support.py),
copied fresh for every test that writes; the review server in its own process."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from reports_support import CLI, Project, Server, build_project, write_config
from support import free_port

from core.config import load_settings


@pytest.fixture(scope="session")
def populated(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Built once per session: seeds copy + hostile article, run_story, matching."""
    return build_project(tmp_path_factory.mktemp("reports-project"))


@pytest.fixture
def project(populated: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A private copy of the populated warehouse (tests write verdicts), with CROSSCHECK_CONFIG pointing at it."""
    db = tmp_path / "var" / "crosscheck.duckdb"
    db.parent.mkdir(parents=True)
    shutil.copy2(populated.db, db)
    config = write_config(tmp_path, db, populated.settings.seeds_dir, tmp_path / "reports")
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(config))
    return Project(tmp_path, load_settings(config, env={}))


@pytest.fixture
def review_server(project: Project) -> Iterator[Server]:
    """`crosscheck review --serve` in its own process, on a free loopback port."""
    import time
    import urllib.request

    port = free_port()
    proc = subprocess.Popen([*CLI, "review", "--serve", "--port", str(port), "--reviewer", "Test Reviewer"],
                            env=project.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(f"review server exited: {proc.communicate()[1]}") from None
                if time.monotonic() > deadline:
                    raise AssertionError("review server did not start within 30 s") from None
                time.sleep(0.1)
        yield Server(url, proc, port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
