"""Plain records the reports are made of, read from the warehouse's mart views.

One job: the warehouse edge of the reports stage. `load_story_report(con, story_id)` reads one story's facts
(`fact_consensus`), discrepancies with their review state (`discrepancy_review`, migration 005), and what
each fact's timeline shows (its marks: `fact_members` with their claims and articles, aggregated per speaker,
value and day by reports/marks.py; and `fact_timeline`), into frozen records; the writers (html.py,
markdown.py, csv_export.py, svg.py) only format them.

`reading(path)` opens the warehouse read-only for the length of a `with` block, first applying any pending
migration (with a brief writable connection) so the review view exists in warehouses made before it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb

from core.errors import CrosscheckError
from reports import labels
from reports.marks import TimelineMark, load_marks
from warehouse.db import connect, list_migrations, open_warehouse, utc_now

Value = tuple[float, float | None]

REVIEW_STATES = ("new", "changed", "reviewed")
STAGE = "report"


def _value(low: float | None, high: float | None) -> Value | None:
    return None if low is None else (float(low), None if high is None else float(high))


def safe_url(url: str | None) -> str | None:
    """The URL when it is http(s) with a host, else None: scraped links never become `javascript:` hrefs."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


@dataclass(frozen=True, slots=True)
class ClaimSide:
    """One side of a discrepancy: the claim, who made it, where and when, and the evidence sentence."""

    claim_id: str
    article_id: str | None
    value: Value | None
    value_text: str | None  # the value as written (for event times, the time as written)
    speaker: str | None  # canonical speaker; None = the outlet's own voice
    side: str | None
    group: str | None
    outlet: str | None
    voice: str | None
    published: str | None
    first_seen: datetime | None
    title: str | None
    url: str | None
    hedge: str | None
    sentence: str
    sentence_start: int | None
    span_start: int | None
    span_end: int | None
    words: str | None  # the claimed words: articles.text[span_start:span_end]
    extractor_version: str | None

    @property
    def link(self) -> str | None:
        """The article's URL if it is safe to link to (http or https)."""
        return safe_url(self.url)

    @property
    def who(self) -> str:
        return labels.speaker_label(self.speaker, self.outlet)

    def highlight(self) -> tuple[str, str, str]:
        """The sentence split into (before, claimed words, after), from the absolute span offsets.

        Offsets point into the article text; the sentence starts at `sentence_start`. When the span falls
        outside the sentence (it should not), the claimed words are searched for in it instead; failing that
        nothing is highlighted.
        """
        text = self.sentence or ""
        if self.sentence_start is not None and self.span_start is not None and self.span_end is not None:
            lo = self.span_start - self.sentence_start
            hi = self.span_end - self.sentence_start
            if 0 <= lo <= hi <= len(text):
                return text[:lo], text[lo:hi], text[hi:]
        words = (self.words or "").strip()
        at = text.find(words) if words else -1
        if at >= 0:
            return text[:at], words, text[at + len(words):]
        return text, "", ""


@dataclass(frozen=True, slots=True)
class Review:
    """The latest verdict recorded for a discrepancy."""

    verdict: str
    note: str | None
    reviewer: str
    reviewed_at: datetime
    evidence_hash: str
    verdict_id: str


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """Two groups' conflicting figures for one fact, with the review state of its content key."""

    key: str
    evidence_hash: str
    review_state: str  # new | reviewed | changed (reviewed, but the evidence has changed since)
    review: Review | None
    relation_id: str
    fact_id: str
    story: str
    kind: str
    subject: str | None
    party: str | None
    munition: str | None
    scope: str
    a: ClaimSide
    b: ClaimSide
    run_id: str | None

    @property
    def label(self) -> str:
        return labels.fact_label(self.kind, self.subject, self.party, self.munition)

    @property
    def verdict(self) -> str:
        """The review verdict, or '' when none is recorded."""
        return self.review.verdict if self.review else ""


