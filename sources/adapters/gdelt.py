"""GDELT DOC 2.0 API as a source: one article-list query for the story, then each listed article's page.

One job: turn the story into one `mode=artlist&format=json` request (query from the story's places, query
terms and key terms, or `[sources] gdelt_query`; `startdatetime`/`enddatetime` = the story window) and the
answer into page fetches. The list has url, title, seendate, domain, language and sourcecountry but no
body, so each URL is fetched (at most `max_reports`) and read as a page.

GDELT's known faults are values, not exceptions (see shared/FIELD-NOTES.md): an error answered as
text/html or text/plain ends the source as "failed" with GDELT's message; malformed JSON is repaired
(an invalid escape such as a backslash before an apostrophe loses its backslash) or else its article
rows are recovered one by one, with a note; `{}` (no match) is an ok source with the note "GDELT
returned no articles". The client spaces requests to api.gdeltproject.org 5 s apart and sends a
User-Agent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from core.records import Rejected
from sources.adapters.base import Candidate, Source, SourceContext, SourceOptions
from sources.relevance import story_window

NAME = "gdelt"
JSON_TYPES = frozenset({"application/json", "text/json"})

_INVALID_ESCAPE = re.compile(r"\\(?![\"\\/bfnrtu])")
_OBJECT_WITH_URL = re.compile(r"\{[^{}]*\"url\"\s*:[^{}]*\}")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class ArtlistRow:
    """One row of GDELT's article list."""

    url: str
    title: str | None
    seen: str | None  # seendate as ISO-8601 UTC
    domain: str | None
    language: str | None
    sourcecountry: str | None


@dataclass(frozen=True, slots=True)
class Artlist:
    """A parsed answer: its rows, why it is unusable (`problem`), or what was odd but repaired (`note`)."""

    rows: tuple[ArtlistRow, ...] = ()
    problem: str | None = None
    note: str | None = None


def build_query(places: tuple[str, ...], query_terms: tuple[str, ...], options: SourceOptions) -> str:
    """The GDELT query: `[sources] gdelt_query`, else (places OR query terms) (key terms OR'd), plus
    sourcelang: when `gdelt_language` is set and the query does not say it already."""
    query = options.gdelt_query.strip()
    if not query:
        parts = [_group(list(dict.fromkeys([*places, *query_terms]))), _group(list(options.key_terms))]
        query = " ".join(p for p in parts if p)
    if options.gdelt_language and "sourcelang:" not in query.lower():
        query = f"{query} sourcelang:{options.gdelt_language}".strip()
    return query


def _group(terms: list[str]) -> str:
    """OR'd terms, multi-word ones quoted; GDELT accepts parentheses only around an OR."""
    quoted = [f'"{t}"' if re.search(r"[\s\-]", t) else t for t in (t.strip().replace('"', "") for t in terms) if t]
    if len(quoted) > 1:
        return "(" + " OR ".join(quoted) + ")"
    return quoted[0] if quoted else ""


def artlist_url(base_url: str, query: str, start: datetime, end: datetime, max_records: int) -> str:
    """The DOC 2.0 article-list request for `query` between `start` and `end` (UTC)."""
    params = {
        "query": query,
        "mode": "artlist",
        "format": "json",
        "maxrecords": str(max_records),
        "startdatetime": start.strftime("%Y%m%d%H%M%S"),
        "enddatetime": end.strftime("%Y%m%d%H%M%S"),
    }
    return f"{base_url}?{urlencode(params, quote_via=quote)}"


def parse_seendate(value: Any) -> str | None:
    """GDELT's seendate ("20200108T031500Z") as ISO-8601 UTC, or None."""
    if not isinstance(value, str):
        return None
    for fmt in ("%Y%m%dT%H%M%SZ", "%Y%m%d%H%M%S"):
        try:
            return datetime.strptime(value.strip(), fmt).replace(tzinfo=UTC).isoformat()
        except ValueError:
            continue
    return None


