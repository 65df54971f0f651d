"""robots.txt policy: one job, say whether a URL may be fetched, following RFC 9309.

`RobotsPolicy` keeps one verdict per origin (scheme://host:port), fetched through a callable the
HTTP client provides (so robots.txt travels the same guarded, throttled, size-capped path as
everything else) and reused for `ttl_s` seconds. Per RFC 9309:

- 2xx: the file is parsed with `urllib.robotparser`, rules matched for our product token;
- 4xx (missing, forbidden): "unavailable", everything is allowed;
- 5xx, timeouts, connection errors: "unreachable", everything is disallowed;
- redirects are followed by the fetcher (up to its limit); a chain that still ends on a 3xx counts
  as unavailable (allowed).

`urllib.robotparser` applies the first matching rule in file order; RFC 9309 asks for the most
specific (longest) match with Allow winning ties, so the parsed rules are re-ordered that way.
It does not understand `*` and `$` wildcards inside paths: such rules match literally.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class RobotsFile:
    """What fetching /robots.txt produced: a status (None = no response at all) and a body."""

    status: int | None
    body: bytes | None
    problem: str | None = None  # the fetcher's reason when it failed


@dataclass(slots=True)
class _Verdict:
    parser: urllib.robotparser.RobotFileParser | None  # None = blanket verdict below
    allow_all: bool
    why: str  # for a blanket disallow: the reason shown to the user
    expires: float


def origin_of(url: str) -> str:
    """scheme://host[:port] of `url`, lower-cased, without credentials."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.lower()}://{host}{port}"


def robots_url(url: str) -> str:
    """The robots.txt URL that governs `url`."""
    return origin_of(url) + "/robots.txt"


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _longest_match_first(parser: urllib.robotparser.RobotFileParser) -> None:
    """Re-order each group's rules so first-match equals RFC 9309's longest-match (Allow wins ties)."""
    groups = list(getattr(parser, "entries", []))
    default = getattr(parser, "default_entry", None)
    if default is not None:
        groups.append(default)
    for group in groups:
        rules = getattr(group, "rulelines", None)
        if isinstance(rules, list):
            rules.sort(key=lambda rule: (-len(rule.path), not rule.allowance))


class RobotsPolicy:
    """Cached robots.txt verdicts per origin for one product token. Thread-safe."""

    def __init__(
        self,
        fetch: Callable[[str], RobotsFile],
        *,
        token: str,
        ttl_s: float = 86_400.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self.token = token
        self.ttl_s = ttl_s
        self._clock = clock
        self._verdicts: dict[str, _Verdict] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def check(self, url: str, fetch: Callable[[str], RobotsFile] | None = None) -> str | None:
        """None if `url` may be fetched, else the reason it may not. `fetch`, when given, reads the robots.txt
        instead of the policy's own fetcher if it has to be read now (the HTTP client passes one that records
        the robots.txt requests with the fetch that needed them)."""
        verdict = self._verdict(url, fetch or self._fetch)
        if verdict.parser is None:
            return None if verdict.allow_all else verdict.why
        if verdict.parser.can_fetch(self.token, url):
            return None
        return f"robots.txt disallows {_path_of(url)} for {self.token}"

    def crawl_delay(self, url: str) -> float | None:
        """Crawl-delay for our token at `url`'s origin, if its robots.txt was already read."""
        with self._guard:
            verdict = self._verdicts.get(origin_of(url))
        if verdict is None or verdict.parser is None:
            return None
        delay = verdict.parser.crawl_delay(self.token)
        return float(delay) if delay is not None else None

    def _verdict(self, url: str, fetch: Callable[[str], RobotsFile]) -> _Verdict:
        origin = origin_of(url)
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:  # one fetch per origin even when many threads ask at once
            with self._guard:
                cached = self._verdicts.get(origin)
            if cached is not None and cached.expires > self._clock():
                return cached
            verdict = self._decide(fetch(robots_url(url)))
            with self._guard:
                self._verdicts[origin] = verdict
            return verdict

    def _decide(self, got: RobotsFile) -> _Verdict:
        expires = self._clock() + self.ttl_s
        status = got.status
        if status is not None and 200 <= status < 300 and got.body is not None:
            text = got.body.decode("utf-8", errors="replace").lstrip("\ufeff")
            parser = urllib.robotparser.RobotFileParser()
            parser.parse(text.splitlines())
            _longest_match_first(parser)
            return _Verdict(parser, allow_all=False, why="", expires=expires)
        if status is not None and 300 <= status < 500:
            return _Verdict(None, allow_all=True, why="", expires=expires)
        detail = got.problem or (f"HTTP {status}" if status is not None else "no response")
        why = f"robots.txt unreachable ({detail}); RFC 9309: treat as disallow all"
        return _Verdict(None, allow_all=False, why=why, expires=expires)
