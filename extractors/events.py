"""Which event a report is about, read from its own words: the evidence and the verdict, per paragraph and for
the whole report.

The same places are attacked again and again (a base, an airport, a city), so a report's places cannot say which
attack it tells of; a page's date often cannot either (many pages carry none, or the date they were crawled or
updated). The text can:

- dates that date an attack: "on January 8, 2020", "the March 2021 attack", "last year's strike", "in 2019";
- a weekday with a day of a month, without a year: "on Monday, February 15" (February 15 was a Monday in 2021,
  not in 2020); a day of a month alone ("February 15" is not the story's January 8); a weekday alone;
- relative dates ("two days ago", "last week") when the publication date is known to resolve them;
- the attackers: a group not among the story's actors that claimed the attack;
- the weapons: only rockets, where the story file says its event was a missile attack;
- office holders named by their title ("President Joe Biden said") who held that office only well before or after
  the story's event (seeds/offices.csv).

A date counts only when it dates an attack (an attack, weapon or strike word close to it, no speech verb
between): "on February 10 the Pentagon said 109 troops were hurt" dates a statement, not another attack. A date
framed as the cause ("in retaliation for the January 3 killing", "days after the drone strike") can show the
story but never another event. Rules are about language and the story file (its date, actors, munitions); there
is no list of other events.

`paragraph_evidence` reads the dates of every paragraph; `other_paragraphs` names the paragraphs that tell of
another event (their figures are not the story's); `decide` weighs everything into a verdict for the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from core.records import Claim
from extractors.index import SentenceIndex
from extractors.scope import CUE_WORDS as SCOPE_CUE_WORDS
from extractors.scope import expressions, may_have_marks, month_index, month_span, time_marks
from extractors.sentences import Sentence
from extractors.times import WEEKDAYS
from extractors.vocabulary import Vocabulary, norm_key

STORY, OTHER, UNKNOWN = "story", "other", "unknown"

# Evidence weights: a date with its year (or a weekday that fixes the year) outweighs a day of a month alone,
# which outweighs a weekday alone, a relative date or what a report names (attackers, weapons).
FULL, DAY, WEAK = 3, 2, 1
LEAD_PARAGRAPHS = 2  # the title and the first paragraphs say what a report is about
PUBLICATION_WEIGHT = 3
NEAR_WINDOW_DAYS = 30
_NEAR = 150  # characters between a date and the attack word it dates
# role verbs that date an attack ("the launches began on January 20"); not the others ("the count had reached 110")
_FIRING_ROLES = frozenset({"munitions_launched", "munitions_intercepted"})
_YEARS_AROUND = 8  # years either side of the story's searched for a weekday with a day of a month

_WEEKDAY_BEFORE = re.compile(rf"\b(?P<wd>{'|'.join(WEEKDAYS)})\s*(?:,|\()?\s*(?:the\s+)?$", re.IGNORECASE)
# a date framed as what the attack answered or followed: it may show the story, never another event
_CAUSE_BEFORE = re.compile(
    r"\b(?:retaliation|revenge|response|reprisal|answer|avenge|avenging|after|following|followed|preceded|since|"
    r"before|"
    r"killing\s+(?:of|by)|whose\s+killing|assassination|assassinated|martyrdom|martyred|recall(?:ed|s|ing)?|"
    r"reminiscent\s+of|echo(?:ed|es|ing)?|like|compared\s+(?:with|to))\b[^;]{0,150}$", re.IGNORECASE)
# "by Feb. 21 the count had reached 110", "as of Monday": the date a count stood at, not an attack's
_AS_OF = re.compile(r"\b(?:by|as\s+of|until|till|through)\s+(?:early\s+|late\s+|mid-?)?$", re.IGNORECASE)
# a paragraph that measures the attack against an earlier one ("the bloodiest attack on the city since ..."): the
# earlier attack it then tells of is background, not what the report is about
_COMPARISON = re.compile(
    r"\b(?:deadliest|bloodiest|worst|largest|biggest|heaviest|most\s+\w+)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:attack|strike|assault|bombardment|barrage)\b[^.]{0,80}\bsince\b|\bfirst\s+(?:[\w-]+\s+){0,3}?"
    r"(?:attack|strike|time)\b[^.]{0,80}\bsince\b", re.IGNORECASE)
# what a date may date besides an attack: when it is nearer than the attack word, the date is that happening's
_HAPPENING = re.compile(
    r"\b(?:ceasefire|truce|took\s+effect|entered\s+into\s+force|came\s+into\s+force|agreement|deal|talks|"
    r"negotiations|visit|visited|election|meeting|summit|vote|voted|signed|speech|address|funeral|burial|"
    r"memorial|protest|rally|ceremony|diagnosed|treated|evacuated|airlifted|published|released|issued|review|"
    r"report|study|investigation|inquiry|survey|audit|hearing|law|bill|policy)\b",
    re.IGNORECASE)
# "a group calling itself X claimed responsibility", "X claimed the attack": who claimed an attack. A name starts
# with a capitalised word (or "al-..."), and goes on with such words and the small words names hold
_NAME_START = r"(?:[A-Z][\w'’-]*|al-[\w'’-]+)"
_NAME_WORD = r"(?:[A-Z][\w'’-]*|al-[\w'’-]+|of|the|in|for|al)"
_NAME = rf"{_NAME_START}(?:\s+{_NAME_WORD}){{0,6}}"
_CLAIMED = re.compile(
    rf"(?P<who>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,6}})\s*(?:,[^,]{{0,60}},\s*)?"
    r"(?:has\s+|had\s+|later\s+|quickly\s+|swiftly\s+)?(?:claimed|took|accepted)\s+(?:responsibility|credit)\b|"
    rf"(?P<who2>{_NAME})\s+(?:has\s+|had\s+|later\s+)?claimed\s+(?:the|an|a|its)\s+(?:\w+\s+){{0,2}}"
    r"(?:attack|strike|assault|bombing)|"
    r"(?:blamed|laid\s+(?:the\s+)?(?:responsibility|blame)\s+on|held|attributed\s+(?:it|the\s+\w+)\s+to)\s+"
    rf"(?P<who3>(?:the\s+)?{_NAME})")
# the story's event recalled as an earlier one: the report itself is about something later ("Iran fired missiles at
# the same base in January 2020", "the first attack since January 2020", "Al Asad took 11 missiles last year")
_RECALL = re.compile(
    r"\bthe\s+same\s+(?:base|air\s*base|airport|airfield|city|facility|compound|site|place)\b|"
    r"\b(?:has|had|have)\s+been\s+(?:hit|struck|targeted|attacked|shelled)\s+(?:before|previously|in\s+the\s+past)\b|"
    r"\b(?:earlier|previous|prior|past)\s+attacks?\b|\blast\s+year\b|\ba\s+year\s+(?:ago|earlier)\b|"
    r"\bsince\s+(?:the\s+)?$|\bthat\s+(?:attack|strike|assault|barrage|bombardment)\b", re.IGNORECASE)
_WEEKEND = re.compile(r"\b(?:over|during|at|on)\s+the\s+weekend\b|\blast\s+weekend\b", re.IGNORECASE)
_WEEKDAY = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)})\b", re.IGNORECASE)
_PLACE_BACKREF = re.compile(r"\b(?:the|its|this)\s+(?:air\s*base|base|airport|airfield|facility|compound|city)\b",
                            re.IGNORECASE)
_BACKED = re.compile(r"[\w-]+-(?:backed|aligned|allied|linked|affiliated)\b", re.IGNORECASE)
_NOT_A_NAME = frozenset({"the", "a", "an", "no", "nobody", "no one", "it", "they", "he", "she", "which", "who"})


@dataclass(frozen=True, slots=True)
class Evidence:
    """One thing the text says about which event it reports."""

    points_to: str  # story | other
    weight: int
    kind: str  # date | weekday date | day of month | month | weekday | relative date | publication date |
    #            attacker | weapons
    text: str  # the words as written
    paragraph: int  # -1: the title or the page's metadata
    detail: str  # what the words were read as
    anchored: bool = True  # its paragraph names the story's places or none: an attack dated there, not elsewhere
    recalled: bool = False  # a story date told as an earlier event's ("the same base in January 2020")
    background: bool = False  # another attack told as a comparison ("the bloodiest attack since ...")

    def describe(self) -> str:
        where = "title/page" if self.paragraph < 0 else f"¶{self.paragraph + 1}"
        return f"{self.kind} “{self.text}” ({where}): {self.detail}"


@dataclass(frozen=True, slots=True)
class EventDecision:
    """Which event a report is about, what decided it, and every piece of evidence read."""

    verdict: str  # story | other | unknown (cannot tell: the report is kept)
    inferred: str | None  # the date or year the text gives its event, when found ("2021-02-15", "2021")
    won_by: str  # what decided the verdict
    evidence: tuple[Evidence, ...]
    other_paragraphs: frozenset[int]  # paragraphs that tell of another event (their figures are not the story's)

    @property
    def matching(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.points_to == STORY)

    @property
    def conflicting(self) -> tuple[Evidence, ...]:
        return tuple(e for e in self.evidence if e.points_to == OTHER)

    def reason(self) -> str:
        """One line for a reviewer: the verdict, what decided it and the strongest evidence."""
        label = {STORY: "this story", OTHER: "another event", UNKNOWN: "cannot tell"}[self.verdict]
        side = self.conflicting if self.verdict == OTHER else self.matching
        top = sorted(side, key=lambda e: -e.weight)[:3]
        said = "; ".join(e.describe() for e in top)
        when = f" ({self.inferred})" if self.inferred and self.verdict == OTHER else ""
        return f"{label}{when}, by {self.won_by}" + (f": {said}" if said else "")


# ---- dates ------------------------------------------------------------------------------------------------------

def _event_days(event: date) -> tuple[date, date]:
    """The days a report may give the event (a writer west of it puts a night attack on the day before)."""
    return event - timedelta(days=1), event + timedelta(days=1)


def _overlaps(lo: date, hi: date, event: date) -> bool:
    a, b = _event_days(event)
    return lo <= b and a <= hi


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _attack_near(text: str, start: int, end: int, vocab: Vocabulary, ix: SentenceIndex | None = None) -> bool:
    """Whether the date at text[start:end] dates an attack: the nearest attack, weapon or strike word of its
    sentence is within reach with no speech verb between them, and the date does not follow a speech verb
    ("the Pentagon said on February 10 that ...": the statement's date)."""
    speech = vocab.re["speech_verb"]
    if speech.search(text, max(0, start - 16), start):
        return False
    best: tuple[int, int, int] | None = None  # (distance, lo, hi) of the gap between the date and the word
    for name in ("attack", "munition", "role"):
        rx = vocab.re[name]

        def search(lo: int, hi: int, name: str = name, rx: re.Pattern[str] = rx) -> re.Match[str] | None:
            return ix.search(name, rx, text, lo, hi) if ix is not None else rx.search(text, lo, hi)

        hi = min(len(text), end + _NEAR)
        after = search(end, hi)
        while name == "role" and after is not None and vocab.roles[norm_key(after.group())] not in _FIRING_ROLES:
            after = search(after.end(), hi)
        if after is not None and (best is None or after.start() - end < best[0]):
            best = (after.start() - end, end, after.start())
        found = (ix.finditer(name, rx, text, max(0, start - _NEAR), start) if ix is not None
                 else rx.finditer(text, max(0, start - _NEAR), start))
        before = [m for m in found if name != "role" or vocab.roles[norm_key(m.group())] in _FIRING_ROLES]
        if before and (best is None or start - before[-1].end() < best[0]):
            best = (start - before[-1].end(), before[-1].end(), start)
    if best is None or speech.search(text, best[1], best[2]):
        return False
    for h in _HAPPENING.finditer(text, max(0, start - best[0] - 1), min(len(text), end + best[0] + 1)):
        if (h.end() <= start and start - h.end() < best[0]) or (h.start() >= end and h.start() - end < best[0]):
            return False  # "the ceasefire that entered into force on 10 October": the date is the ceasefire's
    return True


def _read(groups: dict[str, str | None], words: str, before: str, pub: date | None, event: date,
          resolved: tuple[date, date] | None) -> tuple[str, int, str, str] | None:
    """(points_to, weight, kind, detail) of one time expression that dates an attack; None when it says
    nothing about which event (a relative date without a publication date to resolve it)."""
    g = groups
    mon = g.get("mon1") or g.get("mon2")
    if mon:
        m, d = month_index(mon), int(g.get("d1") or g.get("d2") or 0)
        year = g.get("y1") or g.get("y2")
        if year:
            day = _safe_date(int(year), m, d)
            if day is None:
                return None
            return (STORY if _overlaps(day, day, event) else OTHER), FULL, "date", day.isoformat()
        wd = _WEEKDAY_BEFORE.search(before)
        if wd is not None:
            w = WEEKDAYS.index(wd.group("wd").lower())
            years = [y for y in range(event.year - _YEARS_AROUND, event.year + _YEARS_AROUND + 1)
                     if (x := _safe_date(y, m, d)) is not None and x.weekday() == w]
            own = _safe_date(event.year, m, d)
            if event.year in years and own is not None and _overlaps(own, own, event):
                return STORY, FULL, "weekday date", f"a {WEEKDAYS[w].title()} in {event.year}, the story's day"
            if own is not None and _overlaps(own, own, event):
                # the story's day of the year named with another weekday: a slip, or the next day's report
                return None
            if pub is not None and resolved is not None:
                return ((STORY if _overlaps(*resolved, event) else OTHER), DAY, "weekday date",
                        resolved[0].isoformat())
            near = sorted(years, key=lambda y: abs(y - event.year))[:3]
            said = ", ".join(str(y) for y in sorted(near)) or "no year near the story's"
            return OTHER, FULL, "weekday date", f"a {WEEKDAYS[w].title()} in {said}, not in {event.year}"
        if pub is not None and resolved is not None:
            return (STORY if _overlaps(*resolved, event) else OTHER), DAY, "day of month", resolved[0].isoformat()
        own = _safe_date(event.year, m, d)
        if own is not None and _overlaps(own, own, event):
            return STORY, DAY, "day of month", f"the story's day ({event:%B} {event.day})"
        return OTHER, WEAK, "day of month", f"not the story's day ({event:%B} {event.day})"
    if g.get("mon3") and g.get("y3"):
        lo, hi = month_span(int(g["y3"]), month_index(g["mon3"]))
        return (STORY if _overlaps(lo, hi, event) else OTHER), FULL, "date", f"{lo:%Y-%m}"
    if g.get("y4"):
        y = int(g["y4"])
        return (STORY, DAY, "year", str(y)) if y == event.year else (OTHER, FULL, "year", str(y))
    if g.get("mon4"):
        if pub is not None and resolved is not None:
            return (STORY if _overlaps(*resolved, event) else OTHER), WEAK, "month", f"{resolved[0]:%Y-%m}"
        m = month_index(g["mon4"])
        if g["mon4"].lower() == "may":
            return None
        return (STORY, WEAK, "month", f"{event:%B}") if m == event.month else \
            (OTHER, WEAK, "month", f"not the story's month ({event:%B})")
    if g.get("weekend"):
        if pub is not None:
            sat = pub - timedelta(days=(pub.weekday() - 5) % 7)
            return ((STORY if _overlaps(sat, sat + timedelta(days=1), event) else OTHER), WEAK, "weekday",
                    f"{sat.isoformat()}..{(sat + timedelta(days=1)).isoformat()}")
        if event.weekday() in (4, 5, 6, 0):  # a night from Friday to Monday may be told as the weekend
            return STORY, WEAK, "weekday", "the weekend, the story's"
        return OTHER, WEAK, "weekday", f"not the story's {WEEKDAYS[event.weekday()].title()}"
    if g.get("wd") and resolved is None and pub is not None:
        w = WEEKDAYS.index(g["wd"].lower())
        # the last such weekday up to publication, or the day after it (a page stamped in UTC the evening
        # before the local day it tells of)
        day = pub + timedelta(days=1) if (pub + timedelta(days=1)).weekday() == w else \
            pub - timedelta(days=(pub.weekday() - w) % 7)
        return (STORY if _overlaps(day, day, event) else OTHER), WEAK, "weekday", day.isoformat()
    if g.get("wd") and pub is None:
        w = WEEKDAYS.index(g["wd"].lower())
        if w in (event.weekday(), (event.weekday() - 1) % 7):
            return STORY, WEAK, "weekday", f"the story's {WEEKDAYS[event.weekday()].title()} (or the night before)"
        return OTHER, WEAK, "weekday", f"not the story's {WEEKDAYS[event.weekday()].title()}"
    if pub is not None and resolved is not None:
        return (STORY if _overlaps(*resolved, event) else OTHER), WEAK, "relative date", \
            f"{resolved[0].isoformat()}..{resolved[1].isoformat()}"
    return None


def sentence_evidence(s: Sentence, vocab: Vocabulary, pub: date | None, event: date,
                      ix: SentenceIndex | None = None) -> list[Evidence]:
    """The dates of attacks in one sentence, each as evidence for the story or another event (anchored: the
    caller reads the paragraph's places)."""
    text = s.text
    words = ix.words if ix is not None and ix.exact else None
    found = expressions(text, words)
    if not found and not _WEEKDAY.search(text) and "weekend" not in text:
        return []
    resolved = ({(m.start, m.end): (m.lo, m.hi) for m in time_marks(text, pub, event, words, matches=found)}
                if pub is not None else {})
    out: list[Evidence] = []
    covered = [(a, b) for a, b, _ in found]
    for m in _WEEKDAY.finditer(text):  # "early Wednesday", "Tuesday night": a weekday without "on" before it
        if not any(a <= m.start() < b for a, b in covered) and text[m.end() : m.end() + 2] not in ("'s", "’s"):
            found.append((m.start(), m.end(), {"wd": m.group()}))
    for m in _WEEKEND.finditer(text):
        found.append((m.start(), m.end(), {"weekend": m.group()}))
    recall_anywhere: bool | None = None
    for start, end, groups in found:
        before = text[max(0, start - 14) : start]
        got = _read(groups, text[start:end], before, pub, event, resolved.get((start, end)))
        if got is None:
            continue
        points, weight, kind, detail = got
        if points == OTHER and _CAUSE_BEFORE.search(text, max(0, start - 160), start):
            continue  # "in retaliation for the January 3 killing": the cause, told as background
        if _AS_OF.search(text, max(0, start - 12), start) or not _attack_near(text, start, end, vocab, ix):
            continue
        shown = text[start:end]
        wd = _WEEKDAY_BEFORE.search(before) if kind == "weekday date" else None
        if wd is not None:
            shown = text[start - len(before) + wd.start() : end]
        if points == STORY and recall_anywhere is None:
            recall_anywhere = _RECALL.search(text) is not None
        recalled = points == STORY and (bool(recall_anywhere)
                                        or _RECALL.search(text, max(0, start - 20), start) is not None)
        out.append(Evidence(points, weight, kind, shown.strip(), s.paragraph, detail, True, recalled))
    return out


def _place_anchor(text: str, vocab: Vocabulary, ix: SentenceIndex | None = None) -> bool | None:
    """True when the text names one of the story's places (or "the base"), False when it names only other places
    (the attack it dates was elsewhere), None when it names no place."""
    keys = set(vocab.story.places)
    other = False
    rx = vocab.re["place"]
    for m in (ix.finditer("place", rx, text) if ix is not None else rx.finditer(text)):
        place = vocab.places.get(norm_key(m.group()))
        if place is not None and (place.canonical in keys or vocab.story_place.get(place.canonical) in keys):
            return True
        other = other or place is not None
    if _PLACE_BACKREF.search(text) is not None:
        return True
    return False if other else None


def title_evidence(title: str, vocab: Vocabulary, pub: date | None, event: date) -> list[Evidence]:
    """The dates of attacks in a report's headline (block -1), anchored by the places it names."""
    got = sentence_evidence(Sentence(0, len(title), title, -1), vocab, pub, event)
    if got and _place_anchor(title, vocab) is False:
        got = [replace(e, anchored=False) for e in got]
    return got


def blocks(text: str, sentences: Sequence[Sentence]) -> list[Sentence]:
    """The sentences numbered by the block of text they are in: a line (a paragraph of a page's text, which
    comes one block per line) rather than a run of lines between blank lines."""
    out: list[Sentence] = []
    line_start, ordinal = -1, -1
    for s in sentences:
        start = text.rfind("\n", 0, s.start) + 1
        if start != line_start:
            line_start = start
            ordinal += 1
        out.append(Sentence(s.start, s.end, s.text, ordinal))
    return out


def paragraph_evidence(sentences: Sequence[Sentence], vocab: Vocabulary, published: date | None,
                       indexes: Sequence[SentenceIndex] | None = None) -> dict[int, list[Evidence]]:
    """Date evidence per paragraph (only paragraphs that have some). `indexes`: each sentence's SentenceIndex,
    when the caller has them (the same matches, found faster)."""
    event = date.fromisoformat(vocab.story.event_date)
    out: dict[int, list[Evidence]] = {}
    for i, s in enumerate(sentences):
        ix = indexes[i] if indexes is not None else None
        if not _may_date(s.text, ix):
            continue
        got = sentence_evidence(s, vocab, published, event, ix)
        if got:
            out.setdefault(s.paragraph, []).extend(got)
    if not out:
        return out
    recall: set[int] = set()
    compared: set[int] = set()
    anchors: dict[int, bool | None] = {}
    for i, s in enumerate(sentences):
        if s.paragraph not in out:
            continue
        if _RECALL.search(s.text):
            recall.add(s.paragraph)
        if "since" in s.text.lower() and _COMPARISON.search(s.text):
            compared.add(s.paragraph)
        if anchors.get(s.paragraph) is not True:
            a = _place_anchor(s.text, vocab, indexes[i] if indexes is not None else None)
            anchors[s.paragraph] = a if a is not None else anchors.get(s.paragraph)
    for p, ev in out.items():
        # a paragraph that names the story's place, or no place at all ("the rockets were fired on Monday
        # night"), dates an attack that may be another one there; one that names only other places (Baghdad,
        # where the general was killed) dates an attack elsewhere: background
        out[p] = ev = [replace(e, anchored=anchors.get(p) is not False) for e in ev]
        if p in recall or p in compared:
            # "Ain al-Asad has been hit before. In January 2020, Iran fired ...": the paragraph recalls the story
            # as an earlier event; "the bloodiest attack since ... On November 17, a missile hit ...": it tells
            # of an earlier attack as background
            out[p] = [replace(e, recalled=e.recalled or (p in recall and e.points_to == STORY),
                              background=e.background or (p in compared and e.points_to == OTHER)) for e in ev]
    return out


_DATE_WORDS = SCOPE_CUE_WORDS | {"weekend"}
_WORD = re.compile(r"\w+")


def _may_date(text: str, ix: SentenceIndex | None = None) -> bool:
    """Whether the sentence can hold a date: a month, a weekday, a word of relative time, or a year-like number
    (what every expression read here needs)."""
    words = ix.words if ix is not None and ix.exact else frozenset(_WORD.findall(text.lower()))
    return not words.isdisjoint(_DATE_WORDS) or may_have_marks(words, text)


def _side(evidence: Iterable[Evidence]) -> tuple[int, int]:
    story = other = 0
    for e in evidence:
        if e.points_to == STORY:
            story += e.weight
        else:
            other += e.weight
    return story, other


def other_paragraphs(by_paragraph: dict[int, list[Evidence]]) -> frozenset[int]:
    """Paragraphs whose own dates put their attack at another event than the story's."""
    out = set()
    for p, ev in by_paragraph.items():
        story, other = _side(ev)
        if other > story and other >= DAY:  # a weekday alone never hides a paragraph's figures
            out.add(p)
    return frozenset(out)


# ---- attackers and weapons ------------------------------------------------------------------------------------

def attacker_evidence(sentences: Sequence[Sentence], vocab: Vocabulary) -> list[Evidence]:
    """Groups that claimed the attack: one of the story's actors, or someone else."""
    out: list[Evidence] = []
    actor = vocab.re["actor"]
    for s in sentences:
        if "claim" not in s.text and "responsib" not in s.text and "blame" not in s.text \
                and "attributed" not in s.text:
            continue
        for m in _CLAIMED.finditer(s.text):
            who = (m.group("who") or m.group("who2") or m.group("who3") or "").strip()
            words = who.split()
            while words and words[0].lower() in ("the", "of", "in", "for", "al"):
                words.pop(0)
            while words and words[-1][:1].islower() and not words[-1].startswith("al-"):
                words.pop()  # "Kyiv for the": the name ends at its last capital ("Awliya al-Dam" keeps "al-Dam")
            who = " ".join(words)
            if not who or who.lower() in _NOT_A_NAME or not who[0].isupper() or _BACKED.search(who) \
                    or norm_key(who) in vocab.places or norm_key(who) in vocab.parties:
                continue  # "Iran-backed militias": nobody named; "Kyiv", "Russians": a place or a side
            if actor.search(who):
                out.append(Evidence(STORY, WEAK, "attacker", who, s.paragraph, "one of the story's actors"))
            else:
                out.append(Evidence(OTHER, DAY, "attacker", who, s.paragraph, "not one of the story's actors"))
    return out


# how long after its event a report may still be written as news of it ("Defense Secretary X said" a month on)
OFFICE_GRACE_DAYS = 60
_FORMER = re.compile(r"\b(?:former|then|ex|late|outgoing|previous|predecessor)[\s-]*$", re.IGNORECASE)


@lru_cache(maxsize=16)
def _offices_around(vocab: Vocabulary) -> tuple[tuple[re.Pattern[str], str], ...]:
    """For each office holder who held that office at no time from the story's event to OFFICE_GRACE_DAYS after
    it: the pattern of their title and name ("Defense Secretary Mark Esper", "President Biden") and what it says."""
    event = date.fromisoformat(vocab.story.event_date[:10])
    late = event + timedelta(days=OFFICE_GRACE_DAYS)
    terms: dict[tuple[str, str], list] = {}
    for o in vocab.offices:
        terms.setdefault((o.person, o.office), []).append(o)
    out = []
    for (person, office), held in terms.items():
        if any(date.fromisoformat(o.start) <= late and (not o.end or date.fromisoformat(o.end) >= event)
               for o in held):
            continue  # in office at the story's time: consistent with it, says nothing
        titles = sorted({t for o in held for t in o.titles}, key=len, reverse=True)
        first, *_, last = person.split() if " " in person else (person, person)
        name = rf"(?:{re.escape(first)}\s+(?:[A-Z]\.?\s+)?)?{re.escape(last)}"
        alts = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in titles)
        rx = re.compile(rf"\b(?:{alts})\s+{name}\b", re.IGNORECASE)
        spans = ", ".join(f"{o.start}..{o.end or 'now'}" for o in held)
        out.append((rx, f"{person} was {office} {spans}, not at the story's time"))
    return tuple(out)


