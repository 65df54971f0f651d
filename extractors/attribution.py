"""Who said it: speech frames in a sentence ("X said", "according to X", "X told Y", "said X",
"citing X"), speaker canonicalisation through speakers.csv, unlisted names by pattern, and
pronouns ("he said", "the spokesman added") left for the caller to resolve from context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from core.records import Attribution
from extractors.index import SentenceIndex
from extractors.vocabulary import Speaker, Vocabulary, norm_key

PRONOUNS = {
    "he", "she", "they", "it", "the spokesman", "the spokeswoman", "the spokesperson", "the official",
    "the officials", "the statement", "the ministry", "the command", "the secretary", "the general",
    "the agency", "the broadcaster", "the official said", "the military", "the pentagon chief",
}
# Words that point back to a speaker named before; "the president", "the governor" to the person last named with
# that title (resolved by the caller)
TITLE_PRONOUNS = ("president", "prime minister", "governor", "mayor", "minister", "commander", "ambassador",
                  "chief", "head", "foreign minister", "defense minister", "defence minister", "army chief")
_PRONOUN_RX = re.compile(
    r"(?<![\w])(?:he|she|they|it|the\s+same\s+officials?|"
    # "three of them told the paper": some of the people last named
    r"(?:one|two|three|four|five|six|some|several|many|most|all|each|both|none|\d+)\s+of\s+them|"
    # "the interior minister", "Ukraine's interior minister": the person last named with that title
    r"(?:the|(?-i:[A-Z])[\w-]*['’]s)\s+(?:(?:interior|foreign|defen[cs]e|prime|deputy|regional|city|health|"
    r"emergencies|military|district|provincial|national|security|energy)\s+)?(?:"
    + "|".join(t.replace(" ", r"\s+") for t in sorted(TITLE_PRONOUNS, key=len, reverse=True)) +
    r")|the\s+(?:spokesman|spokeswoman|spokesperson|officials?|sources?|"
    r"statement|secretary|general|agency|broadcaster|military|defen[cs]e\s+secretary|pentagon\s+chief|"
    # "the ministry", "the emergency service": the organisation with that head named last
    r"(?:[a-z]+\s+)?(?:ministry|command|directorate|administration|mission|council|department|office|service)|"
    + "|".join(t.replace(" ", r"\s+") for t in sorted(TITLE_PRONOUNS, key=len, reverse=True)) +
    r"))(?![\w])",
    re.IGNORECASE,
)
# A name particle written in lower case inside a name ("Ahmed al-Rashid", "Eduardo de Vega", "Abu Bakr bin Ali")
_PARTICLE = r"(?:al|el|ad|as|ash|at|an|ar|az|bin|ibn|bint|abu|abd|de|del|della|der|den|van|von|da|di|du|le|la|ul|al\s+)"
_NAME_WORD = rf"(?:\b{_PARTICLE}[-’']?\s?)?[A-Z][a-zA-Z'’-]+"
_PERSON = re.compile(rf"(?:[A-Z][a-z]+\.?\s+){{0,3}}{_NAME_WORD}(?:\s+{_NAME_WORD})*")
_NOT_NAMES = {
    "the", "a", "an", "he", "she", "it", "they", "but", "and", "in", "on", "at", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "update", "this",
    "that", "there", "officials", "iran", "iraq", "washington", "baghdad",
}


@dataclass(frozen=True, slots=True)
class Frame:
    """A speech frame: a speech verb and its speaker, with offsets within the sentence."""

    verb_start: int
    verb_end: int
    hedge: str
    attribution: Attribution | None  # None = a pronoun to resolve from context
    speaker_start: int
    speaker_end: int


@lru_cache(maxsize=16384)
def lookup_speaker(surface: str, vocab: Vocabulary) -> Speaker | None:
    """The listed speaker a surface names, with or without a leading "the" (cached per vocabulary)."""
    key = norm_key(surface)
    return vocab.speakers.get(key) or vocab.speakers.get(norm_key(_LEADING_THE.sub("", surface)))


def canonical_speaker(surface: str, vocab: Vocabulary, hedge: str | None = None) -> Attribution | None:
    sp = lookup_speaker(surface, vocab)
    if sp is None:
        return None
    return Attribution(sp.canonical, surface, sp.organisation, sp.side, hedge)


@lru_cache(maxsize=16)
def _title_prefix(vocab: Vocabulary) -> re.Pattern[str]:
    """The configured titles at the start of a name, any number of them ("Lt. Gen.", "Defense Secretary")."""
    alts = "|".join(re.escape(t) for t in sorted(vocab.titles, key=len, reverse=True))
    return re.compile(rf"^(?:(?:{alts})(?:\s+|$))+", re.IGNORECASE)


def _unlisted(surface: str, vocab: Vocabulary, hedge: str, context: str) -> Attribution | None:
    name = surface.strip()
    listed = canonical_speaker(name, vocab, hedge)
    if listed:
        return listed
    name = _title_prefix(vocab).sub("", name).strip()
    listed = canonical_speaker(name, vocab, hedge)
    if listed:
        return Attribution(listed.speaker, surface.strip(), listed.organisation, listed.side, hedge)
    words = name.split()
    if not words or words[0].lower() in _NOT_NAMES or any(w.lower() in _NOT_NAMES for w in words):
        return None
    if len(words) == 1 and not (_SURNAME.fullmatch(name) and _is_name(name, vocab)):
        return None  # one word: a surname ("Menendez said"), resolved to the full name by the caller
    side = None
    for m in vocab.re["party"].finditer(context):
        if m.group() != "us":
            side = {"US": "US", "Iraqi": "Iraq", "Iranian": "Iran"}.get(vocab.parties[norm_key(m.group())])
    return Attribution(name, surface.strip(), None, side, hedge)


def find_frames(sentence: str, vocab: Vocabulary, speakers: list[tuple[int, int, str]] | None = None,
                index: SentenceIndex | None = None) -> list[Frame]:
    """Speech frames of one sentence; `speakers` = the speaker-alias matches if the caller has them; `index` =
    the sentence's word index if the caller has one (indexing "speech_verb" and "according")."""
    frames: list[Frame] = []
    spk = speakers if speakers is not None else [
        (m.start(), m.end(), m.group()) for m in vocab.re["speaker"].finditer(sentence)]
    def scan(name: str, rx: re.Pattern[str]) -> Iterable[re.Match[str]]:
        return rx.finditer(sentence) if index is None else index.finditer(name, rx, sentence)

    verbs = [(m.start(), m.end(), vocab.speech[norm_key(m.group())])
             for m in scan("speech_verb", vocab.re["speech_verb"])]
    verbs += [(m.start(), m.end(), "reported") for m in scan("according", ACCORDING)]
    if not verbs and not spk and ":" not in sentence[-60:]:
        return frames
    previous: Frame | None = None
    for vs, ve, hedge in sorted(verbs):
        if sentence[vs] == "S" and sentence[max(0, vs - 7) : vs] == "United ":
            continue  # "the United States"
        word = sentence[vs:ve].lower()
        after = sentence[ve : ve + 90]
        # the subject and what may stand between it and its verb: an appositive, a relative clause (up to 140
        # characters, set aside by _CLOSED_RELATIVE)
        b0 = max(0, vs - 170)
        before = sentence[b0:vs]
        if word.startswith(("according", "by the ", "in the ")) \
                or word in ("citing", "cited", "quoting") or word.endswith(" by"):
            att = _speaker_after(after, ve, sentence, spk, vocab, hedge)
            if att:
                frames.append(Frame(vs, ve, hedge, att[0], att[1], att[2]))
            continue
        # "X said" / "X, the Pentagon spokesman, said": speaker before the verb
        got = _speaker_before(before, b0, sentence, spk, vocab, hedge, participle=word.endswith("ing"))
        if got is None and word.endswith("ing") and _PARTICIPLE_AFTER_CLAUSE.search(before):
            # "McKenzie rejected that, saying ...": the main clause's subject speaks
            got = _sentence_subject(sentence, spk, vocab, hedge)
        if got is None and previous is not None and _AND_THEN.search(before):
            # "X said ... and later claimed ...": the same speaker
            got = (previous.attribution, previous.speaker_start, previous.speaker_end)
        if got is None and _INVERTED.search(before):
            # inverted: '..., said Esper.' / '“...,” said a U.S. official'
            got = _speaker_after(after, ve, sentence, spk, vocab, hedge)
        if got is not None:
            frames.append(Frame(vs, ve, hedge, got[0], got[1], got[2]))
            previous = frames[-1]
    own = _OWN_COUNT.search(sentence) if ("its " in sentence or "their " in sentence) else None
    if own and not any(f.verb_start < own.start() for f in frames):
        subject = _sentence_subject(sentence, spk, vocab, "said")
        if subject is not None:
            frames.append(Frame(own.start(), own.end(), "said", subject[0], subject[1], subject[2]))
    credit = _HEADLINE_CREDIT.search(sentence) if ":" in sentence[-60:] else None
    if credit and not frames:
        # a live blog's or headline's credit after a colon: "Six killed, 35 wounded: Hajiyev"
        name = credit.group("name").strip()
        att = canonical_speaker(name, vocab, "said") or _unlisted(name, vocab, "said", sentence)
        if att is None and _SURNAME.fullmatch(name):
            att = Attribution(name, name, None, None, "said")  # a surname: the caller looks up the full name
        if att is not None:
            frames.append(Frame(credit.start(), credit.start() + 1, "said", att, credit.start("name"),
                                credit.end("name")))
    cited = [f for f in frames if f.hedge == "reported" and sentence[f.verb_start : f.verb_end].lower() == "citing"]
    if cited:
        # "Press TV, citing an Iraqi security source, reported ...": the cited source speaks
        frames = [next((Frame(f.verb_start, f.verb_end, f.hedge, c.attribution, c.speaker_start, c.speaker_end)
                        for c in cited if f.speaker_start < c.verb_start < f.verb_start and c is not f), f)
                  for f in frames]
    # "the Defense Department's count", "Iran's state TV's report"
    possessives = _POSSESSIVE.finditer(sentence) if spk and ("'" in sentence or "’" in sentence) else ()
    for m in possessives:
        for s, e, text in spk:
            if e == m.start():
                att = canonical_speaker(text, vocab, "reported")
                if att:
                    frames.append(Frame(m.start(), m.end(), "reported", att, s, e))
    return sorted(frames, key=lambda f: f.verb_start)


