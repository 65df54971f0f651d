"""The records matching hands on: Voice, SlotKey, Fact, Member, Relation, SideValue, Verdict, MatchResult, and
the state incremental matching keeps (SubjectRow, NodeRow, MatchState, StoredClaim, FactRow), what an
incremental run changes (MatchDelta) and what it asks of the stored results (StoryReading).

One job: define the frozen, slotted dataclasses at the matching stage boundary (dicts and Arrow only appear
at the DuckDB edge, in warehouse/matches.py). Values are intervals as (low, high) with high None = open above.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from core.records import Article, Claim, Evidence

if TYPE_CHECKING:
    from matching.copies import Posting

RELATIONS = ("agree", "refine", "update", "conflict")
ROLES = ("current", "superseded")
SCOPES = ("same_side", "cross_side", "neutral")
VERDICTS = ("agree", "refine", "updated", "conflict", "unverified")

Value = tuple[float, float | None]  # [low, high]; high None = open above


@dataclass(frozen=True, slots=True)
class Voice:
    """Which independent voice an article speaks with. Wire copies and near-duplicates share one."""

    article_id: str
    story: str
    voice_id: str  # the originating organisation: a wire agency, else the outlet
    original_id: str  # earliest-published article of its copy cluster (itself when it has no copies)
    signal: str  # own | dateline | byline | near_duplicate
    containment: float | None = None  # shingle containment with the original, for near-duplicates


@dataclass(frozen=True, slots=True)
class SlotKey:
    """What a fact is about: claims are only compared inside one slot (the blocking key)."""

    story: str
    kind: str
    subject: str | None  # canonical entity; None = not about one place ("in total")
    party: str | None
    munition: str | None


@dataclass(frozen=True, slots=True)
class EntityRow:
    story: str
    surface: str
    canonical: str
    known: bool
    method: str
    score: float


@dataclass(frozen=True, slots=True)
class Fact:
    fact_id: str
    slot: SlotKey
    claim_ids: tuple[str, ...]
    voices: tuple[str, ...]  # distinct voice ids, sorted


@dataclass(frozen=True, slots=True)
class Member:
    """One claim in one fact: its voice, side, value, and whether it is current or superseded."""

    fact_id: str
    claim_id: str
    article_id: str
    voice_id: str
    side: str | None  # effective side: attribution.side, else the outlet's side, else None (neutral)
    side_source: str  # attribution | outlet | unknown_speaker | neutral
    group: str  # comparison group: the side, 'neutral' (supports a side), or 'media:<voice>'
    value: Value | None
    published: datetime | None
    first_seen: datetime | None  # earliest publication of this value by this group
    node: int  # the value node inside the fact (claims of one group with one value share it)
    step: int | None  # position in the group's sequence of current values; None if it never was current
    representative: bool  # the node's earliest claim: the one relations point to
    role: str  # current | superseded


@dataclass(frozen=True, slots=True)
class Relation:
    """Two value nodes compared: the level the comparison reached and what it means."""

    relation_id: str
    fact_id: str
    claim_a: str  # the earlier (or first group's) representative claim
    claim_b: str
    relation: str  # agree | refine | update | conflict
    level: str  # null | exact | within | overlap | disjoint (compare.LEVELS)
    scope: str  # same_side | cross_side | neutral
    group_a: str
    group_b: str
    side_a: str | None
    side_b: str | None
    voice_a: str
    voice_b: str
    value_a: Value | None
    value_b: Value | None
    evidence_a: Evidence
    evidence_b: Evidence


@dataclass(frozen=True, slots=True)
class SideValue:
    """A group's current value and the sequence of values it moved through, oldest first."""

    group: str
    side: str | None
    value: Value | None
    claim_id: str  # the claim that first gave the current value
    speaker: str | None
    voice_id: str
    first_seen: datetime | None
    sequence: tuple[Value | None, ...]


