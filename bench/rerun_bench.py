"""Incremental runs: the time of a re-run as a share of the first run's time, for the Prefect flow and for the
plain job, on the bundled corpus plus distinct variants of it; the re-run finds nothing new, or `--new` more
variants written in between (then matching is incremental and only the touched facts' reports are rendered).

    python -m bench.rerun_bench [--copies 20] [--new 0]

Both runs of a pair happen in the same process (the flow's one-off Prefect start-up is paid before the
first timed run), on a fresh warehouse in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from bench.projects import make_project
from core.config import load_settings


def add_variants(corpus: Path, count: int) -> None:
    """`count` new reports: bundled ones with a distinct note, so each is a new article with new claims."""
    originals = sorted(p for p in corpus.glob("[0-9]*.md") if "-v" not in p.stem)
    for i in range(count):
        p = originals[i % len(originals)]
        text = p.read_text(encoding="utf-8")
        (corpus / f"{p.stem}-new{i:03d}.md").write_text(f"{text}\nUpdate: new report {i} on {p.stem}.\n",
                                                        encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--new", type=int, default=0, help="reports added before the re-run (default: none)")
    args = ap.parse_args(argv)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from crosscheck import jobs
    from flows.pipeline import crosscheck_flow

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("plain", "prefect"):
            root = make_project(Path(tmp) / mode, copies=args.copies, db="var/bench.duckdb")
            config = root / "crosscheck.toml"
            settings = load_settings(config)
            story = settings.story("iran-2020")
            if mode == "prefect":
                from prefect import flow

                flow(lambda: None, name="warm-up")()  # start the temporary Prefect API before timing

            def go(mode: str = mode, config: Path = config, settings=settings, story=story) -> jobs.RunSummary:
                if mode == "prefect":
                    return crosscheck_flow(config=str(config))[0]
                return jobs.run_story(settings, story)

            t0 = time.perf_counter()
            first = go()
            t1 = time.perf_counter()
            add_variants(root / "seeds" / "corpus" / "iran-2020", args.new)
            t2 = time.perf_counter()
            second = go()
            t3 = time.perf_counter()
            rows.append((mode, first.articles_seen, t1 - t0, second.extracted, second.skipped_unchanged,
                         second.match_mode, t3 - t2))
    print(f"{'runner':<10}{'articles':>9}{'first run s':>13}{'re-run s':>10}{'extracted':>11}{'skipped':>9}"
          f"{'matching':>13}{'share':>8}")
    for mode, n, first_s, extracted, skipped, matching, second_s in rows:
        print(f"{mode:<10}{n:>9}{first_s:>13.2f}{second_s:>10.2f}{extracted:>11}{skipped:>9}{matching:>13}"
              f"{second_s / first_s:>8.1%}")


if __name__ == "__main__":
    main()
