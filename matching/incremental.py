"""Incremental matching: fold a story's new articles and claims into its stored results, re-deciding only the
facts they touch, with exactly the result a full `cross_reference` of everything would store.

One job: work out what new articles and claims change, reading only what that needs (`StoryReading`, answered by
warehouse/matches_incremental.StoryReader), and return
it as a `MatchDelta` for warehouse/matches_incremental.py to write. What can change, and what is kept to see it:

- Voices (copies.py): a new article can copy an older one, or an older one can turn out to be its copy; it can
  also become the first article of a shared sentence, or push the sentence past `MAX_POSTING`, which moves or
  drops the candidate pairs of that sentence. The stored sentence keys (`match_sentences`) give each key's
  story-wide posting; the articles a new one can affect, with every member of their copy clusters, form a part
  closed under copying, whose voices are recomputed (`reassign_voices`). An older article whose voice changes
  changes its claims' comparison groups: their facts are re-aligned in full.
- Entities (entities.py): a new (subject, surface) is resolved on its own; a new unknown name can join or merge
  clusters of unknown names and rename them (`extend_clusters`), which moves the claims under the old name to
  another slot: both facts are re-aligned in full. The resolved pairs are kept in `match_subjects`.
- Sides and publication dates belong to a claim and its article: stored ones never change.
- Facts (timeline.py): a fact that only gains claims is re-aligned from its stored value keys (`fact_nodes`)
  with the new claims folded in; its new claims' members are inserted and the stored members of keys whose
  node, group, step, role or representative moved are updated. Other facts stay as stored.

`FullMatch(reason)` is raised whenever the stored state cannot be built on (none yet, another vocabulary,
reference tables or matching version, claims or articles gone, a subject seen both known and unknown, more new
claims than stored ones); the caller then matches in full and says why.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from core.records import Article, Claim
from extractors.vocabulary import Vocabulary
from matching import compare, copies, entities
from matching.align import claim_info, fact_id, node_rows
from matching.blocking import slot_key
from matching.compare import INF, Span, claim_span, to_value
from matching.copies import (
    CONTAINMENT,
    MAX_POSTING,
    Posting,
    containment,
    parse_published,
    reassign_voices,
    sentence_keys,
    shingles,
)
from matching.entities import NAME_THRESHOLD, EntityResolver, cluster_entity, extend_clusters, subject_order
from matching.records import (
    EntityRow,
    FactRow,
    MatchDelta,
    MatchState,
    Member,
    NodeRow,
    SlotKey,
    StoredClaim,
    StoryReading,
    SubjectKey,
    SubjectRow,
    Value,
    Voice,
    subject_token,
)
from matching.reference import Reference
from matching.timeline import ClaimInfo, KeyOutcome, ValueKey, align_nodes, align_slot, value_keys
from matching.verdicts import decide

# Bump when what matching stores changes meaning: every story's stored state is then matched in full once.
MATCH_VERSION = "1"


class FullMatch(Exception):  # noqa: N818 - a signal, not an error: the caller matches in full
    """The stored state cannot be built on; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def state_signature(vocab: Vocabulary, seeds_dir: Path) -> str:
    """What stored results depend on besides the claims and articles: the vocabulary (with the gazetteer,
    speakers and story file), the outlets and wire marks, and matching's own version and constants."""
    h = hashlib.sha256()
    for part in (MATCH_VERSION, vocab.version, entities.NAME_THRESHOLD, copies.CONTAINMENT, copies.SHINGLE_WORDS,
                 copies.MIN_SENTENCE_WORDS, copies.MAX_POSTING, compare.TIME_TOLERANCE_MIN):
        h.update(f"{part}\x1f".encode())
    for name in ("outlets.csv", "wires.csv"):
        path = Path(seeds_dir) / name
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class IncrementStats:
    """What an incremental run did, for the run's counts."""

    articles: int  # new articles
    claims: int  # new claims
    facts_grown: int  # facts re-aligned from their stored value keys (they gained claims, or some changed voice)
    facts_rewritten: int  # facts re-aligned from all their claims (an entity of theirs was renamed)
    voices_changed: int  # older articles whose voice changed
    subjects_changed: int  # stored (subject, surface) pairs whose entity changed
    facts_revoiced: int = 0  # of facts_grown: those where older claims changed voice


