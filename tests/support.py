"""Helpers shared by tests (importable: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import os
from pathlib import Path

from bench.projects import make_project

__all__ = ["env_for", "make_project"]


def env_for(project: Path, **extra: str) -> dict[str, str]:
    """The environment for running the CLI in a subprocess on `project` (offline: the tests' environment)."""
    env = dict(os.environ, CROSSCHECK_CONFIG=str(project / "crosscheck.toml"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.update(extra)
    return env
