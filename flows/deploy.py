"""How the flow is run: which task runner (threads or Dask), and `serve` on the configured cron schedule.

prefect.yaml at the project root declares the same deployment for users of a Prefect server or work pool.
"""

from __future__ import annotations

from pathlib import Path

from prefect import Flow
from prefect.schedules import Cron

from crosscheck.config import Settings
from flows.pipeline import crosscheck_flow


def flow_for(settings: Settings) -> Flow:
    """The main flow with the configured task runner: threads (Prefect's default) or a local Dask cluster."""
    if settings.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        runner = DaskTaskRunner(cluster_kwargs={"n_workers": settings.dask_workers, "threads_per_worker": 1,
                                                "processes": True, "dashboard_address": None})
        return crosscheck_flow.with_options(task_runner=runner)
    return crosscheck_flow


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
