"""The warehouse edge of incremental matching: read only what the touched facts need, write only what changed.

One job: SQL in, records out, and one transaction back. `StoryReader(con, story)` answers the questions
matching/incremental.py asks (what is new since the stored results, the stored voices, sentence postings,
subjects, value keys and claims of given facts), each with one parameterised query whose size follows the
question, not the story (DuckDB filters the story's rows in C). `store_increment(con, delta, run_id)` writes a
`MatchDelta` in one transaction: it replaces the rows of the touched facts, articles, surfaces and subjects,
inserts the new members and updates the members whose value key changed outcome. Tables are those of
migrations 003 and 007 (docs/warehouse-matching.md).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from core.records import Article, Claim
from matching.copies import Posting
from matching.records import (
    MatchDelta,
    NodeRow,
    StoredClaim,
    StoredKey,
    SubjectKey,
    SubjectRow,
    Value,
    Voice,
)
from warehouse.db import transaction, utc_now
from warehouse.matches import (
    ARTICLE_COLUMNS,
    CLAIM_COLUMNS,
    CLAIM_ORDER,
    TABLES,
    Col,
    arrow_table,
    claim_from_row,
    insert_tables,
    write_state,
)

SUBJECT_TOKEN_SQL = "c.subject || chr(31) || coalesce(c.subject_surface, chr(30))"
SURFACE_SQL = "coalesce(nullif(c.subject_surface, ''), c.subject)"  # `c.subject_surface or c.subject`


class StoryReader:
    """Parameterised reads of one story's stored inputs and results, on an open connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, story: str, among: Collection[str] | None = None) -> None:
        self.con = con
        self.story = story
        # With `among` (article ids), only these of the story's unmatched articles count as new, and as there:
        # a story matched from scratch in batches folds in one batch at a time (jobs.match_story).
        self.among = sorted(among) if among is not None else None
        # When the stored results were written: rows are only ever appended, so anything new was loaded since
        # (lets DuckDB skip the row groups before it; a row loaded earlier but missed would show in `counts`).
        self.since: Any = datetime.min

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, [self.story, *params]).fetchall()

    def state(self) -> tuple[str, int, int] | None:
        """(signature, articles, claims) of the stored results, or None when the story has no state."""
        row = self.con.execute("SELECT signature, articles, claims, matched_at FROM match_state WHERE story = ?",
                               [self.story]).fetchone()
        if not row:
            return None
        if self.among is None:  # a batch was loaded before the state of the batches before it was written
            self.since = row[3]
        return (row[0], int(row[1]), int(row[2]))

    def _among(self, column: str) -> tuple[str, list[Any]]:
        """The SQL condition and parameter restricting `column` (an article id) to `among`, if set."""
        if self.among is None:
            return "", []
        return f" AND {column} IN (SELECT unnest(?))", [self.among]

    def counts(self) -> tuple[int, int]:
        """(articles, claims) the story has in the warehouse now (with `among`: the matched ones and those)."""
        if self.among is None:
            where, params = "a.story = ?", []
        else:
            where = ("a.story = ? AND (a.article_id IN (SELECT unnest(?)) OR EXISTS (SELECT 1 FROM match_voices AS v "
                     "WHERE v.story = a.story AND v.article_id = a.article_id))")
            params = [self.among]
        articles = self._rows(f"SELECT count(*) FROM articles AS a WHERE {where}", params)[0][0]
        claims = self._rows(f"""
            SELECT count(*) FROM claims AS c JOIN articles AS a ON a.article_id = c.article_id
            WHERE {where}""", params)[0][0]
        return int(articles), int(claims)

    def new_articles(self) -> list[Article]:
        """The story's articles that have no voice yet: stored since the last matching."""
        cols = ", ".join(f"a.{c}" for c in ARTICLE_COLUMNS)
        among, params = self._among("a.article_id")
        rows = self._rows(f"""
            SELECT {cols} FROM articles AS a WHERE a.story = ? AND a.loaded_at >= ?{among}
              AND NOT EXISTS (SELECT 1 FROM match_voices AS v WHERE v.story = a.story AND v.article_id = a.article_id
                              {among.replace("a.article_id", "v.article_id")})
            ORDER BY a.article_id""", [self.since, *params, *params])
        return [Article(**dict(zip(ARTICLE_COLUMNS, r, strict=True))) for r in rows]

    def new_claims(self) -> list[Claim]:
        """The story's claims in no fact yet, in claim order."""
        among, params = self._among("c.article_id")
        rows = self._rows(f"""
            SELECT {CLAIM_COLUMNS} FROM claims AS c JOIN articles AS a ON a.article_id = c.article_id
            WHERE a.story = ? AND c.loaded_at >= ?{among}
              AND NOT EXISTS (SELECT 1 FROM fact_members AS m WHERE m.story = a.story AND m.claim_id = c.claim_id
                              {among.replace("c.article_id", "m.article_id")})
            {CLAIM_ORDER}""", [self.since, *params, *params])
        return [claim_from_row(r) for r in rows]

    def articles(self, ids: Collection[str], *, text: bool = True) -> list[Article]:
        """Stored articles by id (without their text when `text` is false)."""
        if not ids:
            return []
        cols = [c for c in ARTICLE_COLUMNS if text or c != "text"]
        rows = self.con.execute(f"SELECT {', '.join(cols)} FROM articles WHERE article_id IN (SELECT unnest(?))",
                                [sorted(ids)]).fetchall()
        out = []
        for r in rows:
            fields = dict(zip(cols, r, strict=True))
            fields.setdefault("text", "")
            out.append(Article(**fields))
        return out

    def postings(self, keys: Collection[int], *, docs: int = 0) -> dict[int, tuple[Posting, list[str] | None]]:
        """{sentence key: (its stored posting, its articles when there are at most `docs`)}."""
        if not keys:
            return {}
        rows = self.con.execute("""
            SELECT sentence_key, count(*), min(article_id),
                   CASE WHEN count(*) <= ? THEN list(article_id ORDER BY article_id) END
            FROM match_sentences WHERE story = ? AND sentence_key IN (SELECT unnest(?)) GROUP BY sentence_key""",
            [docs, self.story, sorted(keys)]).fetchall()
        return {int(k): (Posting(int(n), first), list(ds) if ds is not None else None) for k, n, first, ds in rows}

    def sentence_keys(self, ids: Collection[str]) -> dict[str, set[int]]:
        out: dict[str, set[int]] = {aid: set() for aid in ids}
        if not ids:
            return out
        for aid, key in self._rows("""
                SELECT article_id, sentence_key FROM match_sentences
                WHERE story = ? AND article_id IN (SELECT unnest(?))""", [sorted(ids)]):
            out[aid].add(int(key))
        return out

    def voices(self, ids: Collection[str]) -> dict[str, Voice]:
        if not ids:
            return {}
        rows = self._rows("""
            SELECT article_id, story, voice_id, original_id, signal, containment FROM match_voices
            WHERE story = ? AND article_id IN (SELECT unnest(?))""", [sorted(ids)])
        return {r[0]: Voice(*r) for r in rows}

    def copies_of(self, originals: Collection[str]) -> list[str]:
        """Every article whose copy cluster has one of these originals."""
        if not originals:
            return []
        return [r[0] for r in self._rows("""
            SELECT article_id FROM match_voices WHERE story = ? AND original_id IN (SELECT unnest(?))""",
            [sorted(originals)])]

    def subjects(self, tokens: Collection[str] | None = None, *, method: str | None = None) -> list[SubjectRow]:
        """Stored subject rows: those of the given (subject, surface) tokens, or of one method."""
        sql = ("SELECT story, subject, surface, subject_known, canonical, known, method, score FROM match_subjects "
               "WHERE story = ?")
        params: list[Any] = []
        if tokens is not None:
            if not tokens:
                return []
            sql += " AND subject || chr(31) || coalesce(surface, chr(30)) IN (SELECT unnest(?))"
            params.append(sorted(tokens))
        if method is not None:
            sql += " AND method = ?"
            params.append(method)
        return [SubjectRow(*r) for r in self._rows(sql, params)]

    def members_with_subjects(self, tokens: Collection[str]) -> list[tuple[str, str]]:
        """(claim_id, fact_id) of the stored members whose claim has one of these (subject, surface) tokens."""
        if not tokens:
            return []
        return [(r[0], r[1]) for r in self._rows(f"""
            SELECT m.claim_id, m.fact_id FROM fact_members AS m JOIN claims AS c ON c.claim_id = m.claim_id
            WHERE m.story = ? AND {SUBJECT_TOKEN_SQL} IN (SELECT unnest(?))""", [sorted(tokens)])]

    def members_of_articles(self, ids: Collection[str]) -> list[tuple[str, str, str]]:
        """(claim_id, fact_id, article_id) of the stored members found in these articles."""
        if not ids:
            return []
        return [(r[0], r[1], r[2]) for r in self._rows("""
            SELECT claim_id, fact_id, article_id FROM fact_members
            WHERE story = ? AND article_id IN (SELECT unnest(?))""", [sorted(ids)])]

    def facts(self, ids: Collection[str]) -> dict[str, tuple[str, str | None, str | None, str | None, int]]:
        """{fact_id: (kind, subject, party, munition, claims)} of stored facts."""
        if not ids:
            return {}
        return {r[0]: tuple(r[1:]) for r in self._rows("""
            SELECT fact_id, kind, subject, party, munition, claims FROM facts
            WHERE story = ? AND fact_id IN (SELECT unnest(?))""", [sorted(ids)])}

    def fact_voice_counts(self, ids: Collection[str], *, excluding: Collection[str] = (),
                          adding: Collection[tuple[str, str]] = ()) -> dict[str, int]:
        """{fact_id: how many voices its members have}: the stored members but those of the `excluding` claim
        ids, with the (fact_id, voice_id) pairs of `adding` (counted in SQL: a fact can have thousands)."""
        out = dict.fromkeys(ids, 0)
        if not ids:
            return out
        pairs = sorted(set(adding))
        rows = self._rows("""
            SELECT fact_id, count(DISTINCT voice_id) FROM (
                SELECT fact_id, voice_id FROM fact_members
                WHERE story = ? AND fact_id IN (SELECT unnest(?)) AND claim_id NOT IN (SELECT unnest(?))
                UNION ALL
                SELECT unnest(?::VARCHAR[]) AS fact_id, unnest(?::VARCHAR[]) AS voice_id)
            GROUP BY fact_id""", [sorted(ids), sorted(excluding), [f for f, _ in pairs], [v for _, v in pairs]])
        out.update({r[0]: int(r[1]) for r in rows if r[0] in out})
        return out

    def members(self, claim_ids: Collection[str]) -> list[StoredClaim]:
        """The stored members of these claims, with their claims, in claim order."""
        if not claim_ids:
            return []
        return self._stored("m.claim_id IN (SELECT unnest(?))", [sorted(claim_ids)])

    def key_members(self, fact_id: str, group: str, value: Value | None) -> list[StoredClaim]:
        """The stored members of one value key of a fact (its group, before neutral values join a side, and its
        value), with their claims, in claim order."""
        low, high = value if value is not None else (None, None)
        return self._stored("""m.fact_id = ? AND coalesce(m.side, 'neutral:' || m.voice_id) = ?
              AND m.value_low IS NOT DISTINCT FROM ? AND m.value_high IS NOT DISTINCT FROM ?""",
                            [fact_id, group, low, high])

    def _stored(self, where: str, params: Sequence[Any]) -> list[StoredClaim]:
        """The story's stored members that `where` selects, with their claims, in claim order."""
        rows = self._rows(f"""
            SELECT m.fact_id, m.voice_id, m.side, m.side_source, m.published, {CLAIM_COLUMNS}
            FROM fact_members AS m JOIN claims AS c ON c.claim_id = m.claim_id
            WHERE m.story = ? AND {where}
            {CLAIM_ORDER}""", params)
        return [StoredClaim(claim_from_row(r[5:]), r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def keys(self, ids: Collection[str]) -> dict[str, list[StoredKey]]:
        """{fact_id: its stored value keys, each with its representative claim}."""
        out: dict[str, list[StoredKey]] = {fid: [] for fid in ids}
        if not ids:
            return out
        rows = self._rows(f"""
            SELECT n.fact_id, n.key_group, n.value_low, n.value_high, n.first_article_id, n.first_span_start,
                   n.first_claim_id, n.claims, n.earliest, n.rep_claim_id, n.node, n.comparison_group, n.first_seen,
                   n.step, n.role, n.representative, m.voice_id, m.side, m.side_source, m.published, {CLAIM_COLUMNS}
            FROM fact_nodes AS n
            JOIN fact_members AS m ON m.fact_id = n.fact_id AND m.claim_id = n.rep_claim_id
            JOIN claims AS c ON c.claim_id = n.rep_claim_id
            WHERE n.story = ? AND n.fact_id IN (SELECT unnest(?))""", [sorted(ids)])
        for r in rows:
            (fid, group, low, high, f_art, f_start, f_claim, claims, earliest, rep, node, cgroup, first_seen, step,
             role, representative, voice, side, side_source, published) = r[:20]
            row = NodeRow(fid, group, None if low is None else (low, high), (f_art, f_start, f_claim), claims,
                          earliest, rep, node, cgroup, first_seen, step, role, representative)
            out[fid].append(StoredKey(row, StoredClaim(claim_from_row(r[20:]), fid, voice, side, side_source,
                                                       published)))
        return out

    def stored_claims(self, ids: Collection[str]) -> list[StoredClaim]:
        """Every stored member of these facts, with its claim, in claim order."""
        if not ids:
            return []
        return self._stored("m.fact_id IN (SELECT unnest(?))", [sorted(ids)])

    def claims(self, ids: Collection[str]) -> list[Claim]:
        if not ids:
            return []
        rows = self.con.execute(f"""
            SELECT {CLAIM_COLUMNS} FROM claims AS c WHERE c.claim_id IN (SELECT unnest(?)) {CLAIM_ORDER}""",
            [sorted(ids)]).fetchall()
        return [claim_from_row(r) for r in rows]

    def first_by_surface(self, surfaces: Collection[str]) -> dict[str, SubjectKey]:
        """{surface: (subject, subject_surface) of the story's first claim, in claim order, written that way}."""
        if not surfaces:
            return {}
        rows = self._rows(f"""
            SELECT {SURFACE_SQL},
                   arg_min(struct_pack(s := c.subject, f := c.subject_surface),
                           struct_pack(a := c.article_id, p := c.span_start, i := c.claim_id))
            FROM claims AS c JOIN articles AS a ON a.article_id = c.article_id
            WHERE a.story = ? AND c.subject IS NOT NULL AND {SURFACE_SQL} IN (SELECT unnest(?))
            GROUP BY 1""", [sorted(surfaces)])
        return {r[0]: (r[1]["s"], r[1]["f"]) for r in rows}


FACT_ROW_COLUMNS: tuple[Col, ...] = tuple(
    Col(c.name, c.type, {"claims": lambda f: f.claims, "voices": lambda f: f.voices}.get(c.name, c.get))
    for c in TABLES["facts"])  # the same columns as store.TABLES["facts"]; slot and id read the same way


_MEMBER_KEY_UPDATE_SQL = """
    UPDATE fact_members AS m SET node = u.node, comparison_group = u.comparison_group, first_seen = u.first_seen,
           step = u.step, role = u.role, representative = (m.claim_id = u.representative),
           run_id = CAST(? AS VARCHAR), matched_at = CAST(? AS TIMESTAMP)
    FROM _key_updates AS u
    WHERE m.story = ? AND m.fact_id = u.fact_id AND coalesce(m.side, 'neutral:' || m.voice_id) = u.key_group
      AND m.value_low IS NOT DISTINCT FROM u.value_low AND m.value_high IS NOT DISTINCT FROM u.value_high
"""


def _key_updates(rows: Iterable[NodeRow]) -> pa.Table:
    rows = list(rows)
    return pa.table({
        "fact_id": pa.array([n.fact_id for n in rows], pa.string()),
        "key_group": pa.array([n.group for n in rows], pa.string()),
        "value_low": pa.array([None if n.value is None else n.value[0] for n in rows], pa.float64()),
        "value_high": pa.array([None if n.value is None else n.value[1] for n in rows], pa.float64()),
        "node": pa.array([n.node for n in rows], pa.int32()),
        "comparison_group": pa.array([n.comparison_group for n in rows], pa.string()),
        "first_seen": pa.array([n.first_seen for n in rows], pa.timestamp("us")),
        "step": pa.array([n.step for n in rows], pa.int32()),
        "role": pa.array([n.role for n in rows], pa.string()),
        "representative": pa.array([n.representative for n in rows], pa.string()),
    })


def store_increment(con: duckdb.DuckDBPyConnection, delta: MatchDelta, run_id: str) -> dict[str, int]:
    """Write one story's `MatchDelta` in one transaction. Returns rows written per table."""
    story = delta.story
    facts = delta.rewritten | delta.grown
    incoming: dict[str, pa.Table] = {
        "match_voices": arrow_table("match_voices", delta.voices),
        "match_sentences": arrow_table("match_sentences", delta.sentences),
        "match_subjects": arrow_table("match_subjects", delta.subjects),
        "match_entities": arrow_table("match_entities", delta.entities),
        "facts": arrow_table("facts", delta.facts, FACT_ROW_COLUMNS),
        "fact_verdicts": arrow_table("fact_verdicts", [(story, v) for v in delta.verdicts]),
        "fact_relations": arrow_table("fact_relations", [(story, r) for r in delta.relations]),
        "fact_nodes": arrow_table("fact_nodes", [(story, n) for n in delta.nodes]),
        "fact_members": arrow_table("fact_members", [(story, m) for m in delta.members]),
    }
    deletes: list[tuple[str, list[Any]]] = [
        ("DELETE FROM match_voices WHERE story = ? AND article_id IN (SELECT unnest(?))",
         [story, sorted({v.article_id for v in delta.voices})]),
        ("DELETE FROM match_subjects WHERE story = ? AND subject || chr(31) || coalesce(surface, chr(30)) "
         "IN (SELECT unnest(?))", [story, sorted({s.subject + "\x1f" + (s.surface if s.surface is not None else "\x1e")
                                                 for s in delta.subjects})]),
        ("DELETE FROM match_entities WHERE story = ? AND surface IN (SELECT unnest(?))",
         [story, sorted({e.surface for e in delta.entities})]),
        *[(f"DELETE FROM {t} WHERE story = ? AND fact_id IN (SELECT unnest(?))", [story, sorted(facts)])
          for t in ("facts", "fact_verdicts", "fact_relations", "fact_nodes")],
        ("DELETE FROM fact_members WHERE story = ? AND fact_id IN (SELECT unnest(?))",
         [story, sorted(delta.rewritten)]),
        ("DELETE FROM fact_members WHERE story = ? AND claim_id IN (SELECT unnest(?))",
         [story, sorted(delta.dropped_members)]),
    ]
    now = utc_now()
    registered: list[str] = []
    try:
        with transaction(con):
            for sql, params in deletes:
                if params[1]:
                    con.execute(sql, params)
            if delta.key_updates:
                con.register("_key_updates", _key_updates(delta.key_updates))
                registered.append("_key_updates")
                con.execute(_MEMBER_KEY_UPDATE_SQL, [run_id, now, story])
            insert_tables(con, incoming.items(), run_id, now, registered)
            if delta.state is not None:
                write_state(con, delta.state, run_id, now)
    finally:
        for source in registered:
            con.unregister(source)
    return {t: data.num_rows for t, data in incoming.items()}
