"""discover(): every source of a story, relevance decisions, unreachable sources, the cache and the warehouse.

Online runs use a real loopback server (pytest-httpserver, 127.0.0.1:0); "offline" runs point the
services at a closed local port, or turn `online` off and trip on any socket use.
"""

from __future__ import annotations

import dataclasses
import hashlib
import socket
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from core.config import PROJECT_ROOT, Settings, Story, load_story
from extractors.vocabulary import load_story_terms
from sources import discover as discovery
from sources.adapters import SOURCES
from sources.adapters.base import Candidate, Source, SourceContext, SourceStatus
from sources.discover import (
    OFFLINE_REASON,
    CandidateRow,
    Discovery,
    discovery_http_settings,
    plan,
)
from sources.http import HttpClient
from sources.settings import HttpSettings
from warehouse.db import open_warehouse
from warehouse.sources_load import load_candidates, load_discovery, load_source_status

SEEDS = PROJECT_ROOT / "seeds"
FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
NOW = datetime(2024, 6, 1, tzinfo=UTC)


def discover(settings: Settings, story: Story, **kw: Any) -> Discovery:
    """discover() with the story's relevance terms read from the seeds, as the driver passes them."""
    return discovery.discover(settings, story, terms=load_story_terms(settings.seeds_dir, story), **kw)
KEY = "test-key-123"
ENV = {"CROSSCHECK_FACTCHECK_KEY": KEY}
CORPUS_FILES = 26  # seeds/corpus/iran-2020: 25 distinct reports and one verbatim reprint
CORPUS_ARTICLES = 25


def fast_settings(**overrides: Any) -> HttpSettings:
    base: dict[str, Any] = {
        "allow_loopback": True, "obey_robots": False, "per_host_delay_s": 0.0, "per_host_delays": {},
        "connect_timeout": 1.0, "read_timeout": 2.0, "total_timeout": 5.0, "backoff_base_s": 0.01,
        "backoff_max_s": 0.05, "max_attempts": 3,
    }
    base.update(overrides)
    return HttpSettings(**base)