def office_evidence(sentences: Sequence[Sentence], vocab: Vocabulary) -> list[Evidence]:
    """Office holders named by their title ("President Joe Biden told reporters") who held that office only well
    before or after the story's event: the report was written then, so it tells of another attack or recalls this
    one (an anniversary piece dates it in its own words, and `decide` keeps it)."""
    found = _offices_around(vocab) if vocab.offices else ()
    out: list[Evidence] = []
    seen: set[str] = set()
    for s in sentences:
        for rx, detail in found:
            for m in rx.finditer(s.text):
                if _FORMER.search(s.text, max(0, m.start() - 12), m.start()) or detail in seen:
                    continue  # "former President X", "then-Defense Secretary X": named as past
                seen.add(detail)
                out.append(Evidence(OTHER, DAY, "office holder", m.group(), s.paragraph, detail))
    return out


def weapon_evidence(claims: Iterable[Claim], story_munitions: Sequence[str]) -> list[Evidence]:
    """The kinds of weapon the report counts against the kinds the story file gives its event."""
    if not story_munitions:
        return []
    counted = [c.munition for c in claims if c.kind.startswith("munitions") and c.munition
               and c.munition != "mixed"]
    kinds = sorted(set(counted))
    if not kinds:
        return []
    wanted = set(story_munitions)
    shown = ", ".join(kinds)
    if wanted & set(kinds):
        return [Evidence(STORY, WEAK, "weapons", shown, -1, f"the story's: {', '.join(story_munitions)}")]
    # weak however often counted: first reports name weapons loosely ("six or seven rockets" for missiles)
    return [Evidence(OTHER, WEAK, "weapons", shown, -1,
                     f"{len(counted)} count(s), none of the story's {', '.join(story_munitions)}")]


