"""Each source adapter against a real loopback HTTP server (pytest-httpserver on 127.0.0.1:0).

Fixture pages, an RSS 2.0 and an Atom feed, GDELT artlist answers (good, malformed, HTML error), Wikipedia
search and extract answers and a Fact Check claims:search answer live in fixtures/feeds/; `{{BASE}}` in
them is replaced by the server's address. Faults (404, 500, malformed JSON, a PDF where HTML was
expected) must come out as Rejected values or source statuses, never as exceptions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from core.config import PROJECT_ROOT, Story, load_story
from core.records import Rejected
from sources.adapters import factcheck, feeds, folder, gdelt, urls, wikipedia
from sources.adapters.base import Candidate, RunState, Source, SourceContext, SourceOptions, SourceStatus
from sources.files import ingest
from sources.http import HttpClient
from sources.settings import HttpSettings

SEEDS = PROJECT_ROOT / "seeds"
FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
NOW = datetime(2024, 6, 1, tzinfo=UTC)
KEY = "test-key-123"


def fast_settings(**overrides: Any) -> HttpSettings:
    """Loopback allowed, no robots, no spacing, tiny timeouts and backoff."""
    base: dict[str, Any] = {
        "allow_loopback": True, "obey_robots": False, "per_host_delay_s": 0.0, "per_host_delays": {},
        "connect_timeout": 1.0, "read_timeout": 2.0, "total_timeout": 5.0, "backoff_base_s": 0.01,
        "backoff_max_s": 0.05, "max_attempts": 3,
    }
    base.update(overrides)
    return HttpSettings(**base)


class Site:
    """The fixture web: pages, feeds and the three APIs, every 200 answer with an ETag (304 on a match)."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.base = server.url_for("/").rstrip("/")

    def text(self, name: str) -> str:
        return (FIXTURES / name).read_text(encoding="utf-8").replace("{{BASE}}", self.base)

    def serve(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8",
              status: int = 200) -> None:
        self.server.expect_request(path).respond_with_handler(answer(body, content_type, status))

    def handle(self, path: str, handler: Callable[[Request], Response]) -> None:
        self.server.expect_request(path).respond_with_handler(handler)

    def paths(self) -> list[str]:
        return [request.path for request, _ in self.server.log]

    def args(self, path: str) -> list[dict[str, list[str]]]:
        return [parse_qs(urlsplit(request.url).query) for request, _ in self.server.log if request.path == path]

    def pages(self) -> None:
        for name, path in (("strike-ap.html", "/news/strike-ap"), ("strike-jocc.html", "/news/jocc-22-missiles"),
                           ("bushfires.html", "/news/bushfires"), ("anniversary-2023.html", "/news/anniversary-2023")):
            self.serve(path, self.text(name))
        self.serve("/news/gone", "Not here", "text/plain", status=404)
        self.serve("/news/broken", "Oops", "text/plain", status=500)
        self.serve("/news/report.pdf", (FIXTURES / "report.pdf").read_bytes(), "text/html")

    def apis(self) -> None:
        self.serve("/gdelt", self.text("gdelt-artlist.json"), "application/json; charset=utf-8")
        self.handle("/w/api.php", self.wikipedia)
        self.serve("/factcheck", self.text("factcheck-claims.json"), "application/json; charset=utf-8")
        self.serve("/rss.xml", self.text("rss.xml"), "application/rss+xml")
        self.serve("/atom.xml", self.text("atom.xml"), "application/atom+xml")

    def wikipedia(self, request: Request) -> Response:
        if request.args.get("list") == "search":
            return answer(self.text("wikipedia-search.json"), "application/json")(request)
        name = {"Operation Martyr Soleimani": "wikipedia-extract-operation.json"}.get(
            request.args.get("titles", ""), "wikipedia-extract-missing.json")
        return answer(self.text(name), "application/json")(request)


def answer(body: str | bytes, content_type: str, status: int = 200) -> Callable[[Request], Response]:
    data = body.encode("utf-8") if isinstance(body, str) else body
    tag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'

    def handle(request: Request) -> Response:
        if status == 200 and request.headers.get("If-None-Match") == tag:
            return Response(status=304, headers={"ETag": tag})
        headers = {"ETag": tag} if status == 200 else {}
        return Response(data, status=status, headers=headers, content_type=content_type)

    return handle


