"""Write a story's matching results to the warehouse: bulk Arrow loads, one short transaction, replace-per-story.

One job: the warehouse edge of full matching. `store_matches(con, story_id, result, run_id)` writes;
`load_story_inputs(con, story_id)` reads a story's stored articles and claims back as records, for a run that
must cross-reference everything.

`store_matches`: The story's rows in match_voices, match_entities,
facts, fact_members, fact_relations and fact_verdicts (and the state incremental matching reads:
match_sentences, match_subjects, fact_nodes) are deleted and the result's rows for that story inserted, all in
one transaction, each table from one Arrow table (never row by row). Running it again with the same or a newer
result leaves exactly that result; a failure part-way leaves the previous one. The story's `match_state` row is
written with them when the caller says what the result was computed from, and deleted otherwise, so the next
run matches in full. Incremental writes are warehouse/matches_incremental.py's.
Tables and views are created by warehouse/migrations/003_matching.sql and 007_incremental_matching.sql and
documented in docs/warehouse-matching.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from core.records import Article, Attribution, Claim, Evidence, Interval, TimeSpan
from matching.compare import level_index
from matching.records import (
    EntityRow,
    Fact,
    MatchResult,
    MatchState,
    Member,
    NodeRow,
    Relation,
    SideValue,
    SubjectRow,
    Verdict,
    Voice,
)
from warehouse.db import transaction, utc_now

STAMP = "matched_at"


@dataclass(frozen=True, slots=True)
class Col:
    name: str
    type: pa.DataType
    get: Callable[[Any], Any]


def _lo(v: tuple[float, float | None] | None) -> float | None:
    return None if v is None else v[0]


def _hi(v: tuple[float, float | None] | None) -> float | None:
    return None if v is None else v[1]


def _side_value(sv: SideValue) -> dict[str, Any]:
    return {
        "group": sv.group, "side": sv.side, "value_low": _lo(sv.value), "value_high": _hi(sv.value),
        "claim_id": sv.claim_id, "speaker": sv.speaker, "voice_id": sv.voice_id,
        "first_seen": sv.first_seen.isoformat() if sv.first_seen else None,
        "sequence": [[_lo(v), _hi(v)] if v is not None else None for v in sv.sequence],
    }


TABLES: dict[str, tuple[Col, ...]] = {
    "match_voices": (
        Col("story", pa.string(), lambda v: v.story),
        Col("article_id", pa.string(), lambda v: v.article_id),
        Col("voice_id", pa.string(), lambda v: v.voice_id),
        Col("original_id", pa.string(), lambda v: v.original_id),
        Col("signal", pa.string(), lambda v: v.signal),
        Col("containment", pa.float64(), lambda v: v.containment),
    ),
    "match_entities": (
        Col("story", pa.string(), lambda e: e.story),
        Col("surface", pa.string(), lambda e: e.surface),
        Col("canonical", pa.string(), lambda e: e.canonical),
        Col("known", pa.bool_(), lambda e: e.known),
        Col("method", pa.string(), lambda e: e.method),
        Col("score", pa.float64(), lambda e: e.score),
    ),
    "facts": (
        Col("fact_id", pa.string(), lambda f: f.fact_id),
        Col("story", pa.string(), lambda f: f.slot.story),
        Col("kind", pa.string(), lambda f: f.slot.kind),
        Col("subject", pa.string(), lambda f: f.slot.subject),
        Col("party", pa.string(), lambda f: f.slot.party),
        Col("munition", pa.string(), lambda f: f.slot.munition),
        Col("claims", pa.int32(), lambda f: len(f.claim_ids)),
        Col("voices", pa.int32(), lambda f: len(f.voices)),
    ),
    "fact_members": (
        Col("fact_id", pa.string(), lambda m: m[1].fact_id),
        Col("claim_id", pa.string(), lambda m: m[1].claim_id),
        Col("story", pa.string(), lambda m: m[0]),
        Col("article_id", pa.string(), lambda m: m[1].article_id),
        Col("voice_id", pa.string(), lambda m: m[1].voice_id),
        Col("side", pa.string(), lambda m: m[1].side),
        Col("side_source", pa.string(), lambda m: m[1].side_source),
        Col("comparison_group", pa.string(), lambda m: m[1].group),
        Col("value_low", pa.float64(), lambda m: _lo(m[1].value)),
        Col("value_high", pa.float64(), lambda m: _hi(m[1].value)),
        Col("published", pa.timestamp("us"), lambda m: m[1].published),
        Col("first_seen", pa.timestamp("us"), lambda m: m[1].first_seen),
        Col("node", pa.int32(), lambda m: m[1].node),
        Col("step", pa.int32(), lambda m: m[1].step),
        Col("representative", pa.bool_(), lambda m: m[1].representative),
        Col("role", pa.string(), lambda m: m[1].role),
    ),
    "fact_relations": (
        Col("relation_id", pa.string(), lambda r: r[1].relation_id),
        Col("fact_id", pa.string(), lambda r: r[1].fact_id),
        Col("story", pa.string(), lambda r: r[0]),
        Col("claim_a", pa.string(), lambda r: r[1].claim_a),
        Col("claim_b", pa.string(), lambda r: r[1].claim_b),
        Col("relation", pa.string(), lambda r: r[1].relation),
        Col("level", pa.string(), lambda r: r[1].level),
        Col("level_rank", pa.int32(), lambda r: level_index(r[1].level)),
        Col("scope", pa.string(), lambda r: r[1].scope),
        Col("group_a", pa.string(), lambda r: r[1].group_a),
        Col("group_b", pa.string(), lambda r: r[1].group_b),
        Col("side_a", pa.string(), lambda r: r[1].side_a),
        Col("side_b", pa.string(), lambda r: r[1].side_b),
        Col("voice_a", pa.string(), lambda r: r[1].voice_a),
        Col("voice_b", pa.string(), lambda r: r[1].voice_b),
        Col("low_a", pa.float64(), lambda r: _lo(r[1].value_a)),
        Col("high_a", pa.float64(), lambda r: _hi(r[1].value_a)),
        Col("low_b", pa.float64(), lambda r: _lo(r[1].value_b)),
        Col("high_b", pa.float64(), lambda r: _hi(r[1].value_b)),
    ),
    "fact_verdicts": (
        Col("fact_id", pa.string(), lambda v: v[1].fact_id),
        Col("story", pa.string(), lambda v: v[0]),
        Col("verdict", pa.string(), lambda v: v[1].verdict),
        Col("consensus_low", pa.float64(), lambda v: _lo(v[1].consensus)),
        Col("consensus_high", pa.float64(), lambda v: _hi(v[1].consensus)),
        Col("spread_low", pa.float64(), lambda v: _lo(v[1].spread)),
        Col("spread_high", pa.float64(), lambda v: _hi(v[1].spread)),
        Col("voices", pa.int32(), lambda v: v[1].voices),
        Col("sides", pa.int32(), lambda v: v[1].sides),
        Col("conflicts", pa.int32(), lambda v: v[1].conflicts),
        Col("updates", pa.int32(), lambda v: v[1].updates),
        Col("current_by_side", pa.string(), lambda v: json.dumps([_side_value(s) for s in v[1].current])),
        Col("explanation", pa.string(), lambda v: v[1].explanation),
    ),
}


# The state incremental matching reads (migration 007): replaced with the results, in the same transaction.
STATE_TABLES: dict[str, tuple[Col, ...]] = {
    "match_sentences": (
        Col("story", pa.string(), lambda r: r[0]),
        Col("article_id", pa.string(), lambda r: r[1]),
        Col("sentence_key", pa.int64(), lambda r: r[2]),
    ),
    "match_subjects": (
        Col("story", pa.string(), lambda s: s.story),
        Col("subject", pa.string(), lambda s: s.subject),
        Col("surface", pa.string(), lambda s: s.surface),
        Col("subject_known", pa.bool_(), lambda s: s.subject_known),
        Col("canonical", pa.string(), lambda s: s.canonical),
        Col("known", pa.bool_(), lambda s: s.known),
        Col("method", pa.string(), lambda s: s.method),
        Col("score", pa.float64(), lambda s: s.score),
    ),
    "fact_nodes": (
        Col("fact_id", pa.string(), lambda n: n[1].fact_id),
        Col("story", pa.string(), lambda n: n[0]),
        Col("key_group", pa.string(), lambda n: n[1].group),
        Col("value_low", pa.float64(), lambda n: _lo(n[1].value)),
        Col("value_high", pa.float64(), lambda n: _hi(n[1].value)),
        Col("first_article_id", pa.string(), lambda n: n[1].first[0]),
        Col("first_span_start", pa.int32(), lambda n: n[1].first[1]),
        Col("first_claim_id", pa.string(), lambda n: n[1].first[2]),
        Col("claims", pa.int32(), lambda n: n[1].claims),
        Col("earliest", pa.timestamp("us"), lambda n: n[1].earliest),
        Col("rep_claim_id", pa.string(), lambda n: n[1].rep_claim),
        Col("node", pa.int32(), lambda n: n[1].node),
        Col("comparison_group", pa.string(), lambda n: n[1].comparison_group),
        Col("first_seen", pa.timestamp("us"), lambda n: n[1].first_seen),
        Col("step", pa.int32(), lambda n: n[1].step),
        Col("role", pa.string(), lambda n: n[1].role),
        Col("representative", pa.string(), lambda n: n[1].representative),
    ),
}
COLUMNS: dict[str, tuple[Col, ...]] = {**TABLES, **STATE_TABLES}


def arrow_table(table: str, records: Sequence[Any], cols: Sequence[Col] | None = None) -> pa.Table:
    """The records as one Arrow table of `table`'s columns (`cols` reads them off another kind of record)."""
    cols = COLUMNS[table] if cols is None else cols
    return pa.Table.from_arrays([pa.array([c.get(r) for r in records], type=c.type) for c in cols],
                                names=[c.name for c in cols])