def _speaker_after(after: str, base: int, sentence: str, spk: list, vocab: Vocabulary, hedge: str):
    head = _UP_TO_CLAUSE.match(after)
    anon = _anonymous(head.group(), vocab, hedge) if head else None
    if anon is not None and anon[0].speaker != "officials" and not head.group()[: anon[1]].strip():
        # "citing an unnamed Iraqi security source", "according to two Israeli officials"
        return anon[0], base + anon[1], base + anon[2]
    lead = _LEAD.match(after)
    for s, _e, _text in spk:
        if base <= s <= base + (lead.end() if lead else 0) + 40:
            # extend to a person named right after an organisation: "the Pentagon's Jonathan Hoffman"
            return _best_in_window(sentence, spk, s, min(len(sentence), s + 60), vocab, hedge, prefer_first=True)
    if _PRONOUN_RX.match(after.lstrip()):
        s = base + len(after) - len(after.lstrip())
        m = _PRONOUN_RX.match(sentence, s)
        return (None, s, m.end()) if m else None
    m = _PERSON.match(after.lstrip())
    if m:
        s = base + len(after) - len(after.lstrip())
        att = _unlisted(m.group(), vocab, hedge, after[:40])
        if att:
            return att, s, s + len(m.group())
    org = _ORG_AFTER.match(after)
    if org:
        # "according to the city's military administration"
        return (_as_named(org.group("org").strip(), vocab, hedge), base + org.start("org"),
                base + org.end("org"))
    work = _WORK_BY.search(head.group()) if head and " by " in head.group() else None
    if work:  # "according to an analysis of videos by The Washington Post"
        return _author(work, base, vocab, hedge)
    group = _GROUP_AFTER.match(after)
    if group:  # "according to residents", "citing local doctors"
        return _as_named(group.group("group"), vocab, hedge), base + group.start("group"), base + group.end("group")
    return None