@pytest.fixture
def site(httpserver: HTTPServer) -> Site:
    s = Site(httpserver)
    s.pages()
    s.apis()
    return s


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with HttpClient(fast_settings()) as c:
        yield c


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(SEEDS / "stories" / "iran-2020.toml", SEEDS)


def story_at(story: Story, site: Site, **sources: Any) -> Story:
    """The story with every API pointed at the fixture site, plus `sources` overrides."""
    base = {"gdelt_base_url": f"{site.base}/gdelt", "wikipedia_base_url": f"{site.base}/w/api.php",
            "factcheck_base_url": f"{site.base}/factcheck"}
    return dataclasses.replace(story, sources={**story.sources, **base, **sources})


@dataclasses.dataclass
class Ran:
    items: list[Candidate | Rejected]
    status: SourceStatus
    state: RunState

    def by_url(self) -> dict[str, Candidate | Rejected]:
        return {(i.input if isinstance(i, Rejected) else i.ref): i for i in self.items}


def run(source: Source, story: Story, client: HttpClient | None, environ: dict[str, str] | None = None) -> Ran:
    state = RunState()
    ctx = SourceContext(name=source.name, story=story, options=SourceOptions.from_story(story), client=client,
                        state=state, seeds_dir=SEEDS, max_doc_bytes=5_000_000, environ=environ or {}, now=NOW)
    items = list(source.iter_reports(ctx))
    return Ran(items, ctx.status(len(items)), state)


# --------------------------------------------------------------------------- GDELT


def test_gdelt_lists_articles_then_fetches_each_page(site: Site, story: Story, client: HttpClient) -> None:
    ran = run(gdelt.SOURCE, story_at(story, site), client)
    assert ran.status == SourceStatus("gdelt", "ok", None, 6)
    (params,) = site.args("/gdelt")
    assert params["mode"] == ["artlist"] and params["format"] == ["json"] and params["maxrecords"] == ["50"]
    assert params["startdatetime"] == ["20200106000000"] and params["enddatetime"] == ["20200407235959"]
    assert '"Al Asad"' in params["query"][0] and params["query"][0].endswith("sourcelang:english")
    got = ran.by_url()
    ap = got[f"{site.base}/news/strike-ap"]
    assert isinstance(ap, Candidate) and ap.html and "Ain al-Asad" in ap.html
    assert (ap.title, ap.outlet, ap.published, ap.date_signal) == (
        "Iran fires more than a dozen missiles at Al Asad and Erbil bases", "loopback-wire.example",
        "2020-01-08T01:45:00+00:00", "gdelt seendate")
    gone, broken, pdf = (got[f"{site.base}/news/{p}"] for p in ("gone", "broken", "report.pdf"))
    assert isinstance(gone, Rejected) and gone.stage == "fetch" and gone.reason == "HTTP 404 Not Found"
    assert isinstance(broken, Rejected) and broken.reason.startswith("gave up after 3 attempts: HTTP 500")
    assert isinstance(pdf, Rejected) and "PDF" in pdf.reason
    # one row per request: the list, 5 pages, and /news/broken's 3 attempts
    assert len(ran.state.outcomes) == 9 and all(o.source == "gdelt" for o in ran.state.outcomes)
    assert [o.ok for o in ran.state.outcomes].count(False) == 5
    assert [o.attempt for o in ran.state.outcomes if o.url.endswith("/news/broken")] == [1, 2, 3]


def test_gdelt_html_error_answer_fails_the_source_with_its_message(
    httpserver: HTTPServer, story: Story, client: HttpClient
) -> None:
    site = Site(httpserver)
    site.serve("/gdelt", site.text("gdelt-error.html"), "text/html; charset=utf-8")
    ran = run(gdelt.SOURCE, story_at(story, site), client)
    assert ran.items == [] and ran.status.status == "failed"
    assert ran.status.reason == ("GDELT answered text/html instead of JSON: Your search contained a keyword that "
                                 "was too short. Please use keywords of at least three characters.")
    assert len(ran.state.outcomes) == 1 and ran.state.outcomes[0].ok  # the request itself worked


def test_gdelt_malformed_json_is_salvaged_row_by_row(httpserver: HTTPServer, story: Story, client: HttpClient) -> None:
    site = Site(httpserver)
    site.pages()
    site.serve("/gdelt", site.text("gdelt-malformed.json"), "application/json")
    ran = run(gdelt.SOURCE, story_at(story, site), client)
    assert ran.status.status == "ok" and "malformed JSON" in (ran.status.reason or "")
    assert "1 article rows recovered" in (ran.status.reason or "")
    (only,) = ran.items
    assert isinstance(only, Candidate) and only.url == f"{site.base}/news/strike-ap"
    assert only.title == "Iran fires missiles at 'Al Asad' and Erbil"