@dataclass(frozen=True, slots=True)
class Verdict:
    fact_id: str
    verdict: str  # conflict | updated | refine | agree | unverified
    consensus: Value | None  # intersection of every group's current value; None when they conflict
    spread: Value | None  # hull of every group's current value
    voices: int
    sides: int
    conflicts: int
    updates: int
    current: tuple[SideValue, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class SubjectRow:
    """How one (subject, surface) pair of a story's claims resolved: the entity its claims are blocked under."""

    story: str
    subject: str
    surface: str | None
    subject_known: bool  # the extractor's flag (when a pair comes both ways, the known one decides)
    canonical: str
    known: bool
    method: str
    score: float


@dataclass(frozen=True, slots=True)
class NodeRow:
    """One value key of a fact (its claims of one group, before neutral values join a side, with one value),
    summarised, and what aligning decided for its claims (matching.timeline.ValueKey and KeyOutcome)."""

    fact_id: str
    group: str  # a side, or 'neutral:<voice>'
    value: Value | None
    first: tuple[str, int, str]  # its first claim in claim order: (article_id, span start, claim_id)
    claims: int
    earliest: datetime | None  # earliest publication among its claims
    rep_claim: str  # its earliest claim (publication, place in the text, id)
    node: int
    comparison_group: str
    first_seen: datetime | None
    step: int | None
    role: str
    representative: str  # the claim that stands for the node its claims belong to


@dataclass(frozen=True, slots=True)
class MatchResult:
    stories: tuple[str, ...]
    voices: tuple[Voice, ...]
    entities: tuple[EntityRow, ...]
    facts: tuple[Fact, ...]
    members: tuple[Member, ...]
    relations: tuple[Relation, ...]
    verdicts: tuple[Verdict, ...]
    candidate_pairs: int = 0  # claim pairs inside blocks (what all-pairs would compare: n(n-1)/2)
    # state for incremental matching (matching/incremental.py): each article's sentence keys, each subject's
    # entity, each fact's value keys
    sentences: tuple[tuple[str, int], ...] = ()  # (article_id, sentence key)
    subjects: tuple[SubjectRow, ...] = ()
    nodes: tuple[NodeRow, ...] = ()

    def find_fact(self, kind: str, subject: str | None = None, party: str | None = None,
                  munition: str | None = None, story: str | None = None) -> Fact | None:
        for f in self.facts:
            s = f.slot
            if (s.kind, s.subject, s.party, s.munition) == (kind, subject, party, munition) and (
                    story is None or s.story == story):
                return f
        return None

    def members_of(self, fact_id: str) -> Iterator[Member]:
        return (m for m in self.members if m.fact_id == fact_id)

    def relations_of(self, fact_id: str) -> Iterator[Relation]:
        return (r for r in self.relations if r.fact_id == fact_id)

    def verdict_of(self, fact_id: str) -> Verdict | None:
        return next((v for v in self.verdicts if v.fact_id == fact_id), None)

    def voice_of(self, article_id: str) -> Voice | None:
        return next((v for v in self.voices if v.article_id == article_id), None)


SubjectKey = tuple[str, str | None]  # (subject, subject_surface)



def subject_token(subject: str, surface: str | None) -> str:
    """One string per (subject, surface), for list lookups in SQL (see warehouse/matches_incremental's
    SUBJECT_TOKEN_SQL)."""
    return subject + "\x1f" + (surface if surface is not None else "\x1e")


@dataclass(frozen=True, slots=True)
class MatchState:
    """What a story's stored results were computed from (`match_state`): incremental matching builds on them
    only while the signature (vocabulary, reference tables, algorithm) is the current one."""

    story: str
    signature: str
    mode: str  # full | incremental: how the results were last written
    reason: str | None  # why the last write was a full one
    articles: int
    claims: int


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """A claim already in a fact, with what the stored member row says of it."""

    claim: Claim
    fact_id: str
    voice_id: str
    side: str | None
    side_source: str
    published: datetime | None


@dataclass(frozen=True, slots=True)
class StoredKey:
    """A stored value key of a fact (`fact_nodes`) with its representative claim."""

    row: NodeRow
    rep: StoredClaim


@dataclass(frozen=True, slots=True)
class FactRow:
    """A fact's `facts` row when not all its claim ids are at hand: its slot and counts."""

    fact_id: str
    slot: SlotKey
    claims: int
    voices: int


@dataclass
class MatchDelta:
    """What an incremental run changes in one story's stored results."""

    story: str
    voices: list[Voice] = field(default_factory=list)  # replace these articles' rows
    sentences: list[tuple[str, str, int]] = field(default_factory=list)  # (story, article_id, key): new articles
    subjects: list[SubjectRow] = field(default_factory=list)  # replace these (subject, surface) rows
    entities: list[EntityRow] = field(default_factory=list)  # replace these surfaces' rows
    rewritten: set[str] = field(default_factory=set)  # facts whose rows are all replaced (or deleted when empty)
    facts: list[FactRow] = field(default_factory=list)  # the new rows of `rewritten` and of `grown`
    verdicts: list[Verdict] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    nodes: list[NodeRow] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)  # every member of `rewritten`, new members of `grown`
    grown: set[str] = field(default_factory=set)  # facts re-aligned from their keys: members kept, keys updated
    dropped_members: set[str] = field(default_factory=set)  # claim ids whose member rows `members` replaces
    key_updates: list[NodeRow] = field(default_factory=list)  # keys of `grown` facts whose outcome changed
    state: MatchState | None = None


class StoryReading(Protocol):
    """What incremental matching asks of the stored results (warehouse/matches_incremental.StoryReader answers)."""

    story: str

    def state(self) -> tuple[str, int, int] | None: ...

    def counts(self) -> tuple[int, int]: ...

    def new_articles(self) -> list[Article]: ...

    def new_claims(self) -> list[Claim]: ...

    def articles(self, ids: Collection[str], *, text: bool = True) -> list[Article]: ...

    def postings(self, keys: Collection[int], *, docs: int = 0) -> dict[int, tuple[Posting, list[str] | None]]: ...

    def sentence_keys(self, ids: Collection[str]) -> dict[str, set[int]]: ...

    def voices(self, ids: Collection[str]) -> dict[str, Voice]: ...

    def copies_of(self, originals: Collection[str]) -> list[str]: ...

    def subjects(self, tokens: Collection[str] | None = None, *, method: str | None = None) -> list[SubjectRow]: ...

    def members_with_subjects(self, tokens: Collection[str]) -> list[tuple[str, str]]: ...

    def members_of_articles(self, ids: Collection[str]) -> list[tuple[str, str, str]]: ...

    def facts(self, ids: Collection[str]) -> dict[str, tuple[str, str | None, str | None, str | None, int]]: ...

    def fact_voice_counts(self, ids: Collection[str], *, excluding: Collection[str] = (),
                          adding: Collection[tuple[str, str]] = ()) -> dict[str, int]: ...

    def members(self, claim_ids: Collection[str]) -> list[StoredClaim]: ...

    def key_members(self, fact_id: str, group: str, value: Value | None) -> list[StoredClaim]: ...

    def keys(self, ids: Collection[str]) -> dict[str, list[StoredKey]]: ...

    def stored_claims(self, ids: Collection[str]) -> list[StoredClaim]: ...

    def claims(self, ids: Collection[str]) -> list[Claim]: ...

    def first_by_surface(self, surfaces: Collection[str]) -> dict[str, SubjectKey]: ...