def _best_in_window(sentence, spk, lo, hi, vocab, hedge, prefer_first=False):
    inside = [(s, e, t) for s, e, t in spk if s >= lo and e <= hi]
    if not inside:
        return None
    atts = [(canonical_speaker(t, vocab, hedge), s, e) for s, e, t in inside]
    atts = [a for a in atts if a[0] is not None]
    persons = [a for a in atts if (sp := lookup_speaker(a[0].surface or "", vocab)) is not None and sp.is_person]
    pick = persons or atts
    if not pick:
        return None
    appos = _APPOSITIVE_OPEN.match(sentence, pick[0][2]) if not prefer_first and len(pick) > 1 else None
    if appos and pick[-1][1] < appos.end():
        # "Hikmet Hajiyev, a foreign policy aide to President Ilham Aliyev, had put the toll at": the subject, not
        # the name inside its appositive
        return pick[0]
    return pick[0] if prefer_first else pick[-1]


_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_AND_THEN = re.compile(r"\band\s+(?:later\s+|also\s+|then\s+)?$")
_INVERTED = re.compile(r"[”\"’,]\s*$")
_LEAD = re.compile(r"\s*(?:the\s+|a\s+|an\s+)?")
# The window before a speech verb is cut at the last clause boundary that is not an appositive comma pair.
_SUBJECT_BOUNDARY = re.compile(
    r"[;!?”\"“]|(?<!\d):(?!\d)|(?<!\b[A-Z])\.|,\s+(?:and|but|while|whereas|which|who)\b|"
    r"\b(?:that|while|but|as|and|where|when|because|after|since|although)\s")
# ", which first estimated 180," closed before the verb it stands between the subject and
_CLOSED_RELATIVE = re.compile(
    r",\s+(?:which|who)\s[^,;:.]{3,140},(?=\s*(?:(?:later|also|then|has|had)\s+)?(?:\w+\s*)?$)")
# a sentence's opening phrase of place or time is not its subject: "At the Pentagon, ...", "By Tuesday evening, ..."
_OPENING_PHRASE = re.compile(r"\s*(?:At|In|From|Inside|Outside|On|During|After|Before|By|Later|Earlier|Speaking\s+"
                             r"(?:at|in|to|on))\b[^,;:]{1,60},\s*")
# a name and a description of it that holds "and" (a clause boundary elsewhere) or names its role: "X, a senior
# member of Y and a former minister, wrote"
_LONG_APPOSITIVE = re.compile(
    rf"(?:^\s*|\.\s+)(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}})\s*,\s+"
    r"(?:(?:a|an|the)\s+[a-z][^,;:()]{2,150}?\s(?:and|but)\s[^,;:()]{2,80}|"
    # or a role in an organisation: "X, head of the health office in Saada, has given"
    r"(?:the\s+)?(?:head|chief|director|spokes(?:man|woman|person)|governor|mayor|minister|commander|deputy|"
    r"leader|member|adviser|advisor|aide|secretary|ambassador|representative)\s+(?:of|for|to|at)\s+[^,;:()]{2,100}),"
    r"\s*(?:(?:also|later|then|had|has|have)\s+)*$")
_SERVICES = frozenset({"army", "navy", "police"})  # "the army said": a side's service, found by the caller
_THE_UNNAMED = re.compile(r"(?<![\w])(?P<np>(?i:the)\s+(?:officials?|sources?))\s*,?\s*$")
_NO_ONE = re.compile(r"\s*(?:No|no|Neither|neither)\s+(?:[a-z]+\s+){0,2}(?:source|official|one|government|body)s?"
                     r"\s+(?:(?:has|have|had)\s+)?")
_OF_BEFORE = re.compile(r"\b(?:of|for)\s+(?:the\s+)?$")
_BY_DOING = re.compile(r"\bby\s*$")
# the main clause's verb: a past tense after the subject ("opened his briefing ... by saying")
_MAIN_VERB = re.compile(r"(?<=[a-z]\s)(?:[a-z]+ed|began|spoke|made|took|gave|went|ended|began)\b(?=[^,;:]*\bby\s*$)")
_RELATIVE_CLAUSE = re.compile(r"\b(?:that|who|which|when|after|because)\b")
_LAST_WORDS = re.compile(r"(?<![\w])(\S+(?:\s+\S+)?)\s*(?:also\s+|later\s+|has\s+|had\s+|have\s+)?$")
_NAME_AFTER_COMMA = re.compile(r",\s*(?P<name>(?:[A-Z][\w'’-]+\s+){0,2}[A-Z][\w'’-]+)\s*$")
_LAST_THREE = re.compile(r"(?<![\w])(\S+\s+\S+\s+\S+)\s*(?:also\s+|later\s+|has\s+|had\s+|have\s+)?$")
_NAME_BEFORE = re.compile(
    rf"((?:(?:\b{_PARTICLE}[-’']?\s?)?[A-Z][\w.'’-]*\s+){{0,4}}{_NAME_WORD})\s*(?:,[^,]{{3,70}},\s*)?(?:also\s+|later\s+)?$")
