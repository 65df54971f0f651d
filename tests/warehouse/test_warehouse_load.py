"""warehouse.load: bulk, idempotent, atomic loads of real records into a real DuckDB file."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pytest

from core.errors import CrosscheckError
from core.records import Article, Attribution, Claim, Evidence, FetchOutcome, Interval, Rejected, TimeSpan, content_hash
from warehouse.load import (
    finish_run,
    known_article_ids,
    load_articles,
    load_claims,
    load_errors,
    load_fetches,
    start_run,
)

TEXT_A = (
    "Iran fired 22 missiles at two bases in Iraq, the Pentagon said. "
    "At least 11 hit Al Asad air base early on Wednesday."
)
TEXT_B = "Iraq said it received advance notice of the strikes, which hit between 1:45 and 2:15 am."


def article(text: str, **kw: Any) -> Article:
    return Article(article_id=content_hash(text), text=text, **kw)


ART_A = article(
    TEXT_A,
    title="Iran strikes bases",
    outlet="Example Times",
    published="2020-01-08T06:00:00+00:00",
    url="https://example.org/a",
    byline="A. Writer",
    source="gdelt",
    path="seeds/articles/a.html",
    story="iran-2020",
    date_signal="json-ld",
)
ART_B = article(TEXT_B)
A, B = ART_A.article_id, ART_B.article_id


def claim(article_id: str, start: int, *, version: str = "v1", low: float = 22.0, **kw: Any) -> Claim:
    """A fully populated claim; keyword arguments override fields."""
    fields: dict[str, Any] = {
        "kind": "munition_count",
        "evidence": Evidence(
            article_id=article_id,
            sentence="Iran fired 22 missiles.",
            sentence_start=0,
            start=start,
            end=start + 10,
        ),
        "extractor_version": version,
        "value": Interval(low=low, high=low, qualifier="exact", text=str(int(low))),
        "munition": "ballistic missile",
        "party": "Iran",
        "subject": "Al Asad",
        "subject_surface": "Al Asad air base",
        "subject_known": True,
        "when": TimeSpan(
            start="2020-01-08T01:45+03:00",
            end="2020-01-08T02:15+03:00",
            text="early on Wednesday",
            precision="minute",
        ),
        "attribution": Attribution(
            speaker="US Department of Defense",
            surface="the Pentagon",
            organisation="US Department of Defense",
            side="US",
            hedge="said",
        ),
    }
    fields.update(kw)
    return Claim(**fields)


def claim_from_row(row: dict[str, Any]) -> Claim:
    """Rebuild a Claim from a claims row (the inverse of the loader's column mapping)."""
    value = None
    if row["qualifier"] is not None:
        value = Interval(row["value_low"], row["value_high"], row["qualifier"], row["value_text"])
    when = None
    if row["when_start"] is not None:
        when = TimeSpan(row["when_start"], row["when_end"], row["when_text"], row["when_precision"])
    return Claim(
        kind=row["kind"],
        evidence=Evidence(
            row["article_id"], row["sentence"], row["sentence_start"], row["span_start"], row["span_end"]
        ),
        extractor_version=row["extractor_version"],
        value=value,
        munition=row["munition"],
        party=row["party"],
        subject=row["subject"],
        subject_surface=row["subject_surface"],
        subject_known=row["subject_known"],
        when=when,
        attribution=Attribution(
            row["speaker"], row["speaker_surface"], row["organisation"], row["side"], row["hedge"]
        ),
    )


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def snapshot(con: duckdb.DuckDBPyConnection, table: str, key: str) -> list[tuple[Any, ...]]:
    return con.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()


# --- runs ---------------------------------------------------------------------------------------


def test_runs_start_and_finish(con: duckdb.DuckDBPyConnection) -> None:
    assert start_run(con, "run-1", "iran-2020", flow_run_id="flow-9") is True
    assert start_run(con, "run-1", "iran-2020") is False  # a second start changes nothing
    [run] = rows(con, "SELECT * FROM runs")
    assert (run["status"], run["story"], run["flow_run_id"], run["ended_at"]) == (
        "running",
        "iran-2020",
        "flow-9",
        None,
    )
    counts = {"articles_new": 2, "claims_new": 5, "errors": 1, "rejected_by_reason": {"empty": 1}}
    finish_run(con, "run-1", "ok", counts)
    [run] = rows(con, "SELECT * FROM runs")
    assert run["status"] == "ok"
    assert run["ended_at"] >= run["started_at"]
    assert (run["articles_new"], run["claims_new"], run["errors"]) == (2, 5, 1)
    assert json.loads(run["details"]) == counts


def test_finish_run_rejects_unknown_run_and_status(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(CrosscheckError, match="no such run"):
        finish_run(con, "nope", "ok", {})
    start_run(con, "run-1", None)
    with pytest.raises(CrosscheckError, match="unknown run status"):
        finish_run(con, "run-1", "done", {})
    with pytest.raises(CrosscheckError, match="must be an int"):
        finish_run(con, "run-1", "ok", {"claims_new": "5"})
    assert rows(con, "SELECT status FROM runs") == [{"status": "running"}]


# --- articles -----------------------------------------------------------------------------------


def test_articles_round_trip_and_load_twice(con: duckdb.DuckDBPyConnection) -> None:
    assert load_articles(con, [ART_A, ART_B, ART_A], "run-1") == 2
    assert load_articles(con, [ART_A, ART_B], "run-2") == 0
    assert load_articles(con, [], "run-2") == 0
    assert count(con, "articles") == 2
    [got] = rows(con, "SELECT * FROM articles WHERE article_id = ?", [A])
    for name in (
        "title",
        "outlet",
        "published",
        "url",
        "byline",
        "source",
        "path",
        "story",
        "date_signal",
        "text",
    ):
        assert got[name] == getattr(ART_A, name), name
    assert got["chars"] == len(TEXT_A)
    assert got["run_id"] == "run-1"
    assert got["loaded_at"] is not None
    [b] = rows(con, "SELECT source, title FROM articles WHERE article_id = ?", [B])
    assert b == {"source": "local", "title": None}
    assert known_article_ids(con) == {A, B}


def test_known_article_ids_empty(con: duckdb.DuckDBPyConnection) -> None:
    assert known_article_ids(con) == set()


# --- claims -------------------------------------------------------------------------------------


def test_claims_round_trip_every_field(con: duckdb.DuckDBPyConnection) -> None:
    full = claim(A, 11)
    sparse = Claim(  # every optional part absent
        kind="responsibility",
        evidence=Evidence(article_id=A, sentence="Someone did it.", sentence_start=64, start=64, end=71),
        extractor_version="v1",
        subject_known=False,
    )
    open_ended = claim(
        A,
        70,
        low=11.0,
        value=Interval(low=11.0, high=None, qualifier="at_least", text="at least 11"),
        when=None,
    )
    originals = [full, sparse, open_ended]
    assert load_claims(con, originals, "run-1") == 3
    stored = rows(con, "SELECT * FROM claims")
    by_id = {r["claim_id"]: r for r in stored}
    assert set(by_id) == {c.claim_id for c in originals}
    for c in originals:
        row = by_id[c.claim_id]
        assert claim_from_row(row) == c
        assert row["run_id"] == "run-1" and row["loaded_at"] is not None
    assert by_id[open_ended.claim_id]["value_high"] is None


def test_claims_load_twice_adds_nothing(con: duckdb.DuckDBPyConnection) -> None:
    batch = [claim(A, 0), claim(A, 30, low=11.0), claim(B, 5)]
    assert load_claims(con, batch, "run-1") == 3
    assert load_claims(con, batch, "run-2") == 0
    assert load_claims(con, batch + batch, "run-3") == 0
    assert count(con, "claims") == 3
    assert {r["run_id"] for r in rows(con, "SELECT run_id FROM claims")} == {"run-1"}


def test_claims_with_one_id_in_a_batch_are_stored_once(con: duckdb.DuckDBPyConnection) -> None:
    said = claim(A, 0)
    claimed = claim(A, 0, attribution=Attribution(speaker=said.attribution.speaker, hedge="claimed"))
    assert said.claim_id == claimed.claim_id
    assert load_claims(con, [said, claimed], "run-1") == 1
    assert rows(con, "SELECT hedge FROM claims") == [{"hedge": "said"}]


def test_same_version_adds_new_claims_and_keeps_old(con: duckdb.DuckDBPyConnection) -> None:
    load_claims(con, [claim(A, 0)], "run-1")
    assert load_claims(con, [claim(A, 0), claim(A, 40)], "run-2") == 1
    assert count(con, "claims") == 2


def test_new_extractor_version_replaces_that_articles_claims(con: duckdb.DuckDBPyConnection) -> None:
    load_claims(con, [claim(A, 0), claim(A, 30), claim(A, 60), claim(B, 5)], "run-1")
    b_claims = "SELECT * FROM claims WHERE article_id = ? ORDER BY claim_id"
    b_before = rows(con, b_claims, [B])
    # v2 keeps one span (same claim_id as before), drops two and finds one new.
    v2 = [claim(A, 0, version="v2"), claim(A, 90, version="v2")]
    assert load_claims(con, v2, "run-2") == 2
    got = rows(con, "SELECT claim_id, extractor_version, run_id FROM claims WHERE article_id = ?", [A])
    assert sorted(r["claim_id"] for r in got) == sorted(c.claim_id for c in v2)
    assert {(r["extractor_version"], r["run_id"]) for r in got} == {("v2", "run-2")}
    assert rows(con, b_claims, [B]) == b_before
    # the same v2 batch again is a no-op
    assert load_claims(con, v2, "run-3") == 0
    assert count(con, "claims") == 3


# --- errors and fetches -------------------------------------------------------------------------


def test_errors_stored_and_idempotent(con: duckdb.DuckDBPyConnection) -> None:
    rejected = [
        Rejected(input="seeds/articles/empty.html", stage="ingest", reason="empty"),
        Rejected(input="https://example.org/x", stage="fetch", reason="http 404", source="gdelt"),
        Rejected(input="seeds/articles/empty.html", stage="ingest", reason="empty"),
    ]
    assert load_errors(con, rejected, "run-1") == 2
    assert load_errors(con, rejected, "run-1") == 0
    assert load_errors(con, rejected[:1], "run-2") == 1  # another run's rejection is its own row
    got = rows(
        con,
        'SELECT input, stage, reason, source, run_id, rejected_at FROM errors WHERE run_id = ? ORDER BY stage',
        ["run-1"],
    )
    assert [(r["input"], r["stage"], r["reason"], r["source"]) for r in got] == [
        ("https://example.org/x", "fetch", "http 404", "gdelt"),
        ("seeds/articles/empty.html", "ingest", "empty", "local"),
    ]
    assert all(r["rejected_at"] is not None for r in got)


def test_fetches_stored_and_idempotent(con: duckdb.DuckDBPyConnection) -> None:
    ok = FetchOutcome(
        url="https://example.org/a",
        source="gdelt",
        status=200,
        ok=True,
        bytes=5_000_000_000,
        elapsed_s=0.25,
        from_cache=True,
        content_type="text/html",
        final_url="https://example.org/a?x=1",
    )
    failed = FetchOutcome(
        url="https://example.org/b",
        source="gdelt",
        status=None,
        ok=False,
        bytes=0,
        elapsed_s=10.0,
        reason="timeout",
    )
    batch = [ok, failed, failed]  # two identical attempts are two rows
    assert load_fetches(con, batch, "run-1") == 3
    assert load_fetches(con, batch, "run-1") == 0
    assert count(con, "fetches") == 3
    got = rows(con, "SELECT * FROM fetches WHERE url = ?", [ok.url])
    assert len(got) == 1
    row = got[0]
    assert (
        FetchOutcome(
            url=row["url"],
            source=row["source"],
            status=row["status"],
            ok=row["ok"],
            bytes=row["bytes"],
            elapsed_s=row["elapsed_s"],
            reason=row["reason"],
            from_cache=row["from_cache"],
            content_type=row["content_type"],
            final_url=row["final_url"],
        )
        == ok
    )
    assert row["run_id"] == "run-1" and row["fetched_at"] is not None
    assert rows(con, "SELECT DISTINCT status, reason FROM fetches WHERE NOT ok") == [
        {"status": None, "reason": "timeout"}
    ]


# --- atomicity ----------------------------------------------------------------------------------


class FailingInsert:
    """Wraps a connection; the INSERT into one table fails as a full disk would, after earlier steps."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
        self._con = con
        self._prefix = f"INSERT INTO {table} "

    def execute(self, sql: str, *args: Any) -> duckdb.DuckDBPyConnection:
        if sql.startswith(self._prefix):
            raise duckdb.IOException("simulated: no space left on device")
        return self._con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)


def test_failed_replacement_leaves_claims_as_before(con: duckdb.DuckDBPyConnection) -> None:
    load_claims(con, [claim(A, 0), claim(A, 30), claim(B, 5)], "run-1")
    before = snapshot(con, "claims", "claim_id")
    failing: Any = FailingInsert(con, "claims")
    with pytest.raises(duckdb.IOException, match="no space"):
        load_claims(failing, [claim(A, 0, version="v2")], "run-2")  # DELETE ran, then INSERT failed
    assert snapshot(con, "claims", "claim_id") == before
    # the connection is not left inside a transaction: the same load now goes through
    assert load_claims(con, [claim(A, 0, version="v2")], "run-2") == 1


def test_constraint_violation_mid_load_leaves_claims_as_before(con: duckdb.DuckDBPyConnection) -> None:
    load_claims(con, [claim(A, 0), claim(A, 30)], "run-1")
    before = snapshot(con, "claims", "claim_id")
    no_sentence: Any = None  # violates claims.sentence NOT NULL, so the INSERT fails after the DELETE
    evidence = Evidence(article_id=A, sentence=no_sentence, sentence_start=0, start=60, end=70)
    broken = claim(A, 60, version="v2", evidence=evidence)
    with pytest.raises(duckdb.ConstraintException):
        load_claims(con, [claim(A, 0, version="v2"), broken], "run-2")
    assert snapshot(con, "claims", "claim_id") == before


@pytest.mark.parametrize(
    ("table", "load", "records"),
    [
        ("articles", load_articles, [ART_A, ART_B]),
        ("errors", load_errors, [Rejected(input="x", stage="parse", reason="no body")]),
        (
            "fetches",
            load_fetches,
            [
                FetchOutcome(
                    url="u", source="s", status=500, ok=False, bytes=0, elapsed_s=1.0, reason="http 500"
                )
            ],
        ),
    ],
)
def test_failed_load_writes_nothing(
    con: duckdb.DuckDBPyConnection, table: str, load: Any, records: list[Any]
) -> None:
    with pytest.raises(duckdb.IOException):
        load(FailingInsert(con, table), records, "run-1")
    assert count(con, table) == 0
    assert load(con, records, "run-1") == len(records)


def test_load_after_a_half_fetched_result(con: duckdb.DuckDBPyConnection) -> None:
    # DuckDB 2.0 refuses register() while a result is half fetched; loads must not trip on it.
    con.execute("SELECT * FROM range(10)").fetchone()
    assert load_articles(con, [ART_A], "run-1") == 1
    con.execute("SELECT * FROM range(10)").fetchone()
    assert load_claims(con, [claim(A, 0)], "run-1") == 1
