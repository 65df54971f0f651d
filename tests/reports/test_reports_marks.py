"""Aggregated timeline marks on a real run: the bundled story plus eight outlets reprinting one Pentagon figure on one
day, and the same figure in one report three days later.

The reprints draw one mark (count, earliest time, outlets named in publication order, the rest counted, escaped);
the later report is a mark of its own, drawn and worded as a single report always was; the chart's data table has a
row per mark; and the warehouse's aggregation (reports/marks.py) equals grouping the claims one by one in Python.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from reports_support import (
    IMG_PAYLOAD,
    LATER_OUTLET,
    REPRINT_FIGURE,
    REPRINT_OUTLETS,
    STORY,
    write_config,
    write_reprints,
)
from typer.testing import CliRunner

from bench.projects import make_project
from core.config import Settings, load_settings
from crosscheck.cli import app
from crosscheck.jobs import run_story
from reports.build import write_story_reports
from reports.html import data_rows
from reports.marks import OUTLETS_KEPT, TimelineMark, load_marks, outlet_names, spelled
from reports.model import Fact, load_facts, load_steps, reading
from reports.svg import TimeScale, timeline_chart

SPEAKER = "US Department of Defense"
FACT = "Missiles launched (in total)"


@pytest.fixture(scope="module")
def reprinted(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The bundled story plus the reprints, run for real (collect, extract, store, match, reports)."""
    root = make_project(tmp_path_factory.mktemp("reprints"))
    write_reprints(root / "seeds" / "corpus" / STORY)
    config = write_config(root, root / "var" / "test.duckdb", root / "seeds", root / "var" / "reports")
    settings = load_settings(config, env={})
    summary = run_story(settings, settings.story(STORY))
    assert summary.status in ("ok", "partial"), summary.errors
    return settings


def _fact(settings: Settings, label: str = FACT) -> tuple[Fact, tuple[TimelineMark, ...], tuple[Any, ...]]:
    with reading(settings.db_path) as con:
        fact = next(f for f in load_facts(con, STORY) if f.label == label)
        marks = load_marks(con, STORY, [fact.fact_id])[fact.fact_id]
        steps = load_steps(con, STORY, [fact.fact_id]).get(fact.fact_id, ())
    return fact, marks, steps


def _figure_marks(marks: tuple[TimelineMark, ...]) -> list[TimelineMark]:
    return [m for m in marks if m.speaker == SPEAKER and m.value == (REPRINT_FIGURE, REPRINT_FIGURE)]


def test_reprints_on_one_day_are_one_mark_another_day_another(reprinted: Settings) -> None:
    _, marks, _ = _fact(reprinted)
    reprints, later = _figure_marks(marks)
    assert reprints.published == datetime(2020, 1, 9, 9, 15), "drawn at the earliest reprint"
    assert (reprints.reports, reprints.claims, reprints.outlet_count) == (8, 8, 8)
    assert reprints.outlets == REPRINT_OUTLETS[:OUTLETS_KEPT], "outlets in the order they published it"
    assert reprints.spellings == ("17",) and reprints.group == "US" and reprints.side == "US"
    assert later.published == datetime(2020, 1, 12, 8, 0)
    assert (later.reports, later.claims, later.outlets, later.outlet_count) == (1, 1, (LATER_OUTLET,), 1)
    assert outlet_names(reprints) == f"{', '.join(REPRINT_OUTLETS[:4])} and 4 more"
    assert outlet_names(later) == LATER_OUTLET and spelled(later) == "17"


def _marks_in(svg: str) -> list[tuple[str, str, str, str]]:
    """(shape, data-reports or "", tooltip as in the markup, the rest of the mark) of every mark."""
    return re.findall(r'<g class="mark (\w+)"(?: data-reports="(\d+)")?><title>(.*?)</title>(.*?)</g>', svg, re.S)


