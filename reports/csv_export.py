"""The report's tables as CSV: one row per discrepancy (both sides, review state) and one per fact.

One job: write CSV for spreadsheets. Text cells that a spreadsheet would run as a formula (starting with
`=`, `+`, `-`, `@`, tab or carriage return) are prefixed with an apostrophe (OWASP's CSV-injection advice):
scraped sentences are data, never formulas. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence

from reports import labels
from reports.model import ClaimSide, Discrepancy, Fact

DISCREPANCY_COLUMNS = (
    "discrepancy_key", "review_state", "verdict", "note", "reviewer", "reviewed_at", "story", "fact", "kind",
    "subject", "party", "munition", "scope",
    "value_a", "value_low_a", "value_high_a", "value_text_a", "speaker_a", "group_a", "side_a", "outlet_a",
    "published_a", "url_a", "sentence_a", "words_a",
    "value_b", "value_low_b", "value_high_b", "value_text_b", "speaker_b", "group_b", "side_b", "outlet_b",
    "published_b", "url_b", "sentence_b", "words_b",
    "claim_a", "claim_b", "evidence_hash", "relation_id", "fact_id", "run_id",
)
FACT_COLUMNS = ("fact_id", "story", "fact", "kind", "subject", "party", "munition", "verdict", "consensus",
                "consensus_low", "consensus_high", "spread_low", "spread_high", "voices", "sides", "claims",
                "conflicts", "updates", "current_by_group", "explanation")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A CSV cell: None as empty, text defused against formula injection, numbers unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def discrepancy_row(d: Discrepancy) -> list[object]:
    def side(s: ClaimSide) -> list[object]:
        low, high = s.value if s.value else (None, None)
        return [labels.format_value(s.value, d.kind), low, high, s.value_text, s.speaker, s.group, s.side, s.outlet,
                s.published, s.link, s.sentence, s.words]

    r = d.review
    return [d.key, d.review_state, r.verdict if r else None, r.note if r else None, r.reviewer if r else None,
            r.reviewed_at.isoformat(timespec="seconds") if r else None, d.story, d.label, d.kind, d.subject, d.party,
            d.munition, d.scope, *side(d.a), *side(d.b), d.a.claim_id, d.b.claim_id, d.evidence_hash,
            d.relation_id, d.fact_id, d.run_id]


def fact_row(f: Fact) -> list[object]:
    clow, chigh = f.consensus if f.consensus else (None, None)
    slow, shigh = f.spread if f.spread else (None, None)
    current = json.dumps([{"group": g.group, "side": g.side, "value": labels.format_value(g.value, f.kind),
                           "speaker": g.speaker, "voice": g.voice_id} for g in f.current], ensure_ascii=False)
    consensus = labels.format_value(f.consensus, f.kind) if f.consensus and f.verdict != "conflict" else None
    return [f.fact_id, f.story, f.label, f.kind, f.subject, f.party, f.munition, f.verdict, consensus, clow, chigh,
            slow, shigh, f.voices, f.sides, f.claims, f.conflicts, f.updates, current, f.explanation]


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([cell(v) for v in row])
    return buf.getvalue()


def discrepancies_csv(discrepancies: Iterable[Discrepancy]) -> str:
    return to_csv(DISCREPANCY_COLUMNS, (discrepancy_row(d) for d in discrepancies))


def facts_csv(facts: Iterable[Fact]) -> str:
    return to_csv(FACT_COLUMNS, (fact_row(f) for f in facts))

