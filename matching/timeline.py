"""Align the claims of one slot into a fact: value nodes, each side's sequence over time, and relations.

One job: inside one block, decide which claims agree, refine, update or conflict, and which are current.

1. Value nodes: claims of one group with one value are one node, first seen at the earliest publication that
   carries it (a retrospective repeating Trump's "no Americans were harmed" is dated by the first report).
   Groups are sides (US, Iran, Iraq, ...). A neutral claim whose value equals one side's node exactly joins it
   (media repeating that side's figure).
2. Each side's sequence: nodes in order of first sight; a disjoint later value is an `update` (the side's
   figure moved: US injured 0 -> 11 -> 34 ...), a narrower one a `refine` (13+ then 16); both become current.
   Wider or overlapping later values agree with the current one. Values first seen at the same moment are
   ordered by their place in the text, later mentions first ("109, up from 64"). At the end, every node
   consistent with the side's last value is `current`, the others `superseded`.
3. Other neutral claims support each side whose current value they match (`neutral` scope), or a value that
   side held earlier (then they are superseded); a neutral figure that matches no side is its outlet's own
   group ('media:<voice>') with its own sequence.
4. Across groups: values held at the same time are compared; disjoint ones are a `conflict`.

Everything after step 1 reads only per-key summaries (`ValueKey`: how many claims, the earliest publication,
the earliest claim), never the claims themselves, so `align_nodes` also serves incremental matching
(matching/incremental.py), which keeps the summaries in the warehouse (`fact_nodes`) and folds new claims in.

Cost per slot: one pass over its claims, then sorting its nodes, one pass per group, and per pair of groups one
merge of their sequences.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from core.records import Claim
from matching.compare import Span, compare, narrower, relation, to_value
from matching.records import Member, Relation

NEUTRAL = "neutral"
MEDIA = "media:"
_EARLIEST = datetime.min
_LATEST = datetime.max

Position = tuple[str, int, str]  # a claim's place in claim order: (article_id, span start, claim_id)


@dataclass(frozen=True, slots=True)
class ClaimInfo:
    """A claim with what matching worked out about it (voice, side, value as a span, publication time)."""

    claim: Claim
    claim_id: str
    article_id: str
    voice_id: str
    side: str | None
    side_source: str
    span: Span | None
    published: datetime | None

    @property
    def group(self) -> str:
        """The comparison key's group before neutral values join a side: the side, or `neutral:<voice>`."""
        return self.side if self.side is not None else f"{NEUTRAL}:{self.voice_id}"

    @property
    def position(self) -> Position:
        return (self.article_id, self.claim.evidence.start, self.claim_id)


def rep_order(info: ClaimInfo) -> tuple[datetime, int, str]:
    """Which claim stands for a value: the earliest published, then the earliest in its text, then by id."""
    return (info.published or _LATEST, info.claim.evidence.start, info.claim_id)


@dataclass(frozen=True, slots=True)
class ValueKey:
    """The claims of one slot with one group (before neutral values join a side) and one value, summarised:
    all that aligning needs of them. Node ids follow the order in which keys first appear."""

    group: str  # a side, or `neutral:<voice>`
    span: Span | None
    first: Position  # its first claim in claim order
    claims: int
    earliest: datetime | None  # the earliest publication among its claims
    rep: ClaimInfo  # its earliest claim (rep_order)

    def add(self, info: ClaimInfo) -> ValueKey:
        """This key with one more claim."""
        dates = [d for d in (self.earliest, info.published) if d is not None]
        return ValueKey(self.group, self.span, min(self.first, info.position), self.claims + 1,
                        min(dates) if dates else None, min(self.rep, info, key=rep_order))


def value_keys(infos: Sequence[ClaimInfo]) -> tuple[list[ValueKey], list[list[int]]]:
    """The slot's value keys in order of first appearance, and the positions of each key's claims."""
    by_key: dict[tuple[str, Span | None], list[int]] = {}
    for i, info in enumerate(infos):
        by_key.setdefault((info.group, info.span), []).append(i)
    keys = []
    for (group, span), idx in by_key.items():
        dates = [infos[i].published for i in idx if infos[i].published is not None]
        keys.append(ValueKey(group, span, infos[idx[0]].position, len(idx), min(dates) if dates else None,
                             min((infos[i] for i in idx), key=rep_order)))
    return keys, list(by_key.values())