# Anonymous officials: "a senior defense official", "two Israeli officials", "Iraqi security sources",
# "U.S. officials familiar with the matter" -> "<nationality> officials"
_ANON = re.compile(
    r"(?:\b(?:an?|one|two|three|four|several|some|other|the|multiple)\s+)?"
    r"(?:(?:senior|top|high-ranking|high\s+ranking|ranking|junior|former|current|unnamed|anonymous|local|regional|"
    r"western|two|three|several|second|third|another)\s+)*"
    r"(?P<nat>(?:[A-Z][\w.’'-]*\s+){0,2}?)"
    r"(?:(?:defen[cs]e|military|army|navy|security|intelligence|government|administration|health|interior|"
    r"foreign\s+ministry|ministry|police|border|civil\s+defen[cs]e|provincial|state|emergency|rescue|medical|"
    r"hospital|airport|diplomatic|western|regional|local|senior|top)\s+)*"
    r"(?P<noun>officials?|sources?|diplomats?|officers?|authorities)"
    r"(?:\s*,?\s+(?:familiar\s+with|briefed\s+on|speaking\b|who\s+spoke|with\s+knowledge|citing)[^,]{0,60}?)?\s*,?\s*$",
    re.IGNORECASE,
)
_OFFICIAL_NOUN = re.compile(r"\s*(?:officials?|sources?|officers?)\s*,?\s*", re.IGNORECASE)
_UP_TO_CLAUSE = re.compile(
    r"[^,;:.“”\"]{3,80}?(?=\s*(?:[,;:.“”\"]|\s+(?:that|who|as|on|in|at|was|were|is|are|had|has|have)\s|$))")
_LAST_NP_WORDS = re.compile(r"(?:^|\b(?:the|The)\s+|^\s*)(?P<np>(?:[A-Z][\w'’.-]*\s*){1,3})\s*,?\s*"
                            r"(?:(?:also|later|has|had|have|now|itself|then)\s+){0,2}$")
_HEADLINE_CREDIT = re.compile(r"\d[^:]{0,80}:\s*(?P<name>(?:[A-Z][\w'’.-]++\s*+){1,4})\.?\s*$")
# a description after a name: ", a foreign policy aide to President X," (not ", the Revolutionary Guards,")
_APPOSITIVE_OPEN = re.compile(r",\s+(?:a|an|the)\s+[a-z][^,]{2,80}?,")
_NAME_THEN_APPOS = re.compile(
    rf"(?P<name>(?:{_NAME_WORD}\s+){{0,3}}{_NAME_WORD})\s*,\s+(?:(?:a|an|the)\s+)?[a-z][^,]{{0,60}}$")
_APPOS_CLOSE = re.compile(r"[^,]{0,40},\s*(?:(?:also|later|then|had|has|have)\s+)*")
_QUOTED_AS = re.compile(r"\b(?:quoted|cited)\s+(?P<np>[^,;:]{3,70}?)\s+as\s+$", re.IGNORECASE)
# A finding credited to its author: "a review of videos by The Washington Post", "an analysis by CNN"
_WORK_BY = re.compile(
    r"\b(?:review|analysis|study|investigation|assessment|survey|examination|count|tally|report)\b[^,;:]{0,70}?"
    r"\bby\s+(?P<who>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*){0,4})\s*,?\s*$")
_BY_SOURCE = re.compile(r",?\s+(?:quoted|cited|interviewed|reached)\s+by\s+[^,;:]{2,50}?,?\s*$", re.IGNORECASE)
ACCORDING_WORDS = ("according to", "citing", "cited", "quoting",
                   "figure", "figures", "toll", "count", "tally", "number", "numbers", "estimate")
ACCORDING = re.compile(r"\baccording\s+to\b|\b(?:citing|cited|quoting)\b|"
                       # "the first figure published by presidential aide X", "the toll given by the authorities"
                       r"\b(?:figure|figures|toll|count|tally|numbers?|estimate)\s+(?:\w+\s+)?"
                       r"(?:published|given|released|issued|provided|reported|put\s+out)\s+by\b", re.IGNORECASE)
_POSSESSIVE = re.compile(
    r"['’]s\s+(?:own\s+|latest\s+|new\s+|official\s+|updated\s+|revised\s+)?"
    r"(?:count|tally|figures?|numbers?|statement|report|estimate|assessment|account|toll)\b",
    re.IGNORECASE,
)


_PARTICIPLE_AFTER_CLAUSE = re.compile(r",[”\"’]?\s*$|[”\"’],\s*$")
# "A reporter for Rudaw at the scene says": the outlet the reporter works for
_REPORTER_FOR = re.compile(
    r"\b(?i:an?|the|one|our|its)\s+(?:[\w-]+\s+)?(?:reporter|correspondent|journalist|crew)\s+(?:for|with|from)\s+"
    r"(?:the\s+)?(?P<org>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})(?:\s+(?:at|in|on|near)\s+[^,]{1,40})?\s*,?\s*$")
