"""Plain records that leave the sources stage: Article, Rejected, FetchOutcome."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


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


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not become an article, with the reason. Stored, never raised past a run."""

    input: str  # path or url
    stage: str  # ingest | fetch | parse | extract | ...
    reason: str
    source: str = "local"


@dataclass(frozen=True, slots=True)
class FetchOutcome:
    """One row per fetch attempt: what was asked, what came back, why it failed if it did."""

    url: str
    source: str
    status: int | None
    ok: bool
    bytes: int
    elapsed_s: float
    reason: str | None = None  # None when ok
    from_cache: bool = False
    content_type: str | None = None
    final_url: str | None = None
