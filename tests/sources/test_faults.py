"""Failure isolation in fetching, against a loopback fault server: a failure costs the URL that failed (and,
after repeated failures, its host), never the rest of a source; one deadline bounds each URL; every request
is a row in `fetches`.

Servers: pytest-httpserver (`httpserver`) and the stdlib `raw_server` from conftest, both on 127.0.0.1:0, are
two hosts (a host is host:port); a released port is a host that refuses connections; names under `.invalid`
fail to resolve in the injected resolver, before any lookup. Results are loaded into a real DuckDB
warehouse and read back with SQL. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import dataclasses
import gzip
import random
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from pytest_httpserver import HTTPServer
from support import free_port
from werkzeug import Request, Response

from core.config import PROJECT_ROOT, Settings, Story, load_story
from extractors.vocabulary import load_story_terms
from sources.adapters import urls
from sources.discover import Discovery, discover
from sources.http import HttpClient, default_resolve
from sources.settings import HttpSettings
from warehouse.db import open_warehouse
from warehouse.load import load_fetches
from warehouse.sources_load import load_discovery

RawServer = Any  # conftest.RawServer (conftest modules are not imported directly)

SEEDS = PROJECT_ROOT / "seeds"
NOW = datetime(2024, 6, 1, tzinfo=UTC)
MB = 1_000_000


def page(title: str) -> bytes:
    """A small news page about the story (written for these tests)."""
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        "<p>Iran launched ballistic missiles overnight at the Al Asad air base in western Iraq and at a "
        "base near Erbil, the defence ministry said on 8 January 2020.</p>"
        "<p>Officials counted the missiles that struck Al Asad and said the damage was being assessed.</p>"
        "</article></body></html>"
    ).encode()


def settings(**overrides: Any) -> HttpSettings:
    """Loopback allowed, no spacing, quick timeouts and backoff; robots.txt off unless asked."""
    base: dict[str, Any] = {
        "allow_loopback": True, "obey_robots": False, "per_host_delay_s": 0.0, "per_host_delays": {},
        "connect_timeout": 1.0, "read_timeout": 5.0, "total_timeout": 10.0, "backoff_base_s": 0.01,
        "backoff_max_s": 0.05, "max_attempts": 3,
    }
    base.update(overrides)
    return HttpSettings(**base)


def resolve(host: str, port: int) -> list[str]:
    """The system resolver, except that `.invalid` names fail the way an unknown host does."""
    if host.endswith(".invalid"):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return default_resolve(host, port)


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(SEEDS / "stories" / "iran-2020.toml", SEEDS)


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = open_warehouse(tmp_path / "wh" / "crosscheck.duckdb", wait_s=0)
    yield con
    con.close()


def run_url_file(tmp_path: Path, story: Story, lines: list[str], http: HttpSettings) -> Discovery:
    """discover() with only the URL-file source, reading `lines` as the story's URL file."""
    listed = tmp_path / "urls.txt"
    listed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = dataclasses.replace(story, sources={**story.sources, "url_files": [str(listed)], "urls": []})
    config = Settings(root=tmp_path, db_path=tmp_path / "var" / "crosscheck.duckdb", seeds_dir=SEEDS,
                      story_ids=(story.id,), max_doc_bytes=5_000_000, online=True)
    with HttpClient(http, resolve=resolve) as client:
        return discover(config, target, client=client, environ={}, now=NOW, sources=(urls.SOURCE,),
                        terms=load_story_terms(SEEDS, target))


def serve(httpserver: HTTPServer, path: str, title: str) -> str:
    httpserver.expect_request(path).respond_with_data(page(title), content_type="text/html; charset=utf-8")
    return httpserver.url_for(path)


def counting(answers: list[Response]) -> Callable[[Request], Response]:
    """A handler giving `answers` in turn (the last one again once they run out)."""
    given: list[int] = []

    def handle(request: Request) -> Response:
        given.append(1)
        return answers[min(len(given), len(answers)) - 1]

    return handle


