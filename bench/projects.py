"""A self-contained project folder to run crosscheck on: a copy of seeds/ (plus distinct variants of each
bundled report), its own crosscheck.toml (offline) and warehouse. Used by the benchmarks and the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from core.config import PROJECT_ROOT


def make_project(root: Path, *, copies: int = 0, db: str = "var/test.duckdb") -> Path:
    """Create the folder at `root` and return it; `copies` variants of each report make runs longer."""
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
        f'[warehouse]\npath = "{db}"\n[seeds]\ndir = "seeds"\nstories = ["iran-2020"]\n[sources]\nonline = false\n')
    return root
