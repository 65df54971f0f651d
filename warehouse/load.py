"""Write pipeline records into the raw warehouse tables: bulk, idempotent, one short transaction each.

Records become one Arrow table per call, inserted with a single INSERT ... SELECT that anti-joins on
the content-hash key, so loading the same records twice adds nothing. Never row by row.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any, Generic, TypeVar

import duckdb
import pyarrow as pa

from core.errors import CrosscheckError
from core.records import Article, Claim, FetchOutcome, Rejected
from warehouse.db import transaction, utc_now
from warehouse.events import EventRow, store_decisions

log = logging.getLogger(__name__)

R = TypeVar("R")

RUN_STATUSES = ("running", "ok", "partial", "failed", "cancelled", "abandoned")
# Keys of `finish_run(counts=...)` that also fill a column of `runs`; every key goes into `details`.
RUN_COUNT_COLUMNS = ("articles_new", "claims_new", "errors")


@dataclass(frozen=True, slots=True)
class Column(Generic[R]):
    """One column of an incoming Arrow table: name, Arrow type, and how to read it off a record."""

    name: str
    type: pa.DataType
    get: Callable[[R], Any]


@dataclass(frozen=True, slots=True)
class TableSpec(Generic[R]):
    """How one kind of record lands in one warehouse table."""

    table: str
    key: str
    columns: tuple[Column[R], ...]
    stamp: str  # the TIMESTAMP column set to the load time
    # Optional: every column of many records at once, in column order (for big tables: reading a column
    # with operator.attrgetter is several times faster than a Python call per cell)
    columns_of: Callable[[Sequence[R]], list[list[Any]]] | None = None

    def arrow(self, records: Sequence[R]) -> pa.Table:
        values = (self.columns_of(records) if self.columns_of is not None
                  else [[c.get(r) for r in records] for c in self.columns])
        arrays = [pa.array(v, type=c.type) for v, c in zip(values, self.columns, strict=True)]
        return pa.Table.from_arrays(arrays, names=[c.name for c in self.columns])


def _hash_id(*parts: object) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


ARTICLES: TableSpec[Article] = TableSpec(
    table="articles",
    key="article_id",
    stamp="loaded_at",
    columns=(
        Column("article_id", pa.string(), lambda a: a.article_id),
        Column("title", pa.string(), lambda a: a.title),
        Column("outlet", pa.string(), lambda a: a.outlet),
        Column("published", pa.string(), lambda a: a.published),
        Column("url", pa.string(), lambda a: a.url),
        Column("byline", pa.string(), lambda a: a.byline),
        Column("source", pa.string(), lambda a: a.source),
        Column("path", pa.string(), lambda a: a.path),
        Column("story", pa.string(), lambda a: a.story),
        Column("date_signal", pa.string(), lambda a: a.date_signal),
        Column("text", pa.string(), lambda a: a.text),
        Column("chars", pa.int32(), lambda a: len(a.text)),
    ),
)

CLAIMS: TableSpec[Claim] = TableSpec(
    table="claims",
    key="claim_id",
    stamp="loaded_at",
    columns=(
        Column("claim_id", pa.string(), lambda c: c.claim_id),
        Column("article_id", pa.string(), lambda c: c.evidence.article_id),
        Column("kind", pa.string(), lambda c: c.kind),
        Column("munition", pa.string(), lambda c: c.munition),
        Column("party", pa.string(), lambda c: c.party),
        Column("subject", pa.string(), lambda c: c.subject),
        Column("subject_surface", pa.string(), lambda c: c.subject_surface),
        Column("subject_known", pa.bool_(), lambda c: c.subject_known),
        Column("value_low", pa.float64(), lambda c: c.value.low if c.value else None),
        Column("value_high", pa.float64(), lambda c: c.value.high if c.value else None),
        Column("qualifier", pa.string(), lambda c: c.value.qualifier if c.value else None),
        Column("value_text", pa.string(), lambda c: c.value.text if c.value else None),
        Column("when_start", pa.string(), lambda c: c.when.start if c.when else None),
        Column("when_end", pa.string(), lambda c: c.when.end if c.when else None),
        Column("when_text", pa.string(), lambda c: c.when.text if c.when else None),
        Column("when_precision", pa.string(), lambda c: c.when.precision if c.when else None),
        Column("speaker", pa.string(), lambda c: c.attribution.speaker),
        Column("speaker_surface", pa.string(), lambda c: c.attribution.surface),
        Column("organisation", pa.string(), lambda c: c.attribution.organisation),
        Column("side", pa.string(), lambda c: c.attribution.side),
        Column("hedge", pa.string(), lambda c: c.attribution.hedge),
        Column("sentence", pa.string(), lambda c: c.evidence.sentence),
        Column("sentence_start", pa.int32(), lambda c: c.evidence.sentence_start),
        Column("span_start", pa.int32(), lambda c: c.evidence.start),
        Column("span_end", pa.int32(), lambda c: c.evidence.end),
        Column("extractor_version", pa.string(), lambda c: c.extractor_version),
    ),
    columns_of=lambda claims: _claim_columns(claims),
)


def _claim_columns(claims: Sequence[Claim]) -> list[list[Any]]:
    """The CLAIMS columns of many claims, in order, each read in one pass."""
    def each(objs: Sequence[Any], name: str) -> list[Any]:
        return list(map(attrgetter(name), objs))

    def each_or_none(objs: Sequence[Any], name: str) -> list[Any]:  # an attribute of an optional part
        get = attrgetter(name)
        return [None if o is None else get(o) for o in objs]

    e, a = each(claims, "evidence"), each(claims, "attribution")
    v, w = each(claims, "value"), each(claims, "when")
    return [
        each(claims, "claim_id"), each(e, "article_id"), each(claims, "kind"), each(claims, "munition"),
        each(claims, "party"), each(claims, "subject"), each(claims, "subject_surface"), each(claims, "subject_known"),
        each_or_none(v, "low"), each_or_none(v, "high"), each_or_none(v, "qualifier"), each_or_none(v, "text"),
        each_or_none(w, "start"), each_or_none(w, "end"), each_or_none(w, "text"), each_or_none(w, "precision"),
        each(a, "speaker"), each(a, "surface"), each(a, "organisation"), each(a, "side"), each(a, "hedge"),
        each(e, "sentence"), each(e, "sentence_start"), each(e, "start"), each(e, "end"),
        each(claims, "extractor_version"),
    ]


def unique_claims(claims: Iterable[Claim]) -> list[Claim]:
    """The claims with repeated ids dropped, the first of each kept, order preserved."""
    return _unique(claims, attrgetter("claim_id"))


def claims_table(claims: Iterable[Claim]) -> pa.Table:
    """Claims as the Arrow table the claims table is loaded from, repeated ids dropped. The extract step makes it
    (in the worker, beside the extraction it is a small part of), so the load path does no per-row Python work."""
    return CLAIMS.arrow(unique_claims(claims))


def articles_table(articles: Iterable[Article]) -> pa.Table:
    """Articles as the Arrow table the articles table is loaded from, repeated ids dropped."""
    return ARTICLES.arrow(_unique(articles, attrgetter("article_id")))


@dataclass(frozen=True, slots=True)
class _Keyed(Generic[R]):
    """A record with an id computed at load time (errors and fetches carry none of their own)."""

    id: str
    record: R


ERRORS: TableSpec[_Keyed[Rejected]] = TableSpec(
    table="errors",
    key="error_id",
    stamp="rejected_at",
    columns=(
        Column("error_id", pa.string(), lambda k: k.id),
        Column("input", pa.string(), lambda k: k.record.input),
        Column("stage", pa.string(), lambda k: k.record.stage),
        Column("reason", pa.string(), lambda k: k.record.reason),
        Column("source", pa.string(), lambda k: k.record.source),
    ),
)

FETCHES: TableSpec[_Keyed[FetchOutcome]] = TableSpec(
    table="fetches",
    key="fetch_id",
    stamp="fetched_at",
    columns=(
        Column("fetch_id", pa.string(), lambda k: k.id),
        Column("url", pa.string(), lambda k: k.record.url),
        Column("source", pa.string(), lambda k: k.record.source),
        Column("status", pa.int32(), lambda k: k.record.status),
        Column("ok", pa.bool_(), lambda k: k.record.ok),
        Column("bytes", pa.int64(), lambda k: k.record.bytes),
        Column("elapsed_s", pa.float64(), lambda k: k.record.elapsed_s),
        Column("reason", pa.string(), lambda k: k.record.reason),
        Column("from_cache", pa.bool_(), lambda k: k.record.from_cache),
        Column("content_type", pa.string(), lambda k: k.record.content_type),
        Column("final_url", pa.string(), lambda k: k.record.final_url),
        Column("purpose", pa.string(), lambda k: k.record.purpose),
        Column("attempt", pa.int32(), lambda k: k.record.attempt),
        Column("hop", pa.int32(), lambda k: k.record.hop),
    ),
)


def insert_new_sql(spec: TableSpec[Any], source: str) -> str:
    """INSERT of the rows of `source` whose key is not yet in the table; binds (run_id, stamp).

    Identifiers come from the specs above, never from input; values are bound parameters.
    """
    names = [_quote(c.name) for c in spec.columns]
    target = ", ".join([*names, "run_id", _quote(spec.stamp)])
    select = ", ".join(f"i.{n}" for n in names)
    key = _quote(spec.key)
    return (
        f"INSERT INTO {spec.table} ({target}) "
        f"SELECT {select}, CAST(? AS VARCHAR), CAST(? AS TIMESTAMP) "
        f"FROM {source} AS i ANTI JOIN {spec.table} AS t ON t.{key} = i.{key}"
    )


def _quote(identifier: str) -> str:
    """Quote a column name for SQL."""
    return '"' + identifier.replace('"', '""') + '"'


# Articles whose stored claims include a version the incoming batch does not carry for that article.
STALE_ARTICLES_SQL = """
    SELECT DISTINCT c.article_id FROM claims AS c
    WHERE c.article_id IN (SELECT article_id FROM {source})
      AND NOT EXISTS (
        SELECT 1 FROM {source} AS i
        WHERE i.article_id = c.article_id AND i.extractor_version = c.extractor_version
      )