# "The Pentagon has not moved from its count of 105": the subject's own figure
_OWN_COUNT = re.compile(r"\b(?:its|their)\s+(?:own\s+|latest\s+|initial\s+|revised\s+|official\s+|updated\s+)?"
                        r"(?:count|tally|figure|estimate|assessment|account)\s+of\b", re.IGNORECASE)
_SUBJECT_NAME = re.compile(rf"^\s*(?:[A-Z][\w.'’-]*\s+){{0,3}}?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})\s+"
                           r"(?:[a-z]+ed|[a-z]+s|has|had|was|is|also|later)\b")


def _sentence_subject(sentence: str, spk: list, vocab: Vocabulary, hedge: str):
    """The subject at the start of the sentence: a listed speaker named there, else a person's name."""
    first = [(s, e, t) for s, e, t in spk if s <= 40]
    if first:
        s, e, t = first[0]
        att = canonical_speaker(t, vocab, hedge)
        if att:
            return att, s, e
    m = _SUBJECT_NAME.match(sentence)
    if m and _is_name(m.group("name"), vocab):
        att = _unlisted(m.group("name"), vocab, hedge, sentence[:60])
        if att:
            return att, m.start("name"), m.end("name")
    return None


def _speaker_before(before: str, base: int, sentence: str, spk: list, vocab: Vocabulary, hedge: str,
                    participle: bool = False):
    """The subject of a speech verb: the noun phrase ending right before it."""
    quoted = _QUOTED_AS.search(before) if participle and "as" in before else None
    if quoted:
        # "Axios quoted an Israeli official as saying ...": the one quoted speaks
        np = quoted.group("np")
        start = base + quoted.start("np")
        anon = _anonymous(np, vocab, hedge)
        if anon is not None:
            return anon[0], start + anon[1], start + anon[2]
        inside = _best_in_window(sentence, spk, start, start + len(np), vocab, hedge)
        if inside is not None:
            return inside
    work = _WORK_BY.search(before) if " by " in before else None
    if work:
        return _author(work, base, vocab, hedge)
    by = _BY_SOURCE.search(before) if " by " in before else None
    if by:
        # "a senior US official quoted by ABC News said": the official, not the outlet
        before = before[: by.start()]
    if ", wh" in before:
        # "X, which first estimated 180, later put the number at 181": the closed relative clause is set aside
        before = _CLOSED_RELATIVE.sub(lambda m: " " * len(m.group()), before)
    if participle and _BY_DOING.search(before):
        # "Kirby opened his briefing by saying ...": the main clause's subject, before its verb
        verb = _MAIN_VERB.search(before)
        if verb is not None:
            return _speaker_before(before[: verb.start()], base, sentence, spk, vocab, hedge)
    appos = _LONG_APPOSITIVE.search(before) if "," in before else None
    if appos and _is_name(appos.group("name"), vocab):
        # "Hoshyar Zebari, a senior member of the KDP and a former foreign minister, wrote": the name speaks
        att = _unlisted(appos.group("name"), vocab, hedge, before)
        if att:
            return att, base + appos.start("name"), base + appos.end("name")
    # cut the window at the last clause boundary that is not an appositive comma pair
    cut = 0
    last = None
    for m in _SUBJECT_BOUNDARY.finditer(before):
        cut, last = m.end(), m
    if last is not None and last.group().startswith(",") and last.group().rstrip().endswith(("which", "who")) \
            and not before[cut:].strip(" ,").count(" ") > 2:
        # "X, which first estimated ...": the relative pronoun's antecedent speaks
        got = _speaker_before(before[: last.start()], base, sentence, spk, vocab, hedge)
        if got is not None:
            return got
    if _NO_ONE.fullmatch(before, cut):
        return None  # "No official source has given a number": nobody speaks
    opening = _OPENING_PHRASE.match(before, cut)
    if opening and before[opening.end() :].strip():
        cut = opening.end()  # "At the Pentagon, press secretary John Kirby said": where, not who
    window_start = base + cut
    np = before[cut:]
    if not np.strip():
        return None
    got = _best_in_window(sentence, spk, window_start, base + len(before), vocab, hedge, prefer_first=participle)
    if participle:
        lead = _PRONOUN_RX.match(np.lstrip())
        if lead and (got is None or got[1] > window_start + len(np) - len(np.lstrip()) + lead.end()):
            s = window_start + len(np) - len(np.lstrip())
            return (None, s, s + lead.end())
    if got is not None and not participle:
        # "Ahmed al-Rashid, a spokesman for the Pentagon, said": the name speaks, for the organisation
        lead = _NAME_THEN_APPOS.search(sentence, max(0, got[1] - 110), got[1])
        if lead and _APPOS_CLOSE.fullmatch(sentence, got[2], base + len(before)) and \
                _is_name(lead.group("name"), vocab) and got[0] is not None:
            att = _unlisted(lead.group("name"), vocab, hedge, sentence)
            if att is not None and att.speaker and " " in att.speaker:
                org = got[0]
                return (Attribution(att.speaker, att.surface, org.organisation or org.speaker, org.side, hedge),
                        lead.start("name"), lead.end("name"))
    if got is not None:
        # the speaker must be the subject: nothing but NP material between it and the verb
        between = before[got[2] - base :] if got[2] >= base else sentence[got[2] : base + len(before)]
        named = _TITLED_NAME.fullmatch(between) if got[0] is not None and got[0].organisation else None
        if named and lookup_speaker(named.group("name"), vocab) is None and _is_name(named.group("name"), vocab):
            # "Pentagon press secretary John Kirby said": the person, speaking for the organisation
            org = got[0]
            return (Attribution(named.group("name"), sentence[got[1] : base + len(before)].strip(), org.organisation,
                                org.side, hedge), got[2] + named.start("name"), got[2] + named.end("name"))
        late = _NAME_AFTER_COMMA.search(between) if "," in between else None
        if late and _is_name(late.group("name"), vocab) and not participle:
            # "The Houthis had killed him, Kirby said": the name right before the verb speaks
            att = _unlisted(late.group("name"), vocab, hedge, between)
            if att:
                end = base + len(before)
                return att, end - len(between) + late.start("name"), end - len(between) + late.end("name")
        if len(" ".join(between.split())) <= (110 if participle else 60) and not _RELATIVE_CLAUSE.search(between):
            if _OFFICIAL_NOUN.fullmatch(between):
                # "a senior U.S. military official said": the alias names the officials' service, not them
                anon = _anonymous(np, vocab, hedge)
                if anon is not None and anon[0].speaker != "officials":
                    return anon[0], base + cut + anon[1], base + cut + anon[2]
            return got
    appos = _APPOSITIVE.search(np) if "," in np else None
    if appos and _is_name(appos.group("name"), vocab):
        # "The head of Arbil's health directorate, Dlovan Jalal, said"
        att = _unlisted(appos.group("name"), vocab, hedge, np)
        if att:
            return att, base + cut + appos.start("name"), base + cut + appos.end("name")
    itself = _CALLING_ITSELF.search(np) if "itself" in np or "known as" in np else None
    if itself:
        name = itself.group("name")
        listed = canonical_speaker(name, vocab, hedge)
        return (listed or Attribution(name, name, None, None, hedge)), base + cut + itself.start("name"), \
            base + cut + itself.end("name")
    same = _SAME.search(np) if "same" in np.lower() else None
    if same:  # "the same officials said": resolved by the caller to whoever spoke last
        return (None, base + cut + same.start(), base + cut + same.end())
    back = _THE_UNNAMED.search(np) if "the " in np.lower() else None
    if back is not None:  # "the source said": the unnamed source cited before, resolved by the caller
        return (None, base + cut + back.start("np"), base + cut + back.end("np"))
    anon = _anonymous(np, vocab, hedge)
    if anon is not None and anon[0].speaker != "officials":
        return anon[0], base + cut + anon[1], base + cut + anon[2]
    reporter = _REPORTER_FOR.search(np) if "for " in np or "with " in np or "from " in np else None
    if reporter:
        name = reporter.group("org")
        att = canonical_speaker(name, vocab, hedge) or Attribution(name, name, name, None, hedge)  # an outlet
        return att, base + cut + reporter.start("org"), base + cut + reporter.end("org")
    pron = _LAST_WORDS.search(np)
    if pron:
        three = _LAST_THREE.search(np)  # "Ukraine's interior minister said"
        for cand in ((three.group(1),) if three else ()) + (pron.group(1), pron.group(1).split()[-1]):
            if _PRONOUN_RX.fullmatch(cand):
                s = base + cut + np.rfind(cand)
                return (None, s, s + len(cand))
    if anon is not None:
        return anon[0], base + cut + anon[1], base + cut + anon[2]
    m = _NAME_BEFORE.search(np)
    if m and not (" " not in m.group(1).strip() and _OF_BEFORE.search(np, 0, m.start(1))):
        # not "Health" in "Syria's Ministry of Health"
        att = _unlisted(m.group(1), vocab, hedge, np)
        if att:
            return att, base + cut + m.start(1), base + cut + m.end(1)
    actor = _actor_at_end(np, vocab)
    if actor is not None:
        # "Iran says it hit the base": the story's attacker speaks for itself
        a, s0, e0 = actor
        return a, base + cut + s0, base + cut + e0
    org = _ORG_NP.search(np) if _ORG_WORD.search(np) else None
    if org and (any(w[:1].isupper() for w in org.group("org").split())
                or len(org.group("org").split()) >= 2 or org.group("org").lower() in _SERVICES):
        # an organisation nobody listed: "the Kurdistan Region's health ministry said"
        name = _LEADING_ARTICLE.sub("", org.group("org")).strip()
        return _as_named(name, vocab, hedge), base + cut + org.start("org"), base + cut + org.end("org")
    group = _GROUP_NP.search(np)
    if group:
        # people credited as a group: "Yemeni tribal elders said", "witnesses told AFP", "according to residents"
        return (_as_named(group.group("group"), vocab, hedge), base + cut + group.start("group"),
                base + cut + group.end("group"))
    return None