def to_span(value: Value | None) -> Span | None:
    """A stored value back as the span matching compares (open above = infinity)."""
    if value is None:
        return None
    return (value[0], INF if value[1] is None else value[1])


def match_increment(reader: StoryReading, vocab: Vocabulary, reference: Reference, signature: str, *,
                    batch: bool = False) -> tuple[MatchDelta, IncrementStats]:
    """The changes new articles and claims make to the story's stored results. Raises FullMatch. With `batch`
    (a story matched from scratch one batch at a time), the new claims may outnumber the stored ones."""
    state = reader.state()
    if state is None:
        raise FullMatch("no stored matching state")
    stored_signature, n_articles, n_claims = state
    if stored_signature != signature:
        raise FullMatch("vocabulary, reference tables or matching version changed")
    new_articles = reader.new_articles()
    new_claims = reader.new_claims()
    # The stored results hold every claim and article the story had then, so what the story has now is what
    # they hold plus what is new, unless some left (a new extractor version replaces an article's claims).
    articles_now, claims_now = reader.counts()
    gone_articles = n_articles + len(new_articles) - articles_now
    gone_claims = n_claims + len(new_claims) - claims_now
    if gone_articles or gone_claims:
        raise FullMatch(f"{gone_claims} claims and {gone_articles} articles left the warehouse")
    if len(new_claims) > n_claims and not batch:
        raise FullMatch(f"more new claims ({len(new_claims)}) than stored ones ({n_claims})")
    return _Increment(reader, vocab, reference, new_articles, new_claims).run(
        MatchState(reader.story, signature, "incremental", None, n_articles + len(new_articles),
                   n_claims + len(new_claims)))


