"""Write the reports of one or more stories to a folder: HTML, Markdown and CSV per story.

One job: compose model -> writers -> files. `write_story_reports(db_path, story, out_dir)` reads the story
from the warehouse on a read-only connection (closed before anything is written) and writes

    <out>/<story>/report.html           self-contained report (inline CSS, JS and SVG)
    <out>/<story>/report.md             the same in Markdown
    <out>/<story>/discrepancies.csv     one row per discrepancy, both sides, review state
    <out>/<story>/facts.csv             one row per fact

each to a temporary name first, then renamed. The CLI (`crosscheck report`) and flows call this.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crosscheck.config import Settings, Story
from crosscheck.errors import ConfigError
from reports.csv_export import discrepancies_csv, facts_csv
from reports.html import render_report
from reports.markdown import render_markdown
from reports.model import StoryReport, load_story_report, reading


@dataclass(frozen=True, slots=True)
class Written:
    """What one story's report run produced."""

    story: str
    paths: tuple[Path, ...]
    facts: int
    discrepancies: int
    need_review: int


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
    """The four files of one story's report, in `<out_dir>/<story>/`."""
    folder = story_dir(out_dir, report.story)
    folder.mkdir(parents=True, exist_ok=True)
    paths = (
        write_text(folder / "report.html", render_report(report)),
        write_text(folder / "report.md", render_markdown(report)),
        write_text(folder / "discrepancies.csv", discrepancies_csv(report.discrepancies)),
        write_text(folder / "facts.csv", facts_csv(report.facts)),
    )
    counts = report.review_counts()
    return Written(report.story, paths, len(report.facts), len(report.discrepancies),
                   counts["new"] + counts["changed"])


def _story_meta(settings: Settings | None, story_id: str) -> Story | None:
    if settings is None:
        return None
    try:
        return settings.story(story_id)
    except ConfigError:
        return None  # a story in the warehouse whose file is gone still gets a report


def write_story_reports(db_path: Path, story_id: str, out_dir: Path, *, settings: Settings | None = None) -> Written:
    """Read one story from the warehouse (read-only, closed before writing) and write its report files."""
    meta = _story_meta(settings, story_id)
    with reading(db_path) as con:
        report = load_story_report(con, story_id, title=meta.title if meta else None,
                                   event_date=meta.event_date if meta else None)
    return write_report_files(report, out_dir)
