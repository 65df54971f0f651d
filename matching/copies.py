"""Source independence: which articles are copies of one another, and which voice each speaks with.

One job: assign every article a `Voice`. Signals:

- agency marks from seeds/wires.csv: a dateline at the top of the body ("WASHINGTON (AP) —") or a byline
  crediting an agency ("..., Associated Press") make the agency the article's voice, whoever printed it;
- near-duplicates: articles sharing a whole sentence are candidates (blocking on sentence hashes), confirmed
  when the word 5-gram shingles of one are contained in the other at `CONTAINMENT` or more (a reprint that
  cut its last paragraph is still contained). A cluster of copies speaks with one voice: the agency of any
  marked member, else the outlet of its earliest-published copy, which is the original;
- otherwise the article's outlet (outlets.csv alias, else as written, else the URL's host) is its voice.

Exact duplicate bodies never get here: ingest already merged them by content hash.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from matching.records import Voice
from matching.reference import Reference
from sources.records import Article

SHINGLE_WORDS = 5
CONTAINMENT = 0.6  # share of the shorter article's shingles found in the longer one
MIN_SENTENCE_WORDS = 8  # shorter sentences are too common to mark a copy
MAX_POSTING = 200  # a sentence in more articles than this is boilerplate, not evidence of copying

_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+|\n+")


def parse_published(value: str | None) -> datetime | None:
    """An ISO date or datetime as naive UTC; a date alone is its midnight UTC. None when absent or unreadable."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt


def _hash(s: str) -> int:
    """Shingles and sentence keys are only compared within one process, so Python's own string hash
    (in C, salted per process) serves; nothing hashed here is stored."""
    return hash(s)


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[int]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {hash(" ".join(words))} if words else set()
    return {hash(tuple(words[i:i + k])) for i in range(len(words) - k + 1)}


def sentence_keys(text: str) -> set[int]:
    out = set()
    for s in _SENTENCE.split(text):
        words = _WORD.findall(s.lower())
        if len(words) >= MIN_SENTENCE_WORDS:
            out.add(_hash(" ".join(words)))
    return out


def containment(a: set[int], b: set[int]) -> float:
    """Share of the smaller set found in the larger one (0 when either is empty)."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small & large) / len(small)


def outlet_voice(article: Article, reference: Reference) -> str:
    o = reference.outlet(article.outlet, article.url)
    if o is not None:
        return o.name
    if article.outlet:
        return article.outlet.strip()
    host = (urlsplit(article.url).hostname or "") if article.url else ""
    return host.removeprefix("www.") or f"article:{article.article_id}"


def assign_voices(articles: Sequence[Article], reference: Reference,
                  threshold: float = CONTAINMENT) -> dict[str, Voice]:
    """{article_id: Voice} for every article. Cost: one pass to index sentences, then only articles sharing
    a sentence are compared, so it grows with the number of copies, not with the square of the articles."""
    arts = list({a.article_id: a for a in articles}.values())
    n = len(arts)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    postings: dict[int, list[int]] = defaultdict(list)
    for i, a in enumerate(arts):
        for key in sentence_keys(a.text):
            postings[key].append(i)
    candidates: set[tuple[int, int]] = set()
    for docs in postings.values():
        if 1 < len(docs) <= MAX_POSTING:
            first = docs[0]
            candidates.update((first, d) for d in docs[1:])  # a star per sentence: union-find does the rest
    shingle_cache: dict[int, set[int]] = {}

    def sh(i: int) -> set[int]:
        if i not in shingle_cache:
            shingle_cache[i] = shingles(arts[i].text)
        return shingle_cache[i]

    for i, j in sorted(candidates):
        if find(i) != find(j) and containment(sh(i), sh(j)) >= threshold:
            parent[find(j)] = find(i)

    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        clusters[find(i)].append(i)
    marks = [reference.wire_agency(a.text, a.byline) for a in arts]
    out: dict[str, Voice] = {}
    for idx in clusters.values():
        idx.sort(key=lambda i: (parse_published(arts[i].published) or datetime.max, arts[i].article_id))
        original = arts[idx[0]]
        marked = next((marks[i] for i in idx if marks[i] is not None), None)
        voice_id = marked[0] if marked else outlet_voice(original, reference)
        for i in idx:
            a = arts[i]
            if len(idx) > 1 and i != idx[0]:
                signal, c = "near_duplicate", containment(sh(i), sh(idx[0]))
            else:
                mark = marks[i]
                signal, c = (mark[1] if mark else "own"), None
            out[a.article_id] = Voice(a.article_id, a.story or "", voice_id, original.article_id, signal, c)
    return out
