"""The batch job as plain functions: collect a story's reports, extract claims from what is new, store
each chunk in one transaction. flows/ wraps these in Prefect tasks; the CLI and tests call them too.

Incremental by content: an article already extracted by the current extractor version (table
`extractions`) is not extracted again; a re-run with nothing new only reads and compares ids.
"""

from __future__ import annotations

import gc
import logging
import os
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from core.config import Settings, Story
from core.records import WARNING_STAGE, Article, Claim, FetchOutcome, Rejected
from extractors.claims import ClaimExtractor
from extractors.events import OTHER
from extractors.vocabulary import load_vocabulary
from warehouse.events import EventRow, Overrides
from warehouse.load import Batch, Extraction

if TYPE_CHECKING:
    import duckdb

    from reports.build import Written
    from sources.discover import CandidateRow, Discovery
    from sources.manifest import ManifestUpdate
    from sources.spool import TextSpool

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass
class Collected:
    """What the sources stage gave for one story."""

    articles: list[Article] = field(default_factory=list)  # unique by content hash
    copies: list[Article] = field(default_factory=list)  # every copy, first ones included
    rejected: list[Rejected] = field(default_factory=list)
    fetches: list[FetchOutcome] = field(default_factory=list)
    unreachable: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    candidates: list = field(default_factory=list)  # sources.discover.CandidateRow: every report proposed
    statuses: list = field(default_factory=list)  # sources.adapters.base.SourceStatus: one per source
    duplicates: int = 0
    manifest: ManifestUpdate | None = None  # local files read afresh, gone, reused (sources/manifest.py)
    spool: TextSpool | None = None  # where the local articles' texts are, when collected with spool=True


@dataclass
class RunSummary:
    run_id: str
    story: str
    articles_seen: int = 0
    articles_new: int = 0
    extracted: int = 0
    skipped_unchanged: int = 0
    duplicates: int = 0
    claims: int = 0
    claims_new: int = 0
    claims_by_kind: Counter = field(default_factory=Counter)
    errors: list[Rejected] = field(default_factory=list)
    unreachable: list[tuple[str, str]] = field(default_factory=list)
    facts: int = 0
    discrepancies: int = 0
    discrepancies_new: int = 0
    new_discrepancy_rows: list[dict] = field(default_factory=list)  # the new ones, for the run's artifacts
    worker_pids: set[int] = field(default_factory=set)  # processes that ran extraction
    other_events: int = 0  # reports dropped as telling of another event (extractors/events.py)
    overrides_applied: int = 0  # reviewers' keep / drop decisions that changed what is stored this run
    match_signature: str = ""
    match_skipped: bool = False
    match_mode: str = ""  # skipped | incremental | full
    match_reason: str = ""  # why matching ran in full
    match_changes: dict = field(default_factory=dict)  # what incremental matching re-did
    report: str = ""  # the HTML report written at the end of the run
    report_rendered: int = 0  # facts whose share of the report was rendered again (the rest came from its cache)
    report_written: bool = False  # false when nothing the report shows had changed: its files were left as they were
    status: str = "ok"

    def counts(self) -> dict[str, object]:
        return {
            "articles_new": self.articles_new, "claims_new": self.claims_new, "errors": len(self.errors),
            "articles_seen": self.articles_seen, "extracted": self.extracted,
            "skipped_unchanged": self.skipped_unchanged, "duplicates": self.duplicates,
            "claims_by_kind": dict(self.claims_by_kind), "facts": self.facts,
            "discrepancies": self.discrepancies, "discrepancies_new": self.discrepancies_new,
            "unreachable": [f"{s}: {r}" for s, r in self.unreachable],
            "other_events": self.other_events, "overrides_applied": self.overrides_applied,
            "match_signature": self.match_signature, "match_skipped": self.match_skipped,
            "match_mode": self.match_mode, "match_reason": self.match_reason, "match_changes": self.match_changes,
        }


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


def chunked(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), max(1, size)):
        yield items[i : i + size]


