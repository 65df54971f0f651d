"""Reviewers' verdicts on discrepancies: content keys, the evidence hash, and the verdict store.

One job: the review workflow's warehouse edge. A verdict (`real`, `extraction_error` or `resolved`, with a
note, the reviewer's name and the time) is appended to `review_verdicts` (migration 005) under the
discrepancy's **content key**, never a run or relation id, so it survives re-runs; the view
`discrepancy_review` joins every current discrepancy to its latest verdict and says its `review_state`:

- `new`: no verdict for this key yet;
- `reviewed`: the latest verdict was given on the same evidence;
- `changed`: reviewed, but the evidence (a sentence, a value as written, the claimed words) differs from
  what the reviewer saw, e.g. under a new extractor version: review it again.

The key and hash are computed in SQL by the view; `discrepancy_key` and `evidence_hash` below are the same
formulas in Python (tests hold them equal), for callers that hold claims rather than rows.
Every write is one short transaction on a connection the caller opens and closes.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

from core.errors import CrosscheckError
from reports.model import Discrepancy, discrepancy_from_row, rows
from warehouse.db import transaction, utc_now

VERDICTS = ("real", "extraction_error", "resolved")
VERDICT_LABELS = {"real": "Real discrepancy", "extraction_error": "Extraction error", "resolved": "Resolved"}
STATE_LABELS = {"new": "New", "changed": "Evidence changed: re-review", "reviewed": "Reviewed"}
STAGE = "review"

_UNIT = chr(31)
_RECORD = chr(30)


@dataclass(frozen=True, slots=True)
class SideKey:
    """What identifies one side of a discrepancy across runs: the article, the claim's value, the speaker."""

    article_id: str | None
    value_low: float | None
    value_high: float | None
    when_start: str | None = None  # for event_time claims, which carry a time instead of a number
    when_end: str | None = None
    speaker: str | None = None

    def text(self) -> str:
        if self.value_low is not None:
            high = "" if self.value_high is None else f"{self.value_high:.3f}"
            value = f"{self.value_low:.3f}..{high}"
        else:
            value = f"{self.when_start or ''}..{self.when_end or ''}"
        return _UNIT.join((self.article_id or "", value, self.speaker or ""))


@dataclass(frozen=True, slots=True)
class SideEvidence:
    """What a reviewer saw of one side: the sentence, the value as written, the claimed words."""

    sentence: str | None
    value_text: str | None
    words: str | None

    def text(self) -> str:
        return _UNIT.join((self.sentence or "", self.value_text or "", self.words or ""))


def _h16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def discrepancy_key(story: str, kind: str, subject: str | None, party: str | None, munition: str | None,
                    a: SideKey, b: SideKey) -> str:
    """Stable content key of a discrepancy: story, slot, and both sides (in sorted order, so a/b may swap)."""
    sa, sb = sorted((a.text(), b.text()))
    return _h16(_RECORD.join((story, kind, subject or "", party or "", munition or "", sa, sb)))


def evidence_hash(a: SideKey, ea: SideEvidence, b: SideKey, eb: SideEvidence) -> str:
    """Hash of both sides' evidence, in the sides' key order: it changes when what a reviewer read changes."""
    first, second = (ea, eb) if a.text() <= b.text() else (eb, ea)
    return _h16(first.text() + _RECORD + second.text())


@dataclass(frozen=True, slots=True)
class Verdict:
    """One recorded verdict (a row of `review_verdicts`)."""

    verdict_id: str
    discrepancy_key: str
    evidence_hash: str
    story: str
    verdict: str
    note: str | None
    reviewer: str
    reviewed_at: datetime
    relation_id: str | None
    claim_a: str | None
    claim_b: str | None
    run_id: str | None


