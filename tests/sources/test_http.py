"""The HTTP client against real loopback servers: every failure is an outcome with a clear reason.

Servers: pytest-httpserver (`httpserver`, 127.0.0.1:0) for ordinary responses, the stdlib
`raw_server` from conftest for slow, streamed or hand-written ones. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import gzip
import random
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from core.errors import ConfigError
from sources.http import (
    FetchResult,
    HostThrottle,
    HttpClient,
    address_problem,
    parse_content_type,
    parse_retry_after,
    retry_decision,
)
from sources.robots import RobotsFile, RobotsPolicy
from sources.settings import HttpSettings

RawServer = Any  # conftest.RawServer (conftest modules are not imported directly)

HTML = b"<!doctype html><html><head><title>Report</title></head><body><p>Five killed.</p></body></html>"
MB = 1_000_000


def fast_settings(**overrides: Any) -> HttpSettings:
    """Loopback allowed, no robots, no spacing, tiny timeouts and backoff: keeps the suite fast."""
    base: dict[str, Any] = {
        "allow_loopback": True,
        "obey_robots": False,
        "per_host_delay_s": 0.0,
        "per_host_delays": {},
        "connect_timeout": 1.0,
        "read_timeout": 2.0,
        "total_timeout": 5.0,
        "backoff_base_s": 0.02,
        "backoff_max_s": 0.1,
        "max_attempts": 3,
    }
    base.update(overrides)
    return HttpSettings(**base)


def fetch(settings: HttpSettings, url: str, **client_kw: Any) -> FetchResult:
    with HttpClient(settings, **client_kw) as client:
        return client.fetch(url, source="test")


def timed_handler(times: list[float], responses: list[Response]) -> Callable[[Request], Response]:
    """A handler answering `responses` in order (the last one repeats), noting each arrival time."""

    def handle(request: Request) -> Response:
        times.append(time.monotonic())
        return responses[min(len(times), len(responses)) - 1]

    return handle


# --------------------------------------------------------------------------- plain responses


def test_200_html_is_ok_with_body_headers_and_hint(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/report").respond_with_data(
        HTML, content_type="text/html; charset=UTF-8", headers={"X-Test": "1"}
    )
    settings = fast_settings()
    result = fetch(settings, httpserver.url_for("/report"))

    out = result.outcome
    assert out.ok and out.reason is None
    assert (out.status, out.bytes, out.content_type, out.source) == (200, len(HTML), "text/html", "test")
    assert out.final_url == httpserver.url_for("/report") and not out.from_cache
    assert 0 < out.elapsed_s < 2
    assert result.body == HTML and result.encoding == "utf-8" and result.attempts == 1
    assert result.headers["x-test"] == "1"  # case-insensitive headers
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == settings.user_agent
    assert request.headers["Accept-Encoding"] == "gzip, deflate"


def test_404_is_a_failure_with_its_status_and_not_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("nope", status=404)
    result = fetch(fast_settings(), httpserver.url_for("/gone"))

    assert not result.ok and result.body is None
    assert result.outcome.status == 404
    assert result.outcome.reason == "HTTP 404 Not Found"
    assert result.kind == "http_404" and result.attempts == 1
    assert len(httpserver.log) == 1
    assert result.describe() == f"{httpserver.url_for('/gone')}: HTTP 404 Not Found"


def test_500_then_200_succeeds_on_the_second_attempt(httpserver: HTTPServer) -> None:
    times: list[float] = []
    httpserver.expect_request("/flaky").respond_with_handler(
        timed_handler(
            times,
            [
                Response("boom", status=500),
                Response(HTML, content_type="text/html"),
            ],
        )
    )
    result = fetch(fast_settings(), httpserver.url_for("/flaky"))

    assert result.ok and result.body == HTML
    assert result.attempts == 2 and len(times) == 2  # counted on the server
    assert result.outcome.status == 200


def test_persistent_500_gives_up_after_max_attempts(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/down").respond_with_data("boom", status=500)
    result = fetch(fast_settings(max_attempts=3), httpserver.url_for("/down"))

    assert not result.ok and result.attempts == 3 and len(httpserver.log) == 3
    assert result.outcome.reason == "gave up after 3 attempts: HTTP 500 Internal Server Error"
    assert result.outcome.status == 500


def test_429_with_retry_after_waits_then_succeeds(httpserver: HTTPServer) -> None:
    times: list[float] = []
    httpserver.expect_request("/busy").respond_with_handler(
        timed_handler(
            times,
            [
                Response("slow down", status=429, headers={"Retry-After": "1"}),
                Response(HTML, content_type="text/html"),
            ],
        )
    )
    result = fetch(fast_settings(), httpserver.url_for("/busy"))

    assert result.ok and result.attempts == 2
    gap = times[1] - times[0]
    assert 0.95 <= gap < 1.8, gap  # honoured Retry-After: 1, no backoff added on top
    assert result.outcome.elapsed_s >= 0.95


def test_retry_after_longer_than_the_cap_stops_at_once(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/later").respond_with_data(
        "later", status=503, headers={"Retry-After": "3600"}
    )
    result = fetch(fast_settings(max_retry_after_s=60), httpserver.url_for("/later"))

    assert not result.ok and len(httpserver.log) == 1
    assert result.outcome.reason == (
        "HTTP 503 Service Unavailable; Retry-After asks 3600 s, over the 60 s cap; not retried"
    )


def test_connection_refused_is_retried_then_reported(raw_server: RawServer) -> None:
    url = raw_server.url("/")
    raw_server.close()  # nothing listens on that port any more
    result = fetch(fast_settings(max_attempts=2), url)

    assert not result.ok and result.outcome.status is None and result.attempts == 2
    assert result.outcome.reason == "gave up after 2 attempts: connection failed: Connection refused"
    assert result.kind == "connection"


# --------------------------------------------------------------------------- time limits


def test_response_slower_than_the_read_timeout(raw_server: RawServer) -> None:
    @raw_server.route("/slow")
    def slow(h: Any) -> None:
        time.sleep(1.5)
        h.send_response(200)
        h.end_headers()

    started = time.monotonic()
    result = fetch(fast_settings(read_timeout=0.3, max_attempts=2), raw_server.url("/slow"))
    took = time.monotonic() - started

    assert not result.ok and result.kind == "timeout"
    assert result.outcome.reason == "gave up after 2 attempts: read timeout after 0.3 s"
    assert len(raw_server.requests) == 2  # timeouts are retried
    assert took < 1.4


def test_body_dripping_past_the_deadline_is_cut(raw_server: RawServer) -> None:
    @raw_server.route("/drip")
    def drip(h: Any) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        for _ in range(100):  # 1 byte every 50 ms: never silent long enough for the read timeout
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(0.05)

    result = fetch(fast_settings(read_timeout=1.0, total_timeout=0.5), raw_server.url("/drip"))

    assert not result.ok and result.kind == "deadline" and result.attempts == 1
    assert result.outcome.reason == "response took longer than the 0.5 s deadline"
    assert result.outcome.elapsed_s < 1.5


# --------------------------------------------------------------------------- size caps


def _stream_zeros(h: Any, total: int, declare_length: bool) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    if declare_length:
        h.send_header("Content-Length", str(total))
    h.end_headers()
    chunk = b"\0" * 65536  # one chunk reused: the server never holds 50 MB either
    sent = 0
    while sent < total:
        h.wfile.write(chunk)
        sent += len(chunk)


def test_50mb_streamed_body_is_cut_at_the_cap_in_bounded_memory(raw_server: RawServer) -> None:
    raw_server.route("/huge")(lambda h: _stream_zeros(h, 50 * MB, declare_length=False))
    settings = fast_settings()  # default cap: 5 MB

    tracemalloc.start()
    try:
        result = fetch(settings, raw_server.url("/huge"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert not result.ok and result.kind == "too_large" and result.outcome.status == 200
    assert result.outcome.reason == "body over 5.0 MB limit"
    assert 5 * MB < result.outcome.bytes <= 5 * MB + 65536
    print(f"50 MB stream: peak traced memory {peak / MB:.1f} MB")
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB"  # one capped buffer, never 50 MB
    assert result.attempts == 1


def test_declared_content_length_over_the_cap_is_refused_before_reading(raw_server: RawServer) -> None:
    raw_server.route("/huge")(lambda h: _stream_zeros(h, 50 * MB, declare_length=True))
    result = fetch(fast_settings(), raw_server.url("/huge"))

    assert not result.ok and result.kind == "too_large" and result.outcome.bytes == 0
    assert result.outcome.reason == "body over 5.0 MB limit (Content-Length 50000000)"


def _chunked(h: Any, pieces: Any, headers: dict[str, str]) -> None:
    """Answer with Transfer-Encoding: chunked, one chunk per piece."""
    h.protocol_version = "HTTP/1.1"
    h.send_response(200)
    for name, value in {**headers, "Transfer-Encoding": "chunked", "Connection": "close"}.items():
        h.send_header(name, value)
    h.end_headers()
    for piece in pieces:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
    h.wfile.write(b"0\r\n\r\n")


def test_chunked_transfer_is_read_and_capped(raw_server: RawServer) -> None:
    raw_server.route("/small")(lambda h: _chunked(h, [HTML[:10], HTML[10:]], {"Content-Type": "text/html"}))
    raw_server.route("/huge")(lambda h: _chunked(
        h, (b"\0" * 65536 for _ in range(800)), {"Content-Type": "text/html"}))  # 52 MB, lazily
    packed = gzip.compress(HTML)
    raw_server.route("/gz")(lambda h: _chunked(
        h, [packed[:7], packed[7:]], {"Content-Type": "text/html", "Content-Encoding": "gzip"}))
    with HttpClient(fast_settings()) as client:
        small = client.fetch(raw_server.url("/small"), source="test")
        huge = client.fetch(raw_server.url("/huge"), source="test")
        gz = client.fetch(raw_server.url("/gz"), source="test")

    assert small.ok and small.body == HTML
    assert huge.outcome.reason == "body over 5.0 MB limit"
    assert gz.ok and gz.body == HTML


def test_truncated_body_is_a_retried_failure(raw_server: RawServer) -> None:
    @raw_server.route("/cut")
    def cut(h: Any) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "1000")
        h.end_headers()
        h.wfile.write(b"<html>only part")

    result = fetch(fast_settings(max_attempts=2), raw_server.url("/cut"))

    assert not result.ok and result.kind == "connection" and len(raw_server.requests) == 2
    assert result.outcome.reason is not None
    assert result.outcome.reason.startswith(
        "gave up after 2 attempts: connection broken while reading the body")


def _gzip_bomb(decompressed_mb: int) -> bytes:
    """gzip of `decompressed_mb` MB, built 1 MB at a time (never held uncompressed).

    Each MB is 9 kB of noise then zeros, so the bomb is about 1 MB on the wire per 100 MB inflated.
    """
    noise = random.Random(7)
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = []
    for _ in range(decompressed_mb):
        parts.append(packer.compress(noise.randbytes(9_000) + bytes(MB - 9_000)))
    parts.append(packer.flush())
    return b"".join(parts)


def test_gzip_bomb_fails_fast_in_bounded_memory(httpserver: HTTPServer) -> None:
    bomb = _gzip_bomb(100)  # 100 MB inflated
    assert 0.8 * MB < len(bomb) < 1.2 * MB  # about 1 MB on the wire, all of it under the 5 MB cap
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="text/html", headers={"Content-Encoding": "gzip"}
    )

    tracemalloc.start()
    started = time.monotonic()
    try:
        result = fetch(fast_settings(), httpserver.url_for("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert not result.ok and result.kind == "too_large"
    assert result.outcome.reason == "decompressed body over 5.0 MB limit (gzip bomb?)"
    assert result.outcome.bytes <= 5 * MB
    took = time.monotonic() - started
    print(f"gzip bomb ({len(bomb) / MB:.2f} MB): peak traced memory {peak / MB:.1f} MB in {took:.2f} s")
    assert took < 3
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB"


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate"])
def test_compressed_bodies_are_inflated(httpserver: HTTPServer, coding: str) -> None:
    if coding == "gzip":
        data = gzip.compress(HTML)
    elif coding == "deflate":
        data = zlib.compress(HTML)
    else:  # some servers send "deflate" without the zlib wrapper
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        data = packer.compress(HTML) + packer.flush()
    header = "gzip" if coding == "gzip" else "deflate"
    httpserver.expect_request("/z").respond_with_data(
        data, content_type="text/html", headers={"Content-Encoding": header}
    )
    result = fetch(fast_settings(), httpserver.url_for("/z"))

    assert result.ok and result.body == HTML and result.outcome.bytes == len(HTML)


# --------------------------------------------------------------------------- redirects


def test_redirect_loop_is_detected(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=301, headers={"Location": "/a"})
    result = fetch(fast_settings(), httpserver.url_for("/a"))

    a, b = httpserver.url_for("/a"), httpserver.url_for("/b")
    assert not result.ok and result.kind == "redirect" and result.attempts == 1
    assert result.outcome.reason == f"redirect loop: {a} -> {b} -> {a}"
    assert len(httpserver.log) == 2


def test_more_than_max_redirects_is_refused(httpserver: HTTPServer) -> None:
    for i in range(10):
        httpserver.expect_request(f"/hop/{i}").respond_with_data(
            "", status=307, headers={"Location": f"/hop/{i + 1}"}
        )
    result = fetch(fast_settings(max_redirects=5), httpserver.url_for("/hop/0"))

    assert not result.ok and result.kind == "redirect"
    assert result.outcome.reason == f"more than 5 redirects (next: {httpserver.url_for('/hop/6')})"
    assert len(httpserver.log) == 6  # the first request and 5 followed hops


def test_redirect_is_followed_and_final_url_recorded(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data(HTML, content_type="text/html")
    result = fetch(fast_settings(), httpserver.url_for("/old"))

    assert result.ok and result.body == HTML
    assert result.outcome.url == httpserver.url_for("/old")
    assert result.outcome.final_url == httpserver.url_for("/new")


# --------------------------------------------------------------------------- content checks


def test_wrong_declared_charset_is_returned_as_a_hint_untouched(httpserver: HTTPServer) -> None:
    latin1 = "<p>Caf\u00e9 bomb\u00e9</p>".encode("latin-1")  # not valid UTF-8
    httpserver.expect_request("/cafe").respond_with_data(latin1, content_type='text/html; charset="UTF-8"')
    result = fetch(fast_settings(), httpserver.url_for("/cafe"))

    assert result.ok and result.body == latin1  # bytes as sent: decoding is another module's job
    assert result.encoding == "utf-8"
    with pytest.raises(UnicodeDecodeError):
        latin1.decode(result.encoding)


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        ("image/png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
    ],
)
def test_pdf_and_png_are_refused_by_content_type(
    httpserver: HTTPServer, content_type: str, body: bytes
) -> None:
    httpserver.expect_request("/doc").respond_with_data(body, content_type=content_type)
    result = fetch(fast_settings(), httpserver.url_for("/doc"))

    assert not result.ok and result.kind == "content_type" and result.outcome.status == 200
    assert result.outcome.reason == f"content-type {content_type} is not an accepted type"
    assert result.outcome.content_type == content_type and result.body is None


def test_png_mislabelled_as_html_is_refused_by_its_signature(httpserver: HTTPServer) -> None:
    png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
    httpserver.expect_request("/img").respond_with_data(png, content_type="text/html")
    result = fetch(fast_settings(), httpserver.url_for("/img"))

    assert not result.ok and result.kind == "content_type"
    assert result.outcome.reason == "body is a PNG image although content-type says text/html"


# --------------------------------------------------------------------------- robots.txt


def test_robots_disallow_is_obeyed_without_requesting_the_page(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /\n\nUser-agent: crosscheck\nDisallow: /private\n",
        content_type="text/plain",
    )
    httpserver.expect_request("/public").respond_with_data(HTML, content_type="text/html")
    settings = fast_settings(obey_robots=True)
    with HttpClient(settings) as client:
        refused = client.fetch(httpserver.url_for("/private/page?id=3"), source="test")
        allowed = client.fetch(httpserver.url_for("/public"), source="test")
        counts = client.counts()

    assert not refused.ok and refused.kind == "robots" and refused.outcome.status is None
    assert refused.outcome.reason == "robots.txt disallows /private/page?id=3 for crosscheck"
    assert allowed.ok
    paths = [req.path for req, _ in httpserver.log]
    assert paths == ["/robots.txt", "/public"]  # robots read once per host; /private never asked
    assert counts == {"ok": 2, "robots": 1}  # robots.txt itself, /public; /private refused


def test_missing_robots_allows_everything(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("not here", status=404)
    httpserver.expect_request("/page").respond_with_data(HTML, content_type="text/html")
    result = fetch(fast_settings(obey_robots=True), httpserver.url_for("/page"))

    assert result.ok


def test_robots_5xx_disallows_everything(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("down", status=503)
    httpserver.expect_request("/page").respond_with_data(HTML, content_type="text/html")
    result = fetch(fast_settings(obey_robots=True, max_attempts=2), httpserver.url_for("/page"))

    assert not result.ok and result.kind == "robots"
    assert result.outcome.reason == (
        "robots.txt unreachable (gave up after 2 attempts: HTTP 503 Service Unavailable); "
        "RFC 9309: treat as disallow all"
    )
    assert [req.path for req, _ in httpserver.log] == ["/robots.txt", "/robots.txt"]


def test_robots_rules_use_the_longest_match() -> None:
    text = b"User-agent: crosscheck\nDisallow: /news\nAllow: /news/public\n"
    policy = RobotsPolicy(lambda url: RobotsFile(status=200, body=text), token="crosscheck")

    assert policy.check("https://example.org/news/public/1") is None
    assert policy.check("https://example.org/news/secret") == (
        "robots.txt disallows /news/secret for crosscheck"
    )
    assert policy.check("https://example.org/other") is None


def test_robots_crawl_delay_spaces_requests(httpserver: HTTPServer) -> None:
    times: list[float] = []
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: crosscheck\nCrawl-delay: 1\n", content_type="text/plain"
    )
    httpserver.expect_request("/p").respond_with_handler(
        timed_handler(times, [Response(HTML, content_type="text/html")])
    )
    with HttpClient(fast_settings(obey_robots=True)) as client:
        assert client.fetch(httpserver.url_for("/p"), source="test").ok
        assert client.fetch(httpserver.url_for("/p"), source="test").ok

    assert times[1] - times[0] >= 0.98  # robotparser reads whole seconds only


# --------------------------------------------------------------------------- address guard


def test_private_address_is_refused_before_any_connection(no_network: Any) -> None:
    def resolve(host: str, port: int) -> list[str]:
        return {"intranet.example": ["10.0.0.5"]}[host]

    result = fetch(fast_settings(), "http://intranet.example/admin", resolve=resolve)

    assert not result.ok and result.kind == "address" and result.attempts == 1
    assert result.outcome.reason == "address 10.0.0.5 of host intranet.example is private; refused"
    assert no_network.calls == []  # no DNS lookup, no connect


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("http://10.255.255.1/", "10.255.255.1 of host 10.255.255.1 is private"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 of host 169.254.169.254 is link-local"),
        ("http://[::ffff:192.168.1.1]/", "192.168.1.1 of host ::ffff:192.168.1.1 is private"),
        ("http://0.0.0.0:8080/", "0.0.0.0 of host 0.0.0.0 is unspecified"),
    ],
)
def test_ip_literals_are_checked_without_dns(no_network: Any, url: str, label: str) -> None:
    result = fetch(fast_settings(), url)

    assert not result.ok and result.kind == "address"
    assert result.outcome.reason is not None and label.split(" of ")[1] in result.outcome.reason
    assert result.outcome.reason.endswith("; refused")
    assert no_network.calls == []


def test_one_private_address_among_public_ones_is_enough_to_refuse(no_network: Any) -> None:
    result = fetch(
        fast_settings(), "http://mixed.example/", resolve=lambda host, port: ["93.184.216.34", "192.168.0.7"]
    )

    assert result.outcome.reason == "address 192.168.0.7 of host mixed.example is private; refused"
    assert no_network.calls == []


def test_private_addresses_can_be_allowed_explicitly() -> None:
    allowing = fast_settings(allow_private_addresses=True)
    assert address_problem("10.0.0.5", allowing) is None
    assert address_problem("169.254.169.254", allowing) == "link-local"  # cloud metadata stays refused
    assert address_problem("100.64.1.1", fast_settings()) == "private"  # carrier-grade NAT
    assert address_problem("224.0.0.1", allowing) == "multicast"
    assert address_problem("240.0.0.1", allowing) == "reserved"
    assert address_problem("192.0.2.10", allowing) == "reserved"  # documentation range
    assert address_problem("fd12::1", allowing) is None
    assert address_problem("fd12::1", fast_settings()) == "private"
    assert address_problem("::1", fast_settings(allow_loopback=False)) == "loopback"
    assert address_problem("93.184.216.34", fast_settings()) is None


def test_loopback_is_refused_unless_allowed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data(HTML, content_type="text/html")
    result = fetch(fast_settings(allow_loopback=False), httpserver.url_for("/"))

    assert not result.ok and result.kind == "address"
    assert result.outcome.reason == "address 127.0.0.1 of host 127.0.0.1 is loopback; refused"
    assert httpserver.log == []


def test_connected_peer_is_checked_again_after_connect(raw_server: RawServer) -> None:
    """DNS said public, the socket landed on loopback (rebinding): refused before any request is sent."""
    raw_server.route("/")(lambda h: h.send_error(500))
    result = fetch(
        fast_settings(allow_loopback=False), raw_server.url("/"), resolve=lambda host, port: ["93.184.216.34"]
    )

    assert not result.ok and result.kind == "address" and result.attempts == 1
    assert result.outcome.reason == "connected address 127.0.0.1 of host 127.0.0.1 is loopback; refused"
    assert raw_server.requests == []  # the TCP handshake happened, no request line was sent


def test_https_connections_are_guarded_too(raw_server: RawServer) -> None:
    """The HTTPS connection class re-checks the peer as well (the server speaks plain HTTP)."""
    url = raw_server.url("/").replace("http://", "https://")
    lying = fetch(fast_settings(allow_loopback=False), url, resolve=lambda host, port: ["93.184.216.34"])
    assert lying.outcome.reason == "connected address 127.0.0.1 of host 127.0.0.1 is loopback; refused"

    honest = fetch(fast_settings(max_attempts=1), url)  # TLS handshake against plain HTTP
    assert not honest.ok and honest.kind == "tls" and honest.outcome.reason is not None
    assert honest.outcome.reason.startswith("TLS error: ")
    assert raw_server.requests == []


def test_redirect_hop_to_a_private_host_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/jump").respond_with_data(
        "", status=302, headers={"Location": "http://intranet.example/secret"}
    )

    def resolve(host: str, port: int) -> list[str]:
        return {"127.0.0.1": ["127.0.0.1"], "intranet.example": ["10.1.2.3"]}[host]

    result = fetch(fast_settings(), httpserver.url_for("/jump"), resolve=resolve)

    assert not result.ok and result.kind == "address"
    assert result.outcome.reason == (
        "http://intranet.example/secret: address 10.1.2.3 of host intranet.example is private; refused"
    )
    assert len(httpserver.log) == 1


def test_unsupported_scheme_is_refused(no_network: Any) -> None:
    result = fetch(fast_settings(), "ftp://example.org/file.txt")
    assert not result.ok and result.outcome.reason == "unsupported scheme 'ftp'"
    assert no_network.calls == []


# --------------------------------------------------------------------------- cache


def test_second_fetch_is_conditional_and_304_is_served_from_cache(
    httpserver: HTTPServer, cache_dir: Path
) -> None:
    seen: list[dict[str, str]] = []
    last_modified = "Wed, 01 Jan 2025 10:00:00 GMT"

    def handle(request: Request) -> Response:
        seen.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(
            HTML,
            content_type="text/html; charset=utf-8",
            headers={"ETag": '"v1"', "Last-Modified": last_modified},
        )

    httpserver.expect_request("/cached").respond_with_handler(handle)
    settings = fast_settings(cache_dir=cache_dir)
    url = httpserver.url_for("/cached")
    with HttpClient(settings) as client:
        first = client.fetch(url, source="test")
        second = client.fetch(url, source="test")

    assert first.ok and not first.outcome.from_cache and first.outcome.status == 200
    assert "If-None-Match" not in seen[0]
    assert seen[1]["If-None-Match"] == '"v1"' and seen[1]["If-Modified-Since"] == last_modified
    assert second.ok and second.outcome.from_cache and second.outcome.status == 304
    assert second.body == HTML and second.outcome.bytes == len(HTML)
    assert second.encoding == "utf-8" and second.outcome.content_type == "text/html"
    assert len(list(cache_dir.glob("*.body"))) == 1


def test_a_new_client_reuses_the_disk_cache(httpserver: HTTPServer, cache_dir: Path) -> None:
    stamp = "Wed, 01 Jan 2025 10:00:00 GMT"
    httpserver.expect_ordered_request("/page").respond_with_data(
        HTML, content_type="text/html", headers={"Last-Modified": stamp}
    )
    httpserver.expect_ordered_request("/page", headers={"If-Modified-Since": stamp}).respond_with_data(
        "", status=304
    )
    url = httpserver.url_for("/page")
    assert fetch(fast_settings(cache_dir=cache_dir), url).ok
    again = fetch(fast_settings(cache_dir=cache_dir), url)

    assert again.outcome.from_cache and again.body == HTML
    httpserver.check_assertions()


# --------------------------------------------------------------------------- politeness


def test_per_host_delay_spaces_two_fetches(httpserver: HTTPServer) -> None:
    times: list[float] = []
    httpserver.expect_request("/p").respond_with_handler(
        timed_handler(times, [Response(HTML, content_type="text/html")])
    )
    with HttpClient(fast_settings(per_host_delay_s=0.4)) as client:
        for _ in range(2):
            assert client.fetch(httpserver.url_for("/p"), source="test").ok

    assert times[1] - times[0] >= 0.39


def test_per_host_delay_holds_across_threads(httpserver: HTTPServer) -> None:
    times: list[float] = []
    httpserver.expect_request("/p").respond_with_handler(
        timed_handler(times, [Response(HTML, content_type="text/html")])
    )
    results: list[FetchResult] = []
    with HttpClient(fast_settings(per_host_delay_s=0.2)) as client:
        threads = [
            threading.Thread(
                target=lambda: results.append(client.fetch(httpserver.url_for("/p"), source="test"))
            )
            for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert len(results) == 4 and all(r.ok for r in results)
    ordered = sorted(times)
    gaps = [later - earlier for earlier, later in zip(ordered, ordered[1:], strict=False)]
    # arrival times at the server jitter by scheduling on a busy machine: unthrottled, all four arrive within a few
    # milliseconds; throttled, three delays of 0.2 s separate them
    assert ordered[-1] - ordered[0] >= 0.55 and min(gaps) >= 0.1, gaps


def test_throttle_reserves_slots_per_host() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    throttle = HostThrottle(clock=lambda: now[0], sleep=sleep)
    assert throttle.wait("a.example", 1.0) == 0
    assert throttle.wait("a.example", 1.0) == 1.0  # the next slot
    assert throttle.wait("a.example", 1.0) == 2.0  # queued behind it
    assert throttle.wait("b.example", 1.0) == 0  # other hosts are independent
    assert slept == [1.0, 2.0]


def test_host_delay_overrides_cover_subdomains() -> None:
    settings = HttpSettings()
    assert settings.delay_for("api.gdeltproject.org") == 5.0
    assert settings.delay_for("API.GDELTProject.org.") == 5.0
    assert settings.delay_for("example.org") == 1.0
    custom = HttpSettings(per_host_delays={"example.org": 3.0})
    assert custom.delay_for("news.example.org") == 3.0


# --------------------------------------------------------------------------- retry decision (pure)


def half(_: Any = None) -> float:
    return 0.5


@pytest.mark.parametrize(
    ("status", "attempt", "expected"),
    [
        (500, 1, 0.5 * 0.75),  # base 0.5 s, jitter factor 0.75 with rand()=0.5
        (503, 2, 1.0 * 0.75),
        (429, 1, 0.5 * 0.75),
        (500, 3, None),  # max_attempts reached
        (404, 1, None),
        (200, 1, None),
        (None, 1, None),
    ],
)
def test_retry_decision_by_status(status: int | None, attempt: int, expected: float | None) -> None:
    assert retry_decision(status, None, attempt, HttpSettings(), None, rand=half) == expected


def test_retry_decision_backoff_is_capped_and_jittered() -> None:
    settings = HttpSettings(backoff_base_s=1.0, backoff_max_s=4.0, max_attempts=10)
    assert retry_decision(500, None, 8, settings, None, rand=lambda: 0.0) == 2.0  # 4 s cap x 0.5
    assert retry_decision(500, None, 8, settings, None, rand=lambda: 0.999) == pytest.approx(4.0, abs=0.01)


def test_retry_decision_honours_retry_after_seconds_and_dates() -> None:
    settings = HttpSettings()
    now = 1_700_000_000.0
    assert retry_decision(429, None, 1, settings, "7", now=lambda: now) == 7.0
    date = "Tue, 14 Nov 2023 22:13:40 GMT"  # now + 20 s
    assert retry_decision(503, None, 1, settings, date, now=lambda: now) == pytest.approx(20.0)
    assert retry_decision(429, None, 1, settings, "120", now=lambda: now) is None  # over the 60 s cap
    assert retry_decision(429, None, 1, settings, "soon", rand=half) == 0.5 * 0.75  # unparsable: backoff


def test_retry_decision_on_exceptions() -> None:
    settings = HttpSettings()
    assert retry_decision(None, requests.ConnectionError("reset"), 1, settings, None, rand=half) == 0.375
    assert retry_decision(None, requests.ReadTimeout("slow"), 2, settings, None, rand=half) == 0.75
    assert retry_decision(None, requests.exceptions.SSLError("bad cert"), 1, settings, None) is None
    assert retry_decision(None, ValueError("bug"), 1, settings, None) is None
    assert retry_decision(None, requests.ConnectionError("reset"), 3, settings, None) is None


def test_parse_helpers() -> None:
    assert parse_retry_after("Tue, 14 Nov 2023 22:13:00 GMT", 1_700_000_000.0) == 0.0  # in the past
    assert parse_retry_after("", 0) is None and parse_retry_after("-5", 0) is None
    assert parse_content_type('Text/HTML; Charset="ISO-8859-1"') == ("text/html", "iso-8859-1")
    assert parse_content_type(None) == (None, None)


# --------------------------------------------------------------------------- settings


def test_settings_from_env_parses_every_kind_of_value(tmp_path: Path) -> None:
    env = {
        "CROSSCHECK_HTTP_READ_TIMEOUT": "7.5",
        "CROSSCHECK_HTTP_MAX_ATTEMPTS": "5",
        "CROSSCHECK_HTTP_OBEY_ROBOTS": "no",
        "CROSSCHECK_HTTP_RETRY_STATUSES": "429, 503",
        "CROSSCHECK_HTTP_PER_HOST_DELAYS": "api.gdeltproject.org=6, example.org=2",
        "CROSSCHECK_HTTP_CACHE_DIR": str(tmp_path),
        "CROSSCHECK_HTTP_ALLOWED_CONTENT_TYPES": "text/html,text/plain",
        "UNRELATED": "ignored",
    }
    s = HttpSettings.from_env(env)
    assert (s.read_timeout, s.max_attempts, s.obey_robots) == (7.5, 5, False)
    assert s.retry_statuses == (429, 503)
    assert s.per_host_delays == {"api.gdeltproject.org": 6.0, "example.org": 2.0}
    merged = HttpSettings.from_env({"CROSSCHECK_HTTP_PER_HOST_DELAYS": "example.org=2"}).per_host_delays
    assert merged == {"api.gdeltproject.org": 5.0, "example.org": 2.0}  # defaults kept
    assert s.cache_dir == tmp_path and s.allowed_content_types == ("text/html", "text/plain")
    assert HttpSettings.from_env({"CROSSCHECK_HTTP_CACHE_DIR": "none"}).cache_dir is None
    assert HttpSettings.from_env({}) == HttpSettings()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CROSSCHECK_HTTP_READ_TIMOUT": "3"}, "unknown setting CROSSCHECK_HTTP_READ_TIMOUT"),
        ({"CROSSCHECK_HTTP_OBEY_ROBOTS": "maybe"}, "cannot parse 'maybe'"),
        ({"CROSSCHECK_HTTP_MAX_BYTES": "5MB"}, "cannot parse '5MB'"),
        ({"CROSSCHECK_HTTP_MAX_ATTEMPTS": "0"}, "max_attempts must be >= 1"),
        ({"CROSSCHECK_HTTP_PER_HOST_DELAYS": "gdelt:5"}, "expected host=seconds"),
    ],
)
def test_settings_from_env_fails_loudly(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        HttpSettings.from_env(env)


def test_settings_are_frozen_and_hashable() -> None:
    assert hash(HttpSettings()) == hash(HttpSettings())
    with pytest.raises(AttributeError):
        HttpSettings().max_bytes = 1  # type: ignore[misc]