# ---- the verdict -----------------------------------------------------------------------------------------------

def _as_recall(e: Evidence) -> Evidence:
    """A story date told as an earlier event's: the report is about something after the story's event."""
    return Evidence(OTHER, DAY, "story recalled as past", e.text, e.paragraph,
                    f"{e.detail}, told as an earlier event: the report is about a later one", e.anchored)


def decide(*, title_evidence: Sequence[Evidence], by_paragraph: dict[int, list[Evidence]],
           other_evidence: Sequence[Evidence], published: date | None, window: tuple[date, date]) -> EventDecision:
    """Weigh the evidence into a verdict. Each piece counts its weight, twice in the title and lead (where a
    report tells its own event; background comes later); the publication date counts PUBLICATION_WEIGHT when
    known. `other` needs more against the story than for it, and at least a day's worth; `story` more for it;
    else the report is kept as `unknown`."""
    # another attack dated somewhere the story does not name (the killing that provoked it, in another city) is
    # background; only one on the story's places says the report may be about another attack there
    dated = [_as_recall(e) if e.recalled else e
             for e in (*title_evidence, *(e for p in sorted(by_paragraph) for e in by_paragraph[p]))
             if e.points_to == STORY or (e.anchored and not e.background)]
    paras = other_paragraphs(by_paragraph)
    evidence: list[Evidence] = [*dated, *other_evidence]
    if published is not None:
        inside = window[0] <= published <= window[1]
        off = 0 if inside else min(abs((published - window[0]).days), abs((published - window[1]).days))
        # a date just outside the window is as often a loose date (a year-only signal, a late update) as another
        # event's: it counts for little
        weight = PUBLICATION_WEIGHT if inside or off > NEAR_WINDOW_DAYS else WEAK
        evidence.append(Evidence(STORY if inside else OTHER, weight, "publication date",
                                 published.isoformat(), -1, "inside the story's window" if inside else
                                 f"outside the story's window {window[0].isoformat()}..{window[1].isoformat()}"))
    # each block of text counts its strongest piece on each side, not every one: an explainer that lists five
    # earlier attacks on the city in one paragraph has told of them once
    best: dict[tuple[int, str, str], int] = {}
    for e in evidence:
        lead = 0 <= e.paragraph < LEAD_PARAGRAPHS or (e.paragraph == -1 and e.kind not in ("weapons",
                                                                                        "publication date"))
        w = e.weight * (2 if lead and e.weight >= DAY else 1)  # a weekday alone counts once, even in the lead
        key = (e.paragraph, e.kind if e.paragraph < 0 else "", e.points_to)
        best[key] = max(best.get(key, 0), w)
    story = sum(w for (_, _, side), w in best.items() if side == STORY)
    other = sum(w for (_, _, side), w in best.items() if side == OTHER)
    own_date = any(e.points_to == STORY and e.weight >= FULL and e.kind in ("date", "weekday date")
                   for e in dated)
    if other > story and other >= DAY and own_date and 2 * story >= other:
        # a round-up, an anniversary piece: it dates the story's attack in its own words and others' too; it is
        # kept, and the paragraphs of the other attacks give no claims
        v = STORY
    elif other > story and other >= DAY:
        v = OTHER
    elif story > other:
        v = STORY
    else:
        v = UNKNOWN
    side = [e for e in evidence if e.points_to == (OTHER if v == OTHER else STORY)]
    kinds = sorted({e.kind for e in side}, key=lambda k: -max(e.weight for e in side if e.kind == k))
    won_by = (f"{', '.join(kinds[:3])} ({story} for the story, {other} against)" if v != UNKNOWN
              else f"no clear evidence ({story} for the story, {other} against): kept")
    if v == STORY and other > story:
        won_by = (f"the story's attack dated in its own words, beside other attacks ({story} for the story, "
                  f"{other} against): kept, the other attacks' paragraphs left out")
    pub = next((e for e in evidence if e.kind == "publication date"), None)
    if pub is not None and v != UNKNOWN and pub.points_to != v:
        won_by += f"; the text won over the publication date {pub.text}"
    return EventDecision(v, _inferred(evidence) if v == OTHER else None, won_by, tuple(evidence), paras)


def _inferred(evidence: Sequence[Evidence]) -> str | None:
    """The other event's date or year, from the strongest dated evidence against the story."""
    best = sorted((e for e in evidence if e.points_to == OTHER and e.kind in ("date", "year", "weekday date",
                                                                               "day of month")),
                  key=lambda e: -e.weight)
    for e in best:
        m = re.match(r"\d{4}(?:-\d\d(?:-\d\d)?)?", e.detail) or re.search(r"\b(?:19|20)\d\d\b", e.detail)
        if m:
            return m.group()
    return None
