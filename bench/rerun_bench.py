"""Incremental runs: the time of a re-run with nothing new as a share of the first run's time, for the
Prefect flow and for the plain job, on the bundled corpus plus distinct variants of it.

    python -m bench.rerun_bench [--copies 20]

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
from crosscheck.config import load_settings


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=20)
    args = ap.parse_args(argv)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from crosscheck import jobs
    from flows.pipeline import crosscheck_flow

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("plain", "prefect"):
            config = make_project(Path(tmp) / mode, copies=args.copies, db="var/bench.duckdb") / "crosscheck.toml"
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
            second = go()
            t2 = time.perf_counter()
            rows.append((mode, first.articles_seen, t1 - t0, second.skipped_unchanged, t2 - t1))
    print(f"{'runner':<10}{'articles':>9}{'first run s':>13}{'re-run s':>10}{'re-run skipped':>16}{'share':>8}")
    for mode, n, first_s, skipped, second_s in rows:
        print(f"{mode:<10}{n:>9}{first_s:>13.2f}{second_s:>10.2f}{skipped:>16}{second_s / first_s:>8.1%}")


if __name__ == "__main__":
    main()