def _as_named(name: str, vocab: Vocabulary, hedge: str) -> Attribution:
    """An unlisted organisation or group as written, on the side of the last nationality its name carries."""
    side = None
    for pm in vocab.re["party"].finditer(name):
        side = vocab.parties[norm_key(pm.group())]
    return Attribution(name, name, None, side, hedge)


def _author(m: re.Match[str], base: int, vocab: Vocabulary, hedge: str) -> tuple[Attribution, int, int]:
    """The author of a review, analysis or count ("... by The Washington Post"), as its listed speaker or as named."""
    who = _LEADING_ARTICLE.sub("", m.group("who")).strip()
    att = canonical_speaker(who, vocab, hedge) or Attribution(who, who, who, None, hedge)
    start = base + m.start("who") + (len(m.group("who")) - len(m.group("who").lstrip()))
    return att, start, start + len(m.group("who").strip())


def is_group(speaker: str) -> bool:
    """True for people credited as a group ("witnesses", "Yemeni tribal elders"), not a name or an organisation."""
    return _GROUP_NP.fullmatch(speaker) is not None


def _actor_at_end(np: str, vocab: Vocabulary) -> tuple[Attribution, int, int] | None:
    """A story actor named as the whole subject ("Iran", "the Houthis"), as its listed speaker or itself."""
    if not vocab.actors:
        return None
    m = _LAST_NP_WORDS.search(np)
    if m is None:
        return None
    words = m.group("np")
    for k in range(len(words.split())):
        cand = " ".join(words.split()[k:])
        canonical = vocab.actors.get(norm_key(cand))
        if canonical is None:
            continue
        start = m.start("np") + words.find(cand)
        listed = canonical_speaker(cand, vocab, "said") or canonical_speaker(canonical, vocab, "said")
        att = listed or Attribution(canonical, cand, canonical, None, "said")  # organisation: not a surname
        return att, start, start + len(cand)
    return None


