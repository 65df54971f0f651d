"""A Dask cluster on loopback, as a user's shell would start it: one `dask scheduler` and single-threaded
`dask worker` processes without nannies (each worker is the process that runs the tasks). Used by
bench.scale_bench (section 6) and tests/flows/test_cluster.py; every process started is stopped by its pid."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dask_command() -> list[str]:
    """The `dask` command of this interpreter's environment."""
    exe = Path(sys.executable).parent / "dask"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "dask"]


def stop(proc: subprocess.Popen) -> None:
    """End a process we started, by its pid: SIGTERM, then SIGKILL."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@dataclass(frozen=True)
class Cluster:
    address: str  # tcp://127.0.0.1:PORT of the scheduler
    worker_pids: list[int]


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process {proc.pid} ended with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@contextmanager
def loopback_cluster(workers: int, workdir: Path, timeout: float = 60.0) -> Iterator[Cluster]:
    """A scheduler and `workers` workers on 127.0.0.1, their logs and scratch space in `workdir`; all stopped
    when the block ends."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "dask-scheduler.log"
    env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False")
    procs: list[subprocess.Popen] = []
    try:
        procs.append(subprocess.Popen([*dask_command(), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                       "--no-dashboard"], stdout=log.open("w"), stderr=subprocess.STDOUT, env=env,
                                      cwd=workdir))
        _wait_for_port(port, procs[0], timeout)
        for i in range(workers):
            procs.append(subprocess.Popen([*dask_command(), "worker", address, "--nthreads", "1", "--no-nanny",
                                           "--no-dashboard", "--name", f"w{i}",
                                           "--local-directory", str(workdir / f"w{i}")],
                                          stdout=(workdir / f"dask-worker{i}.log").open("w"),
                                          stderr=subprocess.STDOUT, env=env, cwd=workdir))
        deadline = time.monotonic() + timeout
        while log.read_text().count("Register worker") < workers:  # every worker registered with the scheduler
            if any(p.poll() is not None for p in procs):
                raise RuntimeError("a dask process ended: " + log.read_text()[-2000:])
            if time.monotonic() > deadline:
                raise TimeoutError(f"{workers} workers did not register: " + log.read_text()[-2000:])
            time.sleep(0.3)
        yield Cluster(address, [p.pid for p in procs[1:]])
    finally:
        for p in reversed(procs):
            stop(p)