def warning_rows(articles: Iterable[Article]) -> list[Rejected]:
    """Each article's warnings (`Article.warnings`, e.g. invalid UTF-8 bytes replaced) as rows for `errors`, with
    stage WARNING_STAGE ("decode"): the article itself was kept."""
    return [Rejected(input=a.path or a.url or a.article_id, stage=WARNING_STAGE, reason=w, source=a.source)
            for a in articles for w in a.warnings]


def dedupe(items: Iterable[Article | Rejected]) -> Collected:
    """Split documents into unique articles (first copy wins), all copies, and rejects; every copy's warnings
    join the rejects as `warning_rows`."""
    out = Collected()
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Rejected):
            out.rejected.append(item)
            continue
        out.copies.append(item)
        out.rejected.extend(warning_rows([item]))
        if item.article_id in seen:
            out.duplicates += 1
            continue
        seen.add(item.article_id)
        out.articles.append(item)
    return out


def collect_local(settings: Settings, story: Story, *, spool: bool = False) -> Collected:
    """The story's seed documents and bundled corpus, from disk. Files the warehouse's manifest vouches for (same
    size, times, inode, sidecars and reader) are not read again: they give what they gave when last read, which
    is what reading them would give (sources/manifest.py); the others are read. With `spool`, the articles come
    without their texts, which wait in `Collected.spool` (a run takes them back chunk by chunk: `TextChunks`)."""
    from sources.manifest import collect_files
    from sources.spool import TextSpool
    from warehouse.file_manifest import load_manifest

    folders = [p for p in (*story.seeds, *story.corpus) if p.exists()]
    texts = TextSpool() if spool else None
    items, update = collect_files(folders, max_bytes=settings.max_doc_bytes, story=story.id,
                                  manifest=load_manifest(settings.db_path, story.id), spool=texts)
    got = dedupe(items)
    got.manifest = update
    got.spool = texts
    return got


class TextChunks(Sequence[Sequence[Article]]):
    """Chunks of articles whose texts come back from a `TextSpool` when a chunk is taken (only the chunks being
    extracted hold their texts)."""

    def __init__(self, chunks: Sequence[Sequence[Article]], spool: TextSpool) -> None:
        self._chunks = chunks
        self._spool = spool

    def __len__(self) -> int:
        return len(self._chunks)

    def __getitem__(self, i: int) -> list[Article]:  # type: ignore[override] - chunks are taken one at a time
        return [self._spool.take(a) for a in self._chunks[i]]


def discover_online(settings: Settings, story: Story) -> Discovery:
    """The story's online sources (each one skipped, with its reason, when offline or turned off)."""
    from extractors.vocabulary import load_story_terms
    from sources.adapters import SOURCES
    from sources.discover import discover

    return discover(settings, story, terms=load_story_terms(settings.seeds_dir, story),
                    sources=[s for s in SOURCES if s.name != "local"])


def merge_collected(local: Collected, found: Discovery) -> Collected:
    """The local documents and what discovery found, as one Collected (a copy found twice counts once)."""
    merged = dedupe([*local.copies, *found.articles])
    merged.rejected = [*local.rejected, *found.rejected, *warning_rows(found.articles)]
    merged.fetches = list(found.outcomes)
    merged.unreachable = list(found.unreachable)
    merged.candidates = list(found.candidates)
    merged.statuses = list(found.statuses)
    merged.manifest = local.manifest
    merged.spool = local.spool
    return merged


def store_audit(db_path: Path, got: Collected, run_id: str) -> None:
    """The sources stage's own records: every copy, reject and fetch (one transaction), then every candidate
    report's keep/drop decision and each source's status, then the local-file manifest. A copy taken from the
    manifest was stored by the run that read its file (before that run wrote the manifest), so only the others
    are passed on: the stored copies are the same."""
    from warehouse.db import open_warehouse
    from warehouse.file_manifest import store_manifest
    from warehouse.load import store_batch
    from warehouse.sources_load import load_candidates, load_source_status

    reused = got.manifest.reused if got.manifest is not None else set()
    copies = [c for c in got.copies if not (c.source == "local" and c.path in reused)]
    con = open_warehouse(db_path)
    try:
        store_batch(con, Batch(copies=copies, errors=got.rejected, fetches=got.fetches), run_id)
        load_candidates(con, got.candidates, run_id)
        load_source_status(con, got.statuses, run_id)
        if got.manifest is not None:
            store_manifest(con, got.manifest, run_id)
    finally:
        con.close()