"""


def _unique(records: Iterable[R], key: Callable[[R], str]) -> list[R]:
    """Records with duplicate keys dropped, first one kept, order preserved (the keys are read once; when none
    repeats, as in most batches, the records come back as they are)."""
    records = list(records)
    keys = list(map(key, records))
    if len(set(keys)) == len(keys):
        return records
    seen: dict[str, R] = {}
    for k, r in zip(keys, records, strict=True):
        seen.setdefault(k, r)
    return list(seen.values())


def _insert(
    con: duckdb.DuckDBPyConnection,
    spec: TableSpec[R],
    records: Sequence[R] | pa.Table,
    run_id: str,
    before_insert: Callable[[str], None] | None = None,
    *,
    own_transaction: bool = True,
) -> int:
    """One transaction (or the caller's): optional `before_insert(source_name)`, then the anti-join insert.
    `records`: the records, or the Arrow table made of them already (`spec.arrow`)."""
    if (records.num_rows if isinstance(records, pa.Table) else len(records)) == 0:
        return 0
    source = f"_incoming_{spec.table}"
    incoming = records if isinstance(records, pa.Table) else spec.arrow(records)
    # Register inside the transaction: BEGIN closes any result the caller left half-fetched, which
    # DuckDB 2.0 would otherwise report as ResourceInUseException on register().
    try:
        with transaction(con) if own_transaction else nullcontext(con):
            con.register(source, incoming)
            if before_insert is not None:
                before_insert(source)
            row = con.execute(insert_new_sql(spec, source), [run_id, utc_now()]).fetchone()
    finally:
        if own_transaction:
            con.unregister(source)  # after COMMIT/ROLLBACK: an aborted transaction refuses it
    return int(row[0]) if row else 0


@dataclass(frozen=True, slots=True)
class RunOwner:
    """The process that writes a run: its host, pid and start time (clock ticks since boot, from /proc; None where
    there is no /proc), so a pid the system has since given to another process is not taken for the run's."""

    host: str
    pid: int
    started: int | None

    @classmethod
    def current(cls) -> RunOwner:
        return cls(socket.gethostname(), os.getpid(), _process_started(os.getpid()))

    def alive(self) -> bool:
        """False only when this host can tell the process is gone (another host's process counts as alive)."""
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass  # it exists, owned by someone else
        started = _process_started(self.pid)
        return self.started is None or started is None or started == self.started


def _process_started(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[19])  # field 22, starttime; the name in parentheses may hold spaces


def abandon_dead_runs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Mark `abandoned` every `running` run whose process is gone (killed, or its machine lost power while it ran
    on this host); returns their ids. A run of a live process, or of another host, is left as it is."""
    rows = con.execute("SELECT run_id, host, pid, pid_started FROM runs WHERE status = 'running'").fetchall()
    dead = [r[0] for r in rows if r[1] is None or not RunOwner(r[1], int(r[2]), r[3]).alive()]
    if dead:
        con.execute("UPDATE runs SET status = 'abandoned', ended_at = ?, "
                    "details = CAST(? AS JSON) WHERE run_id IN (SELECT unnest(?)) AND status = 'running'",
                    [utc_now(), json.dumps({"abandoned": "its process ended before the run finished"}), dead])
    return dead


def start_run(
    con: duckdb.DuckDBPyConnection, run_id: str, story: str | None, flow_run_id: str | None = None,
    owner: RunOwner | None = None,
) -> bool:
    """Record a run as `running`, owned by this process, after marking the runs of dead processes `abandoned`.
    Returns False (and records nothing) when `run_id` is already there."""
    owner = owner or RunOwner.current()
    with transaction(con):
        abandoned = abandon_dead_runs(con)
        if abandoned:
            log.warning("runs left running by a process that is gone, now marked abandoned: %s", ", ".join(abandoned))
        row = con.execute(
            "INSERT INTO runs (run_id, flow_run_id, story, started_at, status, host, pid, pid_started) "
            "SELECT ?, ?, ?, ?, 'running', ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM runs WHERE run_id = ?)",
            [run_id, flow_run_id, story, utc_now(), owner.host, owner.pid, owner.started, run_id],
        ).fetchone()
    return bool(row and row[0])


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, status: str, counts: Mapping[str, Any]) -> None:
    """Close a run: status, end time, the three headline counts, and every count as `details` JSON."""
    if status not in RUN_STATUSES:
        raise CrosscheckError(f"unknown run status {status!r}; expected one of {RUN_STATUSES}", input=run_id)
    values = [_count(counts, k) for k in RUN_COUNT_COLUMNS]
    details = json.dumps(dict(counts), sort_keys=True, default=str)
    with transaction(con):
        row = con.execute(
            "UPDATE runs SET status = ?, ended_at = ?, articles_new = ?, claims_new = ?, errors = ?, "
            "details = CAST(? AS JSON) WHERE run_id = ?",
            [status, utc_now(), *values, details, run_id],
        ).fetchone()
        if not row or not row[0]:
            raise CrosscheckError("no such run; call start_run first", input=run_id, stage="warehouse")


def _count(counts: Mapping[str, Any], key: str) -> int | None:
    value = counts.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise CrosscheckError(f"count {key!r} must be an int, got {value!r}", stage="warehouse")
    return value


def load_articles(con: duckdb.DuckDBPyConnection, articles: Iterable[Article] | pa.Table, run_id: str) -> int:
    """Insert articles not already stored (by content-hash id). Returns the number of new rows."""
    rows = articles if isinstance(articles, pa.Table) else _unique(articles, lambda a: a.article_id)
    return _insert(con, ARTICLES, rows, run_id)


def load_claims(con: duckdb.DuckDBPyConnection, claims: Iterable[Claim] | pa.Table, run_id: str) -> int:
    """Insert claims not already stored (by `Claim.claim_id`). Returns the number of rows inserted.

    When an article's stored claims carry an extractor_version that the incoming claims for that
    article do not, all of that article's stored claims are deleted and the incoming ones inserted,
    in the same transaction. An article absent from `claims` is never touched. `claims` may be the Arrow table
    `claims_table` made of them.
    """
    rows = claims if isinstance(claims, pa.Table) else unique_claims(claims)

    def replace_stale(source: str) -> None:
        stale = con.execute(
            f"DELETE FROM claims WHERE article_id IN ({STALE_ARTICLES_SQL.format(source=source)})"
        ).fetchone()
        if stale and stale[0]:
            log.info("replaced %d claims extracted by an older extractor version", stale[0])

    return _insert(con, CLAIMS, rows, run_id, before_insert=replace_stale)


def load_errors(con: duckdb.DuckDBPyConnection, rejected: Iterable[Rejected], run_id: str) -> int:
    """Store rejected inputs. One row per (run, input, stage, reason). Returns the number of new rows."""
    keyed = [_Keyed(_hash_id(run_id, r.input, r.stage, r.reason), r) for r in rejected]
    return _insert(con, ERRORS, _unique(keyed, lambda k: k.id), run_id)


def load_fetches(con: duckdb.DuckDBPyConnection, outcomes: Iterable[FetchOutcome], run_id: str) -> int:
    """Store one row per request tried (or URL not sent, purpose 'skipped'). Returns the number of new rows.

    The id hashes the run, every field of the outcome, and its occurrence number among identical
    outcomes in this batch, so two identical attempts stay two rows and a re-load adds none.
    """
    return _insert(con, FETCHES, _keyed_fetches(outcomes, run_id), run_id)


def _keyed_fetches(outcomes: Iterable[FetchOutcome], run_id: str) -> list[_Keyed[FetchOutcome]]:
    seen: dict[FetchOutcome, int] = {}
    keyed: list[_Keyed[FetchOutcome]] = []
    for o in outcomes:
        n = seen.get(o, 0)
        seen[o] = n + 1
        fields = (
            o.url,
            o.source,
            o.status,
            o.ok,
            o.bytes,
            repr(o.elapsed_s),
            o.reason,
            o.from_cache,
            o.content_type,
            o.final_url,
            o.purpose,
            o.attempt,
            o.hop,
        )
        keyed.append(_Keyed(_hash_id(run_id, *fields, n), o))
    return keyed


@dataclass(frozen=True, slots=True)
class Extraction:
    """That an article was extracted by a given extractor version, and how many claims it gave."""

    article_id: str
    extractor_version: str
    claims: int


@dataclass(frozen=True, slots=True)
class Batch:
    """What one chunk of work stores: all of it in one transaction, or none of it."""

    articles: Sequence[Article] | pa.Table = ()  # the records, or `articles_table` of them
    claims: Sequence[Claim] | pa.Table = ()  # the records, or `claims_table` of them
    extractions: Sequence[Extraction] = ()
    copies: Sequence[Article] = ()  # every copy of an article, the first one included
    errors: Sequence[Rejected] = ()
    fetches: Sequence[FetchOutcome] = ()
    events: Sequence[EventRow] = ()  # which event each extracted report tells of (warehouse/events.py)


EXTRACTIONS: TableSpec[_Keyed[Extraction]] = TableSpec(
    table="extractions",
    key="article_id",  # with extractor_version: see store_batch's anti-join key
    stamp="extracted_at",
    columns=(
        Column("article_id", pa.string(), lambda k: k.record.article_id),
        Column("extractor_version", pa.string(), lambda k: k.record.extractor_version),
        Column("claims", pa.int32(), lambda k: k.record.claims),
    ),
)

COPIES: TableSpec[_Keyed[Article]] = TableSpec(
    table="article_copies",
    key="copy_id",
    stamp="seen_at",
    columns=(
        Column("copy_id", pa.string(), lambda k: k.id),
        Column("article_id", pa.string(), lambda k: k.record.article_id),
        Column("source", pa.string(), lambda k: k.record.source),
        Column("path", pa.string(), lambda k: k.record.path),
        Column("url", pa.string(), lambda k: k.record.url),
        Column("outlet", pa.string(), lambda k: k.record.outlet),
        Column("title", pa.string(), lambda k: k.record.title),
        Column("published", pa.string(), lambda k: k.record.published),
    ),
)


def store_batch(con: duckdb.DuckDBPyConnection, batch: Batch, run_id: str) -> dict[str, int]:
    """Store a chunk's articles, claims, extraction marks, copies, errors and fetches in ONE short
    transaction, so a crash leaves either all of the chunk or none of it (no orphan claims, no
    article marked extracted without its claims). Returns the new rows per table."""
    claims = batch.claims if isinstance(batch.claims, pa.Table) else unique_claims(batch.claims)
    articles = (batch.articles if isinstance(batch.articles, pa.Table)
                else _unique(batch.articles, lambda a: a.article_id))
    marks = [_Keyed(_hash_id(e.article_id, e.extractor_version), e) for e in batch.extractions]
    copies = [_Keyed(_hash_id(a.article_id, a.source, a.path, a.url, a.outlet), a) for a in batch.copies]
    errors = [_Keyed(_hash_id(run_id, r.input, r.stage, r.reason), r) for r in batch.errors]
    registered: list[str] = []
    counts: dict[str, int] = {}

    def replace_stale(source: str) -> None:
        con.execute(f"DELETE FROM claims WHERE article_id IN ({STALE_ARTICLES_SQL.format(source=source)})")

    try:
        with transaction(con):
            for name, spec, rows, hook in (
                ("articles", ARTICLES, articles, None),
                ("claims", CLAIMS, claims, replace_stale),
                ("copies", COPIES, _unique(copies, lambda k: k.id), None),
                ("errors", ERRORS, _unique(errors, lambda k: k.id), None),
            ):
                if len(rows):
                    registered.append(f"_incoming_{spec.table}")
                counts[name] = _insert(con, spec, rows, run_id, hook, own_transaction=False)
            counts["extractions"] = _insert_marks(con, marks, run_id)
            if batch.fetches:
                counts["fetches"] = load_fetches_in(con, batch.fetches, run_id, registered)
            if batch.events:
                counts["event_decisions"] = store_decisions(con, batch.events, run_id, own_transaction=False)
    finally:
        for source in registered:
            con.unregister(source)
    return counts


def _insert_marks(con: duckdb.DuckDBPyConnection, marks: list[_Keyed[Extraction]], run_id: str) -> int:
    if not marks:
        return 0
    con.register("_incoming_extractions", EXTRACTIONS.arrow(_unique(marks, lambda k: k.id)))
    try:
        row = con.execute(
            "INSERT INTO extractions (article_id, extractor_version, claims, run_id, extracted_at) "
            "SELECT i.article_id, i.extractor_version, i.claims, CAST(? AS VARCHAR), CAST(? AS TIMESTAMP) "
            "FROM _incoming_extractions AS i ANTI JOIN extractions AS t "
            "ON t.article_id = i.article_id AND t.extractor_version = i.extractor_version",
            [run_id, utc_now()],
        ).fetchone()
    finally:
        con.unregister("_incoming_extractions")
    return int(row[0]) if row else 0


def load_fetches_in(con: duckdb.DuckDBPyConnection, outcomes: Sequence[FetchOutcome], run_id: str,
                    registered: list[str]) -> int:
    """`load_fetches` inside the caller's transaction."""
    keyed = _keyed_fetches(outcomes, run_id)
    if keyed:
        registered.append("_incoming_fetches")
    return _insert(con, FETCHES, keyed, run_id, own_transaction=False)


def extracted_ids(con: duckdb.DuckDBPyConnection, extractor_version: str) -> set[str]:
    """Articles already extracted by this extractor version: a re-run skips them."""
    rows = con.execute("SELECT article_id FROM extractions WHERE extractor_version = ?", [extractor_version])
    return {r[0] for r in rows.fetchall()}


def known_article_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every article_id already in the warehouse (to skip extraction of articles seen before)."""
    return {r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()}
