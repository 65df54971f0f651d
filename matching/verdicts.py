"""A fact's verdict: what its voices say together, in one word and one sentence.

One job: turn a slot's alignment into a `Verdict`. In order:

- conflict: two groups' current values are disjoint (US 0 killed vs Iranian state media 80);
- unverified: one voice only, however many articles carry it;
- updated: no current disagreement, and a side's own figure moved over time (US injured 0 -> 11 -> ... -> 110);
- refine: consistent values at different precision ("more than a dozen" and 16);
- agree: the same value, or overlapping ones.

The consensus is the intersection of every group's current value (empty when they conflict); the spread is
their hull. The explanation names, per group, the current value, who first gave it, where and when, and the
values it moved through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matching.compare import format_value, hull, intersect, to_value
from matching.records import SideValue, Verdict
from matching.timeline import ClaimInfo, SlotAlignment

LEADS = {
    "conflict": "conflict: current figures disagree",
    "unverified": "unverified: one voice only",
    "updated": "updated: a side's own figure moved over time",
    "refine": "consistent at different precision",
    "agree": "agree",
}


def side_values(alignment: SlotAlignment) -> tuple[SideValue, ...]:
    out = []
    for g in alignment.groups:
        rep = g.current.rep
        out.append(SideValue(
            group=g.group, side=g.side, value=to_value(g.current.span), claim_id=rep.claim_id,
            speaker=rep.claim.attribution.speaker, voice_id=rep.voice_id, first_seen=g.current.first_seen,
            sequence=tuple(to_value(e.span) for e in g.epochs),
        ))
    return tuple(out)


def decide(fact_id: str, kind: str, alignment: SlotAlignment, infos: Sequence[ClaimInfo] = ()) -> Verdict:
    """The fact's verdict from its alignment (`infos`, the slot's claims, is no longer needed: the alignment's
    nodes carry their representative claims and its voice count)."""
    current = side_values(alignment)
    spans = [g.current.span for g in alignment.groups if g.current.span is not None]
    consensus = intersect(spans) if spans else None
    spread = hull(spans) if spans else None
    counts: dict[str, int] = {}
    for r in alignment.relations:
        counts[r.relation] = counts.get(r.relation, 0) + 1
    voices = alignment.voices if alignment.voices is not None else len({m.voice_id for m in alignment.members})
    if spans and consensus is None:
        verdict = "conflict"
    elif voices <= 1:
        verdict = "unverified"
    elif counts.get("update"):
        verdict = "updated"
    elif counts.get("refine"):
        verdict = "refine"
    else:
        verdict = "agree"
    sides = len({g.side for g in alignment.groups if g.side is not None})
    return Verdict(
        fact_id=fact_id, verdict=verdict, consensus=to_value(consensus), spread=to_value(spread), voices=voices,
        sides=sides, conflicts=counts.get("conflict", 0), updates=counts.get("update", 0), current=current,
        explanation=explain(kind, verdict, current, voices, counts),
    )


def explain(kind: str, verdict: str, current: Sequence[SideValue], voices: int, counts: Mapping[str, int]) -> str:
    parts = []
    for sv in current:
        who = sv.speaker or "the outlet"
        when = sv.first_seen.strftime("%Y-%m-%d") if sv.first_seen else "undated"
        text = f"{sv.group} {format_value(sv.value, kind)} ({who}, {sv.voice_id}, {when})"
        if len(sv.sequence) > 1:
            text += " after " + " -> ".join(format_value(v, kind) for v in sv.sequence[:-1])
        parts.append(text)
    tail = f"{voices} voice{'s' if voices != 1 else ''}"
    if counts.get("conflict"):
        tail += f", {counts['conflict']} conflicting pair{'s' if counts['conflict'] != 1 else ''}"
    if counts.get("update"):
        tail += f", {counts['update']} update{'s' if counts['update'] != 1 else ''}"
    return f"{LEADS[verdict]}. " + "; ".join(parts) + f". {tail}."
