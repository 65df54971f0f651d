"""Which listed organisation a report means when it writes the organisation's name its own way.

"the Kurdish health ministry", "Jordan's interior ministry", "the Houthi-run Ministry of Health" and "the U.N. Human
Rights Monitoring Mission" are the listed "Kurdistan Region Ministry of Health", "Jordanian Interior Ministry",
"Houthi health ministry" and "UN Human Rights Monitoring Mission in Ukraine": the same head words (what the
organisation is) in any order, and marks of whose it is (a nationality, a place, an actor, a side) that agree. A
name with no mark of its own ("the armed forces ministry") takes the listed one whose side the caller's hints name
(the places and nationalities of its sentence, then the attacked side), and only when exactly one fits: a guess
between two ministries is no better than the name as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.vocabulary import Speaker, Vocabulary

_TOKEN = re.compile(r"[a-z0-9]+")
_TAIL = re.compile(r"\s+(?:(?:in|of)\s+the|run\s+by)\s+", re.IGNORECASE)
_ABBREVIATION = re.compile(r"\b([a-z])\.([a-z])\.?(?![a-z])")  # "u.n." -> "un", "u.s." -> "us"
_POSSESSIVE = re.compile(r"['’]s?\b")
_SPELLING = {"defense": "defence", "center": "centre", "organization": "organisation", "ministries": "ministry",
             "army": "military"}
# words that say nothing about which organisation it is: "the ministry run by the rebels", "Ministry of Health"
_FILLER = frozenset({"the", "of", "for", "in", "on", "at", "run", "by", "led", "and", "its", "their", "rebel",
                     "rebels", "militants", "movement", "de", "facto", "a", "an"})
# heads too general to name one organisation without a mark of whose it is
_GENERIC = frozenset({"ministry", "government", "officials", "authorities", "office", "department", "group",
                      "forces", "military", "army", "command", "agency", "service", "council", "mission", "media",
                      "statement", "administration", "spokesman", "spokesperson", "source", "sources"})
# a head that names a kind of place belongs to the place of that kind named last ("the regional administration"),
# never to a side: without a mark of its own it is left to the caller
_PLACE_KINDS = frozenset({"regional", "region", "city", "town", "provincial", "province", "municipal", "local",
                          "district", "oblast", "governorate", "county"})
_MAX_MARK_WORDS = 3
# what an organisation is rather than whose: a listed name made of none of these is a proper name ("Houthis")
_ORG_NOUNS = frozenset({"ministry", "government", "officials", "authorities", "office", "department", "group",
                        "forces", "military", "army", "navy", "command", "agency", "service", "council", "mission",
                        "media", "administration", "police", "guard", "guards", "corps", "committee", "centre",
                        "directorate", "force", "news", "tv", "television", "radio", "channel", "network",
                        "observatory", "cross", "crescent", "municipality", "embassy", "staff", "brigades"})


def _tokens(name: str) -> list[str]:
    low = _ABBREVIATION.sub(r"\1\2", name.lower().replace("’", "'"))
    low = _POSSESSIVE.sub("", low)
    return [_SPELLING.get(t, t) for t in _TOKEN.findall(low)]


@dataclass(frozen=True, slots=True)
class _Mark:
    """Words that say whose an organisation is: a place (its own names, and its country), or a side (a
    nationality, an actor, a country)."""

    place: frozenset[str]  # empty for a side
    side: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Listed:
    places: frozenset[str]
    sides: frozenset[str]
    speaker: Speaker


@lru_cache(maxsize=16)
def _marks(vocab: Vocabulary) -> dict[tuple[str, ...], _Mark]:
    """The words of a mark -> what it stands for."""
    places: dict[tuple[str, ...], tuple[set[str], set[str]]] = {}
    sides: dict[tuple[str, ...], set[str]] = {}

    def key(surface: str) -> tuple[str, ...] | None:
        k = tuple(_tokens(surface))
        return k if k and len(k) <= _MAX_MARK_WORDS else None

    for alias, place in vocab.places.items():
        if (k := key(alias)) is not None:
            got = places.setdefault(k, (set(), set()))
            got[0].add(place.canonical.lower())
            got[1].add(place.country.lower())
    for alias, label in vocab.parties.items():
        if (k := key(alias)) is not None:
            sides.setdefault(k, set()).update((label.lower(), " ".join(k)))
    for alias, actor in vocab.actors.items():
        if (k := key(alias)) is not None:
            sides.setdefault(k, set()).add(actor.lower())
    for alias, sp in vocab.speakers.items():
        if sp.side and (k := key(sp.side)) is not None:
            sides.setdefault(k, set()).add(sp.side.lower())
        if not sp.is_person and (k := key(alias)) is not None and _ORG_NOUNS.isdisjoint(_tokens(sp.canonical)):
            # a movement or group known by a proper name ("the Houthis", "Houthi rebels") marks its organs
            for form in {k, tuple(w[:-1] if w.endswith("s") and len(w) > 4 else w for w in k)}:
                sides.setdefault(form, set()).add(sp.canonical.lower())
    out = {k: _Mark(frozenset(), frozenset(v)) for k, v in sides.items()}
    # a country's name is a side ("Jordan"), a city's a place
    out.update({k: _Mark(frozenset(p), frozenset(c)) for k, (p, c) in places.items() if k not in out})
    return out


def _parts(name: str, vocab: Vocabulary) -> tuple[frozenset[str], tuple[_Mark, ...]]:
    """(head words, marks) of an organisation's name."""
    words = _tokens(name)
    marks = _marks(vocab)
    head: list[str] = []
    found: list[_Mark] = []
    i = 0
    while i < len(words):
        for n in range(min(_MAX_MARK_WORDS, len(words) - i), 0, -1):
            mark = marks.get(tuple(words[i : i + n]))
            if mark is not None:
                found.append(mark)
                i += n
                break
        else:
            if words[i] not in _FILLER:
                head.append(words[i])
            i += 1
    return frozenset(head), tuple(found)


