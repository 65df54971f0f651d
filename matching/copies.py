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

The copy clusters are the connected components of the confirmed candidate pairs, so they do not depend on the
order pairs are checked in. `reassign_voices` recomputes them for a part of a story that is closed under
copying (every copy of a member is a member), given each sentence's story-wide posting: incremental matching
(matching/incremental.py) keeps the sentence keys in the warehouse (`match_sentences`) for that, so they are
a stable hash, the same in every process.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from core.records import Article
from matching.records import Voice
from matching.reference import Reference

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


def sentence_key(sentence: str) -> int:
    """A normalised sentence's key: a stable 64-bit hash (signed, for a BIGINT column), the same in every
    process because keys are stored (`match_sentences`)."""
    return int.from_bytes(hashlib.blake2b(sentence.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[int]:
    """Word k-gram shingles (the whole word list when shorter), each as the hash of its tuple of words (built in C
    by zip): a set of ints takes a third of the memory of the tuples. Shingles are compared only with others made
    in the same process, and never stored, so Python's per-process string hashing does not matter; two distinct
    k-grams share a 64-bit hash with negligible probability."""
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {hash(tuple(words))} if words else set()
    return set(map(hash, zip(*(words[i:] for i in range(k)), strict=False)))


def sentence_keys(text: str) -> set[int]:
    out = set()
    for s in _SENTENCE.split(text):
        words = _WORD.findall(s.lower())
        if len(words) >= MIN_SENTENCE_WORDS:
            out.add(sentence_key(" ".join(words)))
    return out


def containment(a: set[Any], b: set[Any]) -> float:
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


@dataclass(frozen=True, slots=True)
class Posting:
    """A sentence key across a whole story: how many articles carry it, and the first of them by article id
    (the order a story's articles are matched in)."""

    count: int
    first: str


def assign_voices(articles: Sequence[Article], reference: Reference, threshold: float = CONTAINMENT,
                  keys: Mapping[str, Collection[int]] | None = None) -> dict[str, Voice]:
    """{article_id: Voice} for every article. Cost: one pass to index sentences, then only articles sharing
    a sentence are compared, so it grows with the number of copies, not with the square of the articles.
    `keys` are the articles' sentence keys when the caller already has them."""
    arts = list({a.article_id: a for a in articles}.values())
    postings: dict[int, list[int]] = defaultdict(list)
    for i, a in enumerate(arts):
        for key in (keys[a.article_id] if keys is not None else sentence_keys(a.text)):
            postings[key].append(i)
    candidates: set[tuple[int, int]] = set()
    for docs in postings.values():
        if 1 < len(docs) <= MAX_POSTING:
            first = docs[0]
            candidates.update((first, d) for d in docs[1:])  # a star per sentence: union-find does the rest
    return _cluster_voices(arts, candidates, reference, threshold)


def reassign_voices(articles: Sequence[Article], keys: Mapping[str, Collection[int]], postings: Mapping[int, Posting],
                    reference: Reference, threshold: float = CONTAINMENT,
                    shingled: dict[str, set[Any]] | None = None) -> dict[str, Voice]:
    """The voices `assign_voices` gives the members of a part of a story closed under copying (no member has a
    copy outside it), from each member's sentence keys and each key's story-wide posting. Candidate pairs are
    the story-wide stars of `assign_voices` (the posting's first article to each other one) that fall inside
    the part; the pairs that leave it are never copies, since the part is closed."""
    arts = sorted({a.article_id: a for a in articles}.values(), key=lambda a: a.article_id)
    index = {a.article_id: i for i, a in enumerate(arts)}
    local: dict[int, list[int]] = defaultdict(list)
    for i, a in enumerate(arts):
        for key in keys[a.article_id]:
            local[key].append(i)
    candidates: set[tuple[int, int]] = set()
    for key, docs in local.items():
        p = postings[key]
        first = index.get(p.first)
        if 1 < p.count <= MAX_POSTING and first is not None:
            candidates.update((first, d) for d in docs if d != first)
    return _cluster_voices(arts, candidates, reference, threshold, shingled)


def _cluster_voices(arts: Sequence[Article], candidates: set[tuple[int, int]], reference: Reference,
                    threshold: float, shingled: dict[str, set[Any]] | None = None) -> dict[str, Voice]:
    """Union the candidate pairs whose shingle containment reaches `threshold`, then give each cluster one voice.
    `shingled` holds shingles already made, by article id (and receives those made here)."""
    n = len(arts)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    shingle_cache: dict[str, set[Any]] = shingled if shingled is not None else {}

    def sh(i: int) -> set[Any]:
        aid = arts[i].article_id
        if aid not in shingle_cache:
            shingle_cache[aid] = shingles(arts[i].text)
        return shingle_cache[aid]

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
