"""RSS 2.0, RSS 1.0 and Atom feeds as a source: each entry's link is fetched and read as a page.

One job: parse the feeds listed in `[sources] feeds` into entries (link, title, date, author) and read
the entries' pages. An entry whose date is outside the story window is dropped without being fetched
(a news feed mostly lists this week's stories). A feed that cannot be fetched or is not a feed is a
`Rejected` naming the feed; the other feeds go on.

XML is parsed with lxml with entity resolution, DTD loading and network access off (no XXE, no entity
expansion bombs) and in recover mode, since real feeds are often slightly broken.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from core.records import Rejected
from sources.adapters.base import Candidate, Source, SourceContext
from sources.html import normalise_date
from sources.relevance import window_problem

NAME = "feeds"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str
    title: str | None = None
    published: str | None = None  # ISO-8601, or None when absent or implausible
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    title: str | None
    entries: tuple[FeedEntry, ...]


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           recover=True, remove_comments=True, remove_pis=True)


def _local(el: etree._Element) -> str:
    tag = el.tag
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child(el: etree._Element, *names: str) -> etree._Element | None:
    for name in names:
        for child in el:
            if _local(child) == name:
                return child
    return None


def _child_text(el: etree._Element, *names: str) -> str | None:
    child = _child(el, *names)
    if child is None:
        return None
    text = " ".join("".join(child.itertext()).split())
    return text or None


def parse_feed(body: bytes, base_url: str, *, now: datetime | None = None) -> Feed | str:
    """The feed's title and entries, or a string saying why `body` is not a feed. Pure."""
    if not body.strip():
        return "empty feed"
    try:
        root = etree.fromstring(body, _parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        return f"not XML: {exc}"
    if root is None:
        if b"<html" in body[:2048].lower():
            return "not an RSS or Atom feed (an HTML page)"
        return "not XML"
    kind = _local(root)
    if kind == "rss":
        channel = _child(root, "channel")
        if channel is None:
            return "RSS without a <channel>"
        items = [el for el in channel if _local(el) == "item"]
        return Feed(_child_text(channel, "title"), _entries(items, base_url, now, atom=False))
    if kind == "rdf":  # RSS 1.0: items are siblings of the channel
        channel = _child(root, "channel")
        items = [el for el in root if _local(el) == "item"]
        return Feed(_child_text(channel, "title") if channel is not None else None,
                    _entries(items, base_url, now, atom=False))
    if kind == "feed":
        entries = [el for el in root if _local(el) == "entry"]
        return Feed(_child_text(root, "title"), _entries(entries, base_url, now, atom=True))
    return f"not an RSS or Atom feed (root element <{kind or '?'}>)"


def _entries(items: list[etree._Element], base_url: str, now: datetime | None, *, atom: bool) -> tuple[FeedEntry, ...]:
    out: dict[str, FeedEntry] = {}
    for item in items:
        link = _atom_link(item) if atom else (_child_text(item, "link") or _permalink(item))
        if not link:
            continue
        link = urljoin(base_url, link)
        if not link.lower().startswith(("http://", "https://")):
            continue
        names = ("published", "updated", "issued", "modified") if atom else ("pubdate", "date", "published")
        raw = _child_text(item, *names)
        author_el = _child(item, "author", "creator")
        author = None
        if author_el is not None:
            author = _child_text(author_el, "name") or " ".join("".join(author_el.itertext()).split()) or None
        out.setdefault(link, FeedEntry(link=link, title=_child_text(item, "title"),
                                       published=normalise_date(raw, now=now) if raw else None, author=author))
    return tuple(out.values())


def _atom_link(entry: etree._Element) -> str | None:
    fallback = None
    for child in entry:
        if _local(child) != "link":
            continue
        href = (child.get("href") or "").strip()
        rel = (child.get("rel") or "alternate").strip().lower()
        if href and rel == "alternate":
            return href
        fallback = fallback or (href if rel not in ("self", "edit", "enclosure", "replies") else None)
    return fallback


def _permalink(item: etree._Element) -> str | None:
    guid = _child(item, "guid")
    if guid is None or (guid.get("isPermaLink") or "true").lower() == "false":
        return None
    text = (guid.text or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def iter_reports(ctx: SourceContext) -> Iterator[Candidate | Rejected]:
    """Every listed feed, then the pages of its entries within the story window (at most `max_reports`)."""
    fetched = 0
    for feed_url in ctx.options.feeds:
        result = ctx.fetch(feed_url)
        if result is None:
            return
        if not result.ok:
            yield Rejected(input=feed_url, stage="fetch", reason=result.outcome.reason or "fetch failed", source=NAME)
            continue
        feed = parse_feed(result.body or b"", result.outcome.final_url or feed_url, now=ctx.now)
        if isinstance(feed, str):
            yield Rejected(input=feed_url, stage="parse", reason=feed, source=NAME)
            continue
        if not feed.entries:
            ctx.note(f"feed {feed_url} lists no entries")
        for entry in feed.entries:
            outside = window_problem(entry.published, ctx.story)
            if outside is not None:
                outside = f"feed {outside}; not fetched"
                yield Candidate(url=entry.link, source=NAME, title=entry.title, outlet=feed.title,
                                published=entry.published, date_signal="feed", dropped=outside)
                continue
            if fetched >= ctx.options.max_reports:
                ctx.note(f"more entries than max_reports ({ctx.options.max_reports}); the rest were not read")
                return
            item = ctx.page(entry.link, title=entry.title, outlet=feed.title, published=entry.published,
                            date_signal="feed")
            if item is None:
                return
            fetched += 1
            yield item


SOURCE = Source(name=NAME, online=True, iter_reports=iter_reports)