def parse_artlist(body: bytes, content_type: str | None) -> Artlist:
    """Rows of an artlist answer, tolerating GDELT's faults (see the module docstring). Pure."""
    text = body.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not text.strip():
        return Artlist(problem="GDELT answered with an empty body")
    looks_json = text.lstrip().startswith(("{", "["))
    if content_type not in JSON_TYPES and not looks_json:
        return Artlist(problem=f"GDELT answered {content_type or 'without a content-type'} instead of JSON: "
                               f"{_snippet(text)}")
    note = None
    try:
        data = json.loads(text, strict=False)
    except ValueError as exc:
        try:
            data = json.loads(_INVALID_ESCAPE.sub("", text), strict=False)
            note = f"GDELT sent malformed JSON ({exc}); repaired its invalid escapes"
        except ValueError:
            rows = _salvage(text)
            if not rows:
                return Artlist(problem=f"GDELT sent malformed JSON: {exc}")
            return Artlist(rows=rows, note=f"GDELT sent malformed JSON ({exc}); {len(rows)} article rows recovered")
    if not isinstance(data, dict):
        return Artlist(problem=f"GDELT answered JSON of an unexpected shape ({type(data).__name__})")
    articles = data.get("articles", [])
    if not isinstance(articles, list):
        return Artlist(problem="GDELT answer has an 'articles' value that is not a list")
    return Artlist(rows=_rows(articles), note=note)


def _rows(items: list[Any]) -> tuple[ArtlistRow, ...]:
    rows: dict[str, ArtlistRow] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        url = item.get("url")
        if not isinstance(url, str) or not url.strip().lower().startswith(("http://", "https://")):
            continue
        url = url.strip()
        rows.setdefault(url, ArtlistRow(
            url=url,
            title=_text(item.get("title")),
            seen=parse_seendate(item.get("seendate")),
            domain=_text(item.get("domain")),
            language=_text(item.get("language")),
            sourcecountry=_text(item.get("sourcecountry")),
        ))
    return tuple(rows.values())


def _salvage(text: str) -> tuple[ArtlistRow, ...]:
    """Article objects that parse on their own, from an answer that does not parse as a whole."""
    items: list[Any] = []
    for match in _OBJECT_WITH_URL.finditer(text):
        raw = match.group(0)
        for attempt in (raw, _INVALID_ESCAPE.sub("", raw)):
            try:
                items.append(json.loads(attempt, strict=False))
                break
            except ValueError:
                continue
    return _rows(items)


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _snippet(text: str, limit: int = 160) -> str:
    flat = " ".join(_TAG.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def window_utc(ctx: SourceContext) -> tuple[datetime, datetime]:
    """The story window as GDELT start/end datetimes (UTC, whole days, the end not after now)."""
    first, last = story_window(ctx.story)
    start = datetime.combine(first, time.min)
    end = datetime.combine(last, time(23, 59, 59))
    now = ctx.now.astimezone(UTC).replace(tzinfo=None) if ctx.now.tzinfo else ctx.now
    return start, max(start + timedelta(hours=1), min(end, now))


def iter_reports(ctx: SourceContext) -> Iterator[Candidate | Rejected]:
    """One artlist request, then each listed article's page (at most `max_reports`)."""
    opts = ctx.options
    if opts.gdelt_max_records == 0 or opts.max_reports == 0:
        ctx.note("gdelt_max_records or max_reports is 0: nothing to read")
        return
    query = build_query(ctx.story.places, ctx.story.query_terms, opts)
    start, end = window_utc(ctx)
    result = ctx.fetch(artlist_url(opts.gdelt_base_url, query, start, end, opts.gdelt_max_records), api=True)
    if result is None or not result.ok:
        return
    answer = parse_artlist(result.body or b"", result.outcome.content_type)
    if answer.problem is not None:
        ctx.end("failed", answer.problem)
        return
    if answer.note:
        ctx.note(answer.note)
    if not answer.rows:
        ctx.note(f"GDELT returned no articles for {query!r} between {start:%Y-%m-%d} and {end:%Y-%m-%d}")
        return
    if len(answer.rows) > opts.max_reports:
        ctx.note(f"{len(answer.rows)} articles listed; the first {opts.max_reports} read (max_reports)")
    for row in answer.rows[: opts.max_reports]:
        item = ctx.page(row.url, title=row.title, outlet=row.domain, published=row.seen,
                        date_signal="gdelt seendate")
        if item is None:
            return
        yield item


SOURCE = Source(name=NAME, online=True, iter_reports=iter_reports)
