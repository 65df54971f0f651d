"""Event separation end to end: reports of other attacks on Al Asad and Erbil, served over loopback without any
date beside the 2020 story's own reports (also undated), go through a real run into a real warehouse.

The fixture reports (seeds/gold/events/tune) were written for this test from public facts; the frozen check
set beside them (seeds/gold/events/check) is only measured (README), never asserted on here.
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer

from bench.projects import make_project
from core.config import PROJECT_ROOT, Settings, load_settings
from crosscheck.jobs import run_story

STORY = "iran-2020"
FIXTURES = PROJECT_ROOT / "seeds" / "gold" / "events" / "tune"
EXPECT = tomllib.loads((FIXTURES / "expect.toml").read_text(encoding="utf-8"))["files"]
# A report of another attack that gives no date, no weekday but the story's own (Wednesday), no attacker and no
# office holder of another time: nothing in its words tells it from the 2020 story with the current rules; it is
# kept as "cannot tell" and its figures do reach its facts. Pinned so that a change of rules that catches it (or
# loses another) shows here. (asad-2021-a and -c were caught by the office holders they name, Biden and Kirby.)
UNDECIDED = {"erbil-2021-c.txt"}


def page(title: str, body: str) -> str:
    """A news page with no date anywhere: no meta, no time element, no date in the URL."""
    paras = "".join(f"<p>{html.escape(p.strip())}</p>\n" for p in body.split("\n\n") if p.strip())
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body><article><h1>{html.escape(title)}</h1>\n{paras}</article></body></html>")


def strip_front_matter(text: str) -> tuple[str, str]:
    """(title, body) of a bundled corpus report, its dates and URL left out."""
    m = re.match(r"\+\+\+\n(.*?)\n\+\+\+\n", text, re.DOTALL)
    if not m:
        lines = text.split("\n\n", 1)
        return lines[0].strip(), lines[1] if len(lines) > 1 else ""
    meta = tomllib.loads(m.group(1))
    return meta.get("title", "untitled"), text[m.end():]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, dict[str, str]]]:
    """A project whose 2020 corpus and the other events' reports all come over loopback, undated; one run done.
    Yields the settings and {url: fixture name} (2020 corpus reports are named "corpus/<file>")."""
    root = make_project(tmp_path_factory.mktemp("events") / "project")
    corpus = root / "seeds" / "corpus" / STORY
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    names: dict[str, str] = {}
    for i, f in enumerate(sorted(corpus.glob("*.md"))):
        title, body = strip_front_matter(f.read_text(encoding="utf-8"))
        path = f"/r/{i}"
        server.expect_request(path).respond_with_data(page(title, body), content_type="text/html; charset=utf-8")
        names[server.url_for(path)] = f"corpus/{f.name}"
        f.unlink()  # the 2020 reports come only over loopback, without their dates
    for i, name in enumerate(sorted(EXPECT)):
        title, body = (FIXTURES / name).read_text(encoding="utf-8").split("\n\n", 1)
        path = f"/f/{i}"
        server.expect_request(path).respond_with_data(page(title, body), content_type="text/html; charset=utf-8")
        names[server.url_for(path)] = name
    (root / "seeds" / "urls.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    story_file = root / "seeds" / "stories" / f"{STORY}.toml"
    text = story_file.read_text(encoding="utf-8")
    text = re.sub(r"\ngdelt = true", "\ngdelt = false", text)
    text = re.sub(r"\nwikipedia = true", "\nwikipedia = false", text)
    text = re.sub(r"\nfactcheck = true", "\nfactcheck = false", text)
    text = re.sub(r'\nurl_files = \[\]', '\nurl_files = ["urls.txt"]', text)
    text = re.sub(r"\nmax_reports = \d+", "\nmax_reports = 200", text)
    story_file.write_text(text, encoding="utf-8")
    config = root / "crosscheck.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("online = false", "online = true"),
                      encoding="utf-8")
    mp = pytest.MonkeyPatch()
    for key, value in {"CROSSCHECK_HTTP_ALLOW_LOOPBACK": "1", "CROSSCHECK_HTTP_OBEY_ROBOTS": "0",
                       "CROSSCHECK_HTTP_PER_HOST_DELAY_S": "0", "CROSSCHECK_OFFLINE": "0"}.items():
        mp.setenv(key, value)
    mp.delenv("CROSSCHECK_CONFIG", raising=False)
    try:
        settings = load_settings(config)
        summary = run_story(settings, settings.story(STORY))
        assert summary.status in ("ok", "partial"), summary.errors
        yield settings, names
    finally:
        mp.undo()
        server.clear()
        server.stop()


def query(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def decisions(settings: Settings, names: dict[str, str]) -> dict[str, tuple]:
    """{fixture name: (verdict, action, reason, evidence_for, evidence_against, article_id)}."""
    rows = query(settings, "SELECT url, verdict, action, reason, evidence_for, evidence_against, article_id "
                           "FROM event_decisions WHERE story = ?", [STORY])
    return {names[r[0]]: r[1:] for r in rows if r[0] in names}


def in_facts(settings: Settings, names: dict[str, str]) -> dict[str, int]:
    """{fixture name: claims of it that are members of a 2020 fact}."""
    rows = query(settings, """
        SELECT a.url, count(*) FROM fact_members AS m JOIN claims AS c ON c.claim_id = m.claim_id
        JOIN articles AS a ON a.article_id = c.article_id WHERE m.story = ? GROUP BY a.url""", [STORY])
    return {names[u]: n for u, n in rows if u in names}


def test_every_undated_2020_report_is_kept(served: tuple[Settings, dict[str, str]]) -> None:
    settings, names = served
    got = decisions(settings, names)
    ours = [n for n in names.values() if n.startswith("corpus/") or EXPECT.get(n, {}).get("event") in (STORY,
                                                                                                       "roundup")]
    assert len(ours) >= 25
    assert {n: got[n][1] for n in ours} == dict.fromkeys(ours, "keep")
    # and their figures are the story's facts (a kept report with no claim would prove nothing)
    facts = in_facts(settings, names)
    assert sum(1 for n in ours if facts.get(n)) >= len(ours) - 3


def test_no_claim_of_another_event_reaches_a_2020_fact(served: tuple[Settings, dict[str, str]]) -> None:
    settings, names = served
    got = decisions(settings, names)
    facts = in_facts(settings, names)
    others = [n for n, e in EXPECT.items() if e["event"] not in (STORY, "roundup")]
    assert len(others) >= 8
    leaked = {n for n in others if facts.get(n)}
    assert leaked == UNDECIDED, "reports of other attacks whose claims reached 2020 facts"
    for n in set(others) - UNDECIDED:
        verdict, action, reason = got[n][0], got[n][1], got[n][2]
        assert (verdict, action) == ("other", "drop"), (n, reason)
    # the dropped ones are in the candidates table with the reason a reviewer reads
    rows = query(settings, "SELECT url, reason FROM candidates WHERE story = ? AND decision = 'drop' "
                           "AND reason LIKE 'another event:%'", [STORY])
    assert {names[u] for u, _ in rows if u in names} == set(others) - UNDECIDED


def test_a_mixed_report_keeps_only_its_2020_figures(served: tuple[Settings, dict[str, str]]) -> None:
    """A round-up of attacks on Al Asad and an anniversary piece that recalls Erbil's 2021 rockets: kept, with the
    2020 figures and none of the other attacks'."""
    settings, names = served
    url_of = {n: u for u, n in names.items()}
    for name in ("roundup-asad.txt", "anniversary-2020.txt"):
        values = {r[0] for r in query(settings, """
            SELECT c.value_low FROM claims AS c JOIN articles AS a ON a.article_id = c.article_id
            WHERE a.url = ? AND c.kind IN ('munitions_launched', 'munitions_hit', 'munitions_intercepted',
                                           'munitions_failed', 'killed', 'injured')""", [url_of[name]])}
        assert set(EXPECT[name]["story_figures"]) - {100} <= values, name
        assert not set(EXPECT[name]["other_figures"]) & values, name


