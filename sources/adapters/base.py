"""The contract between `discover()` and the source adapters: records, options, and the per-source context.

One job: hold what every adapter shares. An adapter is a `Source` (a name, whether it needs the network,
and `iter_reports(ctx) -> Iterator[Candidate | Rejected]`). It reads the web only through its
`SourceContext`, which

- sends every request through the one `HttpClient` and records a `FetchOutcome` for every request it
  made (robots.txt, retries and redirect hops included; secrets redacted), and one for every URL not sent;
- isolates failures: a URL that gets no answer costs that URL only; a host that fails at the network level
  (DNS, refused, timeout) `max_host_failures` times in a row (HttpSettings) is given up for the run, and
  its remaining URLs are recorded as skipped with that reason, not sent;
- ends the source when a request marked `api=True` (the service's own endpoint) fails: "unreachable"
  when it got no answer, else "failed"; a source none of whose hosts answered is "unreachable" too, and
  one where only some did names the silent hosts (`SourceStatus.unreachable_hosts`);
- stops the source when its time budget (`max_seconds`) is used up, keeping what it has;
- fetches article pages and decodes them (`page`), so adapters only say which URLs to read.

Faults never escape as exceptions: a report that cannot be read is a `Rejected`, a source that cannot be
used is a status with its reason (`SourceStatus`).
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urldefrag, urlsplit

from core.config import Story, story_sources
from core.errors import InputError
from core.records import Article, FetchOutcome, Rejected, content_hash
from sources.decode import declared_charset, decode_text, looks_binary
from sources.html import html_to_article
from sources.http import FetchResult, HttpClient

__all__ = [
    "HTML_TYPES",
    "STATUSES",
    "Candidate",
    "RunState",
    "Source",
    "SourceContext",
    "SourceOptions",
    "SourceStatus",
    "host_key",
    "is_network_failure",
    "read_body",
    "redact",
    "to_article",
]

# Source statuses, as stored in warehouse table source_status.
STATUSES = ("ok", "unreachable", "skipped", "failed")

# Media types read as an HTML page; text/plain is read as text; anything else is not a report page.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

# FetchResult kinds meaning "no answer from the host": the network, not the server, is the problem.
NETWORK_KINDS = frozenset({"dns", "connection", "timeout"})
_HTTP_STATUS_IN_REASON = re.compile(r"\bHTTP \d{3}\b")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One report a source proposes: where it is, what its source says about it, and its body.

    Exactly one of `html` (a page, read by sources/html.py) and `text` (plain text) is set, unless
    `dropped` says why the source already knows the report is out (a feed date outside the story
    window, a URL another source proposed first): then nothing was fetched.
    """

    url: str | None
    source: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date or datetime, as the source gave it
    date_signal: str | None = None  # where `published` came from ("feed", "gdelt seendate", ...)
    html: str | None = None
    text: str | None = None
    byline: str | None = None
    path: str | None = None  # local file, for the folder source
    dropped: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict, hash=False)  # e.g. claimant, rating
    warnings: tuple[str, ...] = ()  # what reading the body repaired (invalid UTF-8 bytes replaced): Article.warnings

    @property
    def ref(self) -> str:
        """What names the report in candidate rows: its URL, else its local path."""
        return self.url or self.path or ""


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """How one source did in one discovery run (warehouse table source_status)."""

    source: str
    status: str  # one of STATUSES
    reason: str | None = None
    reports: int = 0  # candidate reports it proposed (kept, dropped or failed)
    unreachable_hosts: tuple[tuple[str, str], ...] = ()  # (host, why) for each host that never answered it


@dataclass(frozen=True, slots=True)
class SourceOptions:
    """A story's [sources] table, typed. Field names are exactly the keys of
    core.config.STORY_SOURCES_DEFAULTS (a test holds them equal)."""

    gdelt: bool
    wikipedia: bool
    factcheck: bool
    feeds: tuple[str, ...]
    url_files: tuple[str, ...]
    urls: tuple[str, ...]
    gdelt_base_url: str
    wikipedia_base_url: str
    factcheck_base_url: str
    gdelt_query: str
    gdelt_language: str
    gdelt_max_records: int
    wikipedia_query: str
    wikipedia_max_pages: int
    factcheck_query: str
    factcheck_language: str
    factcheck_page_size: int
    max_reports: int
    max_seconds: float
    key_terms: tuple[str, ...]
    min_relevance: float

    @classmethod
    def from_story(cls, story: Story) -> SourceOptions:
        """Validated options: the story's `sources` dict over the defaults (partial dicts are fine)."""
        merged = story_sources(dict(story.sources), input=f"story {story.id}")
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in merged.items()})


