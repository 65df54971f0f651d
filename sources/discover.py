"""Find a story's reports: run its sources, keep what is about the story, name the sources that failed.

One job: `discover(settings, story, *, client=None) -> Discovery`. The local corpus always runs; the
online sources (URL lists, feeds, GDELT, Wikipedia, Fact Check; see sources/adapters/) run when
`settings.online` and the story's [sources] enable them. Each candidate report becomes an Article
(sources/adapters/base.py `to_article`) and is judged by sources/relevance.py; every candidate, kept or
dropped, is a `CandidateRow` with its reason, and every source a `SourceStatus`
(ok | unreachable | skipped | failed, with the reason).

Failures are isolated (sources/adapters/base.py `SourceContext.fetch`): a URL that gets no answer costs
that URL, a host that stops answering is given up after a few failures in a row (its remaining URLs are
rows with that reason), never the rest of the source. Bounded when the network is not there: a service
whose own endpoint gets no answer (DNS failure, connection refused, timeout) ends at once as unreachable;
every URL has one deadline for all its attempts (HttpSettings.total_timeout), each source a time budget
(`[sources] max_seconds`), and the client discovery builds for itself a short connect timeout
(DISCOVERY_CONNECT_TIMEOUT_S). Nothing raises for a fault of a source or a report: they are values in
the `Discovery`; `Discovery.unreachable` names each source that got no answer, or the hosts that did not.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.config import Settings, Story
from core.records import Article, FetchOutcome, Rejected
from sources.adapters import SOURCES
from sources.adapters.base import (
    Candidate,
    RunState,
    Source,
    SourceContext,
    SourceOptions,
    SourceStatus,
    to_article,
)
from sources.adapters.factcheck import KEY_ENV, api_key
from sources.http import HttpClient
from sources.relevance import Keep, StoryTerms, judge
from sources.settings import ENV_PREFIX, HttpSettings

log = logging.getLogger(__name__)

__all__ = [
    "DISCOVERY_CONNECT_TIMEOUT_S",
    "CandidateRow",
    "Discovery",
    "discover",
    "discovery_http_settings",
    "plan",
    "unreachable",
]

# Connect timeout of the client discovery builds for itself (unless CROSSCHECK_HTTP_CONNECT_TIMEOUT is set):
# a host that does not accept a connection in 3 s is treated as unreachable.
DISCOVERY_CONNECT_TIMEOUT_S = 3.0
# The disk cache of that client (unless CROSSCHECK_HTTP_CACHE_DIR is set): beside the warehouse file.
CACHE_DIR_NAME = "http-cache"

OFFLINE_REASON = "offline: crosscheck.toml [sources] online = false or CROSSCHECK_OFFLINE=1"


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """One candidate report and what became of it (warehouse table candidates)."""

    story: str
    source: str
    url: str | None  # its URL, or the local file for the folder source
    outlet: str | None
    title: str | None
    published: str | None
    decision: str  # keep | drop
    reason: str
    relevance: float | None = None  # the relevance score, when the report got that far
    article_id: str | None = None  # the article it became, when it became one


@dataclass(frozen=True, slots=True)
class Discovery:
    """Everything one discovery run found, kept, dropped and failed at."""

    story: str
    articles: tuple[Article, ...]  # kept, one per article_id
    rejected: tuple[Rejected, ...]  # reports that could not become articles (fetch, parse, ingest)
    outcomes: tuple[FetchOutcome, ...]  # every request tried (robots.txt, retries, hops) and every URL skipped
    candidates: tuple[CandidateRow, ...]  # every report proposed, with its decision and reason
    unreachable: tuple[tuple[str, str], ...]  # (source, reason) for each source or some of its hosts silent
    statuses: tuple[SourceStatus, ...]  # one per source, in run order
    elapsed_s: float = 0.0

    def counts(self) -> dict[str, Any]:
        """Headline counts for a run summary (and `finish_run(counts=...)`)."""
        return {
            "articles_seen": len(self.articles),
            "candidates": len(self.candidates),
            "kept": sum(1 for c in self.candidates if c.decision == "keep"),
            "dropped": sum(1 for c in self.candidates if c.decision == "drop"),
            "errors": len(self.rejected),
            "fetches": len(self.outcomes),
            "kept_by_source": dict(Counter(c.source for c in self.candidates if c.decision == "keep")),
            "sources": {s.source: s.status for s in self.statuses},
        }


def discovery_http_settings(settings: Settings, environ: Mapping[str, str] | None = None) -> HttpSettings:
    """HttpSettings for discovery: CROSSCHECK_HTTP_* as usual, with a short connect timeout and a disk
    cache beside the warehouse unless those two are set explicitly."""
    env = os.environ if environ is None else environ
    base = HttpSettings.from_env(env)
    changes: dict[str, Any] = {}
    if ENV_PREFIX + "CONNECT_TIMEOUT" not in env:
        changes["connect_timeout"] = min(base.connect_timeout, DISCOVERY_CONNECT_TIMEOUT_S)
    if ENV_PREFIX + "CACHE_DIR" not in env:
        changes["cache_dir"] = settings.db_path.parent / CACHE_DIR_NAME
    return dataclasses.replace(base, **changes) if changes else base


def skip_reason(source: Source, options: SourceOptions, online: bool, environ: Mapping[str, str]) -> str | None:
    """Why `source` does not run for this story and settings, or None when it runs."""
    if not source.online:
        return None
    turned_off = {"gdelt": not options.gdelt, "wikipedia": not options.wikipedia, "factcheck": not options.factcheck}
    if turned_off.get(source.name):
        return "turned off in the story's [sources]"
    if source.name == "urls" and not (options.url_files or options.urls):
        return "no url_files or urls in the story's [sources]"
    if source.name == "feeds" and not options.feeds:
        return "no feeds in the story's [sources]"
    if not online:
        return OFFLINE_REASON
    if source.name == "factcheck" and api_key(environ) is None:
        return f"{KEY_ENV} is not set"
    return None


def plan(
    settings: Settings, story: Story, environ: Mapping[str, str] | None = None, sources: Iterable[Source] = SOURCES
) -> list[tuple[Source, str | None]]:
    """Each source with the reason it is skipped (None = it runs), in run order."""
    env = os.environ if environ is None else environ
    options = SourceOptions.from_story(story)
    return [(s, skip_reason(s, options, settings.online, env)) for s in sources]


def discover(
    settings: Settings,
    story: Story,
    *,
    client: HttpClient | None = None,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
    terms: StoryTerms,
    sources: Iterable[Source] = SOURCES,
) -> Discovery:
    """Run the story's sources and decide every report they propose. Never raises for a source's fault.

    `client`: the HttpClient to use (tests pass one allowing loopback); None = one built from
    `discovery_http_settings`, and closed at the end. `environ` (default os.environ) is where the Fact
    Check key and CROSSCHECK_HTTP_* are read; `now` (default the current time) bounds page dates and
    the GDELT window; `terms` are the story's relevance terms (extractors.vocabulary.load_story_terms
    reads them from the seeds).
    """
    started = time.monotonic()
    env = os.environ if environ is None else environ
    now = now or datetime.now(UTC)
    options = SourceOptions.from_story(story)
    planned = plan(settings, story, env, sources)
    state = RunState()
    decider = _Decider(story.id, terms, now)
    statuses: list[SourceStatus] = []
    with ExitStack() as stack:
        if client is None and any(s.online and why is None for s, why in planned):
            client = stack.enter_context(HttpClient(discovery_http_settings(settings, env)))
        for source, why in planned:
            if why is not None:
                statuses.append(SourceStatus(source=source.name, status="skipped", reason=why))
                continue
            ctx = SourceContext(name=source.name, story=story, options=options, client=client, state=state,
                                seeds_dir=settings.seeds_dir, max_doc_bytes=settings.max_doc_bytes, environ=env,
                                now=now)
            proposed = 0
            try:
                for item in source.iter_reports(ctx):
                    proposed += 1
                    decider.take(item)
            except Exception as exc:  # noqa: BLE001 - a bug in one adapter must not end discovery
                log.exception("source %s failed", source.name)
                ctx.end("failed", f"adapter error: {type(exc).__name__}: {exc}")
            status = ctx.status(reports=proposed)
            log.info("source %s: %s%s (%d reports)", status.source, status.status,
                     f" ({status.reason})" if status.reason else "", proposed)
            statuses.append(status)
    return Discovery(
        story=story.id,
        articles=tuple(decider.articles),
        rejected=tuple(decider.rejected),
        outcomes=tuple(state.outcomes),
        candidates=tuple(decider.rows),
        unreachable=unreachable(statuses),
        statuses=tuple(statuses),
        elapsed_s=round(time.monotonic() - started, 3),
    )


def unreachable(statuses: Iterable[SourceStatus]) -> tuple[tuple[str, str], ...]:
    """(source, reason) for each source that got no answer at all, and for each source that got answers
    from some hosts but none from others (the reason names those hosts)."""
    found: list[tuple[str, str]] = []
    for s in statuses:
        if s.status == "unreachable":
            found.append((s.source, s.reason or "unreachable"))
        elif s.unreachable_hosts:
            hosts = "; ".join(f"{host} ({why})" for host, why in s.unreachable_hosts)
            found.append((s.source, f"{len(s.unreachable_hosts)} host(s) gave no answer: {hosts}"))
    return tuple(found)


class _Decider:
    """Turns what the sources yield into articles, rejects and candidate rows; keeps the first copy."""

    def __init__(self, story_id: str, terms: StoryTerms, now: datetime) -> None:
        self.story_id = story_id
        self.terms = terms
        self.now = now
        self.articles: list[Article] = []
        self.rejected: list[Rejected] = []
        self.rows: list[CandidateRow] = []
        self._first: dict[str, str] = {}  # article_id -> ref of its kept copy

    def take(self, item: Candidate | Rejected) -> None:
        if isinstance(item, Rejected):
            self._reject(item, None)
            return
        if item.dropped is not None:
            self._row(item, "drop", item.dropped)
            return
        made = to_article(item, self.story_id, now=self.now)
        if isinstance(made, Rejected):
            self._reject(made, item)
            return
        verdict = judge(made, self.terms)
        if not isinstance(verdict, Keep):
            self._row(item, "drop", verdict.reason, made, verdict.score)
            return
        first = self._first.get(made.article_id)
        if first is not None:
            self._row(item, "drop", f"duplicate of {first}", made, verdict.score)
            return
        self._first[made.article_id] = item.ref or made.article_id
        self.articles.append(made)
        self._row(item, "keep", verdict.reason, made, verdict.score)

    def _reject(self, rejected: Rejected, candidate: Candidate | None) -> None:
        self.rejected.append(rejected)
        self.rows.append(CandidateRow(
            story=self.story_id, source=rejected.source, url=rejected.input,
            outlet=candidate.outlet if candidate else None, title=candidate.title if candidate else None,
            published=candidate.published if candidate else None, decision="drop",
            reason=f"{rejected.stage}: {rejected.reason}",
        ))

    def _row(self, item: Candidate, decision: str, reason: str, article: Article | None = None,
             score: float | None = None) -> None:
        self.rows.append(CandidateRow(
            story=self.story_id, source=item.source, url=item.ref or None,
            outlet=article.outlet if article else item.outlet, title=article.title if article else item.title,
            published=article.published if article else item.published, decision=decision, reason=reason,
            relevance=score, article_id=article.article_id if article else None,
        ))
