"""The records every stage shares: Article (what sources hand on), Rejected and FetchOutcome (what they
refused and how each request went), and the claim model (Interval, Attribution, Evidence, TimeSpan, Claim).

A claim is one factual statement found in one article: what kind of fact it is, the value as an interval,
who it is about, who said it, and where in the text it was found. JSON produced by `Claim.to_dict()` is the
public contract of `crosscheck extract --format jsonl`. This module imports no stage.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any


def content_hash(text: str) -> str:
    """Stable id of an article body: whitespace-normalised, sha256, 16 hex chars."""
    norm = " ".join(text.split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Article:
    article_id: str  # content_hash(text)
    text: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date or datetime
    url: str | None = None
    byline: str | None = None
    source: str = "local"  # which adapter produced it
    path: str | None = None  # local file it came from, if any
    story: str | None = None
    date_signal: str | None = None  # which signal gave `published` (front matter, json-ld, meta, url, ...)
    # What reading the input had to repair without refusing it, one sentence each (so far only invalid UTF-8
    # bytes replaced with U+FFFD, sources/decode.py). crosscheck.jobs stores each as a row of `errors` with
    # stage WARNING_STAGE, the article itself being kept.
    warnings: tuple[str, ...] = ()


# The stage of an `errors` row that is a warning, not a reject: the input became an article, with repairs
# (Article.warnings).
WARNING_STAGE = "decode"


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not become an article, with the reason. Stored, never raised past a run.
    (With stage WARNING_STAGE it is the record of an article's warning instead: see `Article.warnings`.)"""

    input: str  # path or url
    stage: str  # ingest | fetch | parse | extract | ...
    reason: str
    source: str = "local"


@dataclass(frozen=True, slots=True)
class FetchOutcome:
    """What was asked, what came back, why it failed if it did: one row (warehouse table fetches) per HTTP
    request tried (each retry, redirect hop and robots.txt request), or per URL not sent at all.

    The HTTP client also sums a whole fetch up in one of these (its `FetchResult.outcome`): then `attempt`
    is the number of attempts made and `elapsed_s` covers them all.
    """

    url: str  # the URL asked for (for a robots.txt request: the robots.txt URL)
    source: str
    status: int | None  # None when no answer came (or nothing was sent)
    ok: bool  # this request delivered the URL's answer
    bytes: int  # accepted body: its size (inflated); refused body: the bytes read off the wire before refusal
    elapsed_s: float
    reason: str | None = None  # None when ok
    from_cache: bool = False
    content_type: str | None = None
    final_url: str | None = None  # where this request led: the redirect target (followed or refused), else the URL
    purpose: str = "url"  # url | robots | skipped (not sent: its host stopped answering)
    attempt: int = 1  # 1-based attempt this request belongs to; 0 when nothing was sent
    hop: int = 0  # 0 = the URL itself, n = the n-th redirect followed (its URL is hop n-1's final_url)


QUALIFIERS = ("exact", "at_least", "at_most", "approx", "range", "vague")
HEDGES = ("said", "confirmed", "claimed", "reported")


def claim_key_hash(c: Claim) -> str:
    """The claim id: sha1 of article, kind, span, munition, party, subject, value, time and speaker (16 hex)."""
    v, w, e = c.value, c.when, c.evidence
    key = (f"{e.article_id}|{c.kind}|{e.start}|{e.end}|{c.munition}|{c.party}|{c.subject}|"
           f"{_num(v.low) if v else None}|{_num(v.high) if v else None}|{w.start if w else None}|"
           f"{c.attribution.speaker}")
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def _num(x: float | None) -> str | None:
    """One text form per number (0 and 0.0 alike), so ids do not depend on int vs float."""
    return None if x is None else repr(float(x))


@dataclass(frozen=True, slots=True)
class Interval:
    """A numeric value as [low, high]; high is None when unbounded above."""

    low: float
    high: float | None
    qualifier: str
    text: str

    def contains(self, other: Interval) -> bool:
        hi = float("inf") if self.high is None else self.high
        ohi = float("inf") if other.high is None else other.high
        return self.low <= other.low and ohi <= hi

    def overlaps(self, other: Interval) -> bool:
        hi = float("inf") if self.high is None else self.high
        ohi = float("inf") if other.high is None else other.high
        return self.low <= ohi and other.low <= hi


@dataclass(frozen=True, slots=True)
class TimeSpan:
    """When an event happened, as ISO-8601 bounds (local time with offset where known)."""

    start: str
    end: str
    text: str
    precision: str  # "minute", "hour", "part_of_day", "day"


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who made the claim. speaker None means the outlet's own voice."""

    speaker: str | None = None  # canonical name, e.g. "Mark Esper" or "US Department of Defense"
    surface: str | None = None  # as written, e.g. "Pentagon spokesperson Jonathan Hoffman"
    organisation: str | None = None  # canonical organisation the speaker speaks for
    side: str | None = None  # party the speaker belongs to: US, Iran, Iraq, ...
    hedge: str | None = None  # said | confirmed | claimed | reported


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where the claim was found: character offsets into the article text."""

    article_id: str
    sentence: str
    sentence_start: int
    start: int  # span of the claimed words, absolute offsets in the article text
    end: int


@dataclass(frozen=True, slots=True)
class Claim:
    kind: str
    evidence: Evidence
    extractor_version: str
    value: Interval | None = None
    munition: str | None = None
    party: str | None = None
    subject: str | None = None  # canonical entity: a place for target/munition counts, an actor for responsibility
    subject_surface: str | None = None
    subject_known: bool = True  # False when the name is not in the gazetteer (recognised by pattern)
    when: TimeSpan | None = None
    attribution: Attribution = field(default_factory=Attribution)
    # Content hash of where the claim is and what it says (stable across runs and processes), computed once
    # when the claim is made: loading, matching and reports all key on it.
    claim_id: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "claim_id", claim_key_hash(self))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d = {"claim_id": self.claim_id, "article_id": self.evidence.article_id, **d}
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)