def test_each_decision_carries_its_evidence(served: tuple[Settings, dict[str, str]]) -> None:
    settings, names = served
    got = decisions(settings, names)
    assert len(got) == len(names)
    for name, (verdict, action, reason, pro, con, _) in got.items():
        assert action == ("drop" if verdict == "other" else "keep"), name
        if verdict == "other":
            assert con and reason.startswith("another event"), name
        elif verdict == "story":
            assert pro and reason.startswith("this story"), name
        else:
            assert reason.startswith("cannot tell"), name
    # a weekday with a day of the month names the year it belongs to
    assert any("a Monday in" in e and "2021" in e for e in got["erbil-2021-a.txt"][4]) or \
        any("February 15" in e for e in got["erbil-2021-a.txt"][4])


def test_a_reviewers_overrule_survives_a_rerun(tmp_path: Path, served: tuple[Settings, dict[str, str]]) -> None:
    """Keep a dropped report and drop a kept one: the next run stores and forgets their claims, the facts follow,
    and a run after that changes nothing back."""
    import shutil

    from warehouse.db import open_warehouse
    from warehouse.events import set_override

    base, names = served
    db = tmp_path / "copy.duckdb"
    shutil.copy(base.db_path, db)  # the module's warehouse stays as the other tests read it
    settings = Settings(**{**{f: getattr(base, f) for f in base.__dataclass_fields__}, "db_path": db,
                           "reports_dir": tmp_path / "reports"})
    got = decisions(settings, names)
    dropped, kept = got["asad-2021-b.txt"][5], got["corpus/02-ap-breaking-iran-fires-missiles.md"][5]
    assert got["asad-2021-b.txt"][1] == "drop" and got["corpus/02-ap-breaking-iran-fires-missiles.md"][1] == "keep"
    con = open_warehouse(db)
    try:
        set_override(con, STORY, dropped[:8], "keep", "test reviewer", "the desk says it belongs")
        set_override(con, STORY, kept, "drop", "test reviewer")
    finally:
        con.close()
    for _ in range(2):  # the second run must leave it as the first left it
        summary = run_story(settings, settings.story(STORY))
        assert summary.status in ("ok", "partial")
        facts = in_facts(settings, names)
        assert facts.get("asad-2021-b.txt"), "a report a reviewer kept gives its figures"
        assert not facts.get("corpus/02-ap-breaking-iran-fires-missiles.md"), "a report a reviewer dropped gives none"
        now = decisions(settings, names)
        assert now["asad-2021-b.txt"][1] == "keep" and now["corpus/02-ap-breaking-iran-fires-missiles.md"][1] == "drop"
    page_text = (settings.reports_dir / STORY / "report.html").read_text(encoding="utf-8")
    assert "dropped by a reviewer" in page_text and kept in page_text


