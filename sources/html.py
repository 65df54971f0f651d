"""HTML page to article: main text plus the metadata crosscheck needs (title, date, outlet, byline, ...).

One job: `html_to_article(html, url) -> HtmlDoc`. No I/O; bytes are decoded before (sources/decode.py).

Text: trafilatura with `include_comments=False, fast=True` (0.964 F1 on the article-extraction benchmark,
see bench/html_bench.py); when it finds nothing, the `<p>`-like blocks of the page outside navigation,
headers, footers, forms and cookie/consent boxes; "" for a page without text.

Metadata: BeautifulSoup on lxml, run on the metadata-bearing tags only (`<html>`, `<title>`, `<meta>`,
canonical `<link>`, JSON-LD `<script>`, `<time>`, first `<h1>`), cut out of the page with regular
expressions first: parsing the whole page with BeautifulSoup costs more than trafilatura's extraction.

Dates: candidates from each signal in priority order json-ld > meta > og > time > url; dates after `now`
(cookie expiry dates, "next review" dates, typos) and placeholders before 1990 (0001-01-01, the Unix
epoch) are dropped; the first survivor wins and `published_signal` names its signal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from bs4 import BeautifulSoup, Tag

# --- vocabulary (data, in priority order) ---------------------------------------------------------------

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "backgroundnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "asknewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "liveblogposting",
        "report",
        "claimreview",
    }
)
# Pages whose JSON-LD dates are a weaker json-ld signal than an article's.
PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage"})

# <meta name|property|itemprop=...> date keys, best first (lowercase).
META_DATE_KEYS: tuple[str, ...] = (
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published-date",
    "published_date",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "originalpublicationdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "citation_publication_date",
    "cxenseparse:recs:publishtime",
    "date",
)
OG_DATE_KEYS: tuple[str, ...] = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
)
META_AUTHOR_KEYS: tuple[str, ...] = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "byl",
    "dc.creator",
    "dcterms.creator",
)
OUTLET_KEYS: tuple[str, ...] = ("og:site_name", "application-name", "apple-mobile-web-app-title")
TITLE_KEYS: tuple[str, ...] = ("og:title", "twitter:title")

DATE_SIGNALS: tuple[str, ...] = ("json-ld", "meta", "og", "time", "url")
MIN_DATE = date(1990, 1, 1)  # earlier dates on news pages are placeholders (0001-01-01, 1970-01-01)
# A date without a time zone may be local time anywhere: it is "in the future" only past now + 14 h.
_TZ_SLACK = timedelta(hours=14)

_TEXT_OPTIONS: dict[str, Any] = {"include_comments": False, "fast": True}
SHORT_TEXT_WORDS = 10

# --- regexes for cutting metadata tags out of a page -----------------------------------------------------

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HTML_OPEN = re.compile(r"<html\b[^>]*>", re.I)
_TITLE = re.compile(r"<title\b[^>]*>.*?</title\s*>", re.I | re.S)
_META = re.compile(r"<meta\b[^>]*>", re.I)
_CANONICAL = re.compile(r"<link\b[^>]*\bcanonical\b[^>]*>", re.I)
_LDJSON = re.compile(r"<script\b[^>]*ld\+json[^>]*>.*?</script\s*>", re.I | re.S)
_TIME = re.compile(r"<time\b[^>]*>", re.I)
_H1 = re.compile(r"<h1\b[^>]*>.*?</h1\s*>", re.I | re.S)
_LD_WRAPPER = re.compile(
    r"^(?:\s*(?://|/\*)?\s*(?:<!\[CDATA\[|<!--)\s*(?:\*/)?)+|(?:\s*(?://|/\*)?\s*(?:\]\]>|-->)\s*(?:\*/)?)+\s*$"
)

_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2]|[a-z]{3})[/-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)", re.I
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_UTC_SUFFIX = re.compile(r"\s*(?:GMT|UTC|Z)$", re.I)
_TIME_HINT = re.compile(r"publish|posted|created|dateline|byline|article", re.I)
_BY_PREFIX = re.compile(r"^\s*by\s*:?\s+", re.I)
_DATE_FORMATS: tuple[str, ...] = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%B %d, %Y %I:%M %p",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d.%m.%Y",
)

# Boilerplate dropped before the paragraph fallback.
_NOISE_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg")
_NOISE_ATTR = re.compile(r"cookie|consent|gdpr|banner|newsletter|subscribe|share|social|related|promo", re.I)
_BLOCK_TAGS = ("p", "blockquote", "pre", "li", "h2", "h3")


@dataclass(frozen=True, slots=True)
class HtmlDoc:
    """What one HTML page says about itself. Any field may be None; text is "" for a page without text."""

    text: str
    title: str | None = None
    published: str | None = None  # ISO date ("2020-01-08") or datetime ("2020-01-08T10:00:00+00:00")
    published_signal: str | None = None  # one of DATE_SIGNALS
    outlet: str | None = None
    canonical_url: str | None = None
    byline: str | None = None
    language: str | None = None
    settled: bool = True  # the same date would be picked at any later time: none was passed over as "in the future"


# Far enough ahead that no page date is "in the future": picking with it tells whether `now` mattered.
_FAR_FUTURE = datetime(9000, 1, 1, tzinfo=UTC)


def html_to_article(html: str, url: str | None = None, *, now: datetime | None = None) -> HtmlDoc:
    """Main text and metadata of one page. `url` resolves relative links and gives a URL date;
    `now` (default: the current time) is the limit past which a date counts as "in the future"."""
    html = _XML_DECL.sub("", html, count=1)
    text = extract_text(html)
    meta = _Meta.from_html(html)
    canonical = meta.canonical(url)
    candidates = list(meta.date_candidates([url, canonical]))
    published, signal = pick_date(candidates, now=now)
    outlet = meta.outlet()
    return HtmlDoc(
        text=text,
        title=meta.title(outlet),
        published=published,
        published_signal=signal,
        outlet=outlet,
        canonical_url=canonical,
        byline=meta.byline(),
        language=meta.language(),
        settled=pick_date(candidates, now=_FAR_FUTURE) == (published, signal),
    )


def extract_text(html: str) -> str:
    """Main text of a page: trafilatura first, else the page's paragraphs, else "".

    A very short trafilatura result (under SHORT_TEXT_WORDS words) gives way to the paragraphs when there
    are any, and is dropped when it is only link texts: on pages with little or no article, trafilatura's
    fast mode keeps menus ("Home\nWorld\nSport").
    """
    if not html.strip():
        return ""
    text = (trafilatura.extract(html, **_TEXT_OPTIONS) or "").strip()
    if len(text.split()) >= SHORT_TEXT_WORDS:
        return text
    blocks, links = _blocks_and_links(html)
    if blocks:
        return "\n".join(blocks)
    if all(" ".join(line.split()) in links for line in text.splitlines() if line.strip()):
        return ""
    return text


def paragraph_text(html: str) -> str:
    """Fallback extractor: text of `<p>`-like blocks outside boilerplate, one block per line."""
    return "\n".join(_blocks_and_links(html)[0])


def _blocks_and_links(html: str) -> tuple[list[str], set[str]]:
    """(texts of `<p>`-like blocks outside boilerplate, texts of every link on the page)."""
    soup = BeautifulSoup(html, "lxml")
    links = {" ".join(a.get_text(" ").split()) for a in soup.find_all("a")}
    for tag in soup.find_all(_NOISE_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_noise_box):
        tag.decompose()
    blocks: list[str] = []
    for tag in soup.find_all(_BLOCK_TAGS):
        if tag.find(_BLOCK_TAGS):  # a container of blocks: its children are visited on their own
            continue
        line = " ".join(tag.get_text(" ").split())
        if line in links:  # a menu entry or a "read more" link, not prose
            continue
        if line and (not blocks or blocks[-1] != line):
            blocks.append(line)
    return blocks, links


def _is_noise_box(tag: Tag) -> bool:
    if tag.name in ("html", "body", "main", "article"):
        return False
    ident = " ".join([str(tag.get("id") or ""), *(tag.get("class") or [])])
    return bool(ident.strip()) and bool(_NOISE_ATTR.search(ident))


# --- dates --------------------------------------------------------------------------------------------


def parse_date(value: str) -> tuple[datetime, bool] | None:
    """Parse one date string into (datetime, has_time), or None. ISO 8601, RFC 2822, a few written forms
    ("January 8, 2020", "08.01.2020") and Unix timestamps (10 or 13 digits)."""
    value = " ".join(str(value).split())
    if not value or len(value) > 64:
        return None
    if value.isdigit() and len(value) in (10, 13):
        seconds = int(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(seconds, tz=UTC), True
    try:
        d = date.fromisoformat(value)
        return datetime(d.year, d.month, d.day), False
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value), True
    except ValueError:
        pass
    if _UTC_SUFFIX.search(value):  # "2019-11-18 17:19:53 GMT"
        try:
            dt = datetime.fromisoformat(_UTC_SUFFIX.sub("", value))
            return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)), True
        except ValueError:
            pass
    try:
        return parsedate_to_datetime(value), True
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _DATE_FORMATS:
        try:
            dt = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return dt, ("%H" in fmt or "%I" in fmt)
    return None


def normalise_date(value: str, *, now: datetime | None = None) -> str | None:
    """ISO form of a date string if it parses and is plausible (not after `now`, not before 1990)."""
    parsed = parse_date(value)
    if parsed is None:
        return None
    dt, has_time = parsed
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if dt.date() < MIN_DATE:
        return None
    if dt.tzinfo is not None:
        if dt > now:
            return None
    elif dt > (now + _TZ_SLACK).replace(tzinfo=None):
        return None
    if not has_time:
        return dt.date().isoformat()
    return dt.isoformat(timespec="seconds")


def pick_date(
    candidates: Iterable[tuple[str, str]], *, now: datetime | None = None
) -> tuple[str | None, str | None]:
    """First plausible date among (signal, raw value) candidates, by signal priority (DATE_SIGNALS),
    then by order within a signal. Returns (iso date, signal) or (None, None)."""
    rank = {signal: i for i, signal in enumerate(DATE_SIGNALS)}
    ordered = sorted(enumerate(candidates), key=lambda c: (rank.get(c[1][0], len(rank)), c[0]))
    for _, (signal, raw) in ordered:
        iso = normalise_date(raw, now=now)
        if iso:
            return iso, signal
    return None, None


def url_date(url: str | None) -> str | None:
    """The /2020/01/08/ (or /2020-01-08) date in a URL path, as raw "2020-01-08", or None."""
    if not url:
        return None
    m = _URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    y, mo, d = m.groups()
    month = int(mo) if mo.isdigit() else _MONTHS.get(mo.lower())
    return f"{y}-{month:02d}-{int(d):02d}" if month else None


# --- metadata -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Meta:
    """The metadata-bearing tags of one page, parsed once."""

    soup: BeautifulSoup
    metas: dict[str, list[str]]  # lowercased name/property/itemprop -> contents in page order
    ld_nodes: tuple[dict[str, Any], ...]  # every JSON-LD object, depth first
    ld_ids: dict[str, dict[str, Any]]  # "@id" -> object, to resolve references in @graph

    @classmethod
    def from_html(cls, html: str) -> _Meta:
        page = _COMMENT.sub("", html)
        parts: list[str] = []
        m = _HTML_OPEN.search(page)
        parts.append(m.group(0) if m else "<html>")
        parts.append("<head>")
        for rx in (_TITLE, _META, _CANONICAL, _LDJSON):
            parts.extend(x.group(0) for x in rx.finditer(page))
        parts.append("</head><body>")
        parts.extend(x.group(0) + "</time>" for x in _TIME.finditer(page))
        h1 = _H1.search(page)
        if h1:
            parts.append(h1.group(0))
        parts.append("</body></html>")
        soup = BeautifulSoup("".join(parts), "lxml")

        metas: dict[str, list[str]] = {}
        for tag in soup.find_all("meta"):
            content = tag.get("content")
            if not isinstance(content, str) or not content.strip():
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = tag.get(attr)
                if isinstance(key, str) and key.strip():
                    metas.setdefault(key.strip().lower(), []).append(content.strip())

        nodes: list[dict[str, Any]] = []
        for script in soup.find_all("script"):
            data = _load_json(script.string or script.get_text())
            if data is not None:
                nodes.extend(_walk_ld(data))
        ids = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
        return cls(soup=soup, metas=metas, ld_nodes=tuple(nodes), ld_ids=ids)

    # JSON-LD helpers

    def _articles(self) -> list[dict[str, Any]]:
        return [n for n in self.ld_nodes if _ld_types(n) & ARTICLE_TYPES]

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in self.ld_ids:
            return self.ld_ids[value["@id"]]
        return value

    def _names(self, value: Any) -> list[str]:
        """Names in a JSON-LD author/publisher value: a string, an object with name, or a list of them."""
        out: list[str] = []
        for item in value if isinstance(value, list) else [value]:
            item = self._resolve(item)
            if isinstance(item, dict):
                item = item.get("name")
            if isinstance(item, str) and item.strip() and not _is_url(item):
                out.append(_BY_PREFIX.sub("", " ".join(item.split())))
        return out

    def _first_meta(self, keys: Iterable[str]) -> str | None:
        for key in keys:
            for value in self.metas.get(key, ()):
                if value:
                    return " ".join(value.split())
        return None

    # fields

    def date_candidates(self, urls: Iterable[str | None]) -> Iterator[tuple[str, str]]:
        for node in [*self._articles(), *(n for n in self.ld_nodes if _ld_types(n) & PAGE_TYPES)]:
            for key in ("datePublished", "dateCreated"):
                value = node.get(key)
                if isinstance(value, str):
                    yield "json-ld", value
        for key in META_DATE_KEYS:
            for value in self.metas.get(key, ()):
                yield "meta", value
        for key in OG_DATE_KEYS:
            for value in self.metas.get(key, ()):
                yield "og", value
        times = [t for t in self.soup.find_all("time") if isinstance(t.get("datetime"), str)]
        hinted = [t for t in times if _time_is_hinted(t)]
        for t in [*hinted, *(t for t in times if t not in hinted)]:
            yield "time", str(t["datetime"])
        for url in urls:
            raw = url_date(url)
            if raw:
                yield "url", raw

    def title(self, outlet: str | None) -> str | None:
        for node in self._articles():
            for key in ("headline", "name"):
                value = node.get(key)
                if isinstance(value, str) and value.strip():
                    return " ".join(value.split())
        value = self._first_meta(TITLE_KEYS)
        if value:
            return value
        tag = self.soup.find("title")
        if tag and tag.get_text().strip():
            return _strip_site_suffix(" ".join(tag.get_text().split()), outlet)
        h1 = self.soup.find("h1")
        if h1 and h1.get_text().strip():
            return " ".join(h1.get_text().split())
        return None

    def outlet(self) -> str | None:
        for node in self._articles():
            names = self._names(node.get("publisher"))
            if names:
                return names[0]
        return self._first_meta(OUTLET_KEYS)

    def byline(self) -> str | None:
        for node in self._articles():
            names = self._names(node.get("author") or node.get("creator"))
            if names:
                return ", ".join(dict.fromkeys(names))
        for key in META_AUTHOR_KEYS:
            for value in self.metas.get(key, ()):
                value = _BY_PREFIX.sub("", " ".join(value.split()))
                if value and not _is_url(value):
                    return value
        return None

    def canonical(self, url: str | None) -> str | None:
        candidates: list[str] = []
        for link in self.soup.find_all("link"):
            rel = link.get("rel") or []
            rels = rel.split() if isinstance(rel, str) else rel
            href = link.get("href")
            if "canonical" in [r.lower() for r in rels] and isinstance(href, str):
                candidates.append(href)
        candidates.extend(self.metas.get("og:url", ()))
        for candidate in candidates:
            absolute = urljoin(url or "", candidate.strip())
            if urlsplit(absolute).scheme in ("http", "https"):
                return absolute
        return None

    def language(self) -> str | None:
        html_tag = self.soup.find("html")
        lang = (html_tag.get("lang") or html_tag.get("xml:lang")) if html_tag else None
        if not isinstance(lang, str) or not lang.strip():
            lang = self._first_meta(("content-language", "og:locale", "language", "dc.language"))
        if not lang:
            for node in self._articles():
                if isinstance(node.get("inLanguage"), str):
                    lang = node["inLanguage"]
                    break
        if not lang or not lang.strip():
            return None
        return lang.strip().split(",")[0].replace("_", "-")


def _load_json(raw: str | None) -> Any:
    """JSON-LD as pages send it: sometimes wrapped in CDATA or comments, sometimes with raw newlines."""
    if not raw or not raw.strip():
        return None
    text = raw.strip()
    for attempt in (text, _LD_WRAPPER.sub("", text), _outermost_json(text)):
        if not attempt:
            continue
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
    return None


def _outermost_json(text: str) -> str:
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    end = max(text.rfind("}"), text.rfind("]"))
    return text[min(starts) : end + 1] if starts and end > min(starts) else ""


def _walk_ld(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every JSON object inside a JSON-LD value (lists, @graph, mainEntity, ...), depth first."""
    if depth > 8:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk_ld(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for value in data.values():
            if isinstance(value, dict | list):
                yield from _walk_ld(value, depth + 1)


def _ld_types(node: dict[str, Any]) -> set[str]:
    types = node.get("@type")
    values = types if isinstance(types, list) else [types]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def _time_is_hinted(tag: Tag) -> bool:
    """A <time> marked as the publication time (pubdate, itemprop, a class or id that says so)."""
    if tag.has_attr("pubdate") or str(tag.get("itemprop") or "").lower() == "datepublished":
        return True
    ident = " ".join([str(tag.get("id") or ""), *(tag.get("class") or [])])
    return bool(_TIME_HINT.search(ident))


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://", "//", "www."))


def _strip_site_suffix(title: str, outlet: str | None) -> str:
    """ "Headline | Outlet" -> "Headline" when the last part is the outlet's name."""
    if not outlet:
        return title
    for sep in (" | ", " - ", " – ", " — ", " :: "):
        head, found, tail = title.rpartition(sep)
        if found and head and tail.strip().lower() == outlet.strip().lower():
            return head.strip()
    return title