@dataclass
class RunState:
    """What the sources of one discovery run share: outcomes, hosts that did not answer, URLs proposed."""

    outcomes: list[FetchOutcome] = field(default_factory=list)
    dead_hosts: dict[str, str] = field(default_factory=dict)  # host -> why it was given up
    host_failures: dict[str, int] = field(default_factory=dict)  # host -> network failures in a row
    proposed: dict[str, str] = field(default_factory=dict)  # normalised URL -> source that proposed it


@dataclass(frozen=True, slots=True)
class Source:
    """A kind of source: its name (stored as Article.source), whether it needs the network, its generator."""

    name: str
    online: bool
    iter_reports: Callable[[SourceContext], Iterator[Candidate | Rejected]]


# --------------------------------------------------------------------------- pure helpers


def is_network_failure(result: FetchResult) -> bool:
    """True when the host gave no answer at all (DNS failure, refused, timeout), robots.txt included.

    An HTTP error status, a refused content type or a size cap means the host answered: not a network
    failure. A robots.txt that could not be fetched for a network reason makes the fetch a "robots"
    refusal; that counts as a network failure too.
    """
    if result.ok:
        return False
    if result.kind in NETWORK_KINDS:
        return True
    reason = result.outcome.reason or ""
    return (result.kind == "robots" and "robots.txt unreachable" in reason
            and not _HTTP_STATUS_IN_REASON.search(reason))


def redact(outcome: FetchOutcome, secret: str | None) -> FetchOutcome:
    """The outcome with `secret` (an API key in the query string) replaced by *** in url, final_url, reason."""
    if not secret:
        return outcome

    def clean(value: str | None) -> str | None:
        return value.replace(secret, "***") if value else value

    return dataclasses.replace(outcome, url=clean(outcome.url) or "", final_url=clean(outcome.final_url),
                               reason=clean(outcome.reason))