def insert_sql(table: str, source: str) -> str:
    """INSERT of every row of `source`; binds (run_id, matched_at). Identifiers come from COLUMNS only."""
    names = ", ".join(c.name for c in COLUMNS[table])
    return f"INSERT INTO {table} ({names}, run_id, {STAMP}) SELECT {names}, CAST(? AS VARCHAR), " \
           f"CAST(? AS TIMESTAMP) FROM {source}"


def story_rows(result: MatchResult, story_id: str) -> dict[str, list[Any]]:
    """The result's records for one story, per table."""
    facts: list[Fact] = [f for f in result.facts if f.slot.story == story_id]
    ids = {f.fact_id for f in facts}
    voices: list[Voice] = [v for v in result.voices if v.story == story_id]
    entities: list[EntityRow] = [e for e in result.entities if e.story == story_id]
    members: list[tuple[str, Member]] = [(story_id, m) for m in result.members if m.fact_id in ids]
    relations: list[tuple[str, Relation]] = [(story_id, r) for r in result.relations if r.fact_id in ids]
    verdicts: list[tuple[str, Verdict]] = [(story_id, v) for v in result.verdicts if v.fact_id in ids]
    return {"match_voices": voices, "match_entities": entities, "facts": facts, "fact_members": members,
            "fact_relations": relations, "fact_verdicts": verdicts}