@lru_cache(maxsize=16)
def _index(vocab: Vocabulary) -> dict[frozenset[str], tuple[_Listed, ...]]:
    """Head words -> the listed organisations with that head, with the places and sides their names and rows give."""
    by_head: dict[frozenset[str], dict[str, tuple[set[str], set[str], Speaker]]] = {}
    for alias, sp in vocab.speakers.items():
        if sp.is_person:
            continue
        head, marks = _parts(alias, vocab)
        if not head:
            continue
        places, sides, _ = by_head.setdefault(head, {}).setdefault(sp.canonical, (set(), set(), sp))
        for m in marks:
            places.update(m.place)
            sides.update(m.side)
        if sp.side:
            sides.add(sp.side.lower())
    return {h: tuple(_Listed(frozenset(p), frozenset(sd), sp) for p, sd, sp in d.values()) for h, d in by_head.items()}


def _same_stem(a: str, b: str) -> bool:
    """One nationality or place in two forms: "jordan"/"jordanian", "kurdish"/"kurdistan region"."""
    if a == b:
        return True
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 4


def _meet(a: frozenset[str], b: frozenset[str]) -> bool:
    return any(_same_stem(x, y) for x in a for y in b)


def _agrees(mark: _Mark, listed: _Listed) -> bool:
    """A place agrees with a listed organisation's own place, or with its side when its name has no place
    ("the health ministry in Sanaa" is Yemen's); a side with either."""
    if mark.place:
        return _meet(mark.place, listed.places) if listed.places else _meet(mark.side, listed.sides)
    return _meet(mark.side, listed.sides | listed.places)


def resolve_organisation(name: str, vocab: Vocabulary, hints: tuple[frozenset[str], ...] = ()) -> Speaker | None:
    """The listed organisation `name` means, or None. `hints`: stem sets of the sides it may be of, nearest first,
    tried only when the name has no mark of its own."""
    head, marks = _parts(name, vocab)
    cands = _index(vocab).get(head) if head else None
    tail = _TAIL.search(name) if not cands else None
    if tail is not None:
        # "the health ministry in the Houthi-run administration", "the Air Force of the Armed Forces of Ukraine":
        # what comes first is the organisation, the rest says whose
        head = _parts(name[: tail.start()], vocab)[0]
        cands = _index(vocab).get(head) if head else None
    if not cands:
        return None
    if marks:
        fit = [c.speaker for c in cands if all(_agrees(m, c) for m in marks)]
        return fit[0] if len(fit) == 1 else None
    if (len(head) == 1 and next(iter(head)) in _GENERIC) or not head.isdisjoint(_PLACE_KINDS):
        return None
    for hint in hints:
        fit = [c.speaker for c in cands if _meet(hint, c.sides)]
        if fit:
            return fit[0] if len(fit) == 1 else None
    return None


def marks_in(text: str, vocab: Vocabulary) -> tuple[frozenset[str], ...]:
    """The sides that `text` names (a place by its country), last first: the nearest to what follows."""
    return tuple(m.side for m in reversed(_parts(text, vocab)[1]))