def answer(body: str | bytes, content_type: str, status: int = 200) -> Callable[[Request], Response]:
    """A handler sending `body` with an ETag, or 304 when the request already holds that ETag."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    tag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'

    def handle(request: Request) -> Response:
        if status == 200 and request.headers.get("If-None-Match") == tag:
            return Response(status=304, headers={"ETag": tag})
        return Response(data, status=status, headers={"ETag": tag} if status == 200 else {}, content_type=content_type)

    return handle


@pytest.fixture
def base(httpserver: HTTPServer) -> str:
    """The whole fixture web on one loopback server; returns its base URL."""
    root = httpserver.url_for("/").rstrip("/")

    def text(name: str) -> str:
        return (FIXTURES / name).read_text(encoding="utf-8").replace("{{BASE}}", root)

    def serve(path: str, body: str | bytes, ctype: str = "text/html; charset=utf-8", status: int = 200) -> None:
        httpserver.expect_request(path).respond_with_handler(answer(body, ctype, status))

    for name, path in (("strike-ap.html", "/news/strike-ap"), ("strike-jocc.html", "/news/jocc-22-missiles"),
                       ("bushfires.html", "/news/bushfires"), ("anniversary-2023.html", "/news/anniversary-2023")):
        serve(path, text(name))
    serve("/news/gone", "Not here", "text/plain", 404)
    serve("/news/broken", "Oops", "text/plain", 500)
    serve("/news/report.pdf", (FIXTURES / "report.pdf").read_bytes(), "text/html")
    serve("/gdelt", text("gdelt-artlist.json"), "application/json")
    serve("/factcheck", text("factcheck-claims.json"), "application/json")
    serve("/rss.xml", text("rss.xml"), "application/rss+xml")
    serve("/atom.xml", text("atom.xml"), "application/atom+xml")

    def wiki(request: Request) -> Response:
        if request.args.get("list") == "search":
            return answer(text("wikipedia-search.json"), "application/json")(request)
        found = request.args.get("titles") == "Operation Martyr Soleimani"
        name = "wikipedia-extract-operation.json" if found else "wikipedia-extract-missing.json"
        return answer(text(name), "application/json")(request)

    httpserver.expect_request("/w/api.php").respond_with_handler(wiki)
    return root


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(SEEDS / "stories" / "iran-2020.toml", SEEDS)


def settings_for(tmp_path: Path, *, online: bool = True) -> Settings:
    return Settings(root=tmp_path, db_path=tmp_path / "var" / "crosscheck.duckdb", seeds_dir=SEEDS,
                    story_ids=("iran-2020",), max_doc_bytes=5_000_000, online=online)


def with_sources(story: Story, **sources: Any) -> Story:
    return dataclasses.replace(story, sources={**story.sources, **sources})


def online_story(story: Story, base: str) -> Story:
    return with_sources(
        story, gdelt_base_url=f"{base}/gdelt", wikipedia_base_url=f"{base}/w/api.php",
        factcheck_base_url=f"{base}/factcheck", urls=[f"{base}/news/strike-ap", f"{base}/news/gone"],
        feeds=[f"{base}/rss.xml", f"{base}/atom.xml"])


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rows(d: Discovery, source: str) -> dict[str, CandidateRow]:
    return {r.url or "": r for r in d.candidates if r.source == source}


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_warehouse(tmp_path / "wh" / "crosscheck.duckdb", wait_s=0)
    yield con
    con.close()


# --------------------------------------------------------------------------- offline


def test_unreachable_services_are_named_fast_and_the_corpus_still_returned(tmp_path: Path, story: Story) -> None:
    gdelt_port, wiki_port = closed_port(), closed_port()
    offline = with_sources(story, gdelt_base_url=f"http://127.0.0.1:{gdelt_port}/api/v2/doc/doc",
                           wikipedia_base_url=f"http://127.0.0.1:{wiki_port}/w/api.php")
    # robots.txt on and the client's default retries and backoff: as in a real run
    with HttpClient(HttpSettings(allow_loopback=True, per_host_delay_s=0.0, connect_timeout=1.0)) as client:
        d = discover(settings_for(tmp_path), offline, client=client, environ={}, now=NOW)
    assert d.elapsed_s < 8
    unreachable = dict(d.unreachable)
    assert set(unreachable) == {"gdelt", "wikipedia"}
    assert all("Connection refused" in why for why in unreachable.values())
    status = {s.source: s for s in d.statuses}
    assert [s.source for s in d.statuses] == [s.name for s in SOURCES]
    assert status["local"] == SourceStatus("local", "ok", None, CORPUS_FILES)
    assert status["factcheck"].status == "skipped" and status["feeds"].status == "skipped"
    assert len(d.articles) == CORPUS_ARTICLES and {a.source for a in d.articles} == {"local"}
    assert not any(o.ok for o in d.outcomes)
    # per unreachable source: robots.txt tried 3 times (each a row), then the service URL refused for it
    per_source = {src: [(o.purpose, o.attempt) for o in d.outcomes if o.source == src] for src in unreachable}
    assert per_source == dict.fromkeys(unreachable, [("robots", 1), ("robots", 2), ("robots", 3), ("url", 1)])
    assert d.rejected == ()


def test_offline_setting_sends_nothing(tmp_path: Path, story: Story, no_network: Any) -> None:
    d = discover(settings_for(tmp_path, online=False), story, environ=ENV, now=NOW)
    assert no_network.calls == []
    assert d.outcomes == () and d.unreachable == ()
    skipped = {s.source: s.reason for s in d.statuses if s.status == "skipped"}
    assert skipped == {
        "urls": "no url_files or urls in the story's [sources]",
        "feeds": "no feeds in the story's [sources]",
        "gdelt": OFFLINE_REASON, "wikipedia": OFFLINE_REASON, "factcheck": OFFLINE_REASON,
    }
    assert len(d.articles) == CORPUS_ARTICLES


def test_plan_names_why_each_source_is_skipped(tmp_path: Path, story: Story) -> None:
    quiet = with_sources(story, gdelt=False, feeds=["https://feeds.example/rss"])
    got = {s.name: why for s, why in plan(settings_for(tmp_path), quiet, environ={})}
    assert got == {"local": None, "urls": "no url_files or urls in the story's [sources]", "feeds": None,
                   "gdelt": "turned off in the story's [sources]", "wikipedia": None,
                   "factcheck": "CROSSCHECK_FACTCHECK_KEY is not set"}
    assert {s.name: why for s, why in plan(settings_for(tmp_path), quiet, environ=ENV)}["factcheck"] is None


def test_discovery_client_settings(tmp_path: Path) -> None:
    s = discovery_http_settings(settings_for(tmp_path), {})
    assert s.connect_timeout == 3.0 and s.cache_dir == tmp_path / "var" / "http-cache"
    s = discovery_http_settings(settings_for(tmp_path), {"CROSSCHECK_HTTP_CONNECT_TIMEOUT": "10",
                                                         "CROSSCHECK_HTTP_CACHE_DIR": "none"})
    assert s.connect_timeout == 10.0 and s.cache_dir is None


# --------------------------------------------------------------------------- online against the loopback server


def test_every_source_against_the_loopback_web(tmp_path: Path, story: Story, base: str) -> None:
    with HttpClient(fast_settings()) as client:
        d = discover(settings_for(tmp_path), online_story(story, base), client=client, environ=ENV, now=NOW)
    assert d.unreachable == ()
    assert {s.source: s.status for s in d.statuses} == dict.fromkeys([s.name for s in SOURCES], "ok")
    keep = {(r.source, r.url) for r in d.candidates if r.decision == "keep" and r.source != "local"}
    assert keep == {
        ("urls", f"{base}/news/strike-ap"),
        ("gdelt", f"{base}/news/anniversary-2023"),  # dated 2023: its text decides in the pipeline
        ("feeds", f"{base}/news/jocc-22-missiles"),
        ("wikipedia", f"{base}/wiki/Operation_Martyr_Soleimani"),
        ("factcheck", "https://factcheck.example/2020/01/09/no-80-americans-were-not-killed-in-iran-missile-strike/"),
        ("factcheck", "https://verify.example/iran-missiles-al-asad-erbil"),
    }
    feeds, gdelt = rows(d, "feeds"), rows(d, "gdelt")
    assert feeds[f"{base}/news/bushfires"].reason.startswith("off topic: mentions none of the story's places")
    assert feeds[f"{base}/news/bushfires"].relevance is not None and feeds[f"{base}/news/bushfires"].article_id
    assert feeds[f"{base}/news/strike-ap"].reason == "duplicate URL: already proposed by urls"
    assert "2024-03-04" in feeds[f"{base}/news/markets-2024"].reason
    assert gdelt[f"{base}/news/anniversary-2023"].decision == "keep"  # its text decides (extractors/events.py)
    assert gdelt[f"{base}/news/anniversary-2023"].reason.endswith(
        "published 2023-01-08, outside the story window 2020-01-06..2020-04-07: its text decides which event it "
        "tells of")
    assert gdelt[f"{base}/news/bushfires"].reason == "duplicate URL: already proposed by feeds"
    assert gdelt[f"{base}/news/broken"].reason.startswith("fetch: gave up after 3 attempts: HTTP 500")
    assert "PDF" in gdelt[f"{base}/news/report.pdf"].reason
    assert rows(d, "urls")[f"{base}/news/gone"].reason == "fetch: HTTP 404 Not Found"
    wiki = rows(d, "wikipedia")[f"{base}/wiki/Operation_Martyr_Soleimani"]
    assert wiki.reason.endswith("; publication date unknown") and wiki.relevance and wiki.relevance >= 3
    assert all(r.reason for r in d.candidates)
    ids = [a.article_id for a in d.articles]
    assert len(ids) == len(set(ids)) == CORPUS_ARTICLES + 6
    assert {r.input for r in d.rejected} >= {f"{base}/news/gone", f"{base}/news/broken", f"{base}/news/report.pdf"}
    assert not any(KEY in repr(o) for o in d.outcomes)
    counts = d.counts()
    assert counts["kept"] == CORPUS_ARTICLES + 6 and counts["candidates"] == len(d.candidates)


def test_second_run_is_conditional_and_the_warehouse_has_no_duplicates(
    tmp_path: Path, story: Story, base: str, httpserver: HTTPServer, warehouse: duckdb.DuckDBPyConnection
) -> None:
    cached = fast_settings(cache_dir=tmp_path / "http-cache")
    target = online_story(story, base)
    with HttpClient(cached) as client:
        first = discover(settings_for(tmp_path), target, client=client, environ=ENV, now=NOW)
    asked_before = len(httpserver.log)
    with HttpClient(cached) as client:  # a new client: only the disk cache carries over
        second = discover(settings_for(tmp_path), target, client=client, environ=ENV, now=NOW)
    again = [request for request, _ in httpserver.log[asked_before:]]
    assert any(r.headers.get("If-None-Match") for r in again)
    revalidated = [o for o in second.outcomes if o.status == 304]
    assert revalidated and all(o.from_cache and o.ok for o in revalidated)
    assert all(o.from_cache for o in second.outcomes if o.ok)  # every body came from the cache
    assert {a.article_id for a in second.articles} == {a.article_id for a in first.articles}

    loaded_1 = load_discovery(warehouse, first, "run-1")
    loaded_2 = load_discovery(warehouse, second, "run-2")
    assert loaded_1["articles"] == len(first.articles) and loaded_2["articles"] == 0
    assert loaded_2["candidates"] == len(second.candidates) and loaded_2["source_status"] == len(SOURCES)
    dupes = warehouse.execute("SELECT article_id FROM articles GROUP BY article_id HAVING count(*) > 1").fetchall()
    assert dupes == []
    assert warehouse.execute("SELECT count(*) FROM articles").fetchone() == (len(first.articles),)
    assert warehouse.execute("SELECT count(*) FROM fetches WHERE run_id = 'run-2' AND from_cache").fetchone()[0] > 0
    statuses = warehouse.execute("SELECT source, status FROM source_status WHERE run_id = 'run-2'").fetchall()
    assert dict(statuses) == dict.fromkeys([s.name for s in SOURCES], "ok")
    dropped = warehouse.execute(
        "SELECT reason FROM candidates WHERE run_id = 'run-1' AND url LIKE '%/news/bushfires' AND source = 'feeds'"
    ).fetchone()
    assert dropped and dropped[0].startswith("off topic")
    assert load_discovery(warehouse, second, "run-2") == dict.fromkeys(loaded_2, 0)  # idempotent


# --------------------------------------------------------------------------- faults and loaders


def test_a_broken_adapter_fails_its_source_not_the_run(tmp_path: Path, story: Story) -> None:
    def explode(ctx: SourceContext) -> Iterator[Candidate]:
        yield Candidate(url="https://a.example/1", source="boom", text="Iran fired missiles at Al Asad.",
                        published="2020-01-08")
        raise RuntimeError("boom")

    sources = (*SOURCES[:1], Source(name="boom", online=False, iter_reports=explode))
    d = discover(settings_for(tmp_path), story, environ={}, now=NOW, sources=sources)
    boom = d.statuses[-1]
    assert boom == SourceStatus("boom", "failed", "adapter error: RuntimeError: boom", 1)
    assert rows(d, "boom")["https://a.example/1"].decision == "keep"


def test_loaders_are_idempotent_and_check_values(warehouse: duckdb.DuckDBPyConnection) -> None:
    row = CandidateRow(story="iran-2020", source="gdelt", url="https://a.example/1", outlet="A", title="T",
                       published="2020-01-08", decision="drop", reason="off topic", relevance=0.5)
    assert load_candidates(warehouse, [row, row], "r1") == 1
    assert load_candidates(warehouse, [row], "r1") == 0
    assert load_candidates(warehouse, [row], "r2") == 1  # each run records its own decisions
    ok = SourceStatus("gdelt", "ok", None, 3)
    assert load_source_status(warehouse, [ok], "r1") == 1
    assert load_source_status(warehouse, [dataclasses.replace(ok, status="failed")], "r1") == 0
    got = warehouse.execute("SELECT status, reports FROM source_status WHERE run_id = 'r1'").fetchall()
    assert got == [("ok", 3)]
    with pytest.raises(ValueError, match="keep or drop"):
        load_candidates(warehouse, [dataclasses.replace(row, decision="maybe")], "r1")
    with pytest.raises(ValueError, match="source status"):
        load_source_status(warehouse, [dataclasses.replace(ok, status="down")], "r1")