def extractor_for(settings: Settings, story_id: str) -> ClaimExtractor:
    return ClaimExtractor(load_vocabulary(settings.seeds_dir, story_id), budget_s=settings.max_extract_s or None)


def extract_articles(articles: Iterable[Article], extractor: ClaimExtractor) -> tuple[list[Claim], list[Rejected]]:
    """Claims of many articles; an article whose extraction fails becomes a Rejected, the rest go on."""
    claims, _, rejected, _ = extract_chunk(list(articles), extractor)
    return claims, rejected


def extract_chunk(articles: Sequence[Article], extractor: ClaimExtractor, overrides: Mapping[str, str] | None = None
                  ) -> tuple[list[Claim], list[Extraction], list[Rejected], list[EventRow]]:
    """Claims of a chunk of articles, a mark per article extracted, a reject per article that failed, and which
    event each article tells of. A report of another event (or one a reviewer dropped, `overrides`: article id ->
    keep | drop) gives no claims; one a reviewer kept gives all its figures, paragraphs dated elsewhere too."""
    overrides = overrides or {}
    claims: list[Claim] = []
    marks: list[Extraction] = []
    rejected: list[Rejected] = []
    events: list[EventRow] = []
    story = extractor.v.story.id
    for a in articles:
        override = overrides.get(a.article_id)
        try:
            found, decision = extractor.extract_report(a, separate=override != "keep")
        except Exception as exc:  # noqa: BLE001 - one bad document never fails a run
            where = traceback.extract_tb(exc.__traceback__)[-1]
            rejected.append(Rejected(
                input=a.path or a.url or a.article_id, stage="extract",
                reason=f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})",
                source=a.source))
            continue
        action = override or ("drop" if decision.verdict == OTHER else "keep")
        if action == "drop":
            found = []
        events.append(EventRow(story, a.article_id, extractor.version, decision, action, override, a.url or a.path,
                               a.title, a.published, a.source))
        claims.extend(found)
        marks.append(Extraction(a.article_id, extractor.version, len(found)))
    return claims, marks, rejected, events


def apply_event_overrides(db_path: Path, story_id: str) -> Overrides:
    """Reviewers' keep / drop of reports, made true in the warehouse before the run plans (warehouse/events.py)."""
    from warehouse.db import open_warehouse
    from warehouse.events import apply_overrides

    con = open_warehouse(db_path)
    try:
        return apply_overrides(con, story_id)
    finally:
        con.close()


def pending(db_path: Path, articles: Sequence[Article], version: str) -> list[Article]:
    """The articles not yet extracted by this extractor version (the incremental part of a run)."""
    from warehouse.db import open_warehouse
    from warehouse.load import extracted_ids

    con = open_warehouse(db_path)
    try:
        done = extracted_ids(con, version)
    finally:
        con.close()
    return [a for a in articles if a.article_id not in done]


def store(db_path: Path, batch: Batch, run_id: str) -> dict[str, int]:
    """Open the warehouse, store one batch in one transaction, close: the write lock is held briefly."""
    from warehouse.db import open_warehouse
    from warehouse.load import store_batch

    con = open_warehouse(db_path)
    try:
        counts = store_batch(con, batch, run_id)
        dropped = [other_event_candidate(e) for e in batch.events if e.action == "drop"]
        if dropped:
            from warehouse.sources_load import supersede_candidates

            counts["candidates"] = supersede_candidates(con, dropped, run_id)
        return counts
    finally:
        con.close()