def find(con: duckdb.DuckDBPyConnection, key: str) -> Discrepancy:
    """The current discrepancy whose key is `key` or starts with it (at least 4 characters, like git)."""
    key = key.strip().lower()
    if len(key) < 4:
        raise CrosscheckError("give at least 4 characters of the discrepancy key", input=key, stage=STAGE)
    found = rows(con, "SELECT * FROM discrepancy_review WHERE starts_with(discrepancy_key, ?)", [key])
    keys = sorted({r["discrepancy_key"] for r in found})
    if not keys:
        raise CrosscheckError("no current discrepancy has this key (see `crosscheck review list`)", input=key,
                              stage=STAGE)
    if len(keys) > 1:
        raise CrosscheckError(f"ambiguous key prefix: matches {', '.join(keys)}", input=key, stage=STAGE)
    return discrepancy_from_row(found[0])


def record_verdict(con: duckdb.DuckDBPyConnection, key: str, verdict: str, reviewer: str, note: str | None = None,
                   *, at: datetime | None = None) -> Verdict:
    """Record a verdict on the current discrepancy with this key (or unique key prefix), in one transaction.

    The verdict carries the discrepancy's current evidence hash, so a later change of evidence shows as
    `changed`. Raises CrosscheckError for an unknown verdict, an empty reviewer name or an unknown key.
    """
    if verdict not in VERDICTS:
        raise CrosscheckError(f"verdict must be one of {', '.join(VERDICTS)}", input=verdict, stage=STAGE)
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise CrosscheckError("a verdict needs the reviewer's name", stage=STAGE)
    note = (note or "").strip() or None
    with transaction(con):
        d = find(con, key)
        v = Verdict(verdict_id=uuid.uuid4().hex[:16], discrepancy_key=d.key, evidence_hash=d.evidence_hash,
                    story=d.story, verdict=verdict, note=note, reviewer=reviewer, reviewed_at=at or utc_now(),
                    relation_id=d.relation_id, claim_a=d.a.claim_id, claim_b=d.b.claim_id, run_id=d.run_id)
        con.execute(
            "INSERT INTO review_verdicts (verdict_id, discrepancy_key, evidence_hash, story, verdict, note, reviewer,"
            " reviewed_at, relation_id, claim_a, claim_b, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [v.verdict_id, v.discrepancy_key, v.evidence_hash, v.story, v.verdict, v.note, v.reviewer,
             v.reviewed_at, v.relation_id, v.claim_a, v.claim_b, v.run_id])
    return v


def history(con: duckdb.DuckDBPyConnection, key: str) -> list[Verdict]:
    """Every verdict recorded under a key, oldest first."""
    found = rows(con, "SELECT * FROM review_verdicts WHERE discrepancy_key = ? ORDER BY reviewed_at, verdict_id",
                 [key])
    return [Verdict(**r) for r in found]


def state_counts(con: duckdb.DuckDBPyConnection, story: str | None = None) -> dict[str, int]:
    """Current discrepancies per review state (`new`, `changed`, `reviewed`), of one story or all."""
    counts = {"new": 0, "changed": 0, "reviewed": 0}
    sql = ("SELECT review_state, count(*) FROM discrepancy_review WHERE (CAST(? AS VARCHAR) IS NULL OR story = ?) "
           "GROUP BY review_state")
    for state, n in con.execute(sql, [story, story]).fetchall():
        counts[state] = int(n)
    return counts


def needs_review(con: duckdb.DuckDBPyConnection, story: str | None = None) -> int:
    """Discrepancies that need a reviewer: new ones plus reviewed ones whose evidence changed."""
    counts = state_counts(con, story)
    return counts["new"] + counts["changed"]


def parse_states(values: Sequence[str]) -> list[str]:
    """Validate review-state filters ('all' = every state)."""
    allowed = ("new", "changed", "reviewed")
    if not values or "all" in values:
        return list(allowed)
    bad = [v for v in values if v not in allowed]
    if bad:
        raise CrosscheckError(f"unknown review state {bad[0]!r}; use new, changed, reviewed or all", stage=STAGE)
    return list(values)
