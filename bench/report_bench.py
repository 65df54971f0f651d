"""Report writing time and size per story: every fact rendered from scratch (the report cache emptied first), on a
project whose warehouse is already populated (`crosscheck run` on it before); optionally the reports' share of a
re-run after 1 % new reports.

    python -m bench.report_bench [--config crosscheck.toml] [--repeat 3]
    python -m bench.report_bench --config DIR/crosscheck.toml --rerun 10000   # DIR made by `bench.corpus`

Per story: claims behind the charts (`fact_members` rows with a value), the marks the charts draw, the median
wall time of `reports.build.write_story_reports` with an empty cache (read, render, write; in one warm process),
and report.html's size. The files go to a temporary folder; the project's own reports are left alone (its report
cache is emptied and written again).

`--rerun ARTICLES` (a `bench.corpus` project of ARTICLES reports): on a copy of the project, the reports are written
once (so the cache is this code's), ARTICLES // 100 new reports are added, and the plain job runs every story again;
the time of each story's `write_story_reports` in that run, and how many of its facts were rendered again.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from core.config import load_settings
from reports.build import write_story_reports
from reports.cache import cache_dir
from reports.model import reading, story_ids

_MARK = re.compile(rb'<g class="mark ')


def claims_behind_charts(db: Path, story: str) -> int:
    with reading(db) as con:
        row = con.execute("SELECT count(*) FROM fact_members WHERE story = ? AND value_low IS NOT NULL",
                          [story]).fetchone()
    return int(row[0]) if row else 0


def fresh_write(db: Path, story: str, out: Path, settings: object) -> float:
    """Seconds to write one story's reports with nothing cached."""
    shutil.rmtree(cache_dir(db, story), ignore_errors=True)
    t0 = time.perf_counter()
    write_story_reports(db, story, out, settings=settings)  # type: ignore[arg-type]
    return time.perf_counter() - t0


def rerun(config: Path, articles: int) -> None:
    """The reports' part of a re-run after 1 % new reports, on a copy of the project."""
    import reports.build
    from bench.corpus import write_reports
    from crosscheck import jobs

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(config.parent, root, symlinks=True)
        settings = load_settings(root / "crosscheck.toml")
        for story in settings.story_ids:  # the cache as this code writes it
            write_story_reports(settings.db_path, story, settings.reports_dir, settings=settings)
        added = max(1, articles // 100)
        write_reports(settings.seeds_dir, added, start=articles)
        timed: dict[str, tuple[float, reports.build.Written]] = {}
        plain = reports.build.write_story_reports

        def timing(db: Path, story: str, out: Path, **kw: object) -> reports.build.Written:
            t0 = time.perf_counter()
            written = plain(db, story, out, **kw)  # type: ignore[arg-type]
            timed[story] = (time.perf_counter() - t0, written)
            return written

        reports.build.write_story_reports = timing  # type: ignore[assignment]
        try:
            t0 = time.perf_counter()
            for story in settings.story_ids:
                jobs.run_story(settings, settings.story(story), chunk_size=settings.chunk_size)
            wall = time.perf_counter() - t0
        finally:
            reports.build.write_story_reports = plain
    print(f"re-run after {added:,} new reports (plain job, every story): {wall:.2f} s")
    print(f"{'story':<12} {'facts rendered':>15} {'write s':>8}")
    for story, (seconds, written) in timed.items():
        print(f"{story:<12} {f'{written.rendered} of {written.facts}':>15} {seconds:>8.2f}")
    print(f"{'all':<12} {'':>15} {sum(s for s, _ in timed.values()):>8.2f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", type=Path, default=Path("crosscheck.toml"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rerun", type=int, metavar="ARTICLES", default=0,
                    help="also time the reports of a re-run after ARTICLES // 100 new reports (bench.corpus project)")
    args = ap.parse_args(argv)
    settings = load_settings(args.config)
    db = settings.db_path
    with reading(db) as con:
        stories = story_ids(con)
    print(f"{db}: fresh report writes (empty cache), median of {args.repeat}, one process")
    print(f"{'story':<12} {'claims':>8} {'marks':>7} {'write s':>8} {'report.html MB':>15}")
    total = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        fresh_write(db, stories[0], out, settings)  # warm-up: imports, templates
        for story in stories:
            seconds = statistics.median(fresh_write(db, story, out, settings) for _ in range(args.repeat))
            html = (out / story / "report.html").read_bytes()
            total += seconds
            print(f"{story:<12} {claims_behind_charts(db, story):>8,} {len(_MARK.findall(html)):>7,} "
                  f"{seconds:>8.2f} {len(html) / 1e6:>15.2f}")
    print(f"{'all':<12} {'':>8} {'':>7} {total:>8.2f}")
    if args.rerun:
        rerun(args.config.resolve(), args.rerun)


if __name__ == "__main__":
    main()
