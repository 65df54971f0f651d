"""Article -> claims (pure): numbers tied to what they count, places attacked, casualties,
negations, event times and responsibility, each attributed to its speaker.

The rules work on one sentence at a time with a little article context (the last munition named,
the last speaker for "he said", quotes that span sentences). All words come from the vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extractors.attribution import Frame, canonical_speaker, find_frames, lookup_speaker
from extractors.places import PlaceMention, find_places
from extractors.quantities import Quantity, QuantityFinder
from extractors.records import Attribution, Claim, Evidence, Interval
from extractors.sentences import Sentence, split_sentences
from extractors.times import find_time
from extractors.vocabulary import Vocabulary, norm_key
from sources.records import Article

_BREAK = re.compile(r";|\s[—–-]\s|\bwhile\b|\bwhereas\b|\bbut\b|\bmeanwhile\b")
_CLAUSE = re.compile(
    r"[;:,()—–]|\b(?:which|who|after|following|in\s+retaliation\s+for|in\s+response\s+to|because|since|"
    r"days\s+after|a\s+week\s+after|when|and\s+(?=[A-Z]))\b"
)
_STOP_BETWEEN = re.compile(
    r"[,;:.!?()“”\"]|\b(?:and|or|were|was|are|is|had|have|has|which|that|who|at|in|on|from|by|to|with|"
    r"hit|fired|launched|struck|of)\b",
    re.IGNORECASE,
)
_ELLIPTIC = re.compile(
    r"^\s*(?:of\s+(?:them|which|those|these|the\s+missiles|the\s+rockets)\s+|more\s+|that\s+|which\s+)?"
    r"(?:(?:were|was|had|have|reportedly|apparently|also|then|later|successfully)\s+){0,2}",
    re.IGNORECASE,
)
_NEG = re.compile(
    r"\b(?:no|not\s+a\s+single|zero|none\s+of\s+the)\s+(?P<np>(?:[\w.'’-]+,?\s+){0,5}?)"
    r"(?P<head>one|body|people|persons|troops|soldiers|service\s*members|personnel|americans|iraqis|"
    r"iranians|civilians|marines|casualties|casualty|injuries|deaths|fatalities|lives|loss\s+of\s+life)\b"
    r"(?P<rest>[^.;]{0,45})",
    re.IGNORECASE,
)
_NEG2 = re.compile(
    r"\b(?:without|did\s+not\s+(?:cause|result\s+in|produce|inflict|suffer)|didn't\s+(?:cause|result\s+in))\s+"
    r"(?:any\s+)?(?P<np>(?:[\w.'’-]+\s+){0,2}?)(?P<head>casualties|injuries|deaths|fatalities|loss\s+of\s+life)\b",
    re.IGNORECASE,
)
_TARGET_CLAUSE = re.compile(r";|\.\s+(?=[A-Z“\"])|\bwhere\b|\bwhich\b|\bwho\b|\bwhose\b")
_TIME_BLOCK = re.compile(
    r"[;“”]|:\s|\b(?:address|speech|met|meeting|returned|tweeted|briefing|remarks|statement|said|told|reported|"
    r"announced|spoke|interview|visited)\b",
    re.IGNORECASE,
)
_ATTACK_NEAR = re.compile(
    r"\b(?:attacks?|strikes?|struck|barrage|fired|launched|explosions|sirens|hit|missiles?|rockets?|volleys?|"
    r"salvos?|impacts?|landed)\b",
    re.IGNORECASE,
)
_NEG_MUNITION = re.compile(
    r"\b(?:none\s+of\s+(?:them|the\s+(?P<mun>missiles|rockets|drones))|no\s+(?P<mun2>missiles?|rockets?|drones?))"
    r"\s+(?:were|was|had\s+been|have\s+been)\s+(?:\w+\s+)?(?P<role>intercepted|shot\s+down|downed)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^(?P<label>(?:[A-Z][A-Z.'’-]*\s+){0,6}[A-Z][A-Z.'’-]+)\s*:\s+")
_CASUALTY_LEAD = re.compile(
    r"(?:\b(?:killing|wounding|injuring|killed|wounded|injured)|\b(?:toll|number|tally|count|total)\b[^.;]{0,80}?"
    r"\b(?:rose|risen|climbed|increased|grew|reached|jumped|stood|stands|is|was|now|to|at|of)|\btotal\s+of)\s+"
    r"(?:(?:at|to|of|now|about|nearly)\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Head:
    cls: str  # munition | people | target
    end: int  # offset in sentence where the counted noun ends
    word: str


class ClaimExtractor:
    """Compiled once per story vocabulary; `extract(article)` is pure."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.v = vocab
        self.quantities = QuantityFinder(vocab)
        self.version = vocab.version

    # ---- article level -------------------------------------------------------------------
    def extract(self, article: Article) -> list[Claim]:
        text = article.text
        sentences = split_sentences(text)
        quotes = _quote_spans(text)
        frames_by_sentence: list[list[Frame]] = []
        last_person: Attribution | None = None
        last_any: Attribution | None = None
        last_para = -1
        for s in sentences:
            if s.paragraph - last_para > 1:
                last_person = last_person  # pronouns may reach back one paragraph at most
            resolved = []
            mentions = [(m.start(), a) for m in self.v.re["speaker"].finditer(s.text)
                        if (a := canonical_speaker(m.group(), self.v)) is not None and self._is_person(a)]
            for f in find_frames(s.text, self.v):
                att = f.attribution
                for pos, a in mentions:
                    if pos < f.speaker_start:
                        last_person = a
                mentions = [(pos, a) for pos, a in mentions if pos >= f.speaker_start]
                if att is None:
                    pron = s.text[f.speaker_start : f.speaker_end].lower()
                    base = last_person if pron in ("he", "she") or "spokes" in pron or "secretary" in pron else last_any
                    att = replace(base, surface=s.text[f.speaker_start : f.speaker_end], hedge=f.hedge) if base else None
                else:
                    if self._is_person(att):
                        last_person = att
                    last_any = att
                resolved.append(replace(f, attribution=att))
            for _, a in mentions:
                last_person = a
            frames_by_sentence.append(resolved)
            last_para = s.paragraph
        labels = self._transcript_labels(sentences)
        claims: list[Claim] = []
        state: dict[str, str | None] = {"munition": None}
        for i, s in enumerate(sentences):
            for c in self._sentence_claims(article, s, state):
                att = self._attribute(c, i, sentences, frames_by_sentence, quotes) or labels.get(s.paragraph)
                claims.append(replace(c, attribution=att) if att else c)
        return _dedupe(claims)

    def _transcript_labels(self, sentences: list[Sentence]) -> dict[int, Attribution]:
        """Transcript speaker labels ("SEC. ESPER: ...") attribute their whole paragraph."""
        labels: dict[int, Attribution] = {}
        current: Attribution | None = None
        seen_para = -1
        for s in sentences:
            if s.paragraph == seen_para:
                continue
            seen_para = s.paragraph
            m = _LABEL.match(s.text)
            if not m:
                if current is not None:  # an unlabelled paragraph continues the last speaker's answer
                    labels[s.paragraph] = current
                continue
            current = None
            if m.group("label") in ("Q", "QUESTION", "UPDATE"):
                continue
            label = m.group("label").title()
            words = [w for w in re.split(r"\s+", label) if w]
            for cand in (label, " ".join(words[-2:]), words[-1]):
                att = canonical_speaker(cand, self.v, "said")
                if att:
                    current = labels[s.paragraph] = replace(att, surface=m.group("label"))
                    break
        return labels

    def _is_person(self, att: Attribution) -> bool:
        sp = lookup_speaker(att.surface or "", self.v)
        if sp is not None:
            return sp.is_person
        return att.organisation is None and " " in (att.speaker or "") and att.speaker != "US officials"

    def _attribute(self, c: Claim, i: int, sentences: list[Sentence], frames: list[list[Frame]],
                   quotes: list[tuple[int, int]]) -> Attribution | None:
        pos = c.evidence.start
        s = sentences[i]
        for qs, qe in quotes:
            if qs < pos < qe:
                got = _quote_speaker(qs, qe, sentences, frames)
                if got is not None:
                    return got
                break
        local = [f for f in frames[i] if f.attribution is not None
                 and not (f.speaker_start <= pos - s.start < f.speaker_end)]
        rel = pos - s.start
        before = [f for f in local if f.verb_start <= rel]
        if before:
            return before[-1].attribution
        after = [f for f in local if f.verb_start > rel]
        return after[0].attribution if after else None

    # ---- sentence level ------------------------------------------------------------------
    def _sentence_claims(self, article: Article, s: Sentence, state: dict[str, str | None]) -> list[Claim]:
        text = s.text
        v = self.v
        out: list[Claim] = []
        places = find_places(text, v)
        qs = self.quantities.find(text)
        # quantities overlapping a place name or a speaker name are part of a name
        qs = [q for q in qs if not any(p.start <= q.start < p.end for p in places)]
        breaks = [m.start() for m in _BREAK.finditer(text)]
        last_munition_claim: Claim | None = None
        last_casualty: tuple[str, str | None] | None = None
        for idx, q in enumerate(qs):
            prev_end = qs[idx - 1].end if idx else 0
            next_start = qs[idx + 1].start if idx + 1 < len(qs) else len(text)
            seg_lo = max([prev_end] + [b for b in breaks if b <= q.start])
            seg_hi = min([next_start] + [b for b in breaks if b >= q.end])
            if self._other_event(text, q.start):
                continue
            head = self._head(text, q, qs[idx + 1] if idx + 1 < len(qs) else None)
            if head is None:
                # elliptic forms: "11 hit Al Asad", "two of which did not explode", "200 wounded"
                tail = text[q.end : seg_hi]
                lead = _ELLIPTIC.match(tail)
                rest = tail[lead.end() :] if lead else tail
                role = v.re["role"].match(rest)
                cas = v.re["casualty"].match(rest)
                if role and (state["munition"] or last_munition_claim):
                    munition = last_munition_claim.munition if last_munition_claim else state["munition"]
                    kind = v.roles[norm_key(role.group())]
                    place = self._place_in(places, q.end, seg_hi, text)
                    out.append(self._claim(article, s, q, kind, munition=munition, place=place))
                    last_munition_claim = out[-1]
                    continue
                if cas and v.casualties[norm_key(cas.group())] != "both":
                    kind = v.casualties[norm_key(cas.group())]
                    party = self._party(text[q.end : q.end + lead.end() if lead else q.end]) or (
                        last_casualty[1] if last_casualty else None)
                    out.append(self._claim(article, s, q, kind, party=party))
                    last_casualty = (kind, party)
                    continue
                at_place = re.match(r"\s+(?:at|on|in|against)\s+(?:the\s+)?", tail)
                if at_place and last_munition_claim is not None:
                    place = self._place_in(places, q.end, seg_hi, text)
                    # "17 fell on Al Asad, two of which failed, and five on Erbil": parallel to the last
                    # count that named a place
                    model = next((c for c in reversed(out) if c.kind.startswith("munitions") and c.subject),
                                 last_munition_claim)
                    if place is not None:
                        out.append(self._claim(article, s, q, model.kind, munition=model.munition, place=place))
                        continue
                lead_cas = _CASUALTY_LEAD.search(text[max(seg_lo - 120, 0) : q.start])
                if lead_cas:
                    kinds = [v.casualties[norm_key(m.group())]
                             for m in v.re["casualty"].finditer(text[max(0, q.start - 120) : q.start])]
                    kinds = [k for k in kinds if k != "both"]
                    if kinds:
                        window = text[max(0, q.start - 120) : q.start]
                        party = self._party(window, last=True) or self._default_party(window)
                        out.append(self._claim(article, s, q, kinds[-1], party=party))
                        last_casualty = (kinds[-1], party)
                continue
            if head.cls == "munition":
                munition = v.munitions[norm_key(head.word)]
                state["munition"] = munition
                kind = self._role(text, seg_lo, q.start, head.end, seg_hi)
                place = self._place_in(places, head.end, seg_hi, text)
                out.append(self._claim(article, s, q, kind, munition=munition, place=place))
                last_munition_claim = out[-1]
            elif head.cls == "target":
                if self._attack_context(text) and q.value.low <= 100 and not re.search(
                    r"\bfrom\s+(?:at\s+least\s+|more\s+than\s+)?$", text[max(0, q.start - 25) : q.start], re.I
                ):
                    out.append(self._claim(article, s, q, "targets_count"))
            elif head.cls == "people":
                after = text[head.end : seg_hi]
                cas = [(m.start(), v.casualties[norm_key(m.group())]) for m in v.re["casualty"].finditer(after)]
                cas = [c for c in cas if c[1] != "both" and c[0] < 60]
                if not cas:
                    before = text[seg_lo : q.start]
                    cas = [(0, v.casualties[norm_key(m.group())]) for m in v.re["casualty"].finditer(before)
                           if v.casualties[norm_key(m.group())] != "both" and q.start - seg_lo - m.end() < 25]
                if cas:
                    np = text[q.end : head.end]
                    party = self._party(np) or self._party(after[: cas[0][0]]) or self._default_party(np)
                    out.append(self._claim(article, s, q, cas[0][1], party=party))
                    last_casualty = (cas[0][1], party)
        out += self._negations(article, s, state)
        out += self._targets(article, s, places)
        out += self._responsibility(article, s)
        t = self._event_time(article, s)
        if t:
            out.append(t)
        return out

    # ---- helpers -------------------------------------------------------------------------
    def _claim(self, article: Article, s: Sentence, q: Quantity | None, kind: str, *, munition: str | None = None,
               party: str | None = None, place: PlaceMention | None = None, span: tuple[int, int] | None = None,
               value: Interval | None = None, subject: str | None = None, subject_surface: str | None = None,
               known: bool = True, when=None) -> Claim:
        if q is not None:
            span, value = (q.start, q.end), q.value
        assert span is not None
        if place is not None:
            subject, subject_surface, known = place.canonical, place.surface, place.known
        return Claim(
            kind=kind,
            evidence=Evidence(article.article_id, s.text, s.start, s.start + span[0], s.start + span[1]),
            extractor_version=self.version,
            value=value,
            munition=munition,
            party=party,
            subject=subject,
            subject_surface=subject_surface,
            subject_known=known,
            when=when,
        )

    def _head(self, text: str, q: Quantity, nxt: Quantity | None) -> Head | None:
        """The noun a quantity counts, if it follows within a short noun phrase."""
        v = self.v
        start = q.end
        # "11 of the 16 missiles": count the noun after the second number
        m = re.match(r"\s+of\s+(?:the|those|these)\s+", text[start:])
        if m and nxt is not None and nxt.start == start + m.end():
            start = nxt.end
        elif m:
            start += m.end() - 1
        window = text[start : start + 60]
        window_n = re.sub(r"\b([A-Z])\.(?:([A-Z])\.)+", lambda x: x.group().replace(".", "_"), window)
        best: Head | None = None
        for cls, key in (("munition", "munition"), ("people", "people"), ("target", "target_noun")):
            for hm in v.re[key].finditer(window_n):
                between = window_n[: hm.start()]
                if re.fullmatch(r"-", between):
                    pass  # "22-missile barrage"
                elif between.strip() and (len(between.split()) > 4 or _STOP_BETWEEN.search(between)):
                    break
                if best is None or start + hm.start() < best.end:
                    best = Head(cls, start + hm.end(), window[hm.start() : hm.end()])
                break
        if best and best.cls == "people" and v.re["munition"].search(text[start : best.end]):
            return None
        return best

    def _role(self, text: str, seg_lo: int, q_start: int, head_end: int, seg_hi: int) -> str:
        v = self.v
        before = list(v.re["role"].finditer(text, seg_lo, q_start))
        if before and q_start - before[-1].end() <= 40:
            return v.roles[norm_key(before[-1].group())]
        after = v.re["role"].search(text, head_end, seg_hi)
        if after and after.start() - head_end <= 60:
            return v.roles[norm_key(after.group())]
        return "munitions_launched"

    def _place_in(self, places: list[PlaceMention], lo: int, hi: int, text: str) -> PlaceMention | None:
        inside = [p for p in places if lo <= p.start < hi and p.type in self.v.place_types
                  and not self.v.re["not_before"].search(text[max(0, p.start - 30) : p.start])]
        names = {p.canonical for p in inside}
        return inside[0] if len(names) == 1 else None

    def _party(self, text: str, last: bool = False) -> str | None:
        found = [m for m in self.v.re["party"].finditer(text) if m.group() != "us" and m.group() != "Us"]
        if not found:
            return None
        m = found[-1] if last else found[0]
        return self.v.parties[norm_key(m.group())]

    def _parties(self, text: str) -> list[str]:
        found = [self.v.parties[norm_key(m.group())] for m in self.v.re["party"].finditer(text)
                 if m.group() not in ("us", "Us")]
        return list(dict.fromkeys(found))

    def _default_party(self, np: str) -> str | None:
        if re.search(r"\b(?:troops|service\s*members?|servicemembers?|personnel|soldiers|sailors|airmen|marines)\b",
                     np, re.I):
            return self.v.story.default_party
        return None

    def _other_event(self, text: str, pos: int) -> bool:
        bounds = [m.end() for m in _CLAUSE.finditer(text, 0, pos)]
        lo = bounds[-1] if bounds else 0
        nxt = _CLAUSE.search(text, pos)
        hi = nxt.start() if nxt else len(text)
        return bool(self.v.re["other_event"].search(text, lo, hi))

    def _attack_context(self, text: str) -> bool:
        return bool(self.v.re["attack"].search(text) or self.v.re["role"].search(text))

    def _negations(self, article: Article, s: Sentence, state: dict[str, str | None]) -> list[Claim]:
        out = []
        v = self.v
        for rx in (_NEG, _NEG2):
            for m in rx.finditer(s.text):
                head = m.group("head").lower()
                rest = m.groupdict().get("rest") or ""
                if head in ("one", "body", "people", "persons", "troops", "soldiers", "personnel", "americans",
                            "iraqis", "iranians", "civilians", "marines") or head.startswith("service"):
                    cm = v.re["casualty"].search(rest[:40])
                    if not cm:
                        continue
                    word = norm_key(cm.group())
                    kinds = {"killed": ["killed"], "injured": ["injured"], "both": ["killed", "injured"]}[v.casualties[word]]
                    if word == "hurt":
                        kinds = ["killed", "injured"]
                elif head in ("casualties", "casualty"):
                    kinds = ["killed", "injured"]
                elif head in ("injuries",):
                    kinds = ["injured"]
                else:
                    kinds = ["killed"]
                np = m.group("np") + " " + m.group("head")
                parties = self._parties(np) or ([p] if (p := self._party(rest[:25])) else [])
                if not parties and head not in ("one", "body", "people", "persons", "civilians"):
                    parties = [v.story.default_party]
                if self._other_event(s.text, m.start()):
                    continue
                end = m.end("head")
                if rest and head not in ("casualties", "casualty", "injuries", "deaths", "fatalities"):
                    cm2 = v.re["casualty"].search(rest[:40])
                    end = m.start("rest") + cm2.end() if cm2 else end
                words = s.text[m.start() : end]
                zero = Interval(0, 0, "exact", words)
                for party in parties or [None]:
                    for k in kinds:
                        out.append(self._claim(article, s, None, k, party=party, span=(m.start(), end), value=zero))
        for m in _NEG_MUNITION.finditer(s.text):
            role = v.roles.get(norm_key(m.group("role")))
            munition = v.munitions.get(norm_key(m.group("mun") or m.group("mun2") or "")) or state["munition"]
            if role and munition:
                zero = Interval(0, 0, "exact", m.group())
                out.append(self._claim(article, s, None, role, munition=munition, span=m.span(), value=zero))
        return out

    def _targets(self, article: Article, s: Sentence, places: list[PlaceMention]) -> list[Claim]:
        if not self._attack_context(s.text):
            return []
        out = []
        for p in places:
            if p.type not in self.v.place_types:
                continue
            if self.v.re["not_before"].search(s.text[max(0, p.start - 30) : p.start]):
                continue
            if self._other_event(s.text, p.start):
                continue
            # the clause holding the place must itself speak of the attack
            lo = max([m.end() for m in _TARGET_CLAUSE.finditer(s.text[: p.start])] or [0])
            nxt = _TARGET_CLAUSE.search(s.text[p.end :])
            hi = p.end + nxt.start() if nxt else len(s.text)
            if not self._attack_context(s.text[lo:hi]):
                continue
            out.append(self._claim(article, s, None, "target", place=p, span=(p.start, p.end)))
        return out

    def _responsibility(self, article: Article, s: Sentence) -> list[Claim]:
        out = []
        text = s.text
        for m in self.v.re["actor"].finditer(text):
            after = text[m.end() : m.end() + 60]
            verb = re.match(
                r"(?:'s?|’s?)?\s*(?:[\w’'-]+\s+){0,3}?(?:(?:had|has|have|then|later|also|reportedly|on\s+\w+)\s+)*"
                r"(?:fired|launched|struck|attacked|targeted|carried\s+out|conducted|retaliated|claimed|"
                r"took\s+responsibility|hit|unleashed|bombarded|rained)\b",
                after, re.IGNORECASE)
            adj = re.match(r"(?:'s|’s)?\s+(?:ballistic\s+)?(?:missile\s+|rocket\s+)?(?:missiles|rockets|attacks?|strikes?|barrage|retaliation|counter-?attack)\b",
                           after, re.IGNORECASE)
            passive = re.search(r"\b(?:by|from)\s+$", text[max(0, m.start() - 6) : m.start()])
            if not (verb or adj or (passive and "by" in text[max(0, m.start() - 6) : m.start()])):
                continue
            if verb and re.match(r"(?:'s?|’s?)?\s*(?:foreign|supreme|president|minister|state|government|leader)",
                                 after, re.IGNORECASE):
                continue
            if self._other_event(text, m.start()):
                continue
            actor = self.v.actors[norm_key(m.group())]
            out.append(self._claim(article, s, None, "responsibility", span=m.span(), subject=actor,
                                   subject_surface=m.group()))
        return out

    def _event_time(self, article: Article, s: Sentence) -> Claim | None:
        st = self.v.story
        # a time qualifies the attack only inside a piece of the sentence that speaks of the attack
        got = None
        cuts = [0] + [x for m in _TIME_BLOCK.finditer(s.text) for x in (m.start(), m.end())] + [len(s.text)]
        pieces = list(zip(cuts[::2], cuts[1::2], strict=True))
        for lo, hi in pieces:
            piece = s.text[lo:hi]
            if not _ATTACK_NEAR.search(piece) or self._other_event(s.text, lo):
                continue
            found = find_time(piece, article.published, st.event_date, st.timezone)
            if found:
                got = (found[0], found[1] + lo, found[2] + lo)
                break
        if got is None:
            return None
        span, a, b = got
        # only times within the story's window around the event count as the event's time
        if not (_day(span.start) <= _shift(st.event_date, 1) and _day(span.end) >= _shift(st.event_date, -1)):
            return None
        return self._claim(article, s, None, "event_time", span=(a, b), when=span)