@pytest.mark.parametrize(("body", "ctype", "status", "reason"), [
    ("{}", "application/json", "ok", "GDELT returned no articles for"),
    ("{\"articles\": ", "application/json", "failed", "GDELT sent malformed JSON"),
    ("", "application/json", "failed", "GDELT answered with an empty body"),
    ("[1, 2]", "application/json", "failed", "unexpected shape"),
])
def test_gdelt_odd_answers_are_statuses(httpserver: HTTPServer, story: Story, client: HttpClient, body: str,
                                        ctype: str, status: str, reason: str) -> None:
    site = Site(httpserver)
    site.serve("/gdelt", body, ctype)
    ran = run(gdelt.SOURCE, story_at(story, site), client)
    assert ran.items == [] and ran.status.status == status and reason in (ran.status.reason or "")


def test_gdelt_server_error_is_failed_not_unreachable(httpserver: HTTPServer, story: Story, client: HttpClient) -> None:
    site = Site(httpserver)
    site.serve("/gdelt", "busy", "text/plain", status=503)
    ran = run(gdelt.SOURCE, story_at(story, site), client)
    assert ran.status.status == "failed" and "HTTP 503" in (ran.status.reason or "")


def test_gdelt_query_and_dates() -> None:
    opts = dataclasses.replace(_options(), gdelt_query="", key_terms=("missile", "rocket"))
    assert gdelt.build_query(("Al Asad", "Erbil"), ("Al Asad", "Iran missile"), opts) == (
        '("Al Asad" OR Erbil OR "Iran missile") (missile OR rocket) sourcelang:english')
    one = dataclasses.replace(opts, key_terms=("missile",), gdelt_language="")
    assert gdelt.build_query(("Erbil",), (), one) == "Erbil missile"
    custom = dataclasses.replace(opts, gdelt_query="Erbil sourcelang:arabic")
    assert gdelt.build_query((), (), custom) == "Erbil sourcelang:arabic"
    assert gdelt.parse_seendate("20200108T031500Z") == "2020-01-08T03:15:00+00:00"
    assert gdelt.parse_seendate("yesterday") is None and gdelt.parse_seendate(None) is None


def _options() -> SourceOptions:
    return SourceOptions.from_story(load_story(SEEDS / "stories" / "iran-2020.toml", SEEDS))


# --------------------------------------------------------------------------- Wikipedia


def test_wikipedia_search_then_plain_text_extracts(site: Site, story: Story, client: HttpClient) -> None:
    ran = run(wikipedia.SOURCE, story_at(story, site), client)
    assert ran.status == SourceStatus("wikipedia", "ok", None, 2)
    searches = [a for a in site.args("/w/api.php") if a.get("list") == ["search"]]
    assert searches[0]["srsearch"] == ["Iran missile attack Al Asad Erbil 2020"] and searches[0]["srlimit"] == ["3"]
    extracts = [a for a in site.args("/w/api.php") if a.get("prop") == ["extracts"]]
    assert [a["titles"] for a in extracts] == [["Operation Martyr Soleimani"], ["Al Asad Airbase"]]
    assert all(a["explaintext"] == ["1"] and a["format"] == ["json"] for a in extracts)
    page, missing = ran.items
    assert isinstance(page, Candidate) and page.url == f"{site.base}/wiki/Operation_Martyr_Soleimani"
    assert page.outlet == "Wikipedia" and page.published is None and page.html is None
    assert page.text and page.text.startswith("Operation Martyr Soleimani was a military operation")
    assert "\nBackground\n" in page.text and "==" not in page.text
    assert "See also" not in page.text and "List of Iranian missile attacks" not in page.text
    assert isinstance(missing, Rejected) and missing.stage == "parse" and missing.reason == "no such Wikipedia page"


