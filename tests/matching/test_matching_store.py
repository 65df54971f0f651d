"""warehouse.matches: bulk, atomic, replace-per-story writes; the discrepancies and fact_consensus views."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest

from matching.records import MatchResult
from warehouse.db import open_warehouse
from warehouse.load import load_articles, load_claims
from warehouse.matches import TABLES, store_matches

STORY = "iran-2020"


@pytest.fixture
def con(tmp_path: Path, corpus: Any) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_warehouse(tmp_path / "var" / "crosscheck.duckdb", wait_s=0)
    load_articles(connection, corpus.articles, "run-1")
    load_claims(connection, corpus.claims, "run-1")
    yield connection
    connection.close()


def counts(con: duckdb.DuckDBPyConnection, story: str = STORY) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t} WHERE story = ?", [story]).fetchone()[0]  # type: ignore[index]
            for t in TABLES}


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def test_store_writes_every_table_and_rerun_replaces(con: duckdb.DuckDBPyConnection, corpus: Any) -> None:
    result: MatchResult = corpus.result
    written = store_matches(con, STORY, result, "run-1")
    assert written["facts"] == len(result.facts) and written["fact_members"] == len(result.members)
    assert counts(con) == written
    again = store_matches(con, STORY, result, "run-2")
    assert again == written and counts(con) == written  # idempotent: replaced, not doubled
    assert {r[0] for r in con.execute("SELECT DISTINCT run_id FROM fact_relations").fetchall()} == {"run-2"}


def test_rerun_with_fewer_facts_leaves_no_stale_rows(con: duckdb.DuckDBPyConnection, corpus: Any) -> None:
    result: MatchResult = corpus.result
    store_matches(con, STORY, result, "run-1")
    keep = result.facts[:3]
    ids = {f.fact_id for f in keep}
    smaller = replace(result, facts=keep, members=tuple(m for m in result.members if m.fact_id in ids),
                      relations=tuple(r for r in result.relations if r.fact_id in ids),
                      verdicts=tuple(v for v in result.verdicts if v.fact_id in ids))
    store_matches(con, STORY, smaller, "run-2")
    assert {r[0] for r in con.execute("SELECT fact_id FROM facts").fetchall()} == ids


def test_other_stories_are_untouched(con: duckdb.DuckDBPyConnection, corpus: Any) -> None:
    result: MatchResult = corpus.result
    store_matches(con, STORY, result, "run-1")
    other = replace(
        result,
        voices=tuple(replace(v, story="other") for v in result.voices),
        entities=tuple(replace(e, story="other") for e in result.entities),
        facts=tuple(replace(f, fact_id="o" + f.fact_id, slot=replace(f.slot, story="other")) for f in result.facts),
        members=tuple(replace(m, fact_id="o" + m.fact_id) for m in result.members),
        relations=tuple(replace(r, fact_id="o" + r.fact_id, relation_id="o" + r.relation_id)
                        for r in result.relations),
        verdicts=tuple(replace(v, fact_id="o" + v.fact_id) for v in result.verdicts),
    )
    store_matches(con, "other", other, "run-2")
    assert counts(con) == counts(con, "other")
    store_matches(con, "other", replace(other, facts=(), members=(), relations=(), verdicts=()), "run-3")
    assert counts(con, "other")["facts"] == 0 and counts(con)["facts"] == len(result.facts)


class FailingInsert:
    """Wraps a connection; the INSERT into one table fails as a full disk would, after the DELETEs ran."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
        self._con = con
        self._prefix = f"INSERT INTO {table} "

    def execute(self, sql: str, *args: Any) -> duckdb.DuckDBPyConnection:
        if sql.startswith(self._prefix):
            raise duckdb.IOException("simulated: no space left on device")
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def test_failure_part_way_keeps_the_previous_results(con: duckdb.DuckDBPyConnection, corpus: Any) -> None:
    store_matches(con, STORY, corpus.result, "run-1")
    before = counts(con)
    failing: Any = FailingInsert(con, "fact_verdicts")  # the last table: every other insert already ran
    with pytest.raises(duckdb.IOException):
        store_matches(failing, STORY, corpus.result, "run-2")
    assert counts(con) == before
    assert {r[0] for r in con.execute("SELECT DISTINCT run_id FROM facts").fetchall()} == {"run-1"}
    store_matches(con, STORY, corpus.result, "run-2")  # the connection is usable afterwards


def test_discrepancies_view_shows_both_sides(con: duckdb.DuckDBPyConnection, corpus: Any) -> None:
    store_matches(con, STORY, corpus.result, "run-1")
    got = rows(con, "SELECT * FROM discrepancies WHERE kind = 'killed' AND party = 'US' AND scope = 'cross_side'")
    assert got
    row = next(r for r in got if {r["value_low_a"], r["value_low_b"]} == {0.0, 80.0})
    a, b = ("a", "b") if row["side_a"] == "US" else ("b", "a")
    assert row[f"side_{a}"] == "US" and row[f"side_{b}"] == "Iran"
    assert row[f"speaker_{b}"] == "Iranian state media" and row[f"speaker_{a}"]
    assert row[f"outlet_{a}"] and row[f"outlet_{b}"] and row[f"published_{a}"] and row[f"first_seen_{b}"]
    assert "80" in row[f"sentence_{b}"] and row[f"span_start_{b}"] < row[f"span_end_{b}"]
    assert row["claim_a"] != row["claim_b"]
    launched = rows(con, "SELECT * FROM discrepancies WHERE kind = 'munitions_launched' AND subject IS NULL "
                         "AND value_low_a IN (16, 22) AND value_low_b IN (16, 22)")
    assert len(launched) == 1
    assert {launched[0]["speaker_a"], launched[0]["speaker_b"]} == {"Mark Esper", "Iraqi Joint Operations Command"}


def test_fact_consensus_and_timeline_views(con: duckdb.DuckDBPyConnection, corpus: Any) -> None:
    store_matches(con, STORY, corpus.result, "run-1")
    consensus = rows(con, "SELECT * FROM fact_consensus")
    assert len(consensus) == len(corpus.result.facts)
    injured = next(r for r in consensus if r["kind"] == "injured" and r["party"] == "US" and r["subject"] is None)
    current = {g["group"]: g for g in json.loads(injured["current_by_side"])}
    assert current["US"]["value_low"] == 110.0 and current["US"]["sequence"][0] == [0.0, 0.0]
    assert injured["voices"] >= 5 and injured["updates"] >= 6
    timeline = rows(con, "SELECT step, value_low, latest FROM fact_timeline WHERE kind = 'injured' AND party = 'US' "
                         "AND comparison_group = 'US' ORDER BY step")
    values = [r["value_low"] for r in timeline]
    assert values[0] == 0.0 and values[-1] == 110.0 and [r["latest"] for r in timeline][-1]
    assert sum(r["latest"] for r in timeline) == 1


def test_stored_inputs_rebuild_the_same_claims_and_result(con: duckdb.DuckDBPyConnection, corpus: Any,
                                                          vocab: Any) -> None:
    from matching.align import cross_reference
    from warehouse.matches import load_story_inputs

    articles, claims = load_story_inputs(con, STORY)
    assert {a.article_id for a in articles} == {a.article_id for a in corpus.articles}
    assert sorted(c.claim_id for c in claims) == sorted({c.claim_id for c in corpus.claims})
    again = cross_reference(articles, claims, vocab)
    assert {(v.fact_id, v.verdict) for v in again.verdicts} == {(v.fact_id, v.verdict) for v in corpus.result.verdicts}
    assert {r.relation_id for r in again.relations} == {r.relation_id for r in corpus.result.relations}