def rows(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()


# --------------------------------------------------------------------------- (a) a dead URL costs only itself


def test_a_dead_first_url_costs_that_url_and_every_url_gets_its_row(
    tmp_path: Path, story: Story, httpserver: HTTPServer, raw_server: RawServer,
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens: connection refused
    a1 = serve(httpserver, "/world/strike-report", "Missiles hit Al Asad")
    a2 = serve(httpserver, "/world/erbil-follow-up", "Erbil base assessed after the strike")
    httpserver.expect_request("/world/withdrawn").respond_with_data("withdrawn", status=404)
    raw_server.route("/b/report")(lambda h: _html(h, page("Damage counted at Al Asad")))
    listed = [
        f"{closed}/first",  # the dead first URL
        a1,
        f"{closed}/second",  # same dead host: still tried
        "http://desk.invalid/story",  # DNS failure
        raw_server.url("/b/report"),  # another host
        f"{closed}/third",  # the third failure in a row: the host is given up
        f"{closed}/fourth",  # not sent: skipped with the reason
        a2,
        httpserver.url_for("/world/withdrawn"),
    ]
    d = run_url_file(tmp_path, story, ["# a URL file whose first URL is dead", *listed], settings())

    # the server side: every URL on a live host was asked
    assert sorted(r.path for r, _ in httpserver.log) == ["/world/erbil-follow-up", "/world/strike-report",
                                                         "/world/withdrawn"]
    assert raw_server.paths() == ["/b/report"]
    (status,) = d.statuses
    assert status.status == "ok"
    assert [host for host, _ in status.unreachable_hosts] == [closed.removeprefix("http://"), "desk.invalid"]
    ((source, why),) = d.unreachable  # the summary still names the hosts that did not answer
    assert source == "urls" and why.startswith(f"2 host(s) gave no answer: {closed.removeprefix('http://')} (")
    assert "Connection refused" in why and "desk.invalid (cannot resolve host desk.invalid" in why

    loaded = load_discovery(warehouse, d, "run-a")
    assert loaded["fetches"] == len(d.outcomes) and loaded["candidates"] == len(listed)
    # every listed URL has a candidate row with its outcome ...
    decided = dict(rows(warehouse, "SELECT url, decision || ': ' || reason FROM candidates WHERE run_id = 'run-a'"))
    assert set(decided) == set(listed)
    for url in (a1, a2, raw_server.url("/b/report")):
        assert decided[url].startswith("keep: ")
    assert decided[f"{closed}/first"].startswith("drop: fetch: ") and "Connection refused" in decided[f"{closed}/first"]
    assert decided["http://desk.invalid/story"] == ("drop: fetch: cannot resolve host desk.invalid: "
                                                    "Name or service not known")
    assert decided[httpserver.url_for("/world/withdrawn")] == "drop: fetch: HTTP 404 Not Found"
    assert decided[f"{closed}/fourth"].startswith(
        f"drop: fetch: not fetched: host {closed.removeprefix('http://')} was given up earlier in this run "
        "(3 failures in a row without an answer, the last: ")
    # ... and at least one fetches row: the requests tried, or the reason it was not sent
    fetched = rows(warehouse, "SELECT url, bool_or(ok), list(DISTINCT purpose), max(attempt) FROM fetches "
                              "WHERE run_id = 'run-a' GROUP BY url")
    by_url = {url: (ok, purposes, attempts) for url, ok, purposes, attempts in fetched}
    assert set(by_url) == set(listed)
    assert {url for url, (ok, _, _) in by_url.items() if ok} == {a1, a2, raw_server.url("/b/report")}
    assert by_url[f"{closed}/first"] == (False, ["url"], 3)  # refused, retried, given up: three rows
    assert by_url[f"{closed}/fourth"] == (False, ["skipped"], 0)


def _html(h: Any, body: bytes) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


# --------------------------------------------------------------------------- (b) one deadline per URL


@pytest.fixture
def stall(raw_server: RawServer) -> Iterator[threading.Event]:
    """/stall/head never answers; /stall/body sends headers and a first part, then nothing. Set to release."""
    release = threading.Event()

    @raw_server.route("/stall/head")
    def head(h: Any) -> None:
        release.wait(30)

    @raw_server.route("/stall/body")
    def body(h: Any) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        h.wfile.write(b"<html><body><p>" + b"x" * 4000)
        h.wfile.flush()
        release.wait(30)

    for n in (1, 2):
        raw_server.route(f"/next/{n}")(lambda h, n=n: _html(h, page(f"Follow-up {n} on the Al Asad strike")))
    yield release
    release.set()


@pytest.mark.parametrize(("where", "reason"), [
    ("head", "no answer within the 2.0 s deadline"),
    ("body", "response took longer than the 2.0 s deadline"),
])
def test_a_stalled_url_costs_about_its_deadline_and_its_host_stays_usable(
    tmp_path: Path, story: Story, raw_server: RawServer, stall: threading.Event,
    warehouse: duckdb.DuckDBPyConnection, where: str, reason: str,
) -> None:
    http = settings(total_timeout=2.0, read_timeout=20.0, max_attempts=3)  # the read timeout alone: 3 x 20 s
    listed = [raw_server.url(f"/stall/{where}"), raw_server.url("/next/1"), raw_server.url("/next/2")]
    started = time.monotonic()
    d = run_url_file(tmp_path, story, listed, http)
    took = time.monotonic() - started

    assert took < 3.5, f"discovery took {took:.1f} s"
    assert raw_server.paths() == [f"/stall/{where}", "/next/1", "/next/2"]  # no retry: no time left for one
    load_discovery(warehouse, d, "run-b")
    got = rows(warehouse, "SELECT url, ok, reason, elapsed_s, bytes FROM fetches WHERE run_id = 'run-b' ORDER BY url")
    stalled = [r for r in got if "/stall/" in r[0]]
    assert len(stalled) == 1
    _, ok, why, elapsed, nbytes = stalled[0]
    assert not ok and why == reason and 1.9 <= elapsed <= 2.6
    assert nbytes == (0 if where == "head" else len(b"<html><body><p>") + 4000)  # the part that was read
    assert [ok for url, ok, *_ in got if "/next/" in url] == [True, True]  # the same host, still fetched
    assert d.statuses[0].status == "ok"


def test_retries_under_a_short_read_timeout_stop_at_the_deadline(raw_server: RawServer,
                                                                  stall: threading.Event) -> None:
    http = settings(total_timeout=2.0, read_timeout=0.6, max_attempts=10)
    started = time.monotonic()
    with HttpClient(http) as client:
        result = client.fetch(raw_server.url("/stall/head"), source="test")
    took = time.monotonic() - started

    assert not result.ok and took < 2.4
    assert 3 <= result.attempts <= 4 and len(raw_server.requests) == result.attempts
    assert [r.attempt for r in result.requests] == list(range(1, result.attempts + 1))
    assert result.outcome.reason is not None and result.outcome.reason.startswith(
        f"gave up after {result.attempts} attempts")
    assert "2.0 s deadline" in result.outcome.reason


def test_the_deadline_is_a_setting_with_an_environment_variable() -> None:
    assert HttpSettings().total_timeout == 30.0 and HttpSettings().max_host_failures == 3
    s = HttpSettings.from_env({"CROSSCHECK_HTTP_TOTAL_TIMEOUT": "2.5", "CROSSCHECK_HTTP_MAX_HOST_FAILURES": "5"})
    assert (s.total_timeout, s.max_host_failures) == (2.5, 5)


# --------------------------------------------------------------------------- (c) a row for every request


def test_every_request_robots_txt_retries_and_hops_included_has_a_fetches_row(
    tmp_path: Path, story: Story, httpserver: HTTPServer, raw_server: RawServer,
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    busy = Response("busy", status=503)
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private\n",
                                                               content_type="text/plain")
    httpserver.expect_request("/flaky").respond_with_handler(counting(
        [busy, busy, Response(page("Missiles struck Al Asad before dawn"), content_type="text/html")]))
    httpserver.expect_request("/moved").respond_with_data("", status=301, headers={"Location": "/landed"})
    serve(httpserver, "/landed", "Erbil and Al Asad after the missiles")
    httpserver.expect_request("/down").respond_with_data("down", status=500)
    robots_answers = iter([503])  # the second host's robots.txt fails once, then is missing (404: allowed)

    @raw_server.route("/robots.txt")
    def robots(h: Any) -> None:
        h.send_error(next(robots_answers, 404))

    raw_server.route("/b/page")(lambda h: _html(h, page("Al Asad damage survey")))
    listed = [httpserver.url_for(p) for p in ("/flaky", "/moved", "/down", "/private/memo")]
    listed.append(raw_server.url("/b/page"))
    d = run_url_file(tmp_path, story, listed, settings(obey_robots=True))
    load_discovery(warehouse, d, "run-c")

    def answered(port: int) -> int:
        sql = "SELECT count(*) FROM fetches WHERE run_id = 'run-c' AND status IS NOT NULL AND url LIKE ?"
        return rows(warehouse, sql, f"http://127.0.0.1:{port}/%")[0][0]

    # server-side counts equal the rows of requests that got an answer, host by host
    assert len(httpserver.log) == 1 + 3 + 2 + 3 == answered(httpserver.port)  # robots, flaky, moved+hop, down
    assert len(raw_server.requests) == 2 + 1 == answered(raw_server.port)  # robots.txt twice, the page
    # nothing else was tried: the one row without an answer is the URL robots.txt forbids (never sent)
    unanswered = rows(warehouse, "SELECT url, reason FROM fetches WHERE run_id = 'run-c' AND status IS NULL")
    assert unanswered == [(httpserver.url_for("/private/memo"), "robots.txt disallows /private/memo for crosscheck")]

    table = rows(warehouse, "SELECT url, purpose, attempt, hop, status, ok, final_url, source FROM fetches "
                            "WHERE run_id = 'run-c' AND status IS NOT NULL")
    by = {(url.rsplit("/", 1)[1], attempt, hop): (purpose, status, ok, final, src)
          for url, purpose, attempt, hop, status, ok, final, src in table if purpose == "url"}
    assert {k: v[1] for k, v in by.items() if k[0] == "flaky"} == {("flaky", 1, 0): 503, ("flaky", 2, 0): 503,
                                                                  ("flaky", 3, 0): 200}
    assert by[("moved", 1, 0)] == ("url", 301, False, httpserver.url_for("/landed"), "urls")
    assert by[("moved", 1, 1)] == ("url", 200, True, httpserver.url_for("/landed"), "urls")
    assert [by[("down", n, 0)][1:3] for n in (1, 2, 3)] == [(500, False)] * 3
    robots_rows = rows(warehouse, "SELECT url, attempt, status, source FROM fetches "
                                  "WHERE run_id = 'run-c' AND purpose = 'robots' ORDER BY url, attempt")
    assert sorted(robots_rows) == sorted([
        (httpserver.url_for("/robots.txt"), 1, 200, "urls"),  # the first host's, read once for its four URLs
        (raw_server.url("/robots.txt"), 1, 503, "urls"), (raw_server.url("/robots.txt"), 2, 404, "urls"),  # retried
    ])
    down = rows(warehouse, "SELECT reason FROM fetches WHERE run_id = 'run-c' AND url LIKE '%/down' ORDER BY attempt")
    assert [r[0] for r in down] == ["HTTP 500 Internal Server Error", "HTTP 500 Internal Server Error",
                                    "gave up after 3 attempts: HTTP 500 Internal Server Error"]


# --------------------------------------------------------------------------- (d) final_url of a refused redirect


@pytest.mark.parametrize(("location", "why"), [
    ("http://10.20.30.40/inside", "address 10.20.30.40 of host 10.20.30.40 is private; refused"),
    ("ftp://files.example/report.txt", "unsupported scheme 'ftp'"),
])
def test_a_refused_redirect_records_where_it_led(httpserver: HTTPServer, warehouse: duckdb.DuckDBPyConnection,
                                                 location: str, why: str) -> None:
    httpserver.expect_request("/jump").respond_with_data("", status=302, headers={"Location": location})
    with HttpClient(settings()) as client:
        result = client.fetch(httpserver.url_for("/jump"), source="test")

    assert not result.ok and result.outcome.final_url == location
    assert result.outcome.reason == f"{location}: {why}"
    load_fetches(warehouse, result.requests, "run-d")
    got = rows(warehouse, "SELECT hop, status, final_url, reason FROM fetches WHERE run_id = 'run-d' ORDER BY hop")
    assert got == [
        (0, 302, location, f"HTTP 302 redirect to {location}, followed"),
        (1, None, location, f"{location}: {why}"),  # refused before anything was sent
    ]
    assert len(httpserver.log) == 1


def test_a_redirect_loop_records_the_url_it_led_back_to(httpserver: HTTPServer,
                                                        warehouse: duckdb.DuckDBPyConnection) -> None:
    httpserver.expect_request("/ping").respond_with_data("", status=302, headers={"Location": "/pong"})
    httpserver.expect_request("/pong").respond_with_data("", status=302, headers={"Location": "/ping"})
    with HttpClient(settings()) as client:
        result = client.fetch(httpserver.url_for("/ping"), source="test")

    assert not result.ok and result.outcome.final_url == httpserver.url_for("/ping")
    load_fetches(warehouse, result.requests, "run-d")
    got = rows(warehouse, "SELECT hop, status, final_url FROM fetches WHERE run_id = 'run-d' ORDER BY hop")
    assert got == [(0, 302, httpserver.url_for("/pong")), (1, 302, httpserver.url_for("/ping"))]


# --------------------------------------------------------------------------- (e) bytes actually read


def _gzip_bomb(decompressed_mb: int) -> bytes:
    """gzip of `decompressed_mb` MB that is mostly zeros (a little noise per MB), built 1 MB at a time."""
    noise = random.Random(11)
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [packer.compress(noise.randbytes(2_000) + bytes(MB - 2_000)) for _ in range(decompressed_mb)]
    return b"".join([*parts, packer.flush()])


def test_refused_bodies_record_the_bytes_read(httpserver: HTTPServer, raw_server: RawServer,
                                              warehouse: duckdb.DuckDBPyConnection) -> None:
    bomb = _gzip_bomb(40)
    httpserver.expect_request("/bomb").respond_with_data(bomb, content_type="text/html",
                                                         headers={"Content-Encoding": "gzip"})
    httpserver.expect_request("/fine.gz").respond_with_data(gzip.compress(page("Al Asad")), content_type="text/html",
                                                            headers={"Content-Encoding": "gzip"})

    @raw_server.route("/endless")
    def endless(h: Any) -> None:  # no Content-Length: only reading finds out it is too long
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        for _ in range(200):
            h.wfile.write(b"<p>" + b"y" * 16_381)

    http = settings(max_bytes=1 * MB)
    with HttpClient(http) as client:
        bombed = client.fetch(httpserver.url_for("/bomb"), source="test")
        endless_got = client.fetch(raw_server.url("/endless"), source="test")
        fine = client.fetch(httpserver.url_for("/fine.gz"), source="test")

    assert bombed.kind == "too_large" and bombed.outcome.reason == "decompressed body over 1.0 MB limit (gzip bomb?)"
    assert 0 < bombed.outcome.bytes < len(bomb)  # the compressed bytes read before it inflated past the cap
    assert endless_got.kind == "too_large" and MB < endless_got.outcome.bytes <= MB + 65_536
    assert fine.ok and fine.outcome.bytes == len(page("Al Asad"))  # an accepted body: its inflated size
    load_fetches(warehouse, [*bombed.requests, *endless_got.requests, *fine.requests], "run-e")
    stored = dict(rows(warehouse, "SELECT url, bytes FROM fetches WHERE run_id = 'run-e'"))
    assert stored == {httpserver.url_for("/bomb"): bombed.outcome.bytes,
                      raw_server.url("/endless"): endless_got.outcome.bytes,
                      httpserver.url_for("/fine.gz"): len(page("Al Asad"))}


# --------------------------------------------------------------------------- a page with a few invalid bytes


def test_a_fetched_page_with_a_few_invalid_bytes_is_kept_with_its_warning_recorded(
        tmp_path: Path, story: Story, httpserver: HTTPServer) -> None:
    from crosscheck.jobs import Collected, merge_collected

    # UTF-8 with curly quotes and dashes, into which two cp1252 bytes slipped
    dashed = "base \u2014 the \u201cAsad\u201d base \u2014 in".encode()
    utf8 = page("Missiles hit Al Asad").replace(b"base in", dashed, 1)
    body = utf8.replace(b"overnight", b"overnight\xe9", 1).replace(b"damage", b"\x92damage", 1)
    httpserver.expect_request("/garbled").respond_with_data(body, content_type="text/html")  # no charset declared
    url = httpserver.url_for("/garbled")
    found = run_url_file(tmp_path, story, [url], settings())
    assert [a.url for a in found.articles] == [url]
    article = found.articles[0]
    assert "overnight\ufffd" in article.text and "\ufffddamage" in article.text  # UTF-8, not a legacy charset
    assert len(article.warnings) == 1 and "2 byte sequences" in article.warnings[0]
    offsets = [body.index(b"\xe9"), body.index(b"\x92")]
    assert "byte offsets " + ", ".join(map(str, offsets)) in article.warnings[0]
    merged = merge_collected(Collected(), found)
    assert [(r.input, r.stage) for r in merged.rejected if r.stage == "decode"] == [(url, "decode")]
