"""The batch job as plain functions: ingest a story's documents, extract claims, store them.

flows/ wraps these in Prefect tasks; the CLI and tests can call them directly.
"""

from __future__ import annotations

import traceback
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from crosscheck.config import Settings, Story
from extractors.claims import ClaimExtractor
from extractors.records import Claim
from extractors.vocabulary import load_vocabulary
from sources.files import ingest
from sources.records import Article, Rejected


@dataclass
class RunSummary:
    run_id: str
    story: str
    articles_seen: int = 0
    articles_new: int = 0
    duplicates: int = 0
    claims: int = 0
    claims_new: int = 0
    claims_by_kind: Counter = field(default_factory=Counter)
    errors: list[Rejected] = field(default_factory=list)
    status: str = "ok"


def extract_articles(articles: Iterable[Article], extractor: ClaimExtractor) -> tuple[list[Claim], list[Rejected]]:
    """Claims of many articles; an article whose extraction fails becomes a Rejected, the rest go on."""
    claims: list[Claim] = []
    rejected: list[Rejected] = []
    for a in articles:
        try:
            claims.extend(extractor.extract(a))
        except Exception as exc:  # noqa: BLE001 - one bad document never fails a run
            where = traceback.extract_tb(exc.__traceback__)[-1]
            rejected.append(Rejected(
                input=a.path or a.url or a.article_id, stage="extract",
                reason=f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})",
                source=a.source))
    return claims, rejected


def story_documents(story: Story) -> list[Path]:
    return [p for p in (*story.seeds, *story.corpus) if p.exists()]


def run_story(settings: Settings, story: Story, *, run_id: str | None = None) -> RunSummary:
    """Ingest the story's seeds and bundled corpus, extract claims and store everything."""
    from warehouse.db import open_warehouse
    from warehouse.load import finish_run, load_articles, load_claims, load_errors, start_run

    run_id = run_id or uuid.uuid4().hex[:12]
    summary = RunSummary(run_id=run_id, story=story.id)
    articles, rejected = ingest(story_documents(story), max_bytes=settings.max_doc_bytes, story=story.id)
    summary.duplicates = sum(1 for r in rejected if r.stage == "dedupe")
    errors = [r for r in rejected if r.stage != "dedupe"]
    extractor = ClaimExtractor(load_vocabulary(settings.seeds_dir, story.id))
    claims, failed = extract_articles(articles, extractor)
    errors += failed
    con = open_warehouse(settings.db_path)
    try:
        start_run(con, run_id, story.id)
        summary.articles_new = load_articles(con, articles, run_id)
        summary.claims_new = load_claims(con, claims, run_id)
        load_errors(con, errors, run_id)
        summary.articles_seen = len(articles)
        summary.claims = len(claims)
        summary.claims_by_kind = Counter(c.kind for c in claims)
        summary.errors = errors
        summary.status = "partial" if errors else "ok"
        finish_run(con, run_id, summary.status, {
            "articles_new": summary.articles_new, "claims_new": summary.claims_new, "errors": len(errors),
            "articles_seen": summary.articles_seen, "duplicates": summary.duplicates,
            "claims_by_kind": dict(summary.claims_by_kind),
        })
    finally:
        con.close()
    return summary
