"""Which event each report tells of, in the warehouse: the decisions a run made (`event_decisions`) and reviewers'
overrides (`event_overrides`, migration 010). One job: this edge of the warehouse; every write is one short
transaction on a connection the caller opens and closes.

A reviewer's override is honoured by later runs: `apply_overrides` (called before a run plans its work) forgets a
stored report a reviewer dropped (its claims and its row in articles, so the story's facts are rebuilt without
it) and un-marks a dropped report a reviewer kept (so the run extracts it again, keeping all its figures).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from core.errors import CrosscheckError
from extractors.events import EventDecision
from warehouse.db import transaction, utc_now

ACTIONS = ("keep", "drop")


@dataclass(frozen=True, slots=True)
class EventRow:
    """One report's event decision and what the run did with it."""

    story: str
    article_id: str
    extractor_version: str
    decision: EventDecision
    action: str  # keep | drop
    override: str | None = None  # the reviewer's keep | drop, when one was honoured
    url: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Overrides:
    """What `apply_overrides` found and did."""

    actions: dict[str, str]  # article_id -> keep | drop, every override of the story
    forgotten: int  # stored reports a reviewer dropped, forgotten now (their claims leave the story's facts)
    reopened: int  # dropped reports a reviewer kept, to be extracted again by this run


_COLUMNS = ("story", "article_id", "extractor_version", "verdict", "action", "override", "inferred", "won_by",
            "reason", "evidence_for", "evidence_against", "other_paragraphs", "url", "title", "published", "source")
_TYPES = (pa.string(),) * 9 + (pa.list_(pa.string()), pa.list_(pa.string()), pa.list_(pa.int32())) + \
    (pa.string(),) * 4


def store_decisions(con: duckdb.DuckDBPyConnection, rows: Sequence[EventRow], run_id: str, *,
                    own_transaction: bool = True) -> int:
    """Write each report's latest decision (replacing an earlier one): one Arrow table, one INSERT OR REPLACE.
    Returns the rows written."""
    latest: dict[tuple[str, str], EventRow] = {}
    for r in rows:
        if r.action not in ACTIONS:
            raise ValueError(f"event action must be keep or drop, got {r.action!r}")
        latest[(r.story, r.article_id)] = r
    if not latest:
        return 0
    values: list[list[object]] = [[] for _ in _COLUMNS]
    for r in latest.values():
        d = r.decision
        for col, v in zip(values, (
                r.story, r.article_id, r.extractor_version, d.verdict, r.action, r.override, d.inferred, d.won_by,
                d.reason(), [e.describe() for e in d.matching], [e.describe() for e in d.conflicting],
                sorted(p + 1 for p in d.other_paragraphs), r.url, r.title, r.published, r.source), strict=True):
            col.append(v)
    table = pa.Table.from_arrays([pa.array(v, type=ty) for v, ty in zip(values, _TYPES, strict=True)],
                                 names=list(_COLUMNS))
    sql = (f"INSERT OR REPLACE INTO event_decisions ({', '.join(_COLUMNS)}, run_id, decided_at) "
           f"SELECT {', '.join(_COLUMNS)}, CAST(? AS VARCHAR), CAST(? AS TIMESTAMP) FROM _incoming_events")
    con.register("_incoming_events", table)
    try:
        if own_transaction:
            with transaction(con):
                con.execute(sql, [run_id, utc_now()])
        else:
            con.execute(sql, [run_id, utc_now()])
    finally:
        con.unregister("_incoming_events")
    return len(latest)


def set_override(con: duckdb.DuckDBPyConnection, story: str, article_id: str, action: str, reviewer: str,
                 note: str | None = None) -> None:
    """Record a reviewer's keep / drop for a report (by article id or a unique prefix of it)."""
    if action not in ACTIONS:
        raise CrosscheckError(f"action must be keep or drop, got {action!r}", input=article_id, stage="review")
    found = con.execute(
        "SELECT DISTINCT article_id FROM (SELECT article_id FROM event_decisions WHERE story = ? "
        "UNION ALL SELECT article_id FROM articles WHERE story = ?) WHERE starts_with(article_id, ?)",
        [story, story, article_id]).fetchall()
    if len(found) != 1:
        why = "no report of the story has that id" if not found else f"{len(found)} reports start with it"
        raise CrosscheckError(why, input=article_id, stage="review")
    with transaction(con):
        con.execute("INSERT OR REPLACE INTO event_overrides VALUES (?, ?, ?, ?, ?, ?)",
                    [story, found[0][0], action, reviewer, note, utc_now()])


def apply_overrides(con: duckdb.DuckDBPyConnection, story: str) -> Overrides:
    """Make the warehouse agree with the story's overrides before a run: forget stored reports a reviewer
    dropped, and un-mark the extraction of dropped reports a reviewer kept (so the run extracts them again)."""
    actions = dict(con.execute("SELECT article_id, action FROM event_overrides WHERE story = ?", [story]).fetchall())
    if not actions:
        return Overrides({}, 0, 0)
    drop = [a for a, act in actions.items() if act == "drop"]
    keep = [a for a, act in actions.items() if act == "keep"]
    with transaction(con):
        stored = [r[0] for r in con.execute(
            "SELECT article_id FROM articles WHERE story = ? AND article_id IN (SELECT unnest(?))",
            [story, drop]).fetchall()] if drop else []
        if stored:
            con.execute("DELETE FROM claims WHERE article_id IN (SELECT unnest(?))", [stored])
            con.execute("DELETE FROM articles WHERE story = ? AND article_id IN (SELECT unnest(?))", [story, stored])
            con.execute("UPDATE event_decisions SET action = 'drop', override = 'drop' "
                        "WHERE story = ? AND article_id IN (SELECT unnest(?))", [story, stored])
        reopen = [r[0] for r in con.execute(
            "SELECT article_id FROM event_decisions WHERE story = ? AND action = 'drop' "
            "AND article_id IN (SELECT unnest(?))", [story, keep]).fetchall()] if keep else []
        if reopen:
            con.execute("DELETE FROM extractions WHERE article_id IN (SELECT unnest(?))", [reopen])
    return Overrides(actions, len(stored), len(reopen))


def dropped_reports(con: duckdb.DuckDBPyConnection, story: str) -> list[dict[str, object]]:
    """The story's reports dropped as another event's, newest decision first, with reason and evidence."""
    cur = con.execute(
        "SELECT article_id, title, url, published, source, verdict, override, inferred, won_by, reason, "
        "evidence_for, evidence_against, decided_at FROM event_decisions WHERE story = ? AND action = 'drop' "
        "ORDER BY decided_at DESC, article_id", [story])
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