def test_the_html_report_lists_dropped_reports_with_reason_and_evidence(
        served: tuple[Settings, dict[str, str]]) -> None:
    settings, names = served
    html_text = (settings.reports_dir / STORY / "report.html").read_text(encoding="utf-8")
    assert "Reports left out: another event" in html_text
    got = decisions(settings, names)
    for name, row in got.items():
        if row[1] == "drop":
            assert row[5] in html_text, name
    assert "crosscheck review event ARTICLE_ID --action keep" in html_text
    md = (settings.reports_dir / STORY / "report.md").read_text(encoding="utf-8")
    assert "## Reports left out: another event" in md and "against the story:" in md


def test_project_root_is_untouched() -> None:
    assert (PROJECT_ROOT / "seeds" / "corpus" / STORY).is_dir()  # the module fixture worked on a copy


def test_the_dropped_list_as_a_reader_sees_it_in_a_browser(served: tuple[Settings, dict[str, str]],
                                                          tmp_path: Path) -> None:
    """Debian's Chromium (Playwright) shows the section with one row per dropped report and its evidence; the
    screenshot goes to docs/screenshots/report-dropped.png when missing there (or CROSSCHECK_UPDATE_SCREENSHOTS=1)."""
    import importlib.util
    import os
    import shutil

    chromium = Path("/usr/bin/chromium")
    if not chromium.exists() or importlib.util.find_spec("playwright") is None:
        pytest.skip("needs /usr/bin/chromium and playwright")
    from playwright.sync_api import sync_playwright

    settings, names = served
    dropped = [r for r in decisions(settings, names).values() if r[1] == "drop"]
    report = settings.reports_dir / STORY / "report.html"
    shot = tmp_path / "report-dropped.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(report.as_uri())
            section = page.locator("table.dropped")
            assert section.is_visible()
            assert section.locator("tbody tr").count() == len(dropped)
            first = section.locator("tbody tr").first.inner_text()
            assert "against" in first.lower() or any(k in first for k in ("weekday", "date", "year", "attacker"))
            page.locator("#dropped").scroll_into_view_if_needed()
            page.screenshot(path=str(shot), full_page=True, clip=_clip(page))
        finally:
            browser.close()
    target = PROJECT_ROOT / "docs" / "screenshots" / "report-dropped.png"
    if os.environ.get("CROSSCHECK_UPDATE_SCREENSHOTS") == "1" or not target.exists():
        shutil.copyfile(shot, target)


def _clip(page: object) -> dict[str, float]:
    """The dropped section: its heading, note and table."""
    box = page.evaluate("""() => {
        const h = document.querySelector('#dropped'), t = document.querySelector('table.dropped');
        const a = h.getBoundingClientRect(), b = t.getBoundingClientRect();
        return {x: Math.max(0, Math.min(a.x, b.x) - 8), y: a.y + window.scrollY - 8,
                width: Math.max(a.width, b.width) + 16,
                height: Math.min(b.bottom - a.top + 16, 1400)};
    }""")
    return box
