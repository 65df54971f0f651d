"""Where a run's memory goes: the plain full run on N generated reports (bench/corpus.py), with the resident memory
each job function adds while it runs (its peak over the memory resident when it started) and the largest resident
total it reached, per story.

    python -m bench.memory_steps [--articles 30000] [--seed 7] [--batch 2000]

Linux only: it resets the process's peak-memory mark (/proc/self/clear_refs) before each call. The calls
of incremental matching are listed inside `match_story` (indented). One process, no Prefect.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

JOB_FUNCTIONS = ("collect_local", "store_audit", "extract_for_store", "store", "match_story", "write_reports")


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    return 0


class Steps:
    """Per function: the largest peak it added over the resident memory at its start, and the largest total."""

    def __init__(self) -> None:
        self.added: dict[str, int] = {}
        self.total: dict[str, int] = {}
        self.calls: dict[str, int] = {}

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def measured(*a: Any, **k: Any) -> Any:
            start = _status("VmRSS")
            Path("/proc/self/clear_refs").write_text("5")  # the peak mark starts again from now
            try:
                return fn(*a, **k)
            finally:
                peak = max(_status("VmHWM"), start)
                self.added[name] = max(self.added.get(name, 0), peak - start)
                self.total[name] = max(self.total.get(name, 0), peak)
                self.calls[name] = self.calls.get(name, 0) + 1
        return measured

    def clear(self) -> None:
        self.added.clear()
        self.total.clear()
        self.calls.clear()

    def lines(self) -> list[str]:
        return [f"  {name:<34} {self.calls[name]:>5} {self.added[name]:>9,} {self.total[name]:>9,}"
                for name in self.added]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.memory_steps", description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=30_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--batch", type=int, default=None, help="[matching] batch_articles (default: the configured)")
    args = ap.parse_args(argv)

    import matching.align
    import matching.incremental
    import warehouse.matches
    import warehouse.matches_incremental
    from bench.corpus import make_project
    from core.config import load_settings
    from core.version import describe
    from crosscheck import jobs

    steps = Steps()
    for name in JOB_FUNCTIONS:
        setattr(jobs, name, steps.wrap(name, getattr(jobs, name)))
    for module, name in ((matching.align, "cross_reference"), (warehouse.matches, "store_matches"),
                         (matching.incremental, "match_increment"),
                         (warehouse.matches_incremental, "store_increment")):
        setattr(module, name, steps.wrap(f"  {name}", getattr(module, name)))
    tmp = Path(tempfile.mkdtemp(prefix="crosscheck-memory-"))
    try:
        config, _ = make_project(tmp / "project", args.articles, args.seed)
        settings = load_settings(config, env={"CROSSCHECK_OFFLINE": "1"})
        if args.batch:
            settings = replace(settings, match_batch=args.batch)
        print(f"plain full run on {args.articles:,} generated reports, [matching] batch_articles "
              f"{settings.match_batch:,}, code {describe()}; resident before: {_status('VmRSS'):,} MB")
        for story in settings.story_ids:
            summary = jobs.run_story(settings, settings.story(story), chunk_size=settings.chunk_size)
            print(f"\n{story}: {summary.articles_seen:,} articles, {summary.claims:,} claims, matching "
                  f"{summary.match_mode} {summary.match_changes or ''}")
            print(f"  {'function':<34} {'calls':>5} {'added MB':>9} {'total MB':>9}")
            print("\n".join(steps.lines()))
            steps.clear()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
