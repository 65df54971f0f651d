"""The flow on an existing Dask cluster: a real `dask scheduler` and two `dask worker` processes on 127.0.0.1,
started here like a user's shell would, and `crosscheck run --dask-address` pointed at them. The warehouse it
writes equals a thread-runner run's, and the extraction chunks ran in the workers' processes. Every process
started here is stopped by its pid."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from support import env_for, make_project

from bench.cluster import loopback_cluster, stop

pytestmark = pytest.mark.cluster

CLI = [sys.executable, "-m", "crosscheck.cli"]


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, list[int]]]:
    """A scheduler and two single-threaded workers without nannies (bench/cluster.py: each worker is the process
    that runs the tasks, so its pid is the one the run reports). Yields the scheduler's address and the workers'
    pids."""
    with loopback_cluster(2, tmp_path / "dask") as c:
        yield c.address, c.worker_pids


def thread_run(root: Path, copies: int, chunk_size: int) -> tuple[Path, Path]:
    """Two copies of the project under `root`; the first run on the default thread runner (the baseline). Returns
    (the baseline's project, the untouched copy)."""
    threads = make_project(root / "threads", copies=copies)
    other = make_project(root / "cluster", copies=copies)
    a = subprocess.run([*CLI, "run", "--chunk-size", str(chunk_size)], env=env_for(threads), capture_output=True,
                       text=True, timeout=600)
    assert a.returncode == 0, a.stdout + a.stderr
    return threads, other


def warehouse(db: Path) -> dict[str, set]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "articles": {r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()},
            "claims": {r[0] for r in con.execute("SELECT claim_id FROM claims").fetchall()},
            "facts": {tuple(r) for r in con.execute(
                "SELECT fact_id, kind, verdict FROM fact_consensus ORDER BY 1").fetchall()},
            "discrepancies": {r[0] for r in con.execute(
                "SELECT discrepancy_key FROM discrepancy_review").fetchall()},
            "events": {tuple(r) for r in con.execute(
                "SELECT article_id, verdict, action FROM event_decisions").fetchall()},
        }
    finally:
        con.close()


def test_a_run_on_an_existing_cluster_equals_a_thread_run(tmp_path: Path, cluster: tuple[str, list[int]]) -> None:
    address, worker_pids = cluster
    threads, on_cluster = thread_run(tmp_path, copies=1, chunk_size=10)
    b = subprocess.run([*CLI, "run", "--chunk-size", "10", "--dask-address", address], env=env_for(on_cluster),
                       capture_output=True, text=True, timeout=600)
    assert b.returncode == 0, b.stdout + b.stderr
    ran = re.search(r"extraction ran in worker processes \[([\d, ]+)\]", b.stdout)
    assert ran, b.stdout
    pids = {int(p) for p in ran.group(1).split(",")}
    assert pids <= set(worker_pids) and len(pids) == 2, (pids, worker_pids)
    got, want = warehouse(on_cluster / "var" / "test.duckdb"), warehouse(threads / "var" / "test.duckdb")
    assert got["claims"] and got["facts"] and got["discrepancies"]
    assert got == want


def test_the_cluster_address_comes_from_the_configuration(tmp_path: Path) -> None:
    from core.config import load_settings
    from flows.deploy import flow_for

    project = make_project(tmp_path / "p")
    config = project / "crosscheck.toml"
    config.write_text(config.read_text() + '\n[flow]\ndask_address = "tcp://127.0.0.1:8786"\n')
    settings = load_settings(config)
    assert settings.dask_address == "tcp://127.0.0.1:8786"
    runner = flow_for(settings).task_runner
    assert type(runner).__name__ == "DaskTaskRunner" and runner.address == "tcp://127.0.0.1:8786"
    os.environ["CROSSCHECK_DASK_ADDRESS"] = "tcp://10.0.0.5:8786"
    try:
        assert load_settings(config).dask_address == "tcp://10.0.0.5:8786"
    finally:
        del os.environ["CROSSCHECK_DASK_ADDRESS"]


def cpu_ticks(pid: int) -> int:
    """User + system CPU ticks of a process (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_a_worker_killed_mid_run_costs_nothing_but_time(tmp_path: Path, cluster: tuple[str, list[int]]) -> None:
    """kill -9 one of the two workers once it is busy extracting: the scheduler gives its chunks to the other
    worker and the run ends with the warehouse a thread run writes."""
    address, worker_pids = cluster
    threads, on_cluster = thread_run(tmp_path, copies=2, chunk_size=4)
    victim = worker_pids[0]
    idle = cpu_ticks(victim)
    run = subprocess.Popen([*CLI, "run", "--chunk-size", "4", "--dask-address", address], env=env_for(on_cluster),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while cpu_ticks(victim) < idle + 50 and time.monotonic() < deadline:  # half a second of work: it is busy
            assert run.poll() is None, "the run ended before the worker was busy: nothing was tested"
            time.sleep(0.05)
        assert cpu_ticks(victim) >= idle + 50, "the worker never got busy"
        os.kill(victim, signal.SIGKILL)
        out, errs = run.communicate(timeout=600)
    finally:
        if run.poll() is None:
            stop(run)
    assert run.returncode == 0, out + errs
    assert warehouse(on_cluster / "var" / "test.duckdb") == warehouse(threads / "var" / "test.duckdb")
    ran = re.search(r"extraction ran in worker processes \[([\d, ]+)\]", out)
    assert ran and worker_pids[1] in {int(p) for p in ran.group(1).split(",")}, out
