"""How the flow is run: which task runner (threads or Dask), and `serve` on the configured cron schedule.

prefect.yaml at the project root declares the same deployment for users of a Prefect server or work pool.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import prefect
from prefect import Flow
from prefect.schedules import Cron
from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import (
    PREFECT_API_URL,
    PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
    PREFECT_SERVER_EPHEMERAL_ENABLED,
    PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
    get_current_settings,
    temporary_settings,
)

from core.config import Settings
from flows.pipeline import crosscheck_flow


def flow_for(settings: Settings) -> Flow:
    """The main flow with the configured task runner: threads (Prefect's default), a running Dask cluster
    (`[flow] dask_address`: its scheduler's address) or a local Dask cluster started for the run."""
    if settings.dask_address:
        from prefect_dask import DaskTaskRunner

        return crosscheck_flow.with_options(task_runner=DaskTaskRunner(address=settings.dask_address))
    if settings.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        runner = DaskTaskRunner(cluster_kwargs={"n_workers": settings.dask_workers, "threads_per_worker": 1,
                                                "processes": True, "dashboard_address": None})
        return crosscheck_flow.with_options(task_runner=runner)
    return crosscheck_flow


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGTERM when the process that started it dies (a parent killed
    with SIGKILL runs no cleanup of its own). Elsewhere a no-op: the parent's atexit stop remains."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class TiedServer(SubprocessASGIServer):
    """Prefect's temporary API server, as Prefect itself starts it (same command, same settings), but as a child
    that ends when this process ends, however it ends. Prefect's `SubprocessASGIServer()` returns this instance
    (one per port, and the temporary one has none), so the flow uses it instead of starting its own."""

    def _run_uvicorn_command(self) -> subprocess.Popen[Any]:
        command = [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent), "--factory",
                   "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
                   "--log-level", "error", "--lifespan", "on"]
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1",
               **get_current_settings().to_environment_variables(exclude_unset=True)}
        return subprocess.Popen(command, env=env, preexec_fn=_die_with_parent)  # noqa: PLW1509 (no threads yet)


def start_temporary_server(say: Any = print) -> TiedServer:
    """Start (or reuse) the temporary API server tied to this process, saying so while it starts: a cold start
    takes about 7 s on an idle machine and over 20 s on a busy one."""
    server = TiedServer()
    if not server.running:
        began = time.monotonic()
        say(f"starting Prefect's temporary API server (waits up to "
            f"{PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()} s) ...")
        server.start()
        say(f"Prefect's temporary API server is up after {time.monotonic() - began:.1f} s")
    return server


def run_flow(settings: Settings, *, say: Any = print, **parameters: Any) -> Any:
    """Run the main flow once, in this process (`crosscheck run`). Without PREFECT_API_URL the flow talks to a
    temporary API server tied to this process (it ends with it, even on SIGKILL). Against it flow-run heartbeats are
    off: they let a server notice a crashed run, but the temporary server ends with this process, and stopping the
    heartbeat thread cost each run up to a second of waiting."""
    flow = flow_for(settings)
    if PREFECT_API_URL.value():
        return flow(**parameters)
    if PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        start_temporary_server(say)
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        return flow(**parameters)


def config_parameter(settings: Settings) -> str | None:
    path = settings.root / "crosscheck.toml"
    return str(path) if path.is_file() else None


def serve(settings: Settings, *, config: Path | None = None) -> None:
    """Serve the flow as a deployment on the configured cron schedule (blocks until interrupted)."""
    flow_for(settings).serve(
        name=settings.deployment,
        schedules=[Cron(settings.cron, timezone=settings.timezone)],
        parameters={"config": str(config) if config else config_parameter(settings)},
        description="Collect, extract, cross-reference and report every tracked story.",
        tags=["crosscheck"],
    )