@dataclass(frozen=True, slots=True)
class GroupValue:
    """One group's current figure for a fact (from `fact_consensus.current_by_side`)."""

    group: str
    side: str | None
    value: Value | None
    claim_id: str | None
    speaker: str | None
    voice_id: str | None
    first_seen: datetime | None
    sequence: tuple[Value | None, ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """One fact of a story: its verdict, consensus, spread and each group's current figure."""

    fact_id: str
    story: str
    kind: str
    subject: str | None
    party: str | None
    munition: str | None
    verdict: str
    consensus: Value | None
    spread: Value | None
    voices: int
    sides: int
    claims: int
    conflicts: int
    updates: int
    current: tuple[GroupValue, ...]
    explanation: str

    @property
    def label(self) -> str:
        return labels.fact_label(self.kind, self.subject, self.party, self.munition)

    @property
    def numeric(self) -> bool:
        return self.kind not in labels.NAMED_KINDS

    @property
    def anchor(self) -> str:
        return f"fact-{self.fact_id}"


@dataclass(frozen=True, slots=True)
class TimelineStep:
    """A value a group held as its current figure (`fact_timeline`), in order."""

    fact_id: str
    group: str
    side: str | None
    step: int
    latest: bool
    value: Value
    value_text: str | None
    first_seen: datetime | None
    speaker: str | None
    outlet: str | None


def verdict_counts(facts: Iterable[Fact]) -> dict[str, int]:
    """How many facts have each verdict, every verdict listed, in the report's order."""
    counts = dict.fromkeys(labels.VERDICT_ORDER, 0)
    for f in facts:
        counts[f.verdict] = counts.get(f.verdict, 0) + 1
    return counts


def kinds_present(facts: Iterable[Fact]) -> list[str]:
    """The kinds the facts have, in the report's order (unknown kinds last, sorted)."""
    present = {f.kind for f in facts}
    return [k for k in labels.KIND_ORDER if k in present] + sorted(present - set(labels.KIND_ORDER))


@dataclass(frozen=True, slots=True)
class StoryReport:
    """Everything one story's report shows."""

    story: str
    title: str
    event_date: str | None
    generated_at: datetime
    run_id: str | None  # the matching run the facts come from
    facts: tuple[Fact, ...]
    discrepancies: tuple[Discrepancy, ...]
    marks: dict[str, tuple[TimelineMark, ...]] = field(hash=False)  # what each fact's chart draws
    steps: dict[str, tuple[TimelineStep, ...]] = field(hash=False)

    def discrepancies_of(self, fact_id: str) -> list[Discrepancy]:
        return [d for d in self.discrepancies if d.fact_id == fact_id]

    @property
    def discrepancy_count(self) -> int:
        return len(self.discrepancies)

    def review_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(REVIEW_STATES, 0)
        for d in self.discrepancies:
            counts[d.review_state] = counts.get(d.review_state, 0) + 1
        return counts

    def verdict_counts(self) -> dict[str, int]:
        return verdict_counts(self.facts)

    @property
    def kinds(self) -> list[str]:
        return kinds_present(self.facts)


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Run one parameterised query; rows as dicts."""
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _side(r: dict[str, Any], s: str) -> ClaimSide:
    text = r[f"value_text_{s}"] if r[f"value_text_{s}"] is not None else r[f"when_text_{s}"]
    return ClaimSide(
        claim_id=r[f"claim_{s}"], article_id=r[f"article_id_{s}"],
        value=_value(r[f"value_low_{s}"], r[f"value_high_{s}"]),
        value_text=text.strip() if text else None, speaker=r[f"speaker_{s}"], side=r[f"side_{s}"],
        group=r[f"group_{s}"], outlet=r[f"outlet_{s}"], voice=r[f"voice_{s}"], published=r[f"published_{s}"],
        first_seen=r[f"first_seen_{s}"], title=r[f"title_{s}"], url=r[f"url_{s}"], hedge=r[f"hedge_{s}"],
        sentence=r[f"sentence_{s}"] or "", sentence_start=r[f"sentence_start_{s}"], span_start=r[f"span_start_{s}"],
        span_end=r[f"span_end_{s}"], words=r[f"words_{s}"], extractor_version=r[f"extractor_version_{s}"],
    )


def discrepancy_from_row(r: dict[str, Any]) -> Discrepancy:
    """A `discrepancy_review` row as a record."""
    review = None
    if r["verdict_id"] is not None:
        review = Review(r["verdict"], r["note"], r["reviewer"], r["reviewed_at"], r["reviewed_evidence_hash"],
                        r["verdict_id"])
    return Discrepancy(
        key=r["discrepancy_key"], evidence_hash=r["evidence_hash"], review_state=r["review_state"], review=review,
        relation_id=r["relation_id"], fact_id=r["fact_id"], story=r["story"], kind=r["kind"], subject=r["subject"],
        party=r["party"], munition=r["munition"], scope=r["scope"], a=_side(r, "a"), b=_side(r, "b"),
        run_id=r["run_id"],
    )


_STATE_ORDER = {"changed": 0, "new": 1, "reviewed": 2}


def discrepancy_order(d: Discrepancy) -> tuple[int, str, int, str, datetime, str]:
    """How discrepancies are listed: those needing review first, then by story, kind, fact and time."""
    far = datetime.max
    return (_STATE_ORDER.get(d.review_state, 9), d.story, _kind_rank(d.kind), d.label,
            min(d.a.first_seen or far, d.b.first_seen or far), d.key)


def load_discrepancies(con: duckdb.DuckDBPyConnection, story: str | None = None,
                       states: Sequence[str] | None = None, fact_ids: Sequence[str] | None = None
                       ) -> list[Discrepancy]:
    """Current discrepancies (of one story, or all; of some facts only), in `discrepancy_order`."""
    sql = "SELECT * FROM discrepancy_review WHERE (CAST(? AS VARCHAR) IS NULL OR story = ?)"
    params: list[Any] = [story, story]
    if states:
        sql += " AND list_contains(?, review_state)"
        params.append(list(states))
    if fact_ids is not None:
        sql += " AND fact_id IN (SELECT unnest(?))"
        params.append(list(fact_ids))
    found = [discrepancy_from_row(r) for r in rows(con, sql, params)]
    return sorted(found, key=discrepancy_order)


def _kind_rank(kind: str) -> int:
    return labels.KIND_ORDER.index(kind) if kind in labels.KIND_ORDER else len(labels.KIND_ORDER)


def _group_value(d: dict[str, Any]) -> GroupValue:
    seq = tuple(_value(v[0], v[1]) if v else None for v in d.get("sequence") or [])
    first = d.get("first_seen")
    return GroupValue(group=d.get("group") or "", side=d.get("side"), value=_value(d.get("value_low"),
                      d.get("value_high")), claim_id=d.get("claim_id"), speaker=d.get("speaker"),
                      voice_id=d.get("voice_id"), first_seen=labels.parse_when(first) if first else None,
                      sequence=seq)


def load_facts(con: duckdb.DuckDBPyConnection, story: str) -> list[Fact]:
    """The story's facts, conflicts first, then moved figures, single-source, consistent, agreed."""
    out = []
    for r in rows(con, "SELECT * FROM fact_consensus WHERE story = ?", [story]):
        current = r["current_by_side"]
        parsed = json.loads(current) if isinstance(current, str) else (current or [])
        out.append(Fact(
            fact_id=r["fact_id"], story=r["story"], kind=r["kind"], subject=r["subject"], party=r["party"],
            munition=r["munition"], verdict=r["verdict"], consensus=_value(r["consensus_low"], r["consensus_high"]),
            spread=_value(r["spread_low"], r["spread_high"]), voices=r["voices"], sides=r["sides"],
            claims=r["claims"], conflicts=r["conflicts"], updates=r["updates"],
            current=tuple(_group_value(g) for g in parsed), explanation=r["explanation"]))
    verdict_rank = {v: i for i, v in enumerate(labels.VERDICT_ORDER)}
    return sorted(out, key=lambda f: (verdict_rank.get(f.verdict, 9), _kind_rank(f.kind), f.label))


_FACT_FILTER = "AND m.fact_id IN (SELECT unnest(?))"


def _of_facts(sql: str, params: list[Any], fact_ids: Sequence[str] | None) -> tuple[str, list[Any]]:
    if fact_ids is None:
        return sql.format(facts=""), params
    return sql.format(facts=_FACT_FILTER), [*params, list(fact_ids)]


def load_steps(con: duckdb.DuckDBPyConnection, story: str, fact_ids: Sequence[str] | None = None
               ) -> dict[str, tuple[TimelineStep, ...]]:
    """Each group's sequence of current figures per fact (or of some facts), from `fact_timeline`."""
    out: dict[str, list[TimelineStep]] = {}
    sql = ("SELECT * FROM fact_timeline AS m WHERE story = ? AND value_low IS NOT NULL {facts} "
           "ORDER BY fact_id, comparison_group, step")
    for r in rows(con, *_of_facts(sql, [story], fact_ids)):
        value = _value(r["value_low"], r["value_high"])
        assert value is not None
        out.setdefault(r["fact_id"], []).append(TimelineStep(
            fact_id=r["fact_id"], group=r["comparison_group"], side=r["side"], step=r["step"], latest=r["latest"],
            value=value, value_text=r["value_text"], first_seen=r["first_seen"], speaker=r["speaker"],
            outlet=r["outlet"]))
    return {k: tuple(v) for k, v in out.items()}


def story_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Stories that have facts in the warehouse."""
    return [r[0] for r in con.execute("SELECT DISTINCT story FROM facts ORDER BY story").fetchall()]


def matching_run(con: duckdb.DuckDBPyConnection, story: str) -> str | None:
    """The matching run a story's report names (the largest run id among its verdicts)."""
    run = con.execute("SELECT max(run_id) FROM fact_verdicts WHERE story = ?", [story]).fetchone()
    return run[0] if run else None


def load_story_report(con: duckdb.DuckDBPyConnection, story: str, *, title: str | None = None,
                      event_date: str | None = None, generated_at: datetime | None = None) -> StoryReport:
    """One story's report: facts, discrepancies with review state, timeline marks and steps."""
    facts = load_facts(con, story)
    return StoryReport(
        story=story, title=title or story, event_date=event_date, generated_at=generated_at or utc_now(),
        run_id=matching_run(con, story), facts=tuple(facts), discrepancies=tuple(load_discrepancies(con, story)),
        marks=load_marks(con, story), steps=load_steps(con, story))


def fact_stamps(con: duckdb.DuckDBPyConnection, story: str) -> dict[str, str]:
    """{fact_id: the run and time its verdict row was written}. Matching rewrites a fact's verdict whenever
    anything of the fact changes (its members, relations, values), so an unchanged stamp is an unchanged fact."""
    return {r[0]: f"{r[1]}@{r[2].isoformat()}" for r in con.execute(
        "SELECT fact_id, run_id, matched_at FROM fact_verdicts WHERE story = ?", [story]).fetchall()}


def latest_reviews(con: duckdb.DuckDBPyConnection, story: str) -> dict[str, str]:
    """{discrepancy key: the id of its latest verdict} for the story's reviewed keys (what review_state reads)."""
    return dict(con.execute("""
        SELECT discrepancy_key, verdict_id FROM review_verdicts WHERE story = ?
        QUALIFY row_number() OVER (PARTITION BY discrepancy_key ORDER BY reviewed_at DESC, verdict_id DESC) = 1
    """, [story]).fetchall())


def _current(con: duckdb.DuckDBPyConnection) -> bool:
    latest = max(m.version for m in list_migrations())
    try:
        have = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
    except duckdb.CatalogException:
        return False
    return have is not None and have[0] is not None and int(have[0]) >= latest


def ensure_schema(path: Path) -> None:
    """Apply pending migrations (a brief writable connection) if the warehouse lacks any; else touch nothing."""
    if not path.exists():
        raise CrosscheckError("no warehouse here; run the pipeline first", input=str(path), stage=STAGE)
    con = connect(path, read_only=True)
    try:
        current = _current(con)
    finally:
        con.close()
    if not current:
        open_warehouse(path).close()


@contextmanager
def reading(path: Path, *, wait_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the (migrated) warehouse for the length of the block; closed after it. The
    schema is checked on that connection; only a warehouse that lacks a migration is opened writable first."""
    if not path.exists():
        raise CrosscheckError("no warehouse here; run the pipeline first", input=str(path), stage=STAGE)
    con = connect(path, read_only=True, wait_s=wait_s)
    if not _current(con):
        con.close()
        ensure_schema(path)
        con = connect(path, read_only=True, wait_s=wait_s)
    try:
        yield con
    finally:
        con.close()
