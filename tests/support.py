"""Helpers shared by tests (importable: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import os
from pathlib import Path

from crosscheck.config import PROJECT_ROOT


def make_project(root: Path, *, copies: int = 0) -> Path:
    """A self-contained project folder: a copy of seeds/ (plus `copies` distinct variants of each bundled
    report, to make runs long enough to interrupt), its own crosscheck.toml and warehouse path."""
    import shutil

    seeds = root / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    corpus = seeds / "corpus" / "iran-2020"
    originals = sorted(corpus.glob("*.md"))
    for i in range(copies):
        for p in originals:
            text = p.read_text(encoding="utf-8")
            (corpus / f"{p.stem}-v{i:03d}.md").write_text(f"{text}\nEditor's note: variant {i} of {p.stem}.\n",
                                                          encoding="utf-8")
    (root / "crosscheck.toml").write_text(
        '[warehouse]\npath = "var/test.duckdb"\n[seeds]\ndir = "seeds"\nstories = ["iran-2020"]\n')
    return root


def env_for(project: Path, **extra: str) -> dict[str, str]:
    """The environment for running the CLI in a subprocess on `project` (offline: the tests' environment)."""
    env = dict(os.environ, CROSSCHECK_CONFIG=str(project / "crosscheck.toml"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.update(extra)
    return env
