"""Cross-reference claims into facts: the matching stage's public entry point.

One job: compose the steps, purely (no database, no network):

    voices (copies.py) -> entities (entities.py) -> sides (sides.py) -> blocks (blocking.py)
    -> per block: nodes, sequences, relations (timeline.py) -> verdict (verdicts.py)

`cross_reference(articles, claims, vocab)` returns a `MatchResult` of frozen records; `warehouse.matches.store_matches`
writes one to the warehouse.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from core.records import Article, Claim
from extractors.vocabulary import Vocabulary
from matching.blocking import block, pairs_within, slot_key
from matching.compare import claim_span, to_value
from matching.copies import assign_voices, parse_published, sentence_keys
from matching.entities import NAME_THRESHOLD, EntityResolver, subject_order
from matching.records import (
    EntityRow,
    Fact,
    MatchResult,
    Member,
    NodeRow,
    Relation,
    SlotKey,
    SubjectRow,
    Verdict,
    Voice,
)
from matching.reference import Reference, load_reference
from matching.sides import claim_side
from matching.timeline import ClaimInfo, SlotAlignment, align_slot
from matching.verdicts import decide


def fact_id(slot: SlotKey) -> str:
    """Stable id of a fact: a hash of its slot, so a re-run finds the same fact."""
    key = "|".join(str(x) for x in (slot.story, slot.kind, slot.subject, slot.party, slot.munition))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def claim_info(claim: Claim, article: Article | None, voice_id: str, reference: Reference,
               published: datetime | None) -> ClaimInfo:
    """A claim with its voice, side, value as a span and publication time."""
    side, side_source = claim_side(claim, article, reference)
    return ClaimInfo(claim, claim.claim_id, claim.evidence.article_id, voice_id, side, side_source, claim_span(claim),
                     published)


def node_rows(fid: str, alignment: SlotAlignment) -> list[NodeRow]:
    """A fact's value keys and their outcomes, as stored in `fact_nodes`."""
    return [NodeRow(fact_id=fid, group=k.group, value=to_value(k.span), first=k.first, claims=k.claims,
                    earliest=k.earliest, rep_claim=k.rep.claim_id, node=o.node, comparison_group=o.group,
                    first_seen=o.first_seen, step=o.step, role=o.role, representative=o.representative)
            for k, o in zip(alignment.keys, alignment.outcomes, strict=True)]


def cross_reference(articles: Iterable[Article], claims: Iterable[Claim], vocab: Vocabulary, *,
                    reference: Reference | None = None, threshold: float = NAME_THRESHOLD) -> MatchResult:
    """Align claims from many articles into facts, with relations and a verdict per fact.

    `articles` gives each claim's outlet, publication date and story (claims whose article is missing are kept,
    undated, in the vocabulary's story). `reference` defaults to seeds/outlets.csv and seeds/wires.csv of the
    project; pass `load_reference(settings.seeds_dir)` to use another seeds folder. `threshold` is the name
    similarity at which an unknown place name joins a gazetteer entity or another unknown name.
    """
    reference = reference if reference is not None else load_reference()
    arts = {a.article_id: a for a in articles}
    keys = {aid: sentence_keys(a.text) for aid, a in arts.items()}
    voices = assign_voices(list(arts.values()), reference, keys=keys)
    unique: dict[str, Claim] = {}
    for c in claims:
        unique.setdefault(c.claim_id, c)
    default_story = vocab.story.id

    def story_of(article_id: str) -> str:
        a = arts.get(article_id)
        return (a.story if a is not None and a.story else None) or default_story

    resolver = EntityResolver(vocab, threshold)
    triples = sorted({(c.subject, c.subject_surface, c.subject_known) for c in unique.values()
                      if c.subject is not None}, key=subject_order)
    entities = resolver.resolve_all(triples)
    known_flag: dict[tuple[str, str | None], bool] = {}
    for subject, surface, known in triples:
        known_flag.setdefault((subject, surface), known)
    published = {aid: parse_published(a.published) for aid, a in arts.items()}
    infos: list[ClaimInfo] = []
    slots: list[SlotKey] = []
    entity_rows: dict[tuple[str, str], EntityRow] = {}
    subject_rows: dict[tuple[str, str, str | None], SubjectRow] = {}
    for c in unique.values():
        aid = c.evidence.article_id
        story = story_of(aid)
        subject = None
        if c.subject is not None:
            ent = entities[(c.subject, c.subject_surface)]
            subject = ent.canonical
            surface = c.subject_surface or c.subject
            entity_rows.setdefault((story, surface), EntityRow(story, surface, ent.canonical, ent.known, ent.method,
                                                               ent.score))
            if (story, c.subject, c.subject_surface) not in subject_rows:
                subject_rows[(story, c.subject, c.subject_surface)] = SubjectRow(
                    story, c.subject, c.subject_surface, known_flag[(c.subject, c.subject_surface)], ent.canonical,
                    ent.known, ent.method, ent.score)
        voice = voices[aid].voice_id if aid in voices else f"article:{aid}"
        infos.append(claim_info(c, arts.get(aid), voice, reference, published.get(aid)))
        slots.append(slot_key(c, story, subject))

    blocks = block(slots)
    facts: list[Fact] = []
    members: list[Member] = []
    relations: list[Relation] = []
    verdicts: list[Verdict] = []
    nodes: list[NodeRow] = []
    for slot, idx in blocks.items():
        fid = fact_id(slot)
        slot_infos = [infos[i] for i in idx]
        alignment = align_slot(fid, slot_infos)
        facts.append(Fact(fid, slot, tuple(i.claim_id for i in slot_infos),
                          tuple(sorted({i.voice_id for i in slot_infos}))))
        members.extend(alignment.members)
        relations.extend(alignment.relations)
        verdicts.append(decide(fid, slot.kind, alignment))
        nodes.extend(node_rows(fid, alignment))

    used_voices: tuple[Voice, ...] = tuple(replace(voices[a], story=story_of(a)) for a in arts)
    return MatchResult(
        stories=tuple(sorted({s.story for s in blocks} | {story_of(a) for a in arts})),
        voices=used_voices,
        entities=tuple(entity_rows.values()),
        facts=tuple(facts),
        members=tuple(members),
        relations=tuple(relations),
        verdicts=tuple(verdicts),
        candidate_pairs=pairs_within(blocks.values()),
        sentences=tuple((aid, k) for aid, ks in keys.items() for k in sorted(ks)),
        subjects=tuple(subject_rows.values()),
        nodes=tuple(nodes),
    )