def _day(iso: str) -> str:
    return iso[:10]


def _shift(d: str, days: int) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(d) + timedelta(days=days)).isoformat()


def _quote_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"“[^”]{1,2000}?(?:”|(?=\n\s*\n“))|(?<![\w])\"[^\"]{1,2000}?\"", text):
        spans.append((m.start(), m.end()))
    return spans


def _quote_speaker(qs: int, qe: int, sentences: list[Sentence], frames: list[list[Frame]]) -> Attribution | None:
    """A quote's speaker: the frame right after it closes, else the frame that introduces it."""
    for i, s in enumerate(sentences):
        if s.start <= qe <= s.end + 1:
            for f in frames[i]:
                if f.attribution and 0 <= s.start + f.verb_start - qe <= 40:
                    return f.attribution
            for f in frames[i]:
                if f.attribution and 0 <= s.start + f.speaker_start - qe <= 40:
                    return f.attribution
        if s.start <= qs <= s.end:
            intro = [f for f in frames[i] if f.attribution and 0 <= qs - (s.start + f.verb_end) <= 60]
            if intro:
                return intro[-1].attribution
    return None


def _dedupe(claims: list[Claim]) -> list[Claim]:
    """One claim per fact per article: repeated mentions of the same figure by the same speaker."""
    seen: set[tuple] = set()
    out = []
    for c in claims:
        key = (c.kind, c.munition, c.party, c.subject, c.value.low if c.value else None,
               c.value.high if c.value else None, c.when.start[:10] if c.when else None, c.attribution.speaker)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def extract_claims(article: Article, vocab: Vocabulary) -> list[Claim]:
    return ClaimExtractor(vocab).extract(article)