def other_event_candidate(e: EventRow) -> CandidateRow:
    """A dropped report as a row of `candidates`, with the reason a reviewer reads."""
    from sources.discover import CandidateRow

    why = (f"dropped by a reviewer ({e.decision.reason()})" if e.override == "drop"
           else f"another event: {e.decision.reason()}")
    return CandidateRow(story=e.story, source=e.source or "local", url=e.url, outlet=None, title=e.title,
                        published=e.published, decision="drop", reason=why, article_id=e.article_id)


def begin_run(db_path: Path, run_id: str, story_id: str, flow_run_id: str | None = None) -> None:
    from warehouse.db import open_warehouse
    from warehouse.load import start_run

    con = open_warehouse(db_path)
    try:
        start_run(con, run_id, story_id, flow_run_id)
    finally:
        con.close()


def end_run(db_path: Path, summary: RunSummary) -> None:
    from warehouse.db import open_warehouse
    from warehouse.load import finish_run

    con = open_warehouse(db_path)
    try:
        finish_run(con, summary.run_id, summary.status, summary.counts())
    finally:
        con.close()


# A discrepancy's identity across runs is its review key (reports/review.py): the fact's slot and both
# claims' article, value and speaker, so "new since the previous run" agrees with the review state.
DISCREPANCY_KEY_SQL = "SELECT DISTINCT discrepancy_key FROM discrepancy_review WHERE story = ?"
DISCREPANCY_ROWS_SQL = """
    SELECT r.discrepancy_key, d.kind, d.subject, d.party, d.munition, d.value_text_a, d.speaker_a, d.side_a,
           d.outlet_a, d.published_a, d.value_text_b, d.speaker_b, d.side_b, d.outlet_b, d.published_b,
           r.review_state
    FROM discrepancies AS d JOIN discrepancy_review AS r USING (relation_id)
    WHERE d.story = ? ORDER BY d.kind, d.subject, d.party, d.munition
"""


@dataclass
class MatchOutcome:
    facts: int
    discrepancies: int
    new: list[dict]  # discrepancies that were not there before this run
    signature: str = ""  # what the matching read: the story's claims and the reference tables
    skipped: bool = False  # nothing it reads changed since the last run: stored results kept
    mode: str = "full"  # skipped | incremental (only the touched facts re-aligned) | full
    reason: str = ""  # why the full path was taken
    changes: dict = field(default_factory=dict)  # what an incremental run re-did (matching.incremental.IncrementStats)


MATCH_INPUT_SQL = """
    SELECT count(*), coalesce(sum(hash(c.claim_id)), 0) FROM claims AS c
    JOIN articles AS a ON a.article_id = c.article_id WHERE a.story = ?
"""
LAST_SIGNATURE_SQL = """
    SELECT json_extract_string(details, '$.match_signature') FROM runs
    WHERE story = ? AND status IN ('ok', 'partial') AND details IS NOT NULL
    ORDER BY started_at DESC LIMIT 1
"""


