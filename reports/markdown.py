"""The report as Markdown: the same facts, figures and discrepancies as the HTML, for wikis and tickets.

One job: render a `StoryReport` as text. Scraped text is escaped for Markdown (punctuation that would make
emphasis, links or tables is backslash-escaped) and for the HTML a Markdown renderer would pass through
(`<`, `>` and `&` become entities), so a sentence carrying `<script>` stays words. The timeline charts are
given as each group's sequence of figures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from reports import labels
from reports.model import ClaimSide, Discrepancy, Fact, StoryReport, TimelineStep
from reports.review import STATE_LABELS, VERDICT_LABELS

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_SPACE = re.compile(r"\s+")
_BLOCK_START = re.compile(r"^(\s*)([#>+\-=]|\d+(?=[.)]))")


def md(text: object) -> str:
    """Escape inline text for Markdown: `<`, `>`, `&` as entities; emphasis, code, link and table punctuation
    backslashed; one line."""
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return _SPACE.sub(" ", s)  # one line: newlines would break tables and quotes


def md_start(text: object) -> str:
    """`md`, plus a backslash before what would start a heading, list or quote at the start of a line."""
    def escape(m: re.Match[str]) -> str:
        mark = m.group(2)
        return m.group(1) + (mark + "\\" if mark[0].isdigit() else "\\" + mark)

    return _BLOCK_START.sub(escape, md(text), count=1)


def _url(link: str) -> str:
    return link.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def _side(s: ClaimSide, kind: str) -> list[str]:
    before, words, after = s.highlight()
    sentence = md_start(before) + (f"**{md(words)}**" if words else "") + md(after)
    link = f"[{md(s.title or s.link)}](<{_url(s.link)}>)" if s.link else f"{md(s.title or 'untitled')} (no web link)"
    written = f" (as written: “{md(s.value_text)}”)" if s.value_text else ""
    return [
        f"- **{md(labels.format_value(s.value, kind))}**{written}: {md(s.who)}, "
        f"{md(labels.group_label(s.group))}; {md(s.outlet or 'unknown outlet')}, "
        f"{md(labels.format_published(s.published))}; {link}",
        f"  > {sentence}",
    ]


def _discrepancy(d: Discrepancy) -> list[str]:
    lines = [f"#### {md(d.label)}: {md(labels.format_value(d.a.value, d.kind))} vs "
             f"{md(labels.format_value(d.b.value, d.kind))}", "",
             f"Key `{d.key}` · {md(labels.SCOPE_LABELS.get(d.scope, d.scope))} · review: "
             f"**{md(STATE_LABELS.get(d.review_state, d.review_state))}**", ""]
    lines += _side(d.a, d.kind)
    lines += _side(d.b, d.kind)
    if d.review:
        note = f": “{md(d.review.note)}”" if d.review.note else ""
        lines += ["", f"Verdict: **{md(VERDICT_LABELS.get(d.review.verdict, d.review.verdict))}** by "
                      f"{md(d.review.reviewer)}, {md(labels.format_published(d.review.reviewed_at))}{note}"]
    return [*lines, ""]


def _current(f: Fact) -> str:
    if not f.numeric:
        return "named by " + ", ".join(md(labels.group_label(g.group)) for g in f.current)
    if f.consensus and f.verdict != "conflict":
        return f"**{md(labels.format_value(f.consensus, f.kind))}**"
    return "; ".join(f"{md(labels.group_label(g.group))} {md(labels.format_value(g.value, f.kind))}"
                     for g in f.current)


def render_markdown(report: StoryReport) -> str:
    """One story's report as Markdown."""
    out = header_lines(report)
    out += [glance_line(f, report.discrepancies_of(f.fact_id)) for f in report.facts]
    out += ["", "## Facts", ""]
    for f in report.facts:
        out += section_lines(f, report.discrepancies_of(f.fact_id), report.steps.get(f.fact_id, ()))
    return "\n".join(out).rstrip() + "\n"


class _Page(Protocol):
    """What the header reads: a StoryReport or a reports.fragments.ReportPage."""

    story: str
    title: str
    generated_at: datetime
    run_id: str | None
    facts: Sequence[Fact]

    @property
    def discrepancy_count(self) -> int: ...
    def review_counts(self) -> dict[str, int]: ...
    def verdict_counts(self) -> dict[str, int]: ...


def header_lines(page: _Page) -> list[str]:
    """The title, the totals and the head of the "At a glance" table."""
    rc = page.review_counts()
    vc = page.verdict_counts()
    return [
        f"# {md(page.title)}", "",
        f"crosscheck discrepancy report · story `{page.story}` · generated "
        f"{md(labels.format_published(page.generated_at))}" + (f" · matching run `{page.run_id}`"
                                                                if page.run_id else ""), "",
        f"{len(page.facts)} facts · {vc.get('conflict', 0)} in conflict · {vc.get('updated', 0)} moved · "
        f"{page.discrepancy_count} conflicting claim pairs · {rc['new'] + rc['changed']} need review "
        f"({rc['new']} new, {rc['changed']} evidence changed)", "",
        "## At a glance", "",
        "| Fact | Verdict | Consensus or current figures | Voices | Discrepancies |",
        "|---|---|---|---:|---:|",
    ]


def glance_line(f: Fact, ds: Sequence[Discrepancy]) -> str:
    """The fact's row of the "At a glance" table."""
    n = len(ds)
    return (f"| {md(f.label)} | {md(labels.VERDICT_LABELS.get(f.verdict, f.verdict))} | {_current(f)} | "
            f"{f.voices} | {n or '–'} |")


def section_lines(f: Fact, ds: Sequence[Discrepancy], steps: Sequence[TimelineStep]) -> list[str]:
    """The fact's section: verdict, explanation, each group's figures over time, its discrepancies."""
    out = [f"### {md(f.label)}: {md(labels.VERDICT_LABELS.get(f.verdict, f.verdict))}", "",
           f"{md(f.explanation)}", ""]
    if f.numeric and steps:
        out += ["| Group | Figures over time (first seen) |", "|---|---|"]
        groups: dict[str, list[str]] = {}
        for s in steps:
            when = labels.format_published(s.first_seen) if s.first_seen else "undated"
            groups.setdefault(s.group, []).append(
                f"{md(labels.format_value(s.value, f.kind))} ({md(labels.speaker_label(s.speaker, s.outlet))}, "
                f"{md(when)})")
        for group, seq in groups.items():
            out.append(f"| {md(labels.group_label(group))} | {' → '.join(seq)} |")
        out.append("")
    if ds:
        out += [f"Discrepancies: {len(ds)}", ""]
        for d in ds:
            out += _discrepancy(d)
    return out


def dropped_lines(dropped: Sequence[dict[str, Any]]) -> list[str]:
    """The reports left out as telling of another event: title, link, reason and the evidence either way."""
    if not dropped:
        return []
    out = ["", "## Reports left out: another event", "",
           "Their figures are not in the facts above. Keep one anyway with "
           "`crosscheck review event ARTICLE_ID --action keep`.", ""]
    for r in dropped:
        who = " (dropped by a reviewer)" if r.get("override") == "drop" else ""
        out.append(f"- **{md(r.get('title') or r.get('url') or r['article_id'])}**{who} `{r['article_id']}`"
                   + (f" <{r['url']}>" if r.get("url") and str(r["url"]).startswith("http") else ""))
        out.append(f"  - {md(r['reason'])}")
        for label, key in (("against the story", "evidence_against"), ("for the story", "evidence_for")):
            if r.get(key):
                out.append(f"  - {label}: {md('; '.join(r[key]))}")
    return out
