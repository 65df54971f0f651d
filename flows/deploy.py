"""How the flow is run: which task runner (threads or Dask), and `serve` on the configured cron schedule.

prefect.yaml at the project root declares the same deployment for users of a Prefect server or work pool.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from prefect import Flow
from prefect.schedules import Cron
from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

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


def run_flow(settings: Settings, **parameters: Any) -> Any:
    """Run the main flow once, in this process (`crosscheck run`). Against Prefect's temporary API (no
    PREFECT_API_URL) flow-run heartbeats are off: they let a server notice a crashed run, but the temporary server
    ends with this process, and stopping the heartbeat thread cost each run up to a second of waiting."""
    flow = flow_for(settings)
    if PREFECT_API_URL.value():
        return flow(**parameters)
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