@pytest.mark.parametrize(("body", "ctype", "reason"), [
    ('{"error": {"code": "maxlag", "info": "Waiting for a database server"}}', "application/json",
     "Wikipedia API error maxlag: Waiting for a database server"),
    ("<html><body>Wikimedia Error</body></html>", "text/html", "Wikipedia answered text/html instead of JSON"),
    ('{"query": ', "application/json", "Wikipedia sent malformed JSON"),
])
def test_wikipedia_bad_answers_fail_the_source(httpserver: HTTPServer, story: Story, client: HttpClient, body: str,
                                               ctype: str, reason: str) -> None:
    site = Site(httpserver)
    site.serve("/w/api.php", body, ctype)
    ran = run(wikipedia.SOURCE, story_at(story, site), client)
    assert ran.items == [] and ran.status.status == "failed" and (ran.status.reason or "").startswith(reason)


def test_wikipedia_extract_cleaning() -> None:
    text = "Lead.\n\n\n== History ==\nBody.\n\n=== Detail ===\nMore.\n\n\n== External links ==\nLinks"
    assert wikipedia.clean_extract(text) == "Lead.\n\nHistory\nBody.\n\nDetail\nMore."


# --------------------------------------------------------------------------- Fact Check


def test_factcheck_reviews_become_text_reports_and_the_key_is_never_recorded(
    site: Site, story: Story, client: HttpClient
) -> None:
    ran = run(factcheck.SOURCE, story_at(story, site), client, environ={factcheck.KEY_ENV: KEY})
    (params,) = site.args("/factcheck")
    assert params["key"] == [KEY] and params["languageCode"] == ["en"] and params["query"] == ["Iran missile Al Asad"]
    assert ran.status == SourceStatus("factcheck", "ok", None, 3)
    review, no_url, verify = ran.items
    assert isinstance(review, Candidate) and review.source == "factcheck"
    assert review.url == "https://factcheck.example/2020/01/09/no-80-americans-were-not-killed-in-iran-missile-strike/"
    assert (review.outlet, review.published, review.date_signal) == (
        "FactCheck Fixture", "2020-01-09T15:00:00+00:00", "claim review")
    assert review.text == (
        "Claim: Iran's missile strike on Al Asad killed 80 American soldiers.\n"
        "Claimed by Iranian state television, on 2020-01-08.\n"
        "Rating by FactCheck Fixture: False.\n"
        "Review: No, 80 Americans were not killed in Iran's missile strike on Al Asad")
    assert review.extra == {"claim": "Iran's missile strike on Al Asad killed 80 American soldiers.",
                            "claimant": "Iranian state television", "claim_date": "2020-01-08T00:00:00Z",
                            "rating": "False", "language": "en"}
    assert isinstance(no_url, Rejected) and no_url.reason == "claimReview without a URL"
    assert isinstance(verify, Candidate) and verify.extra["rating"] == "True"
    (outcome,) = ran.state.outcomes
    assert KEY not in repr(outcome) and "key=***" in outcome.url


def test_factcheck_needs_its_key(site: Site, story: Story, client: HttpClient) -> None:
    ran = run(factcheck.SOURCE, story_at(story, site), client, environ={})
    assert ran.status.status == "skipped" and ran.status.reason == "CROSSCHECK_FACTCHECK_KEY is not set"
    assert site.paths() == []


def test_factcheck_refused_key_fails_without_leaking_it(httpserver: HTTPServer, story: Story,
                                                        client: HttpClient) -> None:
    site = Site(httpserver)
    body = json.dumps({"error": {"code": 403, "message": "API key not valid", "status": "PERMISSION_DENIED"}})
    site.serve("/factcheck", body, "application/json", status=403)
    ran = run(factcheck.SOURCE, story_at(story, site), client, environ={factcheck.KEY_ENV: KEY})
    assert ran.status.status == "failed" and ran.status.reason == "HTTP 403 Forbidden"
    assert KEY not in repr(ran.state.outcomes)


# --------------------------------------------------------------------------- feeds


def test_rss_entries_in_the_window_are_fetched_others_dropped_unfetched(
    site: Site, story: Story, client: HttpClient
) -> None:
    ran = run(feeds.SOURCE, story_at(story, site, feeds=[f"{site.base}/rss.xml"]), client)
    assert ran.status == SourceStatus("feeds", "ok", None, 3)
    got = ran.by_url()
    jocc = got[f"{site.base}/news/jocc-22-missiles"]
    assert isinstance(jocc, Candidate) and jocc.html and jocc.outlet == "Fixture Times: World"
    assert (jocc.published, jocc.date_signal) == ("2020-01-08T07:10:00+00:00", "feed")
    markets = got[f"{site.base}/news/markets-2024"]
    assert isinstance(markets, Candidate) and markets.html is None and markets.dropped == (
        "feed published 2024-03-04, outside the story window 2020-01-06..2020-04-07; not fetched")
    assert "/news/markets-2024" not in site.paths()