def _is_name(name: str, vocab: Vocabulary) -> bool:
    """A person's name, not a place, an actor, a nationality or a capitalised common word."""
    words = name.split()
    return not any(w.lower() in _NOT_NAMES for w in words) and norm_key(name) not in vocab.places and \
        norm_key(name) not in vocab.parties and norm_key(name) not in vocab.actors


def _anonymous(np: str, vocab: Vocabulary, hedge: str) -> tuple[Attribution, int, int] | None:
    """Unnamed officials at the end of `np`: a listed alias without its adjectives ("a senior defense official"
    -> "a defense official"), else "<nationality> officials" when the phrase names a nationality, else
    "officials"; with the span of the phrase in `np`."""
    low = np.lower()
    if ("official" not in low and "source" not in low and "diplomat" not in low and "officer" not in low
            and "authorities" not in low):
        return None
    np = _AUX_TAIL.sub(" ", np)  # "Ukrainian officials have put the number at 160"
    # the phrase ends the noun phrase: try the pattern only on its last few words
    found = list(_ANON_NOUN.finditer(np))
    if not found:
        return None
    tail = found[-1]
    rest = np[tail.end() :].strip(" ,")
    if rest and not _ANON_REST.match(rest):
        return None  # the officials are not the end of the subject ("officials at the base, X said")
    starts = [w.start() for w in _WORD_STARTS.finditer(np, 0, tail.start())][-7:] + [tail.start()]
    m = None
    for a in starts:  # the longest phrase whose leading words are a nationality or nothing
        x = _ANON.match(np, a)
        if x is not None and (not x.group("nat").strip() or norm_key(x.group("nat").strip()) in vocab.parties):
            m = x
            break
    if m is None or not m.group().strip():
        return None
    span = m.start() + len(m.group()) - len(m.group().lstrip()), m.end()
    phrase = m.group().strip().rstrip(",").strip()
    local = _PLACE_BEFORE.search(np, 0, span[0]) if not m.group("nat").strip() else None
    if local is not None and norm_key(local.group("place")) in vocab.places:
        # "Kyiv city authorities", "Sumy regional officials": the place's own, as written
        name = f"{np[local.start('place') : local.end()].strip()} {phrase}"
        return Attribution(name, name, None, None, hedge), local.start("place"), span[1]
    nat = m.group("nat").strip()
    label = None
    if nat:
        label = vocab.parties.get(norm_key(nat))
        if label is None:
            return None  # a name ("Hagari's officials"), not a nationality
    for cand in (phrase, _ADJECTIVES.sub("", phrase), re.sub(r"^(?:two|three|four|several|some|other|multiple)\s+",
                                                             "", _ADJECTIVES.sub("", phrase), flags=re.I)):
        listed = canonical_speaker(cand, vocab, hedge)
        if listed:
            return Attribution(listed.speaker, phrase, listed.organisation, listed.side, hedge), *span
    if label is None:
        # officials of no stated nationality ("local officials said"): the attacked side's, whose officials speak
        # of its casualties and damage
        dp = vocab.story.default_party
        label = dp if dp and dp not in ("civilian", "coalition") else None
    side = {"US": "US", "Iraqi": "Iraq", "Iranian": "Iran"}.get(label or "", label)
    speaker = f"{label} officials" if label else "officials"
    listed = canonical_speaker(speaker, vocab, hedge)
    if listed:
        return Attribution(listed.speaker, phrase, listed.organisation, listed.side, hedge), *span
    return Attribution(speaker, phrase, None, side, hedge), *span


_SAME = re.compile(r"\bthe\s+same\s+(?:officials?|sources?|spokes(?:man|woman|person)|person|people|ministry|"
                   r"statement|official\s+source)(?=\s*$)", re.IGNORECASE)
_TITLED_NAME = re.compile(
    rf"\s*(?:['’]s\s+)?(?:(?:[a-z]+|[A-Z][a-z]*\.)\s+){{0,4}}?(?P<name>[A-Z][a-z]+(?:\s+{_NAME_WORD}){{1,3}})\s*,?\s*")
_APPOSITIVE = re.compile(rf",\s*(?P<name>[A-Z][a-z]+(?:\s+{_NAME_WORD}){{1,3}})\s*,\s*$")
_CALLING_ITSELF = re.compile(
    rf"\b(?:calling\s+itself|known\s+as|which\s+calls\s+itself)\s+(?:the\s+)?"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:(?:of|for|the|and)\s+)?{_NAME_WORD}){{0,4}})"
    r"\s*,?\s*(?:has\s+|had\s+|also\s+)?$")
