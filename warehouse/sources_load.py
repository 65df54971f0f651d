"""Write discovery results into the warehouse: candidates and source statuses, plus a whole `Discovery`.

One job: bulk, idempotent loads in the style of warehouse/load.py: records become one Arrow table per
call, inserted by one INSERT ... SELECT that anti-joins on the key, in one short transaction; loading
the same records twice adds nothing. `load_discovery` loads a Discovery's articles, errors and fetches
through warehouse/load.py and its candidates and statuses through this module.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import duckdb
import pyarrow as pa

from sources.adapters.base import STATUSES, SourceStatus
from sources.discover import CandidateRow, Discovery
from warehouse.db import transaction, utc_now
from warehouse.load import Column, TableSpec, insert_new_sql, load_articles, load_errors, load_fetches

R = TypeVar("R")

__all__ = ["CANDIDATES", "load_candidates", "load_discovery", "load_source_status", "supersede_candidates"]


@dataclass(frozen=True, slots=True)
class Keyed(Generic[R]):
    """A record with the id computed for it at load time."""

    id: str
    record: R


def hash_id(*parts: object) -> str:
    """16 hex characters of sha1 over the parts, as warehouse/load.py computes ids."""
    return hashlib.sha1("|".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


CANDIDATES: TableSpec[Keyed[CandidateRow]] = TableSpec(
    table="candidates",
    key="candidate_id",
    stamp="decided_at",
    columns=(
        Column("candidate_id", pa.string(), lambda k: k.id),
        Column("story", pa.string(), lambda k: k.record.story),
        Column("source", pa.string(), lambda k: k.record.source),
        Column("url", pa.string(), lambda k: k.record.url),
        Column("article_id", pa.string(), lambda k: k.record.article_id),
        Column("outlet", pa.string(), lambda k: k.record.outlet),
        Column("title", pa.string(), lambda k: k.record.title),
        Column("published", pa.string(), lambda k: k.record.published),
        Column("decision", pa.string(), lambda k: k.record.decision),
        Column("reason", pa.string(), lambda k: k.record.reason),
        Column("relevance", pa.float64(), lambda k: k.record.relevance),
    ),
)

SOURCE_STATUS_COLUMNS: tuple[Column[SourceStatus], ...] = (
    Column("source", pa.string(), lambda s: s.source),
    Column("status", pa.string(), lambda s: s.status),
    Column("reason", pa.string(), lambda s: s.reason),
    Column("reports", pa.int32(), lambda s: s.reports),
)

# Source statuses of a run not yet stored; binds (run_id, at_ts, run_id).
INSERT_SOURCE_STATUS_SQL = """
    INSERT INTO source_status (run_id, source, status, reason, reports, at_ts)
    SELECT CAST(? AS VARCHAR), i.source, i.status, i.reason, i.reports, CAST(? AS TIMESTAMP)
    FROM {source} AS i
    WHERE NOT EXISTS (SELECT 1 FROM source_status AS t WHERE t.run_id = ? AND t.source = i.source)
"""


def _insert(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table, sql: str, params: Sequence[Any]) -> int:
    """Register `table` as `name` and run `sql` in one transaction; returns the rows inserted."""
    try:
        with transaction(con):
            con.register(name, table)
            row = con.execute(sql, list(params)).fetchone()
    finally:
        con.unregister(name)
    return int(row[0]) if row else 0


def candidate_id(run_id: str, row: CandidateRow) -> str:
    """Hash of the run, story, source, where the report is and the article it became."""
    return hash_id(run_id, row.story, row.source, row.url, row.article_id)


def load_candidates(con: duckdb.DuckDBPyConnection, rows: Iterable[CandidateRow], run_id: str) -> int:
    """Store a run's candidate decisions; one row per (run, story, source, report). Returns rows added."""
    keyed: dict[str, Keyed[CandidateRow]] = {}
    for row in rows:
        if row.decision not in ("keep", "drop"):
            raise ValueError(f"candidate decision must be keep or drop, got {row.decision!r}")
        key = candidate_id(run_id, row)
        keyed.setdefault(key, Keyed(key, row))
    if not keyed:
        return 0
    source = "_incoming_candidates"
    return _insert(con, source, CANDIDATES.arrow(list(keyed.values())), insert_new_sql(CANDIDATES, source),
                   [run_id, utc_now()])


def load_source_status(con: duckdb.DuckDBPyConnection, statuses: Iterable[SourceStatus], run_id: str) -> int:
    """Store each source's status for a run; the first status stored for (run, source) stays. Returns rows added."""
    unique: dict[str, SourceStatus] = {}
    for status in statuses:
        if status.status not in STATUSES:
            raise ValueError(f"source status must be one of {STATUSES}, got {status.status!r}")
        unique.setdefault(status.source, status)
    if not unique:
        return 0
    records = list(unique.values())
    table = pa.Table.from_arrays([pa.array([c.get(r) for r in records], type=c.type) for c in SOURCE_STATUS_COLUMNS],
                                 names=[c.name for c in SOURCE_STATUS_COLUMNS])
    source = "_incoming_source_status"
    return _insert(con, source, table, INSERT_SOURCE_STATUS_SQL.format(source=source), [run_id, utc_now(), run_id])


def supersede_candidates(con: duckdb.DuckDBPyConnection, rows: Iterable[CandidateRow], run_id: str) -> int:
    """Store a later decision on candidates of this run (a report dropped after it was read, as another event's):
    the row discovery wrote for the same report takes the new decision, its own reason kept after the new one;
    a report discovery did not propose (a local file) gets a row of its own. Returns the rows changed or added."""
    fresh: list[CandidateRow] = []
    changed = 0
    for row in rows:
        key = candidate_id(run_id, row)
        got = con.execute(
            "UPDATE candidates SET decision = ?, reason = ? || ' · read as: ' || reason, decided_at = ? "
            "WHERE candidate_id = ? RETURNING 1", [row.decision, row.reason, utc_now(), key]).fetchall()
        if got:
            changed += 1
        else:
            fresh.append(row)
    return changed + load_candidates(con, fresh, run_id)


def load_discovery(con: duckdb.DuckDBPyConnection, discovery: Discovery, run_id: str) -> dict[str, int]:
    """Load everything a discovery run produced; returns the rows added per table."""
    return {
        "articles": load_articles(con, discovery.articles, run_id),
        "errors": load_errors(con, discovery.rejected, run_id),
        "fetches": load_fetches(con, discovery.outcomes, run_id),
        "candidates": load_candidates(con, discovery.candidates, run_id),
        "source_status": load_source_status(con, discovery.statuses, run_id),
    }
