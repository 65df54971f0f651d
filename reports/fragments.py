"""One fact's share of each report file, and the four files put together from the shares of every fact.

One job: split rendering along facts. Everything a report shows about a fact (its row in "At a glance", its
section with the timeline chart and the data behind it, its Markdown, its CSV rows) depends on that fact alone:
its consensus row, its discrepancies with their review state, its timeline marks and steps. `render_fact`
renders those shares; `render_files` puts a story's files together from a `ReportPage` (the header and the
totals) and the shares, in the facts' order. A full render (`render_story`) and an incremental one
(reports/cache.py keeps the shares of unchanged facts) go through the same two functions, so they write the same
bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from markupsafe import Markup

from reports.csv_export import DISCREPANCY_COLUMNS, FACT_COLUMNS, cell, discrepancy_row, fact_row
from reports.html import _assets, environment
from reports.markdown import dropped_lines, glance_line, header_lines, section_lines
from reports.marks import TimelineMark
from reports.model import (
    REVIEW_STATES,
    Discrepancy,
    Fact,
    StoryReport,
    TimelineStep,
    discrepancy_order,
    kinds_present,
    verdict_counts,
)
from reports.svg import timeline_chart

FILES = ("report.html", "report.md", "discrepancies.csv", "facts.csv")
SortKey = tuple[int, str, int, str, str, str]  # discrepancy_order with the time as ISO text (JSON-safe)


@dataclass(frozen=True, slots=True)
class FactShare:
    """What one fact puts into each of its story's report files."""

    fact_id: str
    glance_html: str  # its row of the "At a glance" table
    section_html: str  # its section: figures, chart, data, discrepancies
    glance_md: str  # its row of the Markdown table
    section_md: str  # its Markdown section
    fact_csv: str  # its row of facts.csv
    discrepancy_csv: tuple[tuple[SortKey, str], ...]  # its rows of discrepancies.csv, with where each sorts
    states: dict[str, int]  # its discrepancies by review state
    reviews: dict[str, str | None]  # the latest verdict id of each of its discrepancy keys, as rendered


@dataclass(frozen=True, slots=True)
class ReportPage:
    """A story's report header and totals: what the files show besides the facts' shares."""

    story: str
    title: str
    event_date: str | None
    generated_at: datetime
    run_id: str | None
    facts: tuple[Fact, ...]
    discrepancy_count: int
    review: dict[str, int] = field(default_factory=dict)
    # reports left out as telling of another event (warehouse/events.py dropped_reports), newest first
    dropped: tuple[dict[str, Any], ...] = ()

    def review_counts(self) -> dict[str, int]:
        return {s: self.review.get(s, 0) for s in REVIEW_STATES}

    def verdict_counts(self) -> dict[str, int]:
        return verdict_counts(self.facts)

    @property
    def kinds(self) -> list[str]:
        return kinds_present(self.facts)


def page_of(head: StoryReport | ReportPage, facts: Sequence[Fact], shares: Mapping[str, FactShare],
            dropped: Sequence[dict[str, Any]] = ()) -> ReportPage:
    """The page of a story whose facts have these shares."""
    review = dict.fromkeys(REVIEW_STATES, 0)
    for f in facts:
        for state, n in shares[f.fact_id].states.items():
            review[state] = review.get(state, 0) + n
    return ReportPage(head.story, head.title, head.event_date, head.generated_at, head.run_id, tuple(facts),
                      sum(review.values()), review, tuple(dropped))


@cache
def _fact_macros():  # type: ignore[no-untyped-def]
    return environment().get_template("fact.html.j2").module


def _csv_line(row: Sequence[object]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([cell(v) for v in row])
    return buf.getvalue()


def sort_key(d: Discrepancy) -> SortKey:
    state, story, kind, label, first, key = discrepancy_order(d)
    return (state, story, kind, label, first.isoformat(timespec="microseconds"), key)


def render_fact(fact: Fact, discrepancies: Sequence[Discrepancy], marks: Sequence[TimelineMark],
                steps: Sequence[TimelineStep], reviews: Mapping[str, str] | None = None) -> FactShare:
    """One fact's share of every file. `discrepancies` are the fact's, `reviews` the story's latest verdict ids
    (what the review state was read with)."""
    ds = sorted(discrepancies, key=discrepancy_order)
    chart = timeline_chart(fact, marks, steps) if fact.numeric else None
    macros = _fact_macros()
    states = dict.fromkeys(REVIEW_STATES, 0)
    for d in ds:
        states[d.review_state] = states.get(d.review_state, 0) + 1
    return FactShare(
        fact_id=fact.fact_id,
        glance_html=str(macros.glance_row(fact, ds)),
        section_html=str(macros.fact_section(fact, ds, chart, marks)),
        glance_md=glance_line(fact, ds),
        section_md="\n".join(section_lines(fact, ds, steps)),
        fact_csv=_csv_line(fact_row(fact)),
        discrepancy_csv=tuple((sort_key(d), _csv_line(discrepancy_row(d))) for d in ds),
        states=states,
        reviews={d.key: (reviews or {}).get(d.key) for d in ds},
    )


# Where the facts' rows and sections go in the rendered page: they are joined in afterwards, so that megabytes of
# already-escaped HTML are neither wrapped in Markup nor copied by the template.
_GLANCE = "\x00crosscheck-glance-rows\x00"
_SECTIONS = "\x00crosscheck-fact-sections\x00"


def render_files(page: ReportPage, shares: Mapping[str, FactShare]) -> dict[str, str]:
    """The four files of a story: {file name: text}."""
    ordered = [shares[f.fact_id] for f in page.facts]
    shell = environment().get_template("report.html.j2").render(
        report=page, glance_rows=Markup(_GLANCE), fact_sections=Markup(_SECTIONS), **_assets())
    head, rest = shell.split(_GLANCE)
    middle, tail = rest.split(_SECTIONS)
    html = "".join([head, *(s.glance_html for s in ordered), middle, *(s.section_html for s in ordered), tail])
    md = "\n".join([*header_lines(page), *(s.glance_md for s in ordered), "", "## Facts", "",
                    *(s.section_md for s in ordered), *dropped_lines(page.dropped)]).rstrip() + "\n"
    rows = sorted((row for s in ordered for row in s.discrepancy_csv), key=lambda r: r[0])
    return {
        "report.html": html,
        "report.md": md,
        "discrepancies.csv": _csv_line(DISCREPANCY_COLUMNS) + "".join(r[1] for r in rows),
        "facts.csv": _csv_line(FACT_COLUMNS) + "".join(s.fact_csv for s in ordered),
    }


def render_story(report: StoryReport, reviews: Mapping[str, str] | None = None) -> dict[str, str]:
    """The four files of a story rendered from scratch."""
    shares = {f.fact_id: render_fact(f, report.discrepancies_of(f.fact_id), report.marks.get(f.fact_id, ()),
                                     report.steps.get(f.fact_id, ()), reviews) for f in report.facts}
    return render_files(page_of(report, report.facts, shares), shares)