def test_the_reprints_mark_says_how_many_and_names_the_outlets_escaped(reprinted: Settings) -> None:
    fact, marks, steps = _fact(reprinted)
    chart = timeline_chart(fact, marks, steps)
    assert chart is not None
    svg = str(chart.svg)
    many = [m for m in _marks_in(svg) if m[1] == "8"]
    assert len(many) == 1, "eight reprints on one day: one mark"
    shape, _, tip, rest = many[0]
    img = "&lt;img src=x onerror=alert(1)&gt;"
    assert shape == "exact" and tip == (
        f"{SPEAKER} · US\n17 (“17”)\n8 reports on 9 Jan 2020, the first at 09:15 UTC\n"
        f"Reprint {img} Daily, Gazette One, Gazette Two, Gazette Three and 4 more")
    assert 'r="8.6"' in rest, "larger than a single report's dot (r 5.0): 5 + 1.2 log2(8)"
    assert IMG_PAYLOAD not in svg and "<img" not in svg
    legend = next(e for e in chart.legend if e.label == SPEAKER)
    assert legend.reports == sum(m.claims for m in marks if m.speaker == SPEAKER and m.published), \
        "the legend still counts every dated claim of the speaker"


def test_a_single_report_mark_is_drawn_and_worded_as_before(reprinted: Settings) -> None:
    fact, marks, steps = _fact(reprinted)
    chart = timeline_chart(fact, marks, steps)
    assert chart is not None
    single = [m for m in _marks_in(str(chart.svg)) if LATER_OUTLET in m[2]]
    assert len(single) == 1
    shape, count, tip, rest = single[0]
    assert shape == "exact" and not count, "no data-reports attribute: the markup of a single report"
    assert tip == f"{SPEAKER} · US\n17 (“17”)\n{LATER_OUTLET} · 12 Jan 2020, 08:00 UTC"
    assert re.fullmatch(r'<circle cx="[\d.]+" cy="[\d.]+" r="5.0" fill="#[0-9a-f]{6}" stroke="#fff" '
                        r'stroke-width="1.2"/>', rest)
    # every mark of one report in the story reads: speaker · group, value (as written), outlet · time
    for _, n, text, _ in _marks_in(str(chart.svg)):
        if not n:
            assert re.fullmatch(r"[^\n]+ · [^\n]+\n[^\n]+\n[^\n]+ · \d+ \w{3} \d{4}, \d\d:\d\d UTC", text), text


