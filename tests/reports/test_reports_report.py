"""`crosscheck report`: self-contained HTML, Markdown and CSV from a populated warehouse, scraped text escaped."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

from reports_support import IMG_PAYLOAD, SCRIPT_PAYLOAD, STORY, Project
from typer.testing import CliRunner

from crosscheck.cli import app
from reports import labels
from reports.csv_export import cell
from reports.markdown import md, md_start
from reports.model import load_story_report, reading, safe_url
from reports.review import record_verdict
from reports.svg import timeline_chart
from warehouse.db import open_warehouse

runner = CliRunner()


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        else:
            self.text.append(data)


def parse(html: str) -> Elements:
    p = Elements()
    p.feed(html)
    return p


def test_report_command_writes_html_markdown_csv(project: Project) -> None:
    out = project.root / "out"
    result = runner.invoke(app, ["report", "--story", STORY, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == [STORY]
    names = sorted(p.name for p in (out / STORY).iterdir())
    assert names == ["discrepancies.csv", "facts.csv", "report.html", "report.md"]
    assert "to review" in result.output


def test_report_defaults_to_the_configured_reports_dir(project: Project) -> None:
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 0, result.output
    assert (project.settings.reports_dir / STORY / "report.html").is_file()
    assert project.settings.reports_dir == project.root / "reports"


def test_report_without_a_warehouse_fails_clearly(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    (tmp_path / "crosscheck.toml").write_text(f'[warehouse]\npath = "{tmp_path / "none.duckdb"}"\n')
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(tmp_path / "crosscheck.toml"))
    result = runner.invoke(app, ["report", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "run the pipeline first" in result.output


def _write(project: Project) -> dict[str, str]:
    out = project.root / "out"
    result = runner.invoke(app, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return {p.name: p.read_text("utf-8") for p in (out / STORY).iterdir()}


def test_html_is_self_contained(project: Project) -> None:
    html = _write(project)["report.html"]
    doc = parse(html)
    tags = [t for t, _ in doc.tags]
    assert "link" not in tags and "img" not in tags and "iframe" not in tags and "object" not in tags
    scripts = [a for t, a in doc.tags if t == "script"]
    assert len(scripts) == 1 and "src" not in scripts[0], "one inline script, nothing loaded"
    for t, a in doc.tags:
        for name in ("src", "srcset", "action", "formaction", "background", "poster", "data"):
            assert name not in a, (t, a)
        if t == "a":
            href = a.get("href") or ""
            assert href.startswith(("#", "https://", "http://")), href
    assert "url(" not in html and "@import" not in html
    csp = next(a["content"] for t, a in doc.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in (csp or "") and "script-src 'sha256-" in (csp or "")
    assert html.count("<svg") >= 6, "a timeline chart per numeric fact with dated values"


def test_scraped_markup_is_text_in_html(project: Project) -> None:
    html = _write(project)["report.html"]
    doc = parse(html)
    assert SCRIPT_PAYLOAD not in html and IMG_PAYLOAD not in html and "<svg onload" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    text = "".join(doc.text)
    assert SCRIPT_PAYLOAD in text and IMG_PAYLOAD in text, "the payloads are shown, as words"
    for t, a in doc.tags:
        assert not any(k.startswith("on") for k in a), (t, a)
        assert "javascript:" not in " ".join(v or "" for v in a.values()).lower(), (t, a)
    assert "window.__pwned" not in "".join(doc.scripts)
    # the hostile article's link (javascript:alert(1)) is not a link
    assert "(no web link)" in text


def test_report_shows_review_state_and_verdicts(project: Project) -> None:
    con = open_warehouse(project.db)
    try:
        key = con.execute("SELECT discrepancy_key FROM discrepancy_review WHERE sentence_a LIKE '%pwned%' "
                          "OR sentence_b LIKE '%pwned%' LIMIT 1").fetchone()[0]  # type: ignore[index]
        record_verdict(con, key, "extraction_error", "Ana <b>Reviewer</b>", "soldiers were <i>not</i> killed")
    finally:
        con.close()
    files = _write(project)
    html, mdown, disc = files["report.html"], files["report.md"], files["discrepancies.csv"]
    card = html[html.index(f'id="d-{key}"'):]
    card = card[:card.index("</article>")]
    assert 'data-state="reviewed"' in card and 'data-review="extraction_error"' in card
    assert "Extraction error" in card and "Ana &lt;b&gt;Reviewer&lt;/b&gt;" in card
    assert "soldiers were &lt;i&gt;not&lt;/i&gt; killed" in card
    assert "Not reviewed yet." in html, "other discrepancies are still new"
    assert f"Key `{key}`" in mdown and "**Extraction error** by Ana &lt;b&gt;Reviewer&lt;/b&gt;" in mdown
    rows = list(csv.DictReader(io.StringIO(disc)))
    row = next(r for r in rows if r["discrepancy_key"] == key)
    assert row["review_state"] == "reviewed" and row["verdict"] == "extraction_error"
    assert {r["review_state"] for r in rows} == {"new", "reviewed"}


def test_markdown_escapes_scraped_text(project: Project) -> None:
    mdown = _write(project)["report.md"]
    assert "<script" not in mdown and "<img" not in mdown and "<svg" not in mdown and "<b " not in mdown
    assert "&lt;script&gt;window.\\_\\_pwned=1&lt;/script&gt;" in mdown
    assert "javascript:" not in mdown
    # the claimed words are bold inside the quoted evidence sentence
    assert re.search(r"> .*\*\*300\*\* American soldiers were killed", mdown)
    assert md("a*b_c`d|e[f]g") == "a\\*b\\_c\\`d\\|e\\[f\\]g"
    assert md_start("# not a heading") == "\\# not a heading"
    assert md_start("1. not a list") == "1\\. not a list"


def test_csv_has_every_discrepancy_and_defuses_formulas(project: Project) -> None:
    files = _write(project)
    rows = list(csv.DictReader(io.StringIO(files["discrepancies.csv"])))
    con = open_warehouse(project.db)
    try:
        n = con.execute("SELECT count(*) FROM discrepancies").fetchone()[0]  # type: ignore[index]
        nf = con.execute("SELECT count(*) FROM facts").fetchone()[0]  # type: ignore[index]
    finally:
        con.close()
    assert len(rows) == n
    assert len(list(csv.DictReader(io.StringIO(files["facts.csv"])))) == nf
    hostile = [r for r in rows if SCRIPT_PAYLOAD in r["sentence_a"] + r["sentence_b"]]
    assert hostile, "scraped text is kept as data in CSV"
    assert all(r["url_a"] != "javascript:alert(1)" and r["url_b"] != "javascript:alert(1)" for r in rows)
    assert cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert cell("-2+3") == "'-2+3" and cell(-2.0) == -2.0 and cell(None) == ""


def test_every_numeric_fact_gets_a_timeline_with_bars_whiskers_and_arrows(project: Project) -> None:
    with reading(project.db) as con:
        report = load_story_report(con, STORY)
    charts = {}
    for f in report.facts:
        if f.numeric and report.marks.get(f.fact_id):
            chart = timeline_chart(f, report.marks[f.fact_id], report.steps.get(f.fact_id, ()))
            assert chart is not None
            charts[f.label] = chart
    injured = charts["Injured: US"].svg
    assert 'class="mark interval"' in injured, "'about 200' is a bar with whiskers"
    assert 'class="mark exact"' in injured and 'class="step"' in injured
    launched = charts["Missiles launched (in total)"].svg
    assert 'class="mark open"' in launched and "<polygon" in launched, "'dozens of' is an arrow upward"
    assert charts["Missiles launched (in total)"].log_time, "front-loaded coverage gets a log time axis"
    attack = charts["Time of the attack"].svg
    assert "UTC" in attack and "Jan" in attack
    # every label is escaped: the hostile outlet appears as text only
    killed = charts["Killed: US"]
    assert "<img" not in killed.svg and "&lt;img src=x onerror=alert(1)&gt;" in killed.svg


def test_labels() -> None:
    assert labels.format_value((13.0, None)) == "13+"
    assert labels.format_value((180.0, 220.0)) == "180–220"
    assert labels.format_value((0.0, 0.0)) == "0"
    assert labels.format_value(None) == "—"
    start = (labels.parse_when("2020-01-07T22:30:00Z") - labels.EPOCH).total_seconds() / 60  # type: ignore[operator]
    assert labels.format_value((start, start + 30), "event_time") == "7 Jan 2020, 22:30–23:00 UTC"
    assert labels.format_published("2020-01-08") == "8 Jan 2020"
    assert labels.format_published("2020-01-08T06:10:00+03:00") == "8 Jan 2020, 03:10 UTC"
    assert labels.fact_label("munitions_hit", "Al Asad", None, "missile") == "Missiles that hit Al Asad"
    assert labels.fact_label("killed", None, "US", None) == "Killed: US"
    assert labels.group_label("media:ABC News") == "ABC News (own figure)"
    assert safe_url("javascript:alert(1)") is None and safe_url("data:text/html,x") is None
    assert safe_url(" https://example.org/a ") == "https://example.org/a"