def test_atom_links_resolve_against_the_feed(site: Site, story: Story, client: HttpClient) -> None:
    ran = run(feeds.SOURCE, story_at(story, site, feeds=[f"{site.base}/atom.xml"]), client)
    ap, old = ran.items
    assert isinstance(ap, Candidate) and ap.url == f"{site.base}/news/strike-ap" and ap.outlet == "Loopback Wire"
    assert ap.published == "2020-01-08T01:30:00+00:00"
    assert isinstance(old, Candidate) and old.dropped and "2023-01-08" in old.dropped
    assert "/news/anniversary-2023" not in site.paths()


def test_bad_feeds_are_rejected_and_the_next_feed_still_read(site: Site, story: Story, client: HttpClient) -> None:
    listed = [f"{site.base}/news/gone", f"{site.base}/news/strike-ap", f"{site.base}/atom.xml"]
    ran = run(feeds.SOURCE, story_at(story, site, feeds=listed), client)
    gone, page, *rest = ran.items
    assert isinstance(gone, Rejected) and gone.stage == "fetch" and gone.reason == "HTTP 404 Not Found"
    assert isinstance(page, Rejected) and page.stage == "parse" and page.reason == (
        "not an RSS or Atom feed (an HTML page)")
    assert any(isinstance(i, Candidate) and i.url == f"{site.base}/news/strike-ap" for i in rest)
    assert ran.status.status == "ok"


def test_feed_parser_resolves_no_external_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    body = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<rss version="2.0"><channel><title>T &x;</title><item><title>&x;</title>'
            '<link>https://a.example/1</link></item></channel></rss>').encode()
    feed = feeds.parse_feed(body, "https://a.example/feed")
    assert isinstance(feed, feeds.Feed) and "TOP-SECRET" not in repr(feed)
    assert [e.link for e in feed.entries] == ["https://a.example/1"]
    assert feeds.parse_feed(b"", "https://a.example/") == "empty feed"
    assert isinstance(feeds.parse_feed(b"\x00\x01garbage", "https://a.example/"), str)


# --------------------------------------------------------------------------- URL lists and the local folder


def test_url_file_and_story_urls(site: Site, story: Story, client: HttpClient, tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text(site.text("urls.txt"))
    extra = [f"{site.base}/news/bushfires", "mailto:someone@example.org"]
    ran = run(urls.SOURCE, story_at(story, site, url_files=[str(listed), "no/such/file.txt"], urls=extra), client)
    got = ran.by_url()
    assert isinstance(got[f"{site.base}/news/strike-ap"], Candidate)
    assert isinstance(got[f"{site.base}/news/jocc-22-missiles"], Candidate)
    assert isinstance(got[f"{site.base}/news/bushfires"], Candidate)
    bad = got[f"{listed}:5"]
    assert isinstance(bad, Rejected) and bad.stage == "ingest" and bad.reason == "not an http(s) URL: 'not-a-url'"
    assert isinstance(got[f"{listed}:6"], Rejected)
    assert isinstance(got[f"{site.base}/news/gone"], Rejected)
    missing = got[str(SEEDS / "no/such/file.txt")]
    assert isinstance(missing, Rejected) and missing.reason.startswith("cannot read URL file")
    assert isinstance(got["mailto:someone@example.org"], Rejected)


def test_folder_source_is_the_bundled_corpus_read_by_files_py(story: Story) -> None:
    ran = run(folder.SOURCE, story, client=None)
    articles, _ = ingest(story.corpus, story=story.id)
    texts = [i.text for i in ran.items if isinstance(i, Candidate)]
    assert len(ran.items) == len(list(story.corpus[0].glob("*.md")))
    assert {a.text for a in articles} == set(texts)
    first = ran.items[0]
    assert isinstance(first, Candidate) and first.source == "local" and first.path and first.url
    assert first.date_signal == "front matter" and ran.status == SourceStatus("local", "ok", None, len(ran.items))
    assert ran.state.outcomes == [] and first.url in ran.state.proposed


def test_folder_source_notes_a_missing_corpus_folder(story: Story, tmp_path: Path) -> None:
    ran = run(folder.SOURCE, dataclasses.replace(story, corpus=(tmp_path / "nope",)), client=None)
    assert ran.items == [] and ran.status.status == "ok" and "does not exist" in (ran.status.reason or "")