def test_the_data_table_has_a_row_per_mark(reprinted: Settings, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    fact, marks, _ = _fact(reprinted)
    rows = str(data_rows(marks, fact.kind))
    assert rows.count("<tr>") == len(marks) < fact.claims
    img = "&lt;img src=x onerror=alert(1)&gt;"
    assert (f"<tr><td>9 Jan 2020, 09:15 UTC</td><td>{SPEAKER}</td><td>US</td>\n            <td>Reprint {img} Daily, "
            f"Gazette One, Gazette Two, Gazette Three and 4 more · 8 reports</td><td>17</td><td>17</td></tr>") in rows
    assert (f"<tr><td>12 Jan 2020, 08:00 UTC</td><td>{SPEAKER}</td><td>US</td>\n            <td>{LATER_OUTLET}</td>"
            "<td>17</td><td>17</td></tr>") in rows

    out = tmp_path / "out"
    write_story_reports(reprinted.db_path, STORY, out, settings=reprinted)
    html = (out / STORY / "report.html").read_text("utf-8")
    section = html[html.index(f'id="{fact.anchor}"'):]
    section = section[:section.index("</section>")]
    caption = re.search(r"<caption>(.*?)</caption>", section, re.S)
    assert caption and "fact_members" in caption.group(1) and "claims" in caption.group(1)
    assert section.count("<tr><td>") == len(marks)
    # the caption's command lists every claim of the fact, one per row
    command = re.search(r'crosscheck query "(.*?)" --format csv', html_lib.unescape(caption.group(1)))
    assert command and f"m.fact_id = '{fact.fact_id}'" in command.group(1)
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(reprinted.root / "crosscheck.toml"))
    result = CliRunner().invoke(app, ["query", command.group(1), "--format", "csv"])
    assert result.exit_code == 0, result.output
    listed = list(csv.DictReader(io.StringIO(result.output)))
    assert len(listed) == fact.claims == sum(m.claims for m in marks)
    assert sum(r["outlet"] in REPRINT_OUTLETS and r["value_low"] == "17.0" for r in listed) == len(REPRINT_OUTLETS)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_the_reprints_outlet_markup_stays_text_in_the_page(reprinted: Settings, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_story_reports(reprinted.db_path, STORY, out, settings=reprinted)
    html = (out / STORY / "report.html").read_text("utf-8")
    assert IMG_PAYLOAD not in html
    parsed = _Tags()
    parsed.feed(html)
    assert "img" not in parsed.tags
    assert "Reprint &lt;img src=x onerror=alert(1)&gt; Daily, Gazette One" in html


def _expected_marks(rows: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The marks, grouped claim by claim in Python: what reports/marks.py's SQL must give."""
    groups: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for row in rows:
        fact, _claim, _article, group, _side, low, high, published, _said, speaker, outlet = row
        speaker = speaker or None
        day: date | None = published.date() if published else None
        key = (fact, group, speaker, outlet if speaker is None else None, low, high, day)
        groups.setdefault(key, []).append(row)
    out = {}
    for key, claims in groups.items():
        claims.sort(key=lambda r: (r[7] is None, r[7] or datetime.min, r[1]))
        first_at: dict[str | None, datetime | None] = {}
        for r in claims:
            if r[10] not in first_at:
                first_at[r[10]] = r[7]
        outlets = sorted(first_at, key=lambda o: (first_at[o] is None, first_at[o] or datetime.min, o is None, o or ""))
        spellings: dict[str, int] = {}
        for r in claims:
            if r[8] and r[8].strip():
                spellings[r[8].strip()] = spellings.get(r[8].strip(), 0) + 1
        out[key] = {"published": claims[0][7], "first_claim": claims[0][1], "side": claims[0][4],
                    "claims": len(claims), "reports": len({r[2] for r in claims}),
                    "outlets": tuple(outlets[:OUTLETS_KEPT]), "outlet_count": len(outlets),
                    "spellings": tuple(sorted(spellings, key=lambda t: (-spellings[t], t)))}
    return out


RAW = """
    SELECT m.fact_id, m.claim_id, m.article_id, m.comparison_group, m.side, m.value_low, m.value_high, m.published,
           coalesce(c.value_text, c.when_text), c.speaker, a.outlet
    FROM fact_members AS m LEFT JOIN claims AS c ON c.claim_id = m.claim_id
    LEFT JOIN articles AS a ON a.article_id = m.article_id
    WHERE m.story = ? AND m.value_low IS NOT NULL
"""


def test_the_warehouse_aggregation_equals_grouping_claim_by_claim(reprinted: Settings) -> None:
    with reading(reprinted.db_path) as con:
        expected = _expected_marks(con.execute(RAW, [STORY]).fetchall())
        marks = load_marks(con, STORY)
        some = sorted(marks)[:3]
        assert load_marks(con, STORY, some) == {f: marks[f] for f in some}, "a few facts: the same marks"
    got = {}
    for fact_id, ms in marks.items():
        order = [(m.published is None, m.published or datetime.min, m.value[0]) for m in ms]
        assert order == sorted(order), "by earliest publication time, then value"
        for m in ms:
            key = (fact_id, m.group, m.speaker, m.own_outlet, m.value[0], m.value[1],
                   m.published.date() if m.published else None)
            got[key] = {"published": m.published, "first_claim": m.first_claim, "side": m.side, "claims": m.claims,
                        "reports": m.reports, "outlets": m.outlets, "outlet_count": m.outlet_count,
                        "spellings": m.spellings}
    assert got == expected
    assert sum(m["claims"] for m in got.values()) > len(got), "some claims share a mark"


def test_a_mark_weighs_as_its_claims_in_choosing_a_log_time_axis() -> None:
    first, later = datetime(2020, 1, 8), datetime(2020, 2, 7)
    assert not TimeScale.fit([first, later], 0, 100).log
    nine_then_one = TimeScale.fit([first, later], 0, 100, [9, 1])
    assert nine_then_one.log, "nine claims in the first mark: coverage is front-loaded"
    assert nine_then_one == TimeScale.fit([first] * 9 + [later], 0, 100), "as if drawn one by one"