_ORG_NOUNS = (r"ministry|directorate|command|agency|office|department|army|military|police|forces?|navy|air\s+force|"
              r"guard|government|authority|authorities|council|committee|service|cent(?:er|re)|unit|group|network|"
              r"media|television|tv|radio|municipality|governorate|administration|embassy|mission|observatory|"
              r"red\s+crescent|red\s+cross|hospital|civil\s+defen[cs]e|news\s+agency|broadcaster|channel|"
              r"newspaper|spokesperson['’]s\s+office|general\s+staff|headquarters|staff|corps|brigades?")
_ORG_NOUNS_CAP = r"(?:Ministry|Directorate|Command|Agency|Office|Department|Council|Committee|Authority|Centre|Center)"
_ORG_WORD = re.compile(rf"\b(?:{_ORG_NOUNS})\b", re.IGNORECASE)
_ORG_QUALIFIERS = (r"(?:city|city['’]s|regional|region['’]s|local|state|national|provincial|district|military|health|"
                   r"interior|defen[cs]e|emergency|foreign|country['’]s|capital['’]s|civil|police|security|air|"
                   r"armed|general|prosecutor['’]s|(?:prosecutor|attorney)\s+general['’]s|presidential|forces)")
_ORG_NP = re.compile(
    rf"(?:^\s*|\b(?i:the|a|an)\s+)(?P<org>(?:(?:[A-Z][\w.'’-]*(?:['’]s)?\s+){{1,4}}(?:[a-z][\w-]*\s+){{0,2}}?"
    rf"(?i:{_ORG_NOUNS})|(?:{_ORG_NOUNS_CAP})|(?i:army|navy|police)|(?i:(?:{_ORG_QUALIFIERS}\s+){{1,3}}(?:{_ORG_NOUNS})))"
    rf"(?:\s+(?:of|for|in|run\s+by)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){{0,3}}"
    rf"(?:\s+(?i:{_ORG_NOUNS}|rebels|militants))?){{0,2}})"
    r"\s*,?\s*(?:(?:also|later|has|had|now|initially|first|earlier|previously|separately|subsequently|then|"
    r"reportedly|itself|is|are|was|were|been)\s+){0,3}$")
_SURNAME = re.compile(r"(?:(?:al|el|de|van|von|bin|ibn|abu)-?)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?")
_ORG_AFTER = re.compile(
    rf"\s*(?:the\s+)?(?P<org>(?:(?:(?-i:[A-Z])[\w.'’-]*(?:['’]s)?|[a-z]+['’]s|{_ORG_QUALIFIERS})\s+){{1,4}}(?i:{_ORG_NOUNS})"
    rf"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){{0,3}})?)\b", re.IGNORECASE)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
# People who speak as a group, with up to three words before them ("Yemeni tribal elders", "local residents",
# "hospital staff"), as the whole subject: no determiner, quantifier or number is kept ("two witnesses").
_GROUP_NOUNS = (r"(?:eye)?witness(?:es)?|residents|elders|medics|paramedics|doctors|nurses|survivors|villagers|"
                r"activists|rescuers|relatives|neighbou?rs|passers-by|onlookers|parents|teachers|workers|"
                r"hospital\s+staff|medical\s+staff")
_GROUP_NP = re.compile(
    r"(?:^\s*|\b(?i:the|some|several|many|most|other|two|three|four|five|\d+)\s+|,\s*|\band\s+)"
    r"(?P<group>(?:(?!(?i:the|a|an|some|several|many|most|other|and|of|who|that|said|had|have|dozens|"
    r"two|three|four|five|six|seven|eight|nine|ten|\d+)\b)[\w'’-]+\s+){0,3}?"
    rf"(?i:{_GROUP_NOUNS}))"
    # where they are is not who they are: "tribal elders in the area", "residents of the town" speak as the group
    r"(?:\s+(?:in|at|near|from|of|around)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?[\w'’-]+)?"
    r"\s*,?\s*(?:(?:also|later|have|had|now|initially|first|earlier|separately|then|were|are)\s+){0,2}$")
# the same group after "according to" or "citing", not "residents of ..." (their place is not them)
_GROUP_AFTER = re.compile(
    r"\s*(?:(?i:the|some|several|many|two|three|four|five|\d+)\s+)?"
    r"(?P<group>(?:(?!(?i:the|a|an|some|several|many|most|other|and|of|who|that)\b)[\w'’-]+\s+){0,3}?"
    rf"(?i:{_GROUP_NOUNS}))\b(?!\s+(?:of|for)\b)")
_AUX_TAIL = re.compile(r"\s+(?:(?:have|has|had|also|later|now|initially|first|earlier|then|previously)\s+)+$",
                       re.IGNORECASE)
# the place whose officials they are, right before them: "Kyiv city authorities", "the Sumy regional officials"
_PLACE_BEFORE = re.compile(r"(?P<place>(?!(?:The|A|An)\s)(?:[A-Z][\w'’-]+\s+){1,3}?)"
                           r"(?:(?:city|regional|provincial|municipal|local|district|oblast|military)\s+){0,2}$")
_ANON_NOUN = re.compile(r"\b(?:officials?|sources?|diplomats?|officers?|authorities)\b", re.IGNORECASE)
_WORD_STARTS = re.compile(r"\S+")
_ANON_REST = re.compile(r"(?:familiar\s+with|briefed\s+on|speaking\b|who\s+spoke|with\s+knowledge|citing)",
                        re.IGNORECASE)
_ADJECTIVES = re.compile(r"\b(?:senior|top|high-ranking|high\s+ranking|ranking|junior|former|current|unnamed|"
                         r"anonymous)\s+", re.IGNORECASE)