@dataclass(slots=True, eq=False)
class Node:
    """Working record: claims of one group with one value (one key, plus neutral keys that joined it)."""

    id: int
    group: str
    span: Span | None
    keys: list[int]  # positions in the key list: its own key first, then neutral keys that joined it
    rep: ClaimInfo
    first_seen: datetime | None = None
    role: str = "current"
    step: int | None = None


@dataclass(frozen=True, slots=True)
class GroupState:
    """A group's sequence of current values (oldest first); the last one is its current value."""

    group: str
    side: str | None
    epochs: tuple[Node, ...]

    @property
    def current(self) -> Node:
        return self.epochs[-1]


@dataclass(frozen=True, slots=True)
class KeyOutcome:
    """What aligning decided for every claim of one value key."""

    node: int
    group: str  # the comparison group: a side, `neutral`, or `media:<voice>`
    first_seen: datetime | None
    step: int | None
    role: str
    representative: str  # the claim id that stands for the node (a key that joined a side's node has none of it)


@dataclass(slots=True)
class SlotAlignment:
    members: list[Member] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    groups: list[GroupState] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)
    keys: list[ValueKey] = field(default_factory=list)
    outcomes: list[KeyOutcome] = field(default_factory=list)  # one per key, in key order
    voices: int | None = None  # distinct voices among the slot's claims (None: count them in `members`)


def relation_id(fact_id: str, a: str, b: str, rel: str) -> str:
    return hashlib.sha1(f"{fact_id}|{a}|{b}|{rel}".encode()).hexdigest()[:16]


def align_slot(fact_id: str, infos: Sequence[ClaimInfo]) -> SlotAlignment:
    """Nodes, sequences, relations and members for the claims of one slot."""
    keys, claims_of = value_keys(infos)
    out = align_nodes(fact_id, keys)
    for node in out.nodes:
        for k in node.keys:
            for i in claims_of[k]:
                info = infos[i]
                out.members.append(Member(
                    fact_id=fact_id, claim_id=info.claim_id, article_id=info.article_id, voice_id=info.voice_id,
                    side=info.side, side_source=info.side_source, group=node.group, value=to_value(info.span),
                    published=info.published, first_seen=node.first_seen, node=node.id, step=node.step,
                    representative=info.claim_id == node.rep.claim_id, role=node.role,
                ))
    out.voices = len({info.voice_id for info in infos})
    return out


def align_nodes(fact_id: str, keys: Sequence[ValueKey]) -> SlotAlignment:
    """Nodes, sequences and relations of one slot from its value keys (in order of first appearance; node ids
    are their positions). The result has no members: `align_slot` adds them, claim by claim."""
    out = SlotAlignment(keys=list(keys))
    nodes = [Node(i, k.group, k.span, [i], k.rep) for i, k in enumerate(keys)]
    side_nodes: dict[str, list[Node]] = defaultdict(list)
    neutral_nodes: list[Node] = []
    for node in nodes:
        (neutral_nodes if node.group.startswith(NEUTRAL) else side_nodes[node.group]).append(node)

    # 1. a neutral value equal to exactly one side's node joins it
    spans_by_side: dict[Span | None, list[Node]] = defaultdict(list)
    for ns in side_nodes.values():
        for node in ns:
            spans_by_side[node.span].append(node)
    pending: list[Node] = []
    for node in neutral_nodes:
        same = spans_by_side.get(node.span, [])
        if len(same) == 1:
            same[0].keys.extend(node.keys)
        else:
            pending.append(node)
    for node in (*(n for ns in side_nodes.values() for n in ns), *pending):
        # First sight; the representative stays the node's own key's earliest claim (a neutral report that
        # joined a side's value never represents it).
        dates = [keys[k].earliest for k in node.keys if keys[k].earliest is not None]
        node.first_seen = min(dates) if dates else None

    # 2. each side's sequence
    rels: list[tuple[Node, Node, str, str, str]] = []  # (a, b, level, relation, scope)
    groups: dict[str, GroupState] = {}
    for side in sorted(side_nodes):
        groups[side] = _walk(side, side, side_nodes[side], rels, "same_side")

    # 3. neutral values: support a side, or stand as their outlet's own figure
    media: dict[str, list[Node]] = defaultdict(list)
    for node in sorted(pending, key=_order):
        current = [g.current for g in groups.values() if compare(node.span, g.current.span) != "disjoint"]
        if current:
            node.group, node.role = NEUTRAL, "current"
            for target in current:
                level = compare(target.span, node.span)
                rels.append((target, node, level, relation(level, True), "neutral"))
            continue
        earlier = _earlier_match(node, side_nodes)
        if earlier is not None:
            node.group, node.role = NEUTRAL, "superseded"
            level = compare(earlier.span, node.span)
            rels.append((earlier, node, level, relation(level, True), "neutral"))
            continue
        node.group = f"{MEDIA}{node.rep.voice_id}"
        media[node.group].append(node)
    for name in sorted(media):
        groups[name] = _walk(name, None, media[name], rels, "neutral")

    # 4. across groups: values held at the same time
    names = sorted(groups)
    for gi, g in enumerate(names):
        for h in names[gi + 1:]:
            scope = "neutral" if g.startswith(MEDIA) or h.startswith(MEDIA) else "cross_side"
            for a, b in _overlapping(groups[g].epochs, groups[h].epochs):
                level = compare(a.span, b.span)
                rels.append((a, b, level, relation(level, False), scope))

    out.nodes = [n for ns in side_nodes.values() for n in ns] + pending
    out.groups = [groups[n] for n in names]
    outcome: dict[int, KeyOutcome] = {}
    for node in out.nodes:
        for k in node.keys:
            outcome[k] = KeyOutcome(node.id, node.group, node.first_seen, node.step, node.role, node.rep.claim_id)
    out.outcomes = [outcome[k] for k in range(len(keys))]
    seen: set[str] = set()
    for a, b, level, rel, scope in rels:
        ia, ib = a.rep, b.rep
        rid = relation_id(fact_id, ia.claim_id, ib.claim_id, rel)
        if rid in seen:
            continue
        seen.add(rid)
        out.relations.append(Relation(
            relation_id=rid, fact_id=fact_id, claim_a=ia.claim_id, claim_b=ib.claim_id, relation=rel,
            level=level, scope=scope, group_a=a.group, group_b=b.group, side_a=ia.side, side_b=ib.side,
            voice_a=ia.voice_id, voice_b=ib.voice_id, value_a=to_value(a.span), value_b=to_value(b.span),
            evidence_a=ia.claim.evidence, evidence_b=ib.claim.evidence,
        ))
    return out


