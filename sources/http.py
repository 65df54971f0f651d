"""The one network seam: every byte crosscheck reads from the web comes through `HttpClient.fetch`.

One job: turn a URL into a `FetchResult` (an outcome row, the body, headers and a charset hint)
politely and defensively, and never raise for a network or HTTP problem: every failure becomes
`FetchOutcome(ok=False, reason=...)`. What it does, each piece a small named function or class:

- address guard: the host is resolved (`resolve`, injectable) and private, loopback, link-local,
  reserved and multicast addresses are refused before any connection; the connected peer is
  checked again, so a DNS answer that changes between the check and the connect is caught too;
- robots.txt (`sources/robots.py`), fetched through this same client, one verdict per origin;
- per-host spacing (`HostThrottle`, monotonic clock, thread-safe), raised by robots Crawl-delay;
- conditional requests against the on-disk cache (`sources/cache.py`), 304 served from it;
- redirects followed by hand, each hop re-checked (scheme, guard, robots, loop, limit);
- content-type allow-list checked before the body is read, binary signatures sniffed after;
- the body streamed with a cap counted on the wire and after gzip/deflate inflation (a gzip bomb
  stops as soon as it inflates past the cap, in bounded memory);
- retries decided by the pure function `retry_decision` (connection errors, timeouts, 429, 5xx,
  exponential backoff with jitter, Retry-After in seconds or as an HTTP date, capped);
- one deadline per URL (`total_timeout`) over all of it: attempts, redirect hops, reads and backoff;
  socket timeouts are cut to what is left and no retry starts without time to run;
- one `FetchOutcome` row per request tried (`FetchResult.requests`): each retry, each redirect hop
  and the robots.txt requests it needed, with the bytes read even when the body was refused.

Decoding the body into text is another module's job: only the declared charset is passed on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import ipaddress
import random
import socket
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from http import HTTPStatus
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import requests
import urllib3.connection
import urllib3.connectionpool
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from core.records import FetchOutcome
from sources.cache import CachedResponse, ResponseCache
from sources.robots import RobotsFile, RobotsPolicy
from sources.settings import HttpSettings
from sources.shared_limits import PrefectHostLimiter, server_configured

__all__ = [
    "FetchResult",
    "HostThrottle",
    "HttpClient",
    "Resolver",
    "address_problem",
    "backoff_delay",
    "default_resolve",
    "is_transient",
    "parse_content_type",
    "parse_retry_after",
    "retry_decision",
]

CHUNK_BYTES = 64 * 1024
# A retry starts only when at least this many seconds of the URL's deadline are left after its backoff.
MIN_ATTEMPT_S = 0.25
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# resolve(host, port) -> the IP addresses a connection to host could reach.
Resolver = Callable[[str, int], list[str]]

# Leading bytes of formats that are never a news report, whatever the Content-Type says.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
)


# Networks `allow_private_addresses` opens: RFC 1918, carrier-grade NAT (RFC 6598), IPv6 ULA.
_PRIVATE_NETWORKS = tuple(ipaddress.ip_network(net) for net in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7",
))


# --------------------------------------------------------------------------- records
# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What `HttpClient.fetch` returns: always an outcome; a body only when it succeeded.

    `outcome` sums the whole fetch up (the URL asked, where it ended, the final reason, all attempts'
    time); `requests` holds one row per request tried on the way, in order: the host's robots.txt
    when it had to be read, each redirect hop and each retry.
    """

    outcome: FetchOutcome
    body: bytes | None
    headers: Mapping[str, str] = field(default_factory=dict)  # final response (case-insensitive)
    encoding: str | None = None  # charset declared by Content-Type: a hint, may be wrong
    attempts: int = 1
    kind: str = "ok"  # stable category for counters: ok, http_404, timeout, too_large, robots, ...
    requests: tuple[FetchOutcome, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome.ok

    @property
    def url(self) -> str:
        return self.outcome.url

    def describe(self) -> str:
        """One line naming the URL and what happened, for logs and reports."""
        if self.outcome.ok:
            via = " (from cache)" if self.outcome.from_cache else ""
            return f"{self.outcome.url}: ok, {self.outcome.bytes} bytes{via}"
        return f"{self.outcome.url}: {self.outcome.reason}"


@dataclass(slots=True)
class _Try:
    """The result of one request (one redirect hop of one attempt), before retry is decided."""

    ok: bool
    reason: str | None = None
    kind: str = "ok"  # as FetchResult.kind; "followed" for a redirect that leads to the next hop
    status: int | None = None
    exc: BaseException | None = None
    retry_after: str | None = None
    body: bytes | None = None
    nbytes: int = 0
    headers: Mapping[str, str] = field(default_factory=dict)
    final_url: str | None = None
    content_type: str | None = None
    encoding: str | None = None
    from_cache: bool = False
    sent_at: float | None = None  # monotonic time the request went out; None = nothing was sent
    out_of_time: bool = False  # it failed because the URL's deadline passed
    hop: int = 0


@dataclass(slots=True)
class _Job:
    """One URL being fetched: what was asked, its limits, its deadline and the request rows so far."""

    url: str
    source: str
    purpose: str  # url | robots
    robots: bool  # check robots.txt before each hop
    any_type: bool
    max_bytes: int
    truncate: bool
    deadline: float  # monotonic; pushed back by waits that are not this URL's own
    rows: list[FetchOutcome] = field(default_factory=list)

    def left(self) -> float:
        """Seconds until the deadline (negative once it passed)."""
        return self.deadline - time.monotonic()

    def excuse(self, since: float) -> None:
        """Do not count the time from `since` until now (per-host spacing, robots.txt) against the URL."""
        self.deadline += max(0.0, time.monotonic() - since)


@dataclass(slots=True)
class _Meter:
    """Body bytes read off the wire so far by one request (also known when the read fails)."""

    wire: int = 0


class AddressRefused(Exception):
    """Raised inside the connection when the connected peer fails the address guard.

    Deliberately not an OSError, so urllib3 and requests let it through unwrapped and unretried.
    """


class DeadlineExceeded(Exception):
    """The URL's deadline passed while the body was being read (not retried)."""


class _BodyTooLarge(Exception):
    pass


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After value (delta-seconds or HTTP date); None if unusable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def is_transient(exc: BaseException) -> bool:
    """True for failures a later attempt may not meet: connection drops, timeouts, DNS 'try again'."""
    if isinstance(exc, requests.exceptions.SSLError | urllib3.exceptions.SSLError):
        return False  # certificate problems do not heal within seconds
    if isinstance(exc, socket.gaierror):
        return exc.errno == socket.EAI_AGAIN
    return isinstance(
        exc,
        requests.exceptions.ConnectionError
        | requests.exceptions.Timeout
        | requests.exceptions.ChunkedEncodingError
        | urllib3.exceptions.ProtocolError
        | urllib3.exceptions.TimeoutError
        | ConnectionError
        | TimeoutError,
    )


def backoff_delay(attempt: int, settings: HttpSettings, rand: Callable[[], float] = random.random) -> float:
    """Exponential backoff after `attempt` (1-based), capped, with jitter in [0.5, 1) of the step."""
    step = min(settings.backoff_max_s, settings.backoff_base_s * (2 ** max(0, attempt - 1)))
    return step * (0.5 + rand() / 2)


def retry_decision(
    status: int | None,
    exc: BaseException | None,
    attempt: int,
    settings: HttpSettings,
    retry_after_header: str | None = None,
    *,
    rand: Callable[[], float] = random.random,
    now: Callable[[], float] = time.time,
) -> float | None:
    """Seconds to wait before another attempt, or None to stop. Pure given `rand` and `now`.

    `attempt` is the number of the attempt that just failed (1 = the first). Retried: transient
    exceptions (see `is_transient`) and statuses in `settings.retry_statuses`. A parsable
    Retry-After sets the wait exactly; one longer than `settings.max_retry_after_s` stops instead
    (waiting less than the server asked would be impolite and likely fail again).
    """
    if attempt >= settings.max_attempts:
        return None
    if exc is not None:
        return backoff_delay(attempt, settings, rand) if is_transient(exc) else None
    if status is None or status not in settings.retry_statuses:
        return None
    asked = parse_retry_after(retry_after_header, now())
    if asked is not None:
        return None if asked > settings.max_retry_after_s else asked
    return backoff_delay(attempt, settings, rand)


def address_problem(ip: str, settings: HttpSettings) -> str | None:
    """Why `ip` may not be contacted (e.g. 'private', 'loopback'), or None if it may."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    if addr.is_loopback:
        return None if settings.allow_loopback else "loopback"
    if addr.is_unspecified:
        return "unspecified"
    if addr.is_multicast:
        return "multicast"
    if addr.is_link_local:
        return "link-local"
    if any(addr in net for net in _PRIVATE_NETWORKS if net.version == addr.version):
        return None if settings.allow_private_addresses else "private"
    if addr.is_reserved or addr.is_private or not addr.is_global:
        return "reserved"  # documentation, benchmarking, 240/4, broadcast, ...
    return None


def default_resolve(host: str, port: int) -> list[str]:
    """Addresses of `host` via the system resolver; an IP literal is returned as is (no lookup)."""
    literal = host.strip("[]")
    try:
        return [str(ipaddress.ip_address(literal))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for info in infos:
        seen[str(info[4][0])] = None
    return list(seen)


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) from a Content-Type header, both lower-case; None where absent."""
    if not value:
        return None, None
    media, *params = value.split(";")
    media = media.strip().lower() or None
    charset = None
    for param in params:
        key, sep, val = param.partition("=")
        if sep and key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip().lower() or None
    return media, charset


def _sniff_binary(body: bytes) -> str | None:
    head = body[:64].lstrip()
    for signature, what in _BINARY_SIGNATURES:
        if head.startswith(signature):
            return what
    return None


def _megabytes(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def _root_cause(exc: BaseException) -> str:
    """The most specific message in an exception chain (e.g. 'Connection refused')."""
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    best: str | None = None  # an OSError's strerror, e.g. "Connection refused"
    leaf: str | None = None  # else the message of an exception that wraps nothing
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.strerror:
            best = current.strerror
        linked = [arg for arg in current.args if isinstance(arg, BaseException)]
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            linked.append(reason)
        linked += [e for e in (current.__cause__, current.__context__) if e is not None]
        if not linked and str(current):
            leaf = str(current)
        stack.extend(linked)
    text = best or leaf or str(exc)
    return text if len(text) <= 200 else text[:197] + "..."


# --------------------------------------------------------------------------- throttle


class HostThrottle:
    """Spaces requests to one host at least `delay` seconds apart (start to start), across threads.

    Each caller reserves the next free slot under a lock, then sleeps outside it, so concurrent
    callers queue up instead of all firing when the delay ends.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, delay: float) -> float:
        """Block until `host` may be contacted again; return the seconds waited."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + delay
        waited = start - now
        if waited > 0:
            self._sleep(waited)
        return waited


# --------------------------------------------------------------------------- gzip / deflate


class _Inflater:
    """Incremental gzip/deflate decoder whose every call yields at most `limit + 1` bytes."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._gzip = coding in ("gzip", "x-gzip")
        self._fresh = True
        self._obj = self._new()

    def _new(self, raw_deflate: bool = False) -> Any:
        if self._gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw_deflate else zlib.MAX_WBITS)

    def feed(self, data: bytes, limit: int) -> bytes:
        """Inflate `data`; raise `_BodyTooLarge` as soon as the output would pass `limit` bytes."""
        out: list[bytes] = []
        produced = 0
        buf = data
        while buf:
            try:
                piece = self._obj.decompress(buf, limit - produced + 1)
            except zlib.error:
                if self._fresh and not self._gzip:  # "deflate" sent without its zlib wrapper
                    self._obj = self._new(raw_deflate=True)
                    self._fresh = False
                    continue
                raise
            self._fresh = False
            produced += len(piece)
            if produced > limit:
                raise _BodyTooLarge
            out.append(piece)
            buf = self._obj.unconsumed_tail
            if self._obj.eof:
                rest = self._obj.unused_data
                if not (rest and self._gzip):
                    break  # trailing bytes after a deflate stream are ignored
                self._obj = self._new()  # next gzip member
                buf = rest
        return b"".join(out)

    def finish(self, limit: int) -> bytes:
        tail = self._obj.flush()
        if len(tail) > limit:
            raise _BodyTooLarge
        return tail


# --------------------------------------------------------------------------- address-checked adapter


def _guarded_pool_classes(check_peer: Callable[[str, str], str | None]) -> dict[str, type]:
    """urllib3 pool classes whose connections verify the peer address right after connecting."""

    def verify(sock: socket.socket, host: str) -> None:
        ip = str(sock.getpeername()[0])
        problem = check_peer(ip, host)
        if problem is not None:
            sock.close()
            raise AddressRefused(problem)

    class GuardedHTTPConnection(urllib3.connection.HTTPConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            verify(sock, self.host)
            return sock

    class GuardedHTTPSConnection(urllib3.connection.HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            verify(sock, self.host)
            return sock

    class GuardedHTTPConnectionPool(urllib3.connectionpool.HTTPConnectionPool):
        ConnectionCls = GuardedHTTPConnection

    class GuardedHTTPSConnectionPool(urllib3.connectionpool.HTTPSConnectionPool):
        ConnectionCls = GuardedHTTPSConnection

    return {"http": GuardedHTTPConnectionPool, "https": GuardedHTTPSConnectionPool}


class _GuardedAdapter(HTTPAdapter):
    """requests adapter for direct connections that re-checks the peer address of every socket."""

    def __init__(self, check_peer: Callable[[str, str], str | None]) -> None:
        self._check_peer = check_peer
        super().__init__(max_retries=0)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False,
                         **pool_kwargs: Any) -> None:
        super().init_poolmanager(connections, maxsize, block=block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = _guarded_pool_classes(self._check_peer)


# --------------------------------------------------------------------------- the client


class HttpClient:
    """The one HTTP client: a single requests.Session plus the politeness and safety rules.

    `fetch()` is safe to call from several threads (the throttle, robots cache and disk cache are
    thread-safe; the session's connection pool is shared). Use as a context manager or `close()`.
    """

    def __init__(self, settings: HttpSettings | None = None, *, resolve: Resolver = default_resolve) -> None:
        self.settings = settings or HttpSettings()
        self._resolve = resolve
        self._throttle = HostThrottle()
        self._shared = None
        if self.settings.shared_host_limits and server_configured():
            self._shared = PrefectHostLimiter()
        self._counts: Counter[str] = Counter()
        self._counts_lock = threading.Lock()
        self._cache = ResponseCache(self.settings.cache_dir) if self.settings.cache_dir else None
        self._robots: RobotsPolicy | None = None
        if self.settings.obey_robots:
            self._robots = RobotsPolicy(lambda url: self._fetch_robots(url, "robots", None),
                                        token=self.settings.robots_token,
                                        ttl_s=self.settings.robots_cache_s)
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies, netrc credentials or CA overrides from the environment
        self.session.headers.clear()
        self.session.headers.update({
            "User-Agent": self.settings.user_agent,
            "Accept": ", ".join(self.settings.allowed_content_types),
            "Accept-Encoding": "gzip, deflate",  # the codings `_Inflater` decodes under the size cap
        })
        for prefix in ("http://", "https://"):
            self.session.mount(prefix, _GuardedAdapter(self._peer_problem))

    # -- lifecycle -----------------------------------------------------------

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def counts(self) -> dict[str, int]:
        """Fetches so far by outcome kind (ok, http_404, timeout, robots, ...), robots.txt included."""
        with self._counts_lock:
            return dict(self._counts)

    # -- public --------------------------------------------------------------

    def fetch(self, url: str, *, source: str) -> FetchResult:
        """GET `url` on behalf of `source`; never raises for network or HTTP problems."""
        return self._run(url, source=source, purpose="url", robots=self._robots is not None, any_type=False,
                         max_bytes=self.settings.max_bytes, truncate=False)

    # -- retry loop ----------------------------------------------------------

    def _run(self, url: str, *, source: str, purpose: str, robots: bool, any_type: bool, max_bytes: int,
             truncate: bool) -> FetchResult:
        """Attempts until one succeeds, `retry_decision` says stop, or the URL's deadline leaves no room."""
        started = time.monotonic()
        job = _Job(url=url, source=source, purpose=purpose, robots=robots, any_type=any_type, max_bytes=max_bytes,
                   truncate=truncate, deadline=started + self.settings.total_timeout)
        attempt = 0
        out_of_time = False
        while True:
            attempt += 1
            tried = self._attempt(job, attempt)
            if tried.ok:
                break
            wait = retry_decision(tried.status, tried.exc, attempt, self.settings, tried.retry_after)
            if wait is None:
                break
            if job.left() - wait < MIN_ATTEMPT_S:
                out_of_time = True
                break
            time.sleep(wait)
        reason = tried.reason
        if not tried.ok:
            reason = self._final_reason(tried, attempt, out_of_time)
            job.rows[-1] = dataclasses.replace(job.rows[-1], reason=reason)  # the last request tells the end
        outcome = FetchOutcome(
            url=url,
            source=source,
            status=tried.status,
            ok=tried.ok,
            bytes=tried.nbytes,
            elapsed_s=round(time.monotonic() - started, 4),
            reason=reason,
            from_cache=tried.from_cache,
            content_type=tried.content_type,
            final_url=tried.final_url,
            purpose=purpose,
            attempt=attempt,
            hop=tried.hop,
        )
        with self._counts_lock:
            self._counts[tried.kind] += 1
        return FetchResult(outcome=outcome, body=tried.body if tried.ok else None, headers=tried.headers,
                           encoding=tried.encoding, attempts=attempt, kind=tried.kind, requests=tuple(job.rows))

    def _final_reason(self, tried: _Try, attempt: int, out_of_time: bool) -> str:
        reason = tried.reason or "failed"
        retryable = (is_transient(tried.exc) if tried.exc is not None
                     else tried.status in self.settings.retry_statuses)
        if retryable and attempt < self.settings.max_attempts:
            asked = parse_retry_after(tried.retry_after, time.time())
            if asked is not None and asked > self.settings.max_retry_after_s:
                return (f"{reason}; Retry-After asks {asked:.0f} s, over the "
                        f"{self.settings.max_retry_after_s:.0f} s cap; not retried")
        if out_of_time and not tried.out_of_time:  # the reason does not say the deadline ended it: add it
            why = f"no time left for another attempt within the {self.settings.total_timeout:.1f} s deadline"
            if attempt > 1:
                return f"gave up after {attempt} attempts ({why}): {reason}"
            return f"{reason}; not retried: {why}"
        if attempt > 1:
            return f"gave up after {attempt} attempts: {reason}"
        return reason

    # -- one attempt ---------------------------------------------------------

    def _attempt(self, job: _Job, attempt: int) -> _Try:
        """One attempt: the URL and the redirects it leads to, one request (and one row) per hop."""
        current, _ = urldefrag(job.url)
        chain = [current]
        for hop in range(self.settings.max_redirects + 1):
            try:
                tried = self._hop(job, current, hop, chain)
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
                tried = _Try(ok=False, reason=f"request failed: {type(exc).__name__}: {_root_cause(exc)}",
                             kind="error", exc=exc, final_url=current)
            tried.hop = hop
            elapsed = 0.0 if tried.sent_at is None else time.monotonic() - tried.sent_at
            job.rows.append(FetchOutcome(
                url=job.url, source=job.source, status=tried.status, ok=tried.ok, bytes=tried.nbytes,
                elapsed_s=round(elapsed, 4), reason=tried.reason, from_cache=tried.from_cache,
                content_type=tried.content_type, final_url=tried.final_url, purpose=job.purpose, attempt=attempt,
                hop=hop))
            if tried.kind != "followed" or tried.final_url is None:
                return tried
            chain.append(tried.final_url)
            current = tried.final_url
        raise AssertionError("unreachable: the last hop never follows a redirect")  # pragma: no cover

    def _hop(self, job: _Job, current: str, hop: int, chain: list[str]) -> _Try:
        """One request of an attempt: checks, politeness, then the request and its answer."""
        s = self.settings
        where = "" if hop == 0 else f"{current}: "  # name the hop when it is not the asked URL
        try:
            parts = urlsplit(current)
            host = parts.hostname
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            return _Try(ok=False, kind="bad_url", reason=f"{where}malformed URL: {exc}", final_url=current)
        if parts.scheme not in ("http", "https"):
            return _Try(ok=False, kind="bad_url", reason=f"{where}unsupported scheme {parts.scheme!r}",
                        final_url=current)
        if not host:
            return _Try(ok=False, kind="bad_url", reason=f"{where}no host in URL", final_url=current)

        refused = self._check_host(host, port)
        if refused is not None:
            refused.reason = f"{where}{refused.reason}"
            refused.final_url = current
            return refused
        if job.robots and self._robots is not None:
            since = time.monotonic()
            why = self._robots.check(current, fetch=lambda url: self._fetch_robots(url, job.source, job.rows))
            job.excuse(since)  # robots.txt has a deadline of its own
            if why is not None:
                return _Try(ok=False, kind="robots", reason=f"{where}{why}", final_url=current)

        cached = self._cache.get(current) if self._cache else None
        delay = self._delay_for(current, host)
        since = time.monotonic()
        self._throttle.wait(host.lower(), delay)
        if self._shared is not None:  # and across processes, through the Prefect server
            self._shared.wait(host.lower(), delay)
        job.excuse(since)  # waiting one's turn at the host is politeness, not this URL's slowness
        left = job.left()
        if left <= 0:
            return _Try(ok=False, kind="deadline", out_of_time=True, final_url=current,
                        reason=f"{where}the {s.total_timeout:.1f} s deadline passed before this request")
        connect_s, read_s = min(s.connect_timeout, left), min(s.read_timeout, left)
        sent_at = time.monotonic()
        try:
            resp = self.session.get(
                current,
                headers=cached.conditional_headers() if cached else None,
                stream=True,
                allow_redirects=False,
                timeout=(connect_s, read_s),
            )
        except AddressRefused as exc:
            return _Try(ok=False, kind="address", reason=f"{where}{exc}", final_url=current, sent_at=sent_at)
        except requests.exceptions.ConnectTimeout as exc:
            cut = connect_s < s.connect_timeout
            what = (f"no connection within the {s.total_timeout:.1f} s deadline" if cut
                    else f"connect timeout after {s.connect_timeout:.1f} s")
            return _Try(ok=False, kind="timeout", exc=exc, final_url=current, sent_at=sent_at, out_of_time=cut,
                        reason=f"{where}{what}")
        except requests.exceptions.ReadTimeout as exc:
            cut = read_s < s.read_timeout
            what = (f"no answer within the {s.total_timeout:.1f} s deadline" if cut
                    else f"read timeout after {s.read_timeout:.1f} s")
            return _Try(ok=False, kind="timeout", exc=exc, final_url=current, sent_at=sent_at, out_of_time=cut,
                        reason=f"{where}{what}")
        except requests.exceptions.SSLError as exc:
            return _Try(ok=False, kind="tls", exc=exc, final_url=current, sent_at=sent_at,
                        reason=f"{where}TLS error: {_root_cause(exc)}")
        except requests.exceptions.ConnectionError as exc:
            return _Try(ok=False, kind="connection", exc=exc, final_url=current, sent_at=sent_at,
                        reason=f"{where}connection failed: {_root_cause(exc)}")

        with resp:
            status = resp.status_code
            if status not in REDIRECT_STATUSES:
                tried = self._answer(resp, current, where, cached, job)
                tried.sent_at = sent_at
                return tried
            location = resp.headers.get("Location")
            if not location:
                return _Try(ok=False, kind="redirect", status=status, final_url=current, sent_at=sent_at,
                            reason=f"{where}HTTP {status} without a Location header")
            target, _ = urldefrag(urljoin(current, location.strip()))
            if target in chain:
                loop = " -> ".join([*chain, target])
                return _Try(ok=False, kind="redirect", status=status, final_url=target, sent_at=sent_at,
                            reason=f"redirect loop: {loop}")
            if hop == s.max_redirects:
                return _Try(ok=False, kind="redirect", status=status, final_url=target, sent_at=sent_at,
                            reason=f"more than {s.max_redirects} redirects (next: {target})")
            return _Try(ok=False, kind="followed", status=status, final_url=target, sent_at=sent_at,
                        reason=f"{where}HTTP {status} redirect to {target}, followed")

    def _answer(self, resp: requests.Response, url: str, where: str, cached: CachedResponse | None,
                job: _Job) -> _Try:
        """Turn a non-redirect response into a `_Try`: status, cache, type, size, sniff."""
        s = self.settings
        status = resp.status_code
        headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(resp.headers)
        if status == 304 and cached is not None and self._cache is not None:
            try:
                entry = self._cache.refresh(cached, headers)
            except OSError:  # the cache cannot be written: serve the copy we have anyway
                entry = cached
            media, charset = parse_content_type(CaseInsensitiveDict(entry.headers).get("Content-Type"))
            return _Try(ok=True, status=304, body=entry.body, nbytes=len(entry.body), final_url=url,
                        headers=CaseInsensitiveDict(entry.headers), content_type=media, encoding=charset,
                        from_cache=True)
        if not 200 <= status < 300:
            phrase = _phrase(status) or resp.reason or ""
            return _Try(ok=False, kind=f"http_{status}", status=status, final_url=url, headers=headers,
                        retry_after=headers.get("Retry-After"),
                        reason=f"{where}HTTP {status} {phrase}".rstrip())
        media, charset = parse_content_type(headers.get("Content-Type"))
        base = _Try(ok=False, status=status, final_url=url, headers=headers, content_type=media,
                    encoding=charset)
        if not job.any_type and media is not None and media not in s.allowed_content_types:
            base.kind, base.reason = "content_type", f"{where}content-type {media} is not an accepted type"
            return base
        codings = [c.strip().lower() for c in headers.get("Content-Encoding", "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            base.kind = "encoding"
            base.reason = f"{where}unsupported content-encoding {headers.get('Content-Encoding')}"
            return base
        declared = headers.get("Content-Length", "")
        max_bytes = job.max_bytes
        if not job.truncate and not codings and declared.isdigit() and int(declared) > max_bytes:
            base.kind = "too_large"
            base.reason = f"{where}body over {_megabytes(max_bytes)} limit (Content-Length {int(declared)})"
            return base
        meter = _Meter()
        try:
            body = self._read_body(resp, codings[0] if codings else None, job, meter)
        except _BodyTooLarge as exc:
            base.kind, base.nbytes = "too_large", meter.wire
            base.reason = f"{where}{exc.args[0]}" if exc.args else f"{where}body over limit"
            return base
        except DeadlineExceeded as exc:
            base.kind, base.exc, base.nbytes, base.out_of_time = "deadline", exc, meter.wire, True
            base.reason = f"{where}response took longer than the {s.total_timeout:.1f} s deadline"
            return base
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
            base.nbytes = meter.wire
            if job.left() <= 0:  # the socket timeout was cut short to end at the deadline
                base.kind, base.exc, base.out_of_time = "deadline", DeadlineExceeded(), True
                base.reason = f"{where}response took longer than the {s.total_timeout:.1f} s deadline"
                return base
            base.kind, base.exc = "timeout", exc
            base.reason = f"{where}read timeout after {s.read_timeout:.1f} s while reading the body"
            return base
        except (urllib3.exceptions.ProtocolError, ConnectionError) as exc:
            base.kind, base.exc, base.nbytes = "connection", exc, meter.wire
            base.reason = f"{where}connection broken while reading the body: {_root_cause(exc)}"
            return base
        except zlib.error as exc:
            base.kind, base.nbytes = "encoding", meter.wire
            base.reason = f"{where}cannot decompress {codings[0]} body: {exc}"
            return base
        if not job.any_type:
            what = _sniff_binary(body)
            if what is not None:
                base.kind, base.nbytes = "content_type", meter.wire
                base.reason = f"{where}body is {what} although content-type says {media or 'nothing'}"
                return base
        if self._cache is not None and status == 200 and not job.truncate:
            with contextlib.suppress(OSError):  # a full or read-only disk costs the cache, not the fetch
                self._cache.put(url, body, headers)
        return _Try(ok=True, status=status, body=body, nbytes=len(body), final_url=url, headers=headers,
                    content_type=media, encoding=charset)

    def _read_body(self, resp: requests.Response, coding: str | None, job: _Job, meter: _Meter) -> bytes:
        """Stream the body: cap on the wire and after inflation; no read may outlast the URL's deadline."""
        raw = resp.raw
        sock = _socket_of(raw)
        max_bytes, truncate = job.max_bytes, job.truncate
        inflater = _Inflater(coding) if coding else None
        out = bytearray()
        while True:
            left = job.left()
            if left <= 0:
                raise DeadlineExceeded
            if sock is not None:  # a stalled read ends at the deadline, not read_timeout after it
                sock.settimeout(min(self.settings.read_timeout, left))
            chunk = raw.read1(CHUNK_BYTES, decode_content=False)
            if not chunk:
                break
            meter.wire += len(chunk)
            if meter.wire > max_bytes and inflater is None:
                if truncate:
                    out += chunk[: max_bytes - len(out)]
                    break
                raise _BodyTooLarge(f"body over {_megabytes(max_bytes)} limit")
            if inflater is None:
                out += chunk
                continue
            room = max_bytes - len(out)
            try:
                out += inflater.feed(chunk, room)
            except _BodyTooLarge:
                if truncate:
                    break
                raise _BodyTooLarge(f"decompressed body over {_megabytes(max_bytes)} limit (gzip bomb?)") from None
            if meter.wire > max_bytes:  # compressed bytes alone already pass the cap
                if truncate:
                    break
                raise _BodyTooLarge(f"body over {_megabytes(max_bytes)} limit")
        if inflater is not None and not truncate:
            try:
                out += inflater.finish(max_bytes - len(out))
            except _BodyTooLarge:
                raise _BodyTooLarge(f"decompressed body over {_megabytes(max_bytes)} limit (gzip bomb?)") from None
        return bytes(out)

    # -- guards and politeness -----------------------------------------------

    def _check_host(self, host: str, port: int) -> _Try | None:
        """Resolve `host` and refuse it if any address fails the guard; None when it may be contacted."""
        try:
            addresses = self._resolve(host, port)
        except OSError as exc:  # socket.gaierror included
            detail = exc.strerror or str(exc)
            return _Try(ok=False, kind="dns", exc=exc, reason=f"cannot resolve host {host}: {detail}")
        if not addresses:
            return _Try(ok=False, kind="dns", reason=f"host {host} resolved to no address")
        for ip in addresses:
            problem = address_problem(ip, self.settings)
            if problem is not None:
                return _Try(ok=False, kind="address",
                            reason=f"address {ip} of host {host} is {problem}; refused")
        return None

    def _peer_problem(self, ip: str, host: str) -> str | None:
        problem = address_problem(ip, self.settings)
        if problem is None:
            return None
        return f"connected address {ip} of host {host} is {problem}; refused"

    def _delay_for(self, url: str, host: str) -> float:
        delay = self.settings.delay_for(host)
        if self._robots is not None and self.settings.max_crawl_delay_s > 0:
            crawl = self._robots.crawl_delay(url)
            if crawl is not None:
                delay = max(delay, min(crawl, self.settings.max_crawl_delay_s))
        return delay

    def _fetch_robots(self, robots_url: str, source: str, rows: list[FetchOutcome] | None) -> RobotsFile:
        """robots.txt through this client: same guard, throttle, retries and deadline (its own); any type;
        truncated at the cap. Its request rows are added to `rows`, the rows of the fetch that needed it."""
        result = self._run(robots_url, source=source, purpose="robots", robots=False, any_type=True,
                           max_bytes=self.settings.robots_max_bytes, truncate=True)
        if rows is not None:
            rows.extend(result.requests)
        if result.ok:
            return RobotsFile(status=200, body=result.body)
        return RobotsFile(status=result.outcome.status, body=None, problem=result.outcome.reason)


def _socket_of(raw: Any) -> socket.socket | None:
    """The socket a streamed urllib3 response reads from, when it can be reached."""
    sock = getattr(getattr(raw, "connection", None), "sock", None)
    return sock if isinstance(sock, socket.socket) else None

def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
