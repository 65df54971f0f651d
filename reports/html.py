"""The self-contained HTML report, and the review page the local server shows.

One job: render records into HTML with Jinja2 (templates/). Autoescaping is on for every template, so all
scraped text (titles, outlets, speakers, sentences) is escaped; links are emitted only for http(s) URLs;
the timeline charts are inline SVG built with every text escaped (svg.py). CSS and the filter script are
inlined from templates/report.css and templates/filters.js, and a Content-Security-Policy allows only that
one script (by its sha256), so the file needs nothing from the network and would not run an injected script
even if one slipped through.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from reports import labels
from reports.html_text import esc
from reports.marks import TimelineMark, outlet_names, spelled
from reports.model import Discrepancy, StoryReport
from reports.review import STATE_LABELS, VERDICT_LABELS, VERDICTS
from reports.svg import Chart, timeline_chart


def asset(name: str) -> str:
    """A file of reports/templates as text."""
    return (resources.files("reports") / "templates" / name).read_text("utf-8")


def script_hash(script: str) -> str:
    """The CSP source for one inline script: 'sha256-<base64 digest>'."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(script: str, *, forms: bool = False, header: bool = False) -> str:
    """Nothing from anywhere, except inline styles, data: images and this one inline script. As an HTTP header
    (`header`) it also forbids framing (browsers ignore frame-ancestors in a <meta> policy)."""
    form_action = "'self'" if forms else "'none'"
    policy = (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src {script_hash(script)}; "
              f"base-uri 'none'; form-action {form_action}")
    return policy + "; frame-ancestors 'none'" if header else policy


def search_text(d: Discrepancy) -> str:
    """Lower-case text a discrepancy is found by in the page's search box."""
    parts = [d.label, d.a.who, d.b.who, d.a.outlet or "", d.b.outlet or "", d.a.sentence, d.b.sentence, d.key,
             d.review.note if d.review and d.review.note else "", d.review.reviewer if d.review else ""]
    return " ".join(parts).lower()


def _outlets_cell(m: TimelineMark) -> str:
    """The outlet of one report; for several, the first outlets and how many reports: 'Reuters, AP and 3 more ·
    12 reports'."""
    if m.reports == 1:
        return m.outlets[0] or ""
    return f"{outlet_names(m)} · {m.reports} reports"


def data_rows(marks: Sequence[TimelineMark], kind: str) -> Markup:
    """The rows of a chart's data table, one per mark (every text escaped): a plain loop, since a fact can have
    thousands. A mark of one report gives the row one claim always gave."""
    fp, gl, fv = labels.format_published, labels.group_label, labels.format_value
    # speakers, groups and values repeat: each is formatted and escaped once
    who: dict[tuple[str | None, str | None], str] = {}
    group: dict[str, str] = {}
    value: dict[object, str] = {}
    rows = []
    for m in marks:
        w = esc(fp(m.published) if m.published else "undated")
        s = who.get((m.speaker, m.own_outlet))
        if s is None:
            s = who[(m.speaker, m.own_outlet)] = esc(m.who)
        g = group.get(m.group)
        if g is None:
            g = group[m.group] = esc(gl(m.group))
        v = value.get(m.value)
        if v is None:
            v = value[m.value] = esc(fv(m.value, kind))
        rows.append(f"          <tr><td>{w}</td><td>{s}</td><td>{g}</td>\n            <td>{esc(_outlets_cell(m))}</td>"
                    f"<td>{v}</td><td>{esc(spelled(m))}</td></tr>\n")
    return Markup("".join(rows))


@cache
def environment() -> Environment:
    env = Environment(loader=PackageLoader("reports", "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(
        format_value=labels.format_value, format_published=labels.format_published, group_label=labels.group_label,
        side_class=labels.side_class, kind_label=labels.kind_label, speaker_label=labels.speaker_label,
        verdict_labels=labels.VERDICT_LABELS, verdict_help=labels.VERDICT_HELP, verdict_order=labels.VERDICT_ORDER,
        scope_labels=labels.SCOPE_LABELS, state_labels=STATE_LABELS, review_labels=VERDICT_LABELS,
        review_verdicts=VERDICTS, search_text=search_text, data_rows=data_rows,
    )
    return env


def charts(report: StoryReport) -> dict[str, Chart]:
    """The timeline chart of every numeric fact that has dated values."""
    out = {}
    for f in report.facts:
        if not f.numeric:
            continue
        chart = timeline_chart(f, report.marks.get(f.fact_id, ()), report.steps.get(f.fact_id, ()))
        if chart is not None:
            out[f.fact_id] = chart
    return out


def _assets(*, forms: bool = False) -> dict[str, Any]:
    js = asset("filters.js")
    return {"css": Markup(asset("report.css")), "js": Markup(js), "csp": content_security_policy(js, forms=forms)}


def render_report(report: StoryReport) -> str:
    """One story's report as a self-contained HTML document (put together fact by fact: reports/fragments.py)."""
    from reports.fragments import render_story

    return render_story(report)["report.html"]


def render_review_page(discrepancies: Sequence[Discrepancy], *, token: str, reviewer: str,
                       fact_verdicts: dict[str, str], stories: Sequence[str], message: str | None = None,
                       error: str | None = None, story: str | None = None) -> str:
    """The review server's page: every current discrepancy with its state and a verdict form."""
    kinds = sorted({d.kind for d in discrepancies},
                   key=lambda k: labels.KIND_ORDER.index(k) if k in labels.KIND_ORDER else 99)
    counts = {"new": 0, "changed": 0, "reviewed": 0}
    for d in discrepancies:
        counts[d.review_state] = counts.get(d.review_state, 0) + 1
    return environment().get_template("review.html.j2").render(
        discrepancies=discrepancies, token=token, reviewer=reviewer, fact_verdicts=fact_verdicts, stories=stories,
        story=story, kinds=kinds, counts=counts, message=message, error=error, **_assets(forms=True))


def page_csp() -> str:
    """The Content-Security-Policy header the review server sends with its page."""
    return content_security_policy(asset("filters.js"), forms=True, header=True)
