"""Write the reports of one or more stories to a folder: HTML, Markdown and CSV per story.

One job: compose model -> writers -> files. `write_story_reports(db_path, story, out_dir)` reads the story
from the warehouse on a read-only connection (closed before anything is written) and writes

    <out>/<story>/report.html           self-contained report (inline CSS, JS and SVG)
    <out>/<story>/report.md             the same in Markdown
    <out>/<story>/discrepancies.csv     one row per discrepancy, both sides, review state
    <out>/<story>/facts.csv             one row per fact

each to a temporary name first, then renamed. The CLI (`crosscheck report`) and flows call this.

Incremental: each fact's share of the files is kept beside the warehouse (reports/cache.py); only facts
whose content or review state changed since are read and rendered again, and a story where nothing changed
(same facts, stamps, verdicts, header and code) is not rewritten at all, so its files keep the time they were
generated. Otherwise the files are put together from the shares exactly as a render from scratch would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.config import Settings, Story
from core.errors import ConfigError
from reports.cache import ReportCache, cache_dir, render_version
from reports.fragments import FILES, FactShare, ReportPage, page_of, render_fact, render_files, render_story
from reports.marks import load_marks
from reports.model import (
    StoryReport,
    fact_stamps,
    latest_reviews,
    load_discrepancies,
    load_facts,
    load_steps,
    matching_run,
    reading,
)
from warehouse.db import utc_now
from warehouse.events import dropped_reports


@dataclass(frozen=True, slots=True)
class Written:
    """What one story's report run produced."""

    story: str
    paths: tuple[Path, ...]
    facts: int
    discrepancies: int
    need_review: int
    rendered: int = 0  # facts rendered this time (the others' shares came from the cache)
    written: bool = True  # false when nothing had changed and the files were left as they were


def write_text(path: Path, text: str) -> Path:
    """Write to `<name>.tmp`, then rename over `path`: a reader never sees half a report."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def story_dir(out_dir: Path, story: str) -> Path:
    """Where a story's report files go: `<out>/<story>/` (the flow's artifacts point at report.html there)."""
    return out_dir / story


def write_report_files(report: StoryReport, out_dir: Path) -> Written:
    """The four files of one story's report, rendered from scratch, in `<out_dir>/<story>/`."""
    folder = story_dir(out_dir, report.story)
    folder.mkdir(parents=True, exist_ok=True)
    texts = render_story(report)
    paths = tuple(write_text(folder / name, texts[name]) for name in FILES)
    counts = report.review_counts()
    return Written(report.story, paths, len(report.facts), len(report.discrepancies),
                   counts["new"] + counts["changed"], rendered=len(report.facts))


def _story_meta(settings: Settings | None, story_id: str) -> Story | None:
    if settings is None:
        return None
    try:
        return settings.story(story_id)
    except ConfigError:
        return None  # a story in the warehouse whose file is gone still gets a report


def write_story_reports(db_path: Path, story_id: str, out_dir: Path, *, settings: Settings | None = None,
                        generated_at: datetime | None = None) -> Written:
    """Read one story from the warehouse (read-only, closed before writing) and write its report files,
    rendering only the facts whose share is not cached (reports/cache.py). `generated_at` is the time the files
    say they were generated (default now); given, the files are written even when nothing changed."""
    meta = _story_meta(settings, story_id)
    folder = story_dir(out_dir, story_id)
    cache = ReportCache(cache_dir(db_path, story_id))
    shares: dict[str, FactShare] = {}
    with reading(db_path) as con:
        facts = load_facts(con, story_id)
        stamps = fact_stamps(con, story_id)
        reviews = latest_reviews(con, story_id)
        head = {"story": story_id, "title": (meta.title if meta else None) or story_id,
                "event_date": meta.event_date if meta else None, "run_id": matching_run(con, story_id)}
        dropped = dropped_reports(con, story_id)
        for f in facts:
            share = cache.share(f.fact_id, stamps.get(f.fact_id), reviews)
            if share is not None:
                shares[f.fact_id] = share
        stale = [f.fact_id for f in facts if f.fact_id not in shares]
        if stale:
            found = load_discrepancies(con, story_id, fact_ids=stale)
            marks = load_marks(con, story_id, stale)
            steps = load_steps(con, story_id, stale)
    fresh = {}
    for f in facts:
        if f.fact_id in stale:
            fresh[f.fact_id] = render_fact(f, [d for d in found if d.fact_id == f.fact_id],
                                           marks.get(f.fact_id, ()), steps.get(f.fact_id, ()), reviews)
    shares.update(fresh)
    state = {"render": render_version(), "head": head, "facts": [[f.fact_id, stamps.get(f.fact_id)] for f in facts],
             "dropped": [[r["article_id"], r["reason"], r["override"]] for r in dropped]}
    index = cache.written(out_dir)
    paths = tuple(folder / name for name in FILES)
    if (generated_at is None and not fresh and index is not None and index.get("state") == state
            and all(p.exists() for p in paths)):
        written = index["written"]
        return Written(story_id, paths, written["facts"], written["discrepancies"], written["need_review"],
                       rendered=0, written=False)
    page = page_of(ReportPage(head["story"], head["title"], head["event_date"], generated_at or utc_now(),
                              head["run_id"], (), 0), facts, shares, dropped)
    folder.mkdir(parents=True, exist_ok=True)
    texts = render_files(page, shares)
    for path in paths:
        write_text(path, texts[path.name])
    for fact_id, share in fresh.items():
        cache.put(share, stamps[fact_id])
    cache.prune(stamps)
    counts = page.review_counts()
    written = {"facts": len(facts), "discrepancies": page.discrepancy_count,
               "need_review": counts["new"] + counts["changed"]}
    cache.put_written(out_dir, {"state": state, "written": written})
    return Written(story_id, paths, written["facts"], written["discrepancies"], written["need_review"],
                   rendered=len(fresh))