def _order(node: Node) -> tuple[datetime, int, str]:
    rep = node.rep
    return (node.first_seen or _EARLIEST, -rep.claim.evidence.start, rep.claim_id)


def _walk(name: str, side: str | None, nodes: list[Node], rels: list[tuple[Node, Node, str, str, str]],
          scope: str) -> GroupState:
    nodes.sort(key=_order)
    for n in nodes:
        n.group = name
    cur = nodes[0]
    epochs = [cur]
    related: set[tuple[int, int]] = set()
    for n in nodes[1:]:
        level = compare(cur.span, n.span)
        moves = level in ("disjoint", "overlap") or (level == "within" and narrower(n.span, cur.span))
        rels.append((cur, n, level, relation(level, True), scope))
        related.add((id(cur), id(n)))
        if moves:
            cur = n
            epochs.append(n)
    for step, n in enumerate(epochs):
        n.step = step
    for n in nodes:
        level = compare(n.span, cur.span)
        n.role = "superseded" if level == "disjoint" else "current"
        if n is not cur and n.role == "current" and not related & {(id(n), id(cur)), (id(cur), id(n))}:
            rels.append((n, cur, level, relation(level, True), scope))
    return GroupState(name, side, tuple(epochs))


def _earlier_match(node: Node, side_nodes: dict[str, list[Node]]) -> Node | None:
    """The latest value any side held earlier that this neutral value matches."""
    best: Node | None = None
    for nodes in side_nodes.values():
        for n in nodes:
            if compare(n.span, node.span) != "disjoint" and (
                    best is None or (n.first_seen or _EARLIEST) > (best.first_seen or _EARLIEST)):
                best = n
    return best


def _overlapping(a: Sequence[Node], b: Sequence[Node]) -> list[tuple[Node, Node]]:
    """Pairs of values, one per sequence, that were current at the same time (a merge of two timelines)."""
    def start(seq: Sequence[Node], i: int) -> datetime:
        return seq[i].first_seen or _EARLIEST

    def end(seq: Sequence[Node], i: int) -> datetime:
        return start(seq, i + 1) if i + 1 < len(seq) else _LATEST

    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        a0, a1, b0, b1 = start(a, i), end(a, i), start(b, j), end(b, j)
        if a0 < b1 and b0 < a1:
            out.append((a[i], b[j]))
        if a1 <= b1:
            i += 1
        else:
            j += 1
    return out