class _Increment:
    """One incremental run's working state; `run` goes through voices, entities, then facts."""

    def __init__(self, reader: StoryReading, vocab: Vocabulary, reference: Reference, new_articles: list[Article],
                 new_claims: list[Claim]) -> None:
        self.reader = reader
        self.story = reader.story
        self.vocab = vocab
        self.reference = reference
        self.new_articles = new_articles
        self.new_claims = new_claims
        self.delta = MatchDelta(self.story)

    def run(self, state: MatchState) -> tuple[MatchDelta, IncrementStats]:
        voices, changed_voice = self.voices()
        canonical, renamed, subjects_changed = self.entities()
        moved = self.moved_claims(renamed, canonical)
        infos = self.new_infos(voices)
        by_fact: dict[str, list[ClaimInfo]] = defaultdict(list)
        slots: dict[str, SlotKey] = {}
        for info in infos:
            slot = self.slot(info.claim, canonical)
            fid = fact_id(slot)
            by_fact[fid].append(info)
            slots[fid] = slot
        rewritten = {old for old, _ in moved.values()} | {new for _, new in moved.values()}
        # claims of older articles whose voice changed: their facts are re-aligned from the stored value keys too
        found = self.reader.members_of_articles(changed_voice)  # (claim, fact, article)
        revoiced = {cid: voices[aid].voice_id for cid, fid, aid in found if fid not in rewritten}
        regrouped = {fid for _, fid, _ in found} - rewritten
        grown = (set(by_fact) | regrouped) - rewritten
        self.grow(grown, by_fact, slots, revoiced)
        self.rewrite(rewritten, by_fact, moved, voices, canonical)
        self.entity_rows(canonical, {key for key, _ in renamed.items()} | subjects_changed)
        self.delta.state = state
        return self.delta, IncrementStats(len(self.new_articles), len(self.new_claims), len(grown), len(rewritten),
                                          len(changed_voice), len(renamed), len(regrouped))

    # --- voices --------------------------------------------------------------------------------------------

    def voices(self) -> tuple[dict[str, Voice], set[str]]:
        """Voices of the new articles and of every article they can affect; the older ones whose voice changed."""
        if not self.new_articles:
            return {}, set()
        reader = self.reader
        new_keys = {a.article_id: sentence_keys(a.text) for a in self.new_articles}
        carriers: dict[int, list[str]] = defaultdict(list)  # sentence key -> new articles carrying it
        for aid in sorted(new_keys):
            for key in new_keys[aid]:
                carriers[key].append(aid)
        stored = reader.postings(carriers, docs=MAX_POSTING)
        # The candidate pairs that change are those of the new articles' sentences (a star from each sentence's
        # first article). A pair that leaves can only split the cluster of its star's old first article; a pair
        # that comes touches its older article's cluster only if the two are copies.
        anchors: set[str] = set()  # older articles whose cluster is recomputed
        probes: dict[str, set[str]] = defaultdict(set)  # a new first article -> older articles now paired with it
        for key, docs in carriers.items():
            posting, listed = stored.get(key, (Posting(0, ""), []))
            old_first = posting.first if posting.count else None
            count = posting.count + len(docs)
            first = min(old_first, docs[0]) if old_first is not None else docs[0]
            if 1 < posting.count <= MAX_POSTING and (count > MAX_POSTING or first != old_first):
                anchors.add(posting.first)  # its star is gone
            if 1 < count <= MAX_POSTING:
                if first == old_first:
                    anchors.add(first)  # pairs from it to the new articles
                else:
                    probes[first].update(listed or ())  # pairs from a new article to every older one
        shingled = {a.article_id: shingles(a.text) for a in self.new_articles if a.article_id in probes}
        paired = {d for ds in probes.values() for d in ds}
        old = reader.voices(anchors | paired)
        if not (anchors | paired) <= set(old):
            raise FullMatch("stored voices are incomplete")
        part = set(reader.copies_of({old[a].original_id for a in anchors})) | anchors
        others = paired - part
        for a in reader.articles(others):
            shingled[a.article_id] = shingles(a.text)
        copies_of_new = {d for first, ds in probes.items() for d in ds if d in others
                         and containment(shingled[first], shingled[d]) >= CONTAINMENT}
        part |= set(reader.copies_of({old[d].original_id for d in copies_of_new})) | copies_of_new
        old = reader.voices(part)
        articles = [*reader.articles(part), *self.new_articles]
        keys = {**reader.sentence_keys(part), **new_keys}
        every = set().union(*keys.values()) if keys else set()
        counts = reader.postings(every)
        postings: dict[int, Posting] = {}
        for key in every:
            posting = counts[key][0] if key in counts else Posting(0, "")
            docs = carriers.get(key, [])
            firsts = [f for f in ((posting.first if posting.count else None), docs[0] if docs else None) if f]
            postings[key] = Posting(posting.count + len(docs), min(firsts))
        voices = {aid: replace(v, story=self.story)
                  for aid, v in reassign_voices(articles, keys, postings, self.reference, shingled=shingled).items()}
        self.delta.voices = [voices[aid] for aid in sorted(voices) if aid in new_keys or voices[aid] != old.get(aid)]
        self.delta.sentences = [(self.story, aid, key) for aid in sorted(new_keys) for key in sorted(new_keys[aid])]
        changed = {aid for aid in part if voices[aid].voice_id != old[aid].voice_id}
        return voices, changed

    # --- entities ------------------------------------------------------------------------------------------

    def entities(self) -> tuple[dict[SubjectKey, SubjectRow], dict[SubjectKey, tuple[str, str]], set[SubjectKey]]:
        """The entity of every subject the new claims carry (stored or resolved now), the stored subjects whose
        cluster was renamed ({key: (old canonical, new)}), and the stored ones whose score alone changed."""
        triples = sorted({(c.subject, c.subject_surface, c.subject_known) for c in self.new_claims
                          if c.subject is not None}, key=subject_order)
        first_known: dict[SubjectKey, bool] = {}
        for subject, surface, known in triples:
            first_known.setdefault((subject, surface), known)
        stored = {(r.subject, r.surface): r for r in self.reader.subjects({subject_token(*k) for k in first_known})}
        rows: dict[SubjectKey, SubjectRow] = dict(stored)
        fresh: dict[SubjectKey, SubjectRow] = {}
        pending: dict[SubjectKey, str] = {}
        resolver = EntityResolver(self.vocab, NAME_THRESHOLD)
        for key, known in first_known.items():
            row = stored.get(key)
            if row is not None:
                if known and not row.subject_known:
                    raise FullMatch(f"subject {key[0]!r} ({key[1]!r}) now also comes known to the gazetteer")
                continue
            ent = resolver.resolve(key[0], key[1], known)
            if ent is None:
                pending[key] = key[0]
            else:
                fresh[key] = SubjectRow(self.story, key[0], key[1], known, ent.canonical, ent.known, ent.method,
                                        ent.score)
        renamed: dict[SubjectKey, tuple[str, str]] = {}
        rescored: set[SubjectKey] = set()
        if pending:
            clustered = self.reader.subjects(method="cluster")
            spellings = Counter(r.subject for r in clustered)
            spellings.update(pending.values())
            names = extend_clusters({r.subject: r.canonical for r in clustered}, spellings, set(pending.values()),
                                    NAME_THRESHOLD)
            for key, label in pending.items():
                ent = cluster_entity(key, label, names[label])
                fresh[key] = SubjectRow(self.story, key[0], key[1], first_known[key], ent.canonical, False, "cluster",
                                        ent.score)
            for r in clustered:
                if r.subject not in names:
                    continue
                key = (r.subject, r.surface)
                ent = cluster_entity(key, r.subject, names[r.subject])
                if (ent.canonical, ent.score) != (r.canonical, r.score):
                    fresh[key] = replace(r, canonical=ent.canonical, score=ent.score)
                    if ent.canonical != r.canonical:
                        renamed[key] = (r.canonical, ent.canonical)
                    else:
                        rescored.add(key)
        rows.update(fresh)
        self.delta.subjects = [fresh[k] for k in sorted(fresh, key=lambda k: (k[0], k[1] is None, k[1] or ""))]
        self._subjects = rows
        return rows, renamed, rescored

    def subject_rows(self, keys: Iterable[SubjectKey]) -> dict[SubjectKey, SubjectRow]:
        """Entities of any subjects: those known to this run, the rest as stored."""
        keys = set(keys)
        missing = keys - set(self._subjects)
        if missing:
            self._subjects.update({(r.subject, r.surface): r
                                   for r in self.reader.subjects({subject_token(*k) for k in missing})})
        if keys - set(self._subjects):
            raise FullMatch("stored subjects are incomplete")
        return {k: self._subjects[k] for k in keys}

    def slot(self, claim: Claim, canonical: dict[SubjectKey, SubjectRow]) -> SlotKey:
        subject = None
        if claim.subject is not None:
            subject = canonical[(claim.subject, claim.subject_surface)].canonical
        return slot_key(claim, self.story, subject)

    def moved_claims(self, renamed: dict[SubjectKey, tuple[str, str]], canonical: dict[SubjectKey, SubjectRow]
                     ) -> dict[str, tuple[str, str]]:
        """{claim_id: (old fact, new fact)} for stored claims whose subject's entity was renamed."""
        found = self.reader.members_with_subjects({subject_token(*k) for k in renamed})
        if not found:
            return {}
        claims = {c.claim_id: c for c in self.reader.claims({cid for cid, _ in found})}
        return {cid: (old, fact_id(self.slot(claims[cid], canonical))) for cid, old in found}

    # --- facts ---------------------------------------------------------------------------------------------

    def new_infos(self, voices: dict[str, Voice]) -> list[ClaimInfo]:
        """The new claims with their voice, side, value and publication time, in claim order."""
        new = {a.article_id: a for a in self.new_articles}
        older = {c.evidence.article_id for c in self.new_claims} - set(new)
        articles = {**new, **{a.article_id: a for a in self.reader.articles(older, text=False)}}
        stored_voices = self.reader.voices(older - set(voices))
        self._voice = {aid: v.voice_id for aid, v in {**stored_voices, **voices}.items()}
        out = []
        for c in self.new_claims:
            aid = c.evidence.article_id
            if aid not in self._voice:
                raise FullMatch(f"article {aid} of a new claim has no voice")
            art = articles.get(aid)
            out.append(claim_info(c, art, self._voice[aid], self.reference,
                                  parse_published(art.published) if art else None))
        return out

    def grow(self, grown: set[str], by_fact: dict[str, list[ClaimInfo]], slots: dict[str, SlotKey],
             revoiced: dict[str, str]) -> None:
        """Facts that gained claims, or whose older claims changed voice (`revoiced`: claim id -> its new voice),
        re-aligned from their stored value keys with the changes folded in. A claim that changes voice changes
        key only when it is neutral (a neutral key is its voice's); a key that loses claims is summarised again
        from the members it keeps. Only the members of new and revoiced claims are written; the others follow
        their key (`key_updates`)."""
        if not grown:
            return
        stored_keys = self.reader.keys(grown)
        stored_facts = self.reader.facts(grown)
        moving: dict[str, list[tuple[ClaimInfo, ClaimInfo]]] = defaultdict(list)  # fact -> (before, after)
        for sc in self.reader.members(revoiced):
            before = self.stored_info(sc)
            moving[sc.fact_id].append((before, replace(before, voice_id=revoiced[before.claim_id])))
        adding = {(fid, i.voice_id) for fid in grown for i in by_fact.get(fid, ())}
        adding |= {(fid, after.voice_id) for fid, pairs in moving.items() for _, after in pairs}
        voices = self.reader.fact_voice_counts(grown, excluding=revoiced, adding=adding)
        for fid in sorted(grown):
            new = by_fact.get(fid, [])
            left: dict[tuple[str, Span | None], set[str]] = defaultdict(set)  # keys losing claims -> those claims
            for before, after in moving[fid]:
                if before.group != after.group:
                    left[(before.group, before.span)].add(before.claim_id)
            keys: list[ValueKey] = []
            for sk in stored_keys[fid]:
                rep = self.stored_info(sk.rep)
                span = to_span(sk.row.value)
                if (rep.group, rep.span) != (sk.row.group, span):
                    raise FullMatch(f"stored value key of fact {fid} does not match its representative claim")
                if (sk.row.group, span) in left:
                    gone = left[(sk.row.group, span)]
                    rest = sorted((self.stored_info(sc) for sc in self.reader.key_members(fid, sk.row.group,
                                                                                           sk.row.value)
                                   if sc.claim.claim_id not in gone), key=lambda i: i.position)
                    keys.extend(value_keys(rest)[0])  # one key, or none when every claim left
                    continue
                if rep.claim_id in revoiced:
                    rep = replace(rep, voice_id=revoiced[rep.claim_id])
                keys.append(ValueKey(sk.row.group, span, sk.row.first, sk.row.claims, sk.row.earliest, rep))
            if bool(stored_keys[fid]) != (fid in stored_facts):
                raise FullMatch(f"fact {fid}: stored value keys and fact row disagree")
            index = {(k.group, k.span): i for i, k in enumerate(keys)}
            joining = [*new, *(after for before, after in moving[fid] if before.group != after.group)]
            for info in joining:
                i = index.get((info.group, info.span))
                if i is None:
                    index[(info.group, info.span)] = len(keys)
                    keys.append(ValueKey(info.group, info.span, info.position, 1, info.published, info))
                else:
                    keys[i] = keys[i].add(info)
            keys.sort(key=lambda k: k.first)
            alignment = align_nodes(fid, keys)
            alignment.voices = voices[fid]
            slot = slots[fid] if fid in slots else SlotKey(self.story, *stored_facts[fid][:4])
            self.delta.grown.add(fid)
            self.delta.verdicts.append(decide(fid, slot.kind, alignment))
            self.delta.relations.extend(alignment.relations)
            rows = node_rows(fid, alignment)
            self.delta.nodes.extend(rows)
            before_rows = {(sk.row.group, sk.row.value): sk.row for sk in stored_keys[fid]}
            self.delta.key_updates.extend(r for r in rows if (r.group, r.value) in before_rows
                                          and _outcome(before_rows[(r.group, r.value)]) != _outcome(r))
            position = {(k.group, k.span): i for i, k in enumerate(keys)}
            for info in [*new, *(after for _, after in moving[fid])]:
                self.delta.members.append(_member(fid, info, alignment.outcomes[position[(info.group, info.span)]]))
            self.delta.dropped_members.update(before.claim_id for before, _ in moving[fid])
            stored_claims = stored_facts[fid][4] if fid in stored_facts else 0
            self.delta.facts.append(FactRow(fid, slot, stored_claims + len(new), voices[fid]))

    def stored_info(self, sc: StoredClaim) -> ClaimInfo:
        c = sc.claim
        return ClaimInfo(c, c.claim_id, c.evidence.article_id, sc.voice_id, sc.side, sc.side_source, claim_span(c),
                         sc.published)

    def rewrite(self, rewritten: set[str], by_fact: dict[str, list[ClaimInfo]], moved: dict[str, tuple[str, str]],
                voices: dict[str, Voice], canonical: dict[SubjectKey, SubjectRow]) -> None:
        """Facts a changed voice or entity reaches: re-aligned from all their claims, their rows replaced."""
        if not rewritten:
            return
        self.delta.rewritten |= rewritten
        infos: dict[str, list[ClaimInfo]] = defaultdict(list)
        for sc in self.reader.stored_claims(rewritten):
            info = self.stored_info(sc)
            aid = info.article_id
            if aid in voices and voices[aid].voice_id != info.voice_id:
                info = replace(info, voice_id=voices[aid].voice_id)
            target = moved[info.claim_id][1] if info.claim_id in moved else sc.fact_id
            infos[target].append(info)
        for fid in rewritten:
            infos[fid].extend(by_fact.get(fid, ()))
        subjects = self.subject_rows((i.claim.subject, i.claim.subject_surface) for ns in infos.values() for i in ns
                                     if i.claim.subject is not None)
        canonical = {**canonical, **subjects}
        for fid in sorted(rewritten):
            slot_infos = sorted(infos.get(fid, ()), key=lambda i: i.position)
            if not slot_infos:
                continue  # every claim left the fact: its rows are deleted
            slot = self.slot(slot_infos[0].claim, canonical)
            alignment = align_slot(fid, slot_infos)
            self.delta.facts.append(FactRow(fid, slot, len(slot_infos), len({i.voice_id for i in slot_infos})))
            self.delta.members.extend(alignment.members)
            self.delta.relations.extend(alignment.relations)
            self.delta.verdicts.append(decide(fid, slot.kind, alignment))
            self.delta.nodes.extend(node_rows(fid, alignment))

    def entity_rows(self, canonical: dict[SubjectKey, SubjectRow], changed: set[SubjectKey]) -> None:
        """`match_entities` rows of the surfaces new claims or changed subjects carry: each from the story's first
        claim written that way."""
        surfaces = {c.subject_surface or c.subject for c in self.new_claims if c.subject is not None}
        surfaces |= {surface or subject for subject, surface in changed}
        first = self.reader.first_by_surface(surfaces)
        rows = self.subject_rows(first.values())
        for surface in sorted(first):
            r = rows[first[surface]]
            self.delta.entities.append(EntityRow(self.story, surface, r.canonical, r.known, r.method, r.score))


def _outcome(row: NodeRow) -> tuple[object, ...]:
    return (row.node, row.comparison_group, row.first_seen, row.step, row.role, row.representative)


def _member(fid: str, info: ClaimInfo, outcome: KeyOutcome) -> Member:
    return Member(fact_id=fid, claim_id=info.claim_id, article_id=info.article_id, voice_id=info.voice_id,
                  side=info.side, side_source=info.side_source, group=outcome.group, value=to_value(info.span),
                  published=info.published, first_seen=outcome.first_seen, node=outcome.node, step=outcome.step,
                  representative=info.claim_id == outcome.representative, role=outcome.role)

