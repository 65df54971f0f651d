"""Helpers shared by tests (importable: pytest puts tests/ on sys.path)."""

from __future__ import annotations

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