def state_rows(result: MatchResult, story_id: str) -> dict[str, list[Any]]:
    """The result's incremental-matching state for one story, per table."""
    articles = {v.article_id for v in result.voices if v.story == story_id}
    ids = {f.fact_id for f in result.facts if f.slot.story == story_id}
    sentences = [(story_id, aid, key) for aid, key in result.sentences if aid in articles]
    subjects: list[SubjectRow] = [s for s in result.subjects if s.story == story_id]
    nodes: list[tuple[str, NodeRow]] = [(story_id, n) for n in result.nodes if n.fact_id in ids]
    return {"match_sentences": sentences, "match_subjects": subjects, "fact_nodes": nodes}


STATE_UPSERT_SQL = """
    INSERT OR REPLACE INTO match_state (story, signature, mode, reason, articles, claims, run_id, matched_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""


def write_state(con: duckdb.DuckDBPyConnection, state: MatchState, run_id: str, now: Any) -> None:
    """Record what the story's stored results were computed from (inside the caller's transaction)."""
    con.execute(STATE_UPSERT_SQL, [state.story, state.signature, state.mode, state.reason, state.articles,
                                   state.claims, run_id, now])


def insert_tables(con: duckdb.DuckDBPyConnection, tables: Iterable[tuple[str, pa.Table]], run_id: str,
                  now: datetime, registered: list[str]) -> None:
    """Insert each Arrow table into the warehouse table of its name (inside the caller's transaction); the names
    registered with DuckDB are added to `registered`, for the caller to unregister after COMMIT or ROLLBACK."""
    for table, data in tables:
        if data.num_rows == 0:
            continue
        source = f"_incoming_{table}"
        con.register(source, data)
        registered.append(source)
        con.execute(insert_sql(table, source), [run_id, now])


def store_matches(con: duckdb.DuckDBPyConnection, story_id: str, result: MatchResult, run_id: str, *,
                  state: MatchState | None = None) -> dict[str, int]:
    """Replace the story's matching results with `result`'s, atomically. Returns rows written per table
    (of TABLES). With `state`, the story's `match_state` row is written too; without, it is deleted."""
    rows = story_rows(result, story_id)
    incoming = {t: arrow_table(t, recs) for t, recs in rows.items()}
    extra = {t: arrow_table(t, recs) for t, recs in state_rows(result, story_id).items()}
    now = utc_now()
    registered: list[str] = []
    try:
        with transaction(con):
            for table in COLUMNS:
                con.execute(f"DELETE FROM {table} WHERE story = ?", [story_id])
            con.execute("DELETE FROM match_state WHERE story = ?", [story_id])
            insert_tables(con, [*incoming.items(), *extra.items()], run_id, now, registered)
            if state is not None:
                write_state(con, state, run_id, now)
    finally:
        for source in registered:
            con.unregister(source)  # after COMMIT/ROLLBACK: an aborted transaction refuses it
    return {t: data.num_rows for t, data in incoming.items()}


ARTICLE_COLUMNS = ("article_id", "text", "title", "outlet", "published", "url", "byline", "source", "path", "story",
                    "date_signal")
CLAIM_COLUMNS = """
    c.claim_id, c.article_id, c.kind, c.munition, c.party, c.subject, c.subject_surface, c.subject_known,
    c.value_low, c.value_high, c.qualifier, c.value_text, c.when_start, c.when_end, c.when_text,
    c.when_precision, c.speaker, c.speaker_surface, c.organisation, c.side, c.hedge, c.sentence,
    c.sentence_start, c.span_start, c.span_end, c.extractor_version
"""  # what `claim_from_row` reads, in order
CLAIM_ORDER = "ORDER BY c.article_id, c.span_start, c.claim_id"  # claim order: how matching reads a story's claims
_CLAIM_SQL = f"""
    SELECT {CLAIM_COLUMNS}
    FROM claims AS c JOIN articles AS a ON a.article_id = c.article_id
    WHERE a.story = ?
    {CLAIM_ORDER}
"""


def load_story_inputs(con: duckdb.DuckDBPyConnection, story_id: str, among: Sequence[str] | None = None
                      ) -> tuple[list[Article], list[Claim]]:
    """Every stored article of the story and every stored claim of those articles, as records; with `among`,
    only those of these articles.

    A rebuilt claim keeps its stored `claim_id` (checked by the store tests).
    """
    cols = ", ".join(ARTICLE_COLUMNS)
    only = " AND article_id IN (SELECT unnest(?))" if among is not None else ""
    extra = [list(among)] if among is not None else []
    articles = [Article(**dict(zip(ARTICLE_COLUMNS, row, strict=True)))
                for row in con.execute(f"SELECT {cols} FROM articles WHERE story = ?{only} ORDER BY article_id",
                                       [story_id, *extra]).fetchall()]
    sql = _CLAIM_SQL.replace("WHERE a.story = ?", f"WHERE a.story = ?{only.replace('article_id', 'a.article_id')}")
    claims = [claim_from_row(row) for row in con.execute(sql, [story_id, *extra]).fetchall()]
    return articles, claims


def story_article_ids(con: duckdb.DuckDBPyConnection, story_id: str) -> list[str]:
    """The story's stored article ids, in article order (the order matching reads them in)."""
    return [r[0] for r in con.execute("SELECT article_id FROM articles WHERE story = ? ORDER BY article_id",
                                      [story_id]).fetchall()]


def claim_from_row(row: tuple[Any, ...]) -> Claim:
    """A Claim from a row of CLAIM_COLUMNS; it keeps its stored id."""
    (claim_id, article_id, kind, munition, party, subject, subject_surface, subject_known, low, high, qualifier,
     value_text, when_start, when_end, when_text, when_precision, speaker, speaker_surface, organisation, side,
     hedge, sentence, sentence_start, span_start, span_end, version) = row
    when = TimeSpan(when_start, when_end, when_text, when_precision) if when_start is not None else None
    base = Claim(
        kind=kind, munition=munition, party=party, subject=subject, subject_surface=subject_surface,
        subject_known=subject_known, when=when, extractor_version=version,
        attribution=Attribution(speaker, speaker_surface, organisation, side, hedge),
        evidence=Evidence(article_id, sentence, sentence_start, span_start, span_end),
    )
    if low is None:
        return base
    # Claim.claim_id reads numbers in one form (0 == 0.0), so the rebuilt claim keeps its stored id
    return replace(base, value=Interval(low, high, qualifier, value_text))
