"""In a real browser (Debian's Chromium, driven by Playwright): scraped `<script>` and `onerror=` payloads stay text in
the report and on the review page, the offline filters work, and a verdict clicked on the page lands in DuckDB.

Screenshots go to the test's tmp dir; they are copied to docs/screenshots/ when missing there (or when
CROSSCHECK_UPDATE_SCREENSHOTS=1). Skipped, with the reason, only when /usr/bin/chromium or playwright is missing.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reports_support import IMG_PAYLOAD, SCRIPT_PAYLOAD, STORY, Project, Server
from typer.testing import CliRunner

from core.config import PROJECT_ROOT
from crosscheck.cli import app
from warehouse.db import connect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
SCREENSHOTS = PROJECT_ROOT / "docs" / "screenshots"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return "no /usr/bin/chromium (apt-get install -y chromium): browser tests need Debian's Chromium"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install playwright; the tests never run `playwright install`)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def open_page(browser: Any) -> tuple[Any, list[str]]:
    """A page that records every dialog (alert, confirm) instead of letting it block."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page, dialogs


def keep(shot: Path, name: str) -> None:
    """Copy a screenshot into docs/screenshots once (or again when CROSSCHECK_UPDATE_SCREENSHOTS=1)."""
    target = SCREENSHOTS / name
    if os.environ.get("CROSSCHECK_UPDATE_SCREENSHOTS") == "1" or not target.exists():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)


def assert_nothing_ran(page: Any, dialogs: list[str]) -> None:
    page.wait_for_timeout(300)  # let any injected handler (onerror, onload) fire if it were going to
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert page.locator("img").count() == 0, "no <img> element came out of scraped text"
    assert page.locator("script").count() == 1, "only the page's own filter script"
    assert page.locator("[onerror], [onload], [onmouseover]").count() == 0
    quote = page.locator("blockquote.evidence", has_text=SCRIPT_PAYLOAD)
    assert quote.count() >= 1 and IMG_PAYLOAD in quote.first.inner_text(), "the payloads are shown as text"


def test_report_runs_no_scraped_script_and_filters_offline(browser: Any, project: Project, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    page, dialogs = open_page(browser)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((out / STORY / "report.html").as_uri())
    assert_nothing_ran(page, dialogs)
    assert all(u.startswith("file://") for u in requests), f"the report fetched {requests}"

    counter = page.locator("#filter-count")
    total = counter.inner_text()
    assert total.startswith("Showing ") and "discrepancies" in total
    page.select_option("select[name=kind]", "killed")
    shown = page.locator("section.fact:visible")
    assert shown.count() >= 1
    assert {shown.nth(i).get_attribute("data-kind") for i in range(shown.count())} == {"killed"}
    page.select_option("select[name=kind]", "")
    page.select_option("select[name=state]", "reviewed")
    assert page.locator("article.disc:visible").count() == 0, "nothing reviewed yet"
    page.select_option("select[name=state]", "")
    page.fill("input[name=q]", "hajizadeh")
    assert page.locator("article.disc:visible").count() >= 1
    assert all("hajizadeh" in (page.locator("article.disc:visible").nth(i).get_attribute("data-search") or "")
               for i in range(page.locator("article.disc:visible").count()))
    page.click("button[type=reset]")
    page.wait_for_timeout(50)
    assert counter.inner_text() == total

    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot))
    keep(shot, "report.png")
    section = page.locator("section.fact", has=page.locator("h3", has_text="Injured: US"))
    section.scroll_into_view_if_needed()
    detail = tmp_path / "report-timeline.png"
    box = section.bounding_box()
    assert box is not None
    top = box["y"] + page.evaluate("window.scrollY")  # bounding boxes are relative to the viewport
    page.screenshot(path=str(detail), full_page=True,
                    clip={"x": box["x"], "y": top, "width": box["width"], "height": min(box["height"], 1500)})
    keep(detail, "report-timeline.png")
    assert shot.stat().st_size > 10_000 and detail.stat().st_size > 10_000

    # reports of one figure by one speaker on one day are one mark, its tooltip says how many and from where
    many = page.locator("svg.timeline g.mark[data-reports]")
    assert many.count() >= 1
    tip = many.first.locator("title").text_content() or ""
    assert re.search(r"\n\d+ reports on \d+ \w{3} 2020, the first at \d\d:\d\d UTC\n\S", tip), tip
    data = section.locator("details.data")
    data.locator("summary").click()
    assert "fact_members" in data.locator("caption").inner_text()
    rows = data.locator("tbody tr").all_inner_texts()
    assert rows and len(rows) == len(set(rows)), "one row per mark"


def test_review_page_escapes_and_a_clicked_verdict_lands_in_duckdb(browser: Any, review_server: Server,
                                                                   project: Project, tmp_path: Path) -> None:
    page, dialogs = open_page(browser)
    page.goto(review_server.url + "/")
    assert_nothing_ran(page, dialogs)
    card = page.locator("article.disc", has=page.locator("blockquote.evidence", has_text=SCRIPT_PAYLOAD)).first
    key = (card.get_attribute("id") or "").removeprefix("d-")
    assert len(key) == 16 and card.get_attribute("data-state") == "new"
    card.locator("textarea[name=note]").fill("<img src=x onerror=alert(3)> the 300 is Iranian state media's claim")
    with page.expect_navigation():
        card.get_by_role("button", name="Extraction error").click()
    assert "Saved: Extraction error" in page.locator(".flash").inner_text()
    assert_nothing_ran(page, dialogs)  # the note is shown as text too

    con = connect(project.db, read_only=True, wait_s=5)
    try:
        got = con.execute("SELECT verdict, reviewer, note FROM review_verdicts WHERE discrepancy_key = ?",
                          [key]).fetchall()
        state = con.execute("SELECT review_state FROM discrepancy_review WHERE discrepancy_key = ?", [key]).fetchone()
    finally:
        con.close()
    assert got == [("extraction_error", "Test Reviewer",
                    "<img src=x onerror=alert(3)> the 300 is Iranian state media's claim")]
    assert state == ("reviewed",)
    reviewed = page.locator(f"#d-{key}")
    assert reviewed.get_attribute("data-state") == "reviewed"
    assert "Extraction error" in reviewed.locator(".review-line").inner_text()

    page.goto(review_server.url + "/")
    shot = tmp_path / "review.png"
    page.screenshot(path=str(shot))
    keep(shot, "review.png")
    assert shot.stat().st_size > 10_000
