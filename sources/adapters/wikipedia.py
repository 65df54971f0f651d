"""Wikipedia as a source: a search for the story, then each found article's plain text.

One job: one `action=query&list=search` request (`[sources] wikipedia_query`, else the first query term
and the story's places), then, for each of the first `wikipedia_max_pages` titles, one
`action=query&prop=extracts&explaintext=1` request whose extract becomes a text report. The reference
tail of an article (See also, References, Notes, External links, ...) is cut off and section headings lose
their `==` marks. A Wikipedia article has no publication date: relevance keeps it with the date noted as
unknown. An API error object, a non-JSON answer or a missing page is a recorded reason, never an exception.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from core.records import Rejected
from sources.adapters.base import Candidate, Source, SourceContext

NAME = "wikipedia"
OUTLET = "Wikipedia"

_TAIL = re.compile(
    r"^==+\s*(?:See also|References|Notes|Notes and references|External links|Further reading|Citations|"
    r"Sources|Bibliography|Footnotes)\s*==+\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_HEADING = re.compile(r"^(=+)\s*(.*?)\s*\1\s*$", re.MULTILINE)


def search_query(ctx: SourceContext) -> str:
    """`[sources] wikipedia_query`, else the first query term followed by the story's places."""
    if ctx.options.wikipedia_query.strip():
        return ctx.options.wikipedia_query.strip()
    words = [*ctx.story.query_terms[:1], *ctx.story.places]
    return " ".join(dict.fromkeys(words)) or ctx.story.title


def search_url(base_url: str, query: str, limit: int) -> str:
    params = {"action": "query", "list": "search", "srsearch": query, "format": "json", "srlimit": str(limit)}
    return f"{base_url}?{urlencode(params, quote_via=quote)}"


def extract_url(base_url: str, title: str) -> str:
    params = {"action": "query", "prop": "extracts", "explaintext": "1", "titles": title, "format": "json",
              "redirects": "1"}
    return f"{base_url}?{urlencode(params, quote_via=quote)}"


def page_url(base_url: str, title: str) -> str:
    """The article's address on the wiki that `base_url` (its api.php) belongs to."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}/wiki/{quote(title.replace(' ', '_'), safe='()_,')}"


def parse_json(body: bytes | None, content_type: str | None) -> tuple[Any, str | None]:
    """(data, problem): the JSON of an API answer, or why it is not usable (HTML, malformed, API error)."""
    text = (body or b"").decode("utf-8", errors="replace").strip()
    if not text.startswith("{"):
        return None, f"Wikipedia answered {content_type or 'something'} instead of JSON"
    try:
        data = json.loads(text)
    except ValueError as exc:
        return None, f"Wikipedia sent malformed JSON: {exc}"
    if not isinstance(data, dict):
        return None, "Wikipedia answered JSON of an unexpected shape"
    error = data.get("error")
    if isinstance(error, dict):
        return None, f"Wikipedia API error {error.get('code', '?')}: {error.get('info', '')}".rstrip(": ")
    return data, None


def search_titles(data: Any) -> list[str]:
    """Titles of a list=search answer, in rank order."""
    found = (data.get("query") or {}).get("search") if isinstance(data, dict) else None
    if not isinstance(found, list):
        return []
    titles = [hit.get("title") for hit in found if isinstance(hit, dict)]
    return list(dict.fromkeys(t for t in titles if isinstance(t, str) and t.strip()))


def page_extract(data: Any) -> tuple[str | None, str | None, str | None]:
    """(title, extract, problem) of a prop=extracts answer for one title."""
    pages = (data.get("query") or {}).get("pages") if isinstance(data, dict) else None
    items = list(pages.values()) if isinstance(pages, dict) else pages if isinstance(pages, list) else []
    for page in items:
        if not isinstance(page, dict):
            continue
        title = page.get("title") if isinstance(page.get("title"), str) else None
        if "missing" in page or "invalid" in page:
            return title, None, "no such Wikipedia page"
        extract = page.get("extract")
        if isinstance(extract, str) and extract.strip():
            return title, extract, None
        return title, None, "the Wikipedia page has no text"
    return None, None, "the Wikipedia answer holds no page"


def clean_extract(text: str) -> str:
    """The article's body: the reference tail cut off, `== Heading ==` written as `Heading`."""
    tail = _TAIL.search(text)
    if tail:
        text = text[: tail.start()]
    text = _HEADING.sub(lambda m: m.group(2), text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def iter_reports(ctx: SourceContext) -> Iterator[Candidate | Rejected]:
    """Search, then the extracts of the first `wikipedia_max_pages` titles."""
    base = ctx.options.wikipedia_base_url
    limit = min(ctx.options.wikipedia_max_pages, ctx.options.max_reports)
    if limit <= 0:
        ctx.note("wikipedia_max_pages is 0: nothing to read")
        return
    query = search_query(ctx)
    result = ctx.fetch(search_url(base, query, limit), api=True)
    if result is None or not result.ok:
        return
    data, problem = parse_json(result.body, result.outcome.content_type)
    if problem is not None:
        ctx.end("failed", problem)
        return
    titles = search_titles(data)
    if not titles:
        ctx.note(f"Wikipedia found no article for {query!r}")
        return
    for title in titles[:limit]:
        url = page_url(base, title)
        first = ctx.claim(url)
        if first is not None:
            yield Candidate(url=url, source=NAME, title=title, outlet=OUTLET,
                            dropped=f"duplicate URL: already proposed by {first}")
            continue
        got = ctx.fetch(extract_url(base, title))
        if got is None:
            return
        if not got.ok:
            yield Rejected(input=url, stage="fetch", reason=got.outcome.reason or "fetch failed", source=NAME)
            continue
        data, problem = parse_json(got.body, got.outcome.content_type)
        found_title, extract, why = page_extract(data) if problem is None else (None, None, problem)
        if extract is None:
            yield Rejected(input=url, stage="parse", reason=why or "no text", source=NAME)
            continue
        text = clean_extract(extract)
        if not text:
            yield Rejected(input=url, stage="parse", reason="the Wikipedia page has no text", source=NAME)
            continue
        yield Candidate(url=url, source=NAME, title=found_title or title, outlet=OUTLET, text=text)


SOURCE = Source(name=NAME, online=True, iter_reports=iter_reports)