def _reference_digest(seeds_dir: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    for name in ("gazetteer.csv", "speakers.csv", "outlets.csv", "wires.csv", "vocabulary.toml"):
        path = seeds_dir / name
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()[:16]


def match_story(settings: Settings, story: Story, run_id: str, *, full: bool = False) -> MatchOutcome:
    """Cross-reference the story's stored claims and store facts, relations and verdicts.

    Skipped when nothing matching reads changed since the last run. Otherwise incremental when the stored results
    can be built on (matching/incremental.py): only the facts new articles and claims touch are re-aligned, read,
    decided and written, on one connection held for that short time. Else in full: the warehouse is read,
    released while matching runs (pure), then written in one transaction; the outcome says why (`reason`).
    `full` skips both shortcuts: everything is cross-referenced again."""
    from dataclasses import asdict

    from matching.align import cross_reference
    from matching.incremental import FullMatch, match_increment, state_signature
    from matching.records import MatchState
    from matching.reference import load_reference
    from warehouse.db import open_warehouse
    from warehouse.matches import load_story_inputs, store_matches, story_article_ids
    from warehouse.matches_incremental import StoryReader, store_increment

    vocab = load_vocabulary(settings.seeds_dir, story.id)
    reference = load_reference(settings.seeds_dir)
    state = state_signature(vocab, settings.seeds_dir)
    con = open_warehouse(settings.db_path)
    try:
        n, total = con.execute(MATCH_INPUT_SQL, [story.id]).fetchone()
        signature = f"{n}:{total}:{_reference_digest(settings.seeds_dir)}"
        last = con.execute(LAST_SIGNATURE_SQL, [story.id]).fetchone()
        if last and last[0] == signature and not full:
            facts = con.execute("SELECT count(*) FROM facts WHERE story = ?", [story.id]).fetchone()[0]
            conflicts = con.execute("SELECT count(*) FROM discrepancies WHERE story = ?", [story.id]).fetchone()[0]
            return MatchOutcome(facts=facts, discrepancies=conflicts, new=[], signature=signature, skipped=True,
                                mode="skipped")
        try:
            if full:
                raise FullMatch("a full match was asked for")
            delta, stats = match_increment(StoryReader(con, story.id), vocab, reference, state)
        except FullMatch as fallback:
            reason = fallback.reason
            before = {r[0] for r in con.execute(DISCREPANCY_KEY_SQL, [story.id]).fetchall()}
            ids = story_article_ids(con, story.id)
            first, rest = ids[:settings.match_batch], ids[settings.match_batch:]
            articles, claims = load_story_inputs(con, story.id, among=first if rest else None)
        else:
            touched = sorted(delta.grown | delta.rewritten)
            before = conflict_keys(con, story.id, touched)
            store_increment(con, delta, run_id)
            return _incremental_outcome(con, story.id, touched, before, signature, asdict(stats))
    finally:
        con.close()
    # in full: the stored claims (of the first batch, when there are more) cross-referenced with the warehouse
    # released (pure), then the story's results (and matching state) replaced in one transaction
    result = cross_reference(articles, claims, vocab, reference=reference)
    full_state = MatchState(story.id, state, "full", reason, len(articles), len({c.claim_id for c in claims}))
    del articles, claims
    con = open_warehouse(settings.db_path)
    try:
        store_matches(con, story.id, result, run_id, state=full_state)
    finally:
        con.close()
    del result
    # the next batches are folded in as a re-run's new articles are (exactly the result of one pass over all),
    # each on its own connection: DuckDB's cache of what a batch read goes with it
    for batch in chunked(rest, settings.match_batch):
        con = open_warehouse(settings.db_path)
        try:
            delta, _ = match_increment(StoryReader(con, story.id, among=batch), vocab, reference, state, batch=True)
            store_increment(con, delta, run_id)
        finally:
            con.close()
        del delta
    con = open_warehouse(settings.db_path)
    try:
        batches = 1 + -(-len(rest) // settings.match_batch)
        return _match_outcome(con, story.id, before, signature, mode="full", reason=reason,
                              changes={"batches": batches} if rest else {})
    finally:
        con.close()


# The conflicting pairs of some facts with what their review key is made of (reports/review.py's formula in
# Python): cheaper than the discrepancy_review view when only a few facts changed.
CONFLICT_SIDES_SQL = """
    SELECT r.relation_id, f.story, f.kind, f.subject, f.party, f.munition,
           ca.article_id, ca.value_low, ca.value_high, ca.when_start, ca.when_end, ca.speaker,
           cb.article_id, cb.value_low, cb.value_high, cb.when_start, cb.when_end, cb.speaker
    FROM fact_relations AS r
    JOIN facts AS f ON f.fact_id = r.fact_id
    LEFT JOIN claims AS ca ON ca.claim_id = r.claim_a
    LEFT JOIN claims AS cb ON cb.claim_id = r.claim_b
    WHERE r.story = ? AND r.relation = 'conflict' AND r.fact_id IN (SELECT unnest(?))
"""
CONFLICT_COUNT_SQL = """
    SELECT count(*) FROM fact_relations AS r JOIN facts AS f ON f.fact_id = r.fact_id
    WHERE r.story = ? AND r.relation = 'conflict'
"""


def conflict_keys(con: duckdb.DuckDBPyConnection, story_id: str, fact_ids: Sequence[str]) -> dict[str, str]:
    """{discrepancy key: relation id} of the conflicting pairs of these facts."""
    from reports.review import SideKey, discrepancy_key

    if not fact_ids:
        return {}
    out: dict[str, str] = {}
    for r in con.execute(CONFLICT_SIDES_SQL, [story_id, list(fact_ids)]).fetchall():
        key = discrepancy_key(r[1], r[2], r[3], r[4], r[5], SideKey(*r[6:12]), SideKey(*r[12:18]))
        out.setdefault(key, r[0])
    return out


def _incremental_outcome(con: duckdb.DuckDBPyConnection, story_id: str, touched: Sequence[str],
                         before: dict[str, str], signature: str, changes: dict) -> MatchOutcome:
    """Discrepancies after an incremental run: a discrepancy key names its fact's slot, so only the touched facts
    can have new ones; their rows are read (from the review view) only when there are some."""
    after = conflict_keys(con, story_id, touched)
    fresh = sorted(set(after) - set(before))
    new: list[dict] = []
    if fresh:
        sql = DISCREPANCY_ROWS_SQL.replace("WHERE d.story = ?", "WHERE d.story = ? AND r.discrepancy_key IN "
                                                                "(SELECT unnest(?))")
        cur = con.execute(sql, [story_id, fresh])
        cols = [d[0] for d in cur.description]
        new = [row for row in (dict(zip(cols, r, strict=True)) for r in cur.fetchall())
               if row["review_state"] != "reviewed"]
    facts = con.execute("SELECT count(*) FROM facts WHERE story = ?", [story_id]).fetchone()[0]
    conflicts = con.execute(CONFLICT_COUNT_SQL, [story_id]).fetchone()[0]
    return MatchOutcome(facts=facts, discrepancies=conflicts, new=new, signature=signature, mode="incremental",
                        changes=changes)


def _match_outcome(con: duckdb.DuckDBPyConnection, story_id: str, before: set[str], signature: str,
                   **how: object) -> MatchOutcome:
    cur = con.execute(DISCREPANCY_ROWS_SQL, [story_id])
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    facts = con.execute("SELECT count(*) FROM facts WHERE story = ?", [story_id]).fetchone()[0]
    new = [r for r in rows if r["discrepancy_key"] not in before and r["review_state"] != "reviewed"]
    return MatchOutcome(facts=facts, discrepancies=len(rows), new=new, signature=signature, **how)


def record_match(summary: RunSummary, outcome: MatchOutcome) -> None:
    summary.facts = outcome.facts
    summary.discrepancies = outcome.discrepancies
    summary.discrepancies_new = len(outcome.new)
    summary.new_discrepancy_rows = outcome.new
    summary.match_signature = outcome.signature
    summary.match_skipped = outcome.skipped
    summary.match_mode = outcome.mode
    summary.match_reason = outcome.reason
    summary.match_changes = dict(outcome.changes)


def write_reports(settings: Settings, story: Story) -> Written:
    """The story's HTML, Markdown and CSV reports into [reports] dir (reports/build.py)."""
    from reports.build import write_story_reports

    return write_story_reports(settings.db_path, story.id, settings.reports_dir, settings=settings)


# A run holds millions of small records (articles, claims, matching's rows) that live until it ends; CPython starts
# a full collection of its cyclic garbage collector every time allocations outgrow the live objects by a quarter,
# and each one walks them all: with its default first threshold (700 allocations) that was 12-14 % of a
# 10,000-report run. The records are acyclic (reference counting frees them), so a run lets the collector start
# less often.
BATCH_GC_THRESHOLD = 100_000


@contextmanager
def batch_gc(threshold: int = BATCH_GC_THRESHOLD) -> Iterator[None]:
    """Within the block, the garbage collector's first-generation threshold is `threshold` (restored after)."""
    old = gc.get_threshold()
    gc.set_threshold(max(threshold, old[0]), old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)


@dataclass(frozen=True)
class ExtractResult:
    """A chunk's extraction as the store step takes it: its claims and the articles the story keeps (not the
    reports of another event) as the Arrow tables they are loaded from, made where the extraction ran (a worker),
    so the store step does no per-row Python work; every extraction mark (a dropped report is not read again),
    the rejects, the event decisions, and the process that did the work."""

    claims: pa.Table
    articles: pa.Table
    marks: list[Extraction]
    failed: list[Rejected]
    events: list[EventRow]
    pid: int

    def batch(self) -> Batch:
        return Batch(articles=self.articles, claims=self.claims, extractions=self.marks, errors=self.failed,
                     events=self.events)


def extract_for_store(articles: Sequence[Article], extractor: ClaimExtractor, overrides: Mapping[str, str] | None
                      ) -> ExtractResult:
    """`extract_chunk`, with what the store step loads made into Arrow tables here."""
    from warehouse.load import articles_table, claims_table

    claims, marks, failed, events = extract_chunk(articles, extractor, overrides)
    dropped = {e.article_id for e in events if e.action == "drop"}
    kept = articles_table(a for a in articles if a.article_id not in dropped)
    return ExtractResult(claims_table(claims), kept, marks, failed, events, os.getpid())


def extract_in_order(settings: Settings, extractor: ClaimExtractor, chunks: Sequence[Sequence[Article]],
                     overrides: Mapping[str, str]) -> Iterator[ExtractResult]:
    """Each chunk's extraction, one after the other in this process."""
    for chunk in chunks:
        yield extract_for_store(chunk, extractor, overrides)


# The plain steps call the job functions by their module names at run time (not bound once in `Steps`), so that
# wrapping a function of this module (bench.scale_bench times them so) reaches the plain run as it reaches the flow.
def _collect_step(settings: Settings, story: Story) -> Collected:
    return collect_local(settings, story, spool=True)


def _discover_step(settings: Settings, story: Story) -> Discovery:
    return discover_online(settings, story)


def _store_step(db_path: Path, batch: Batch, run_id: str, story_id: str, index: int) -> dict[str, int]:
    return store(db_path, batch, run_id)


def _audit_step(db_path: Path, got: Collected, run_id: str, story_id: str) -> None:
    store_audit(db_path, got, run_id)


def _plan_step(db_path: Path, articles: list[Article], version: str, story_id: str) -> list[Article]:
    return pending(db_path, articles, version)


def _match_step(settings: Settings, story: Story, run_id: str, full: bool = False) -> MatchOutcome:
    return match_story(settings, story, run_id, full=full)


def _report_step(settings: Settings, story: Story) -> Written:
    return write_reports(settings, story)


@dataclass(frozen=True)
class Steps:
    """How each step of a run is carried out. The defaults are plain calls in this process; flows/pipeline.py
    gives Prefect tasks with the same signatures. The order of the steps is `drive`'s alone."""

    collect: Callable[[Settings, Story], Collected] = _collect_step
    discover: Callable[[Settings, Story], Discovery] = _discover_step
    plan: Callable[[Path, list[Article], str, str], list[Article]] = _plan_step
    audit: Callable[[Path, Collected, str, str], None] = _audit_step
    # every chunk's extraction result, in chunk order (the adapter decides what runs at once, and where); the
    # extractor is built once by the run, with the story's vocabulary, and sent along (workers read no seeds)
    extract: Callable[[Settings, ClaimExtractor, Sequence[Sequence[Article]], Mapping[str, str]],
                      Iterable[ExtractResult]] = extract_in_order
    store: Callable[[Path, Batch, str, str, int], dict[str, int]] = _store_step
    match: Callable[[Settings, Story, str, bool], MatchOutcome] = _match_step
    report: Callable[[Settings, Story], Written] = _report_step
    warn: Callable[[str], None] = log.warning


PLAIN = Steps()


def drive(settings: Settings, story: Story, steps: Steps = PLAIN, *, run_id: str | None = None,
          chunk_size: int = 500, collected: Collected | None = None, flow_run_id: str | None = None) -> RunSummary:
    """One run of one story, the only place its steps are put in order: collect and discover, apply reviewers'
    event overrides, plan what is new, store the sources audit, extract and store chunk by chunk, cross-reference,
    write the reports. `crosscheck run --plain` calls it with plain steps, the Prefect flow (and so `serve` and
    deployments) with task steps."""
    summary = RunSummary(run_id=run_id or new_run_id(), story=story.id)
    got: Collected | None = None
    begin_run(settings.db_path, summary.run_id, story.id, flow_run_id=flow_run_id)
    try:
        if collected is not None:
            got = collected
        else:
            got = merge_collected(steps.collect(settings, story), steps.discover(settings, story))
        extractor = extractor_for(settings, story.id)
        overrides = apply_event_overrides(settings.db_path, story.id)
        summary.overrides_applied = overrides.forgotten + overrides.reopened
        todo = steps.plan(settings.db_path, got.articles, extractor.version, story.id)
        summary.articles_seen = len(got.articles)
        summary.skipped_unchanged = len(got.articles) - len(todo)
        summary.duplicates = got.duplicates
        summary.unreachable = list(got.unreachable)
        summary.errors.extend(got.rejected)
        steps.audit(settings.db_path, got, summary.run_id, story.id)
        for source, reason in got.unreachable:
            steps.warn(f"source {source} unreachable: {reason}")
        chunks: Sequence[Sequence[Article]] = list(chunked(todo, chunk_size))
        if got.spool is not None:
            chunks = TextChunks(chunks, got.spool)
        results = steps.extract(settings, extractor, chunks, overrides.actions)
        for i, got_chunk in zip(range(len(chunks)), results, strict=True):
            summary.worker_pids.add(got_chunk.pid)
            counts = steps.store(settings.db_path, got_chunk.batch(), summary.run_id, story.id, i + 1)
            record(summary, got_chunk.claims, got_chunk.marks, got_chunk.failed, counts, got_chunk.events)
        record_match(summary, steps.match(settings, story, summary.run_id, overrides.forgotten > 0))
        written = steps.report(settings, story)
        summary.report, summary.report_rendered = str(written.paths[0]), written.rendered
        summary.report_written = written.written
        # a warning (an article kept with repairs) is recorded beside the rejects but leaves the run ok
        summary.status = "partial" if any(e.stage != WARNING_STAGE for e in summary.errors) else "ok"
    except BaseException:
        summary.status = "failed"
        end_run(settings.db_path, summary)
        raise
    finally:
        if collected is None and got is not None and got.spool is not None:
            got.spool.close()
    end_run(settings.db_path, summary)
    return summary


def run_story(settings: Settings, story: Story, *, run_id: str | None = None, chunk_size: int = 500,
              collected: Collected | None = None) -> RunSummary:
    """The whole job for one story without Prefect (`drive` with plain steps)."""
    with batch_gc():
        return drive(settings, story, PLAIN, run_id=run_id, chunk_size=chunk_size, collected=collected)


def record(summary: RunSummary, claims: pa.Table, marks: Sequence[Extraction], failed: Sequence[Rejected],
           counts: dict[str, int], events: Sequence[EventRow] = ()) -> None:
    """Add one stored chunk (its claims as the Arrow table they were loaded from) to the run's summary."""
    summary.other_events += sum(1 for e in events if e.action == "drop")
    summary.extracted += len(marks)
    summary.claims += claims.num_rows
    counted = pc.value_counts(claims.column("kind")).to_pylist() if claims.num_rows else []
    summary.claims_by_kind.update({c["values"]: c["counts"] for c in counted})
    summary.articles_new += counts.get("articles", 0)
    summary.claims_new += counts.get("claims", 0)
    summary.errors.extend(failed)