def host_key(url: str) -> str:
    """The host a URL's requests go to, as `host` or `host:port` (an explicit port counts), lower-cased."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    return f"{host}:{port}" if host and port is not None else host


def normalise_url(url: str) -> str:
    """A URL as a dedupe key: fragment dropped, surrounding blanks stripped."""
    return urldefrag(url.strip())[0]


class PageBody(NamedTuple):
    """A fetched page read: HTML or plain text, or the problem that makes it no readable report, and the warning
    of what decoding repaired (invalid UTF-8 bytes replaced, with their offsets), if anything."""

    html: str | None
    text: str | None
    problem: str | None
    warning: str | None = None


def read_body(result: FetchResult) -> PageBody:
    """The HTML or plain text of a fetched page, or why it is not a readable report."""
    body = result.body or b""
    media = result.outcome.content_type
    if not body.strip():
        return PageBody(None, None, "empty page")
    if media is not None and media not in HTML_TYPES and media != "text/plain":
        return PageBody(None, None, f"expected an HTML page, got {media}")
    binary = looks_binary(body)
    if binary:
        return PageBody(None, None, f"binary content: looks like {binary}")
    try:
        decoded = decode_text(body, result.encoding or declared_charset(body))
    except InputError as exc:
        return PageBody(None, None, exc.problem)
    if media == "text/plain":
        return PageBody(None, decoded.text, None, decoded.warning)
    return PageBody(decoded.text, None, None, decoded.warning)


def to_article(candidate: Candidate, story_id: str, *, now: datetime | None = None) -> Article | Rejected:
    """The Article a candidate becomes (article_id = content_hash(text)), or a Rejected saying why not.

    For a page, what the page says about itself (sources/html.py) wins over the source's hints (feed or
    GDELT title, date, domain); the hints fill what the page leaves out.
    """
    ref = candidate.ref
    if candidate.html is not None:
        try:
            doc = html_to_article(candidate.html, candidate.url, now=now)
        except Exception as exc:  # noqa: BLE001 - third-party parsers: one odd page must not end a run
            return Rejected(input=ref, stage="parse", reason=f"HTML extraction failed: {type(exc).__name__}: {exc}",
                            source=candidate.source)
        if not doc.text.strip():
            return Rejected(input=ref, stage="parse", reason="no article text found in the HTML",
                            source=candidate.source)
        published = doc.published or candidate.published
        signal = doc.published_signal if doc.published else candidate.date_signal
        return Article(
            article_id=content_hash(doc.text), text=doc.text, title=doc.title or candidate.title,
            outlet=doc.outlet or candidate.outlet, published=published, url=candidate.url,
            byline=doc.byline or candidate.byline, source=candidate.source, path=candidate.path, story=story_id,
            date_signal=signal if published else None, warnings=candidate.warnings,
        )
    text = candidate.text or ""
    if not text.strip():
        return Rejected(input=ref, stage="parse", reason="empty report", source=candidate.source)
    return Article(
        article_id=content_hash(text), text=text, title=candidate.title, outlet=candidate.outlet,
        published=candidate.published, url=candidate.url, byline=candidate.byline, source=candidate.source,
        path=candidate.path, story=story_id, date_signal=candidate.date_signal if candidate.published else None,
        warnings=candidate.warnings,
    )


# --------------------------------------------------------------------------- the per-source context


class SourceContext:
    """Everything one source's `iter_reports` may use, and the record of how the source went."""

    def __init__(
        self,
        *,
        name: str,
        story: Story,
        options: SourceOptions,
        client: HttpClient | None,
        state: RunState,
        seeds_dir: Path,
        max_doc_bytes: int,
        environ: Mapping[str, str],
        now: datetime,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.story = story
        self.options = options
        self.client = client
        self.state = state
        self.seeds_dir = seeds_dir
        self.max_doc_bytes = max_doc_bytes
        self.environ = environ
        self.now = now
        self._clock = clock
        self._deadline = clock() + options.max_seconds
        self._reached = False  # some request of this source got an answer
        self._host_limit = client.settings.max_host_failures if client is not None else 1
        self._silent: dict[str, str] = {}  # host -> last network failure, for hosts that never answered
        self._answered: set[str] = set()
        self._status: str | None = None  # unreachable | failed once the source is ended
        self._reason: str | None = None
        self._notes: list[str] = []

    # -- state ------------------------------------------------------------------

    @property
    def stopped(self) -> bool:
        """True once the source was ended (unreachable, failed) or ran out of time."""
        return self._status is not None

    def end(self, status: str, reason: str) -> None:
        """End the source with `status` (unreachable or failed) and its reason; the first call wins."""
        if status not in STATUSES:
            raise ValueError(f"unknown source status {status!r}")
        if self._status is None:
            self._status, self._reason = status, reason

    def note(self, text: str) -> None:
        """Something worth saying about a source that still worked (no articles, JSON repaired, ...)."""
        if text not in self._notes:
            self._notes.append(text)

    def more(self) -> bool:
        """May the source go on? False once it was ended or its time budget is used up."""
        if self.stopped:
            return False
        if self._clock() > self._deadline:
            self.note(f"stopped early: the time budget of {self.options.max_seconds:g} s (max_seconds) was used up")
            self._status = "ok"
            return False
        return True

    def status(self, reports: int) -> SourceStatus:
        """How the source went, for `discover()` to report. A source that asked hosts and got an answer from
        none is unreachable; one that reached some names the hosts that never answered in a note."""
        silent = tuple((h, why) for h, why in self._silent.items() if h not in self._answered)
        status, reason = self._status or "ok", self._reason
        if self._status is None and silent and not self._reached:
            status, reason = "unreachable", f"no answer from {_hosts_text(silent)}"
        parts = [reason] if reason and status != "ok" else []
        if silent and status == "ok":
            parts.append(f"no answer from {_hosts_text(silent)}")
        parts += self._notes
        return SourceStatus(source=self.name, status=status, reason="; ".join(parts) or None, reports=reports,
                            unreachable_hosts=silent)

    # -- URLs -------------------------------------------------------------------

    def claim(self, url: str) -> str | None:
        """Register `url` as proposed by this source. Returns None the first time any source proposes it,
        else the source that proposed it first (this one, for a URL listed twice)."""
        key = normalise_url(url)
        first = self.state.proposed.get(key)
        if first is None:
            self.state.proposed[key] = self.name
        return first

    # -- fetching ---------------------------------------------------------------

    def fetch(self, url: str, *, api: bool = False, secret: str | None = None) -> FetchResult | None:
        """GET `url` through the client, recording a row for every request it made. None when the source
        has stopped.

        `api=True` marks the service's own endpoint: any failure ends the source. Any other failure costs
        this URL only. A network failure (see `is_network_failure`) counts against the host; after
        `max_host_failures` of them in a row (an answer resets the count) the host is given up for the run:
        its later URLs are not sent, and each gets a row (purpose "skipped") saying why.
        """
        if not self.more():
            return None
        if self.client is None:
            raise RuntimeError(f"source {self.name} needs an HttpClient")  # a wiring bug, not bad input
        host = host_key(url)
        if not api and host in self.state.dead_hosts:
            skipped = _not_sent(url, self.name, f"not fetched: host {host} was given up earlier in this run "
                                                f"({self.state.dead_hosts[host]})")
            self.state.outcomes.append(skipped.outcome)
            return skipped
        result = self.client.fetch(url, source=self.name)
        outcome = redact(result.outcome, secret)
        rows = tuple(redact(row, secret) for row in result.requests) or (outcome,)
        if outcome is not result.outcome or rows != result.requests:
            result = dataclasses.replace(result, outcome=outcome, requests=rows)
        self.state.outcomes.extend(rows)
        reason = outcome.reason or "fetch failed"
        if is_network_failure(result):
            silent = host_key(outcome.final_url or url)
            if silent != host:  # the asked host answered with a redirect; its target did not
                self._heard(host)
            self._unanswered(silent, reason)
            if api:
                self.end("unreachable", reason)
            return result
        self._heard(host)
        if result.ok and outcome.final_url:
            self._heard(host_key(outcome.final_url))
        if api and not result.ok:
            self.end("failed", reason)
        return result

    def _heard(self, host: str) -> None:
        """`host` answered: its run of failures is over."""
        self._reached = True
        self._answered.add(host)
        self.state.host_failures[host] = 0

    def _unanswered(self, host: str, reason: str) -> None:
        """`host` gave no answer: count it, and give it up after `max_host_failures` in a row."""
        self._silent[host] = reason
        failures = self.state.host_failures.get(host, 0) + 1
        self.state.host_failures[host] = failures
        if host and failures >= self._host_limit:
            self.state.dead_hosts.setdefault(host, f"{failures} failures in a row without an answer, the last: "
                                                   f"{reason}")

    def page(
        self,
        url: str,
        *,
        title: str | None = None,
        outlet: str | None = None,
        published: str | None = None,
        date_signal: str | None = None,
    ) -> Candidate | Rejected | None:
        """Fetch one article page: a Candidate (html or text), a Rejected with the reason, or None when
        the source has stopped. The keyword hints are what the source said about the page."""
        hints: dict[str, Any] = {"title": title, "outlet": outlet, "published": published,
                                 "date_signal": date_signal if published else None}
        if not self.more():
            return None
        first = self.claim(url)
        if first is not None:
            return Candidate(url=url, source=self.name, dropped=f"duplicate URL: already proposed by {first}", **hints)
        result = self.fetch(url)
        if result is None:
            return None
        if not result.ok:
            return Rejected(input=url, stage="fetch", reason=result.outcome.reason or "fetch failed", source=self.name)
        page = read_body(result)
        if page.problem is not None:
            return Rejected(input=url, stage="parse", reason=page.problem, source=self.name)
        return Candidate(url=result.outcome.final_url or url, source=self.name, html=page.html, text=page.text,
                         warnings=(page.warning,) if page.warning else (), **hints)


def _not_sent(url: str, source: str, reason: str) -> FetchResult:
    outcome = FetchOutcome(url=url, source=source, status=None, ok=False, bytes=0, elapsed_s=0.0, reason=reason,
                           purpose="skipped", attempt=0)
    return FetchResult(outcome=outcome, body=None, kind="skipped", attempts=0, requests=(outcome,))


def _hosts_text(hosts: tuple[tuple[str, str], ...], most: int = 5) -> str:
    """'host a (why); host b (why)', at most `most` of them, then how many more."""
    named = "; ".join(f"{host or '(no host)'} ({why})" for host, why in hosts[:most])
    more = f"; and {len(hosts) - most} more hosts" if len(hosts) > most else ""
    return f"{named}{more}"
