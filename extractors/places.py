"""Find places in a sentence: gazetteer aliases, fuzzy and transliteration-aware resolution, and
recognition of unlisted names by pattern ("the Harir base", "Camp Victory", "K-1 air base").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from extractors.index import SentenceIndex, is_word_char
from extractors.vocabulary import Place, Vocabulary, norm_key

FUZZY_CUTOFF = 88.0  # on normalised names; calibrated in matching (see README, entity resolution)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    surface: str
    canonical: str
    type: str
    known: bool


_BASE_WORDS = r"(?:air\s*base|airbase|air\s+field|airfield|military\s+base|base|airport|garrison)"
_NAME = r"[A-Z][\w'’]*(?:-[A-Za-z0-9][\w'’]*)*"
_PARTICLE = r"(?:al|el|ad|as|ar|an|ash|at|ain|ayn|ein|bin|ibn|abu)"
_UNLISTED = re.compile(
    rf"\b(?:(?P<camp>(?:Camp|Forward\s+Operating\s+Base|FOB|Fort|Joint\s+Base)\s+{_NAME}(?:\s+{_NAME})?)"
    rf"|(?P<name>(?:{_NAME}|{_PARTICLE}-{_NAME})(?:[\s-](?:{_PARTICLE}-)?{_NAME}){{0,2}})"
    rf"\s+(?P<kind>{_BASE_WORDS}))\b"
)
# An unlisted place ends with one of these words (lower-cased) or starts with one of _CAMP_WORDS.
_BASE_TOKENS = frozenset({"base", "airbase", "field", "airfield", "airport", "garrison"})
_CAMP_WORDS = frozenset({"camp", "fob", "fort"})
UNLISTED_WORDS = _BASE_TOKENS | _CAMP_WORDS


def _may_be_unlisted(index: SentenceIndex, taken: list[tuple[int, int]]) -> bool:
    """Whether _UNLISTED can find a place not already taken by a gazetteer name: a camp word, or a base word
    outside every taken span (a match containing a taken base word is dropped as overlapping)."""
    if not index.exact or index.has_word(_CAMP_WORDS):
        return True
    low = index.low
    for w in index.words & _BASE_TOKENS:
        i = low.find(w)
        while i >= 0:
            j = i + len(w)
            whole = (i == 0 or not is_word_char(low[i - 1])) and (j == len(low) or not is_word_char(low[j]))
            if whole and not any(a <= i < b for a, b in taken):
                return True
            i = low.find(w, j)
    return False
_BASHAR = re.compile(r"Bashar\s+$")
_BASE_TAIL = re.compile(rf"\s+{_BASE_WORDS}\b", re.IGNORECASE)
_STOP_NAMES = {
    "the", "a", "an", "u.s", "us", "american", "iraqi", "iranian", "coalition", "military", "key", "main",
    "this", "that", "one", "two", "second", "another", "each", "both", "which", "its", "their", "his",
    "her", "our", "u.s.-led", "nato", "kurdish", "western", "northern", "remote", "sprawling", "targeted",
}


def normalise_name(name: str) -> str:
    """Transliteration-aware key: 'Ain al-Assad Airbase' -> 'asad'; 'Irbil' stays 'irbil'."""
    s = name.lower().replace("’", "'")
    s = re.sub(r"\b(?:air\s*base|airbase|air\s+field|airfield|military\s+base|base|airport|camp)\b", " ", s)
    s = re.sub(r"[^a-z0-9\s'-]", " ", s)
    tokens = [t for t in re.split(r"[\s'-]+", s) if t]
    while len(tokens) > 1 and tokens[0] in {"al", "el", "ain", "ayn", "ein", "the", "ad", "as", "ar", "an", "ash"}:
        tokens = tokens[1:]
    s = "".join(tokens)
    return re.sub(r"([a-z])\1+", r"\1", s)  # doubled letters: assad -> asad (digits stay: K-11 is not K-1)


@lru_cache(maxsize=8)
def _normalised_index(vocab: Vocabulary) -> tuple[list[str], list[Place]]:
    keys, places = [], []
    for alias, place in vocab.places.items():
        keys.append(normalise_name(alias))
        places.append(place)
    return keys, places


def resolve_name(name: str, vocab: Vocabulary) -> Place | None:
    """Exact alias, then normalised key, then fuzzy (rapidfuzz ratio on normalised keys, digits never fuzzed)."""
    key = re.sub(r"[\s\-]+", " ", name.strip().lower())
    if key in vocab.places:
        return vocab.places[key]
    keys, places = _normalised_index(vocab)
    norm = normalise_name(name)
    if not norm:
        return None
    if norm in keys:
        return places[keys.index(norm)]
    if re.search(r"\d", norm) or len(norm) < 4:
        return None
    hit = process.extractOne(norm, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return places[hit[2]] if hit else None


def find_places(sentence: str, vocab: Vocabulary, index: SentenceIndex | None = None) -> list[PlaceMention]:
    """Places named in one sentence; `index` = its word index (pattern "place") if the caller has one."""
    if index is not None and index.exact and "place" not in index.at and not index.has_word(UNLISTED_WORDS):
        return []
    found: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    named = vocab.re["place"].finditer(sentence) if index is None else index.finditer("place", vocab.re["place"],
                                                                                       sentence)
    for m in named:
        if not free(m.start(), m.end()):
            continue
        prev = sentence[max(0, m.start() - 8) : m.start()]
        if "Bashar" in prev and _BASHAR.search(prev):
            continue  # Syria's president, not the base
        place = vocab.places[norm_key(m.group())]
        # "al-Asad air base": extend the surface over a following base word
        tail = _BASE_TAIL.match(sentence, m.end())
        end = tail.end() if tail else m.end()
        found.append(PlaceMention(m.start(), end, sentence[m.start() : end], place.canonical, place.type, True))
        taken.append((m.start(), end))
    unlisted = _UNLISTED.finditer(sentence) if index is None or _may_be_unlisted(index, taken) else ()
    for m in unlisted:
        surface = m.group("camp") or m.group("name")
        start = m.start("camp") if m.group("camp") else m.start("name")
        words = surface.split()
        while words and words[0].lower().rstrip(".") in _STOP_NAMES | {"u.s."}:
            words = words[1:]
        if not words:
            continue
        surface = " ".join(words)
        start = m.start() + m.group().find(surface)
        end = m.end() if not m.group("camp") else start + len(surface)
        if not free(start, end):
            continue
        place = resolve_name(surface, vocab)
        if place is None and vocab.re["place"].fullmatch(surface) is None:
            if not m.group("camp") and any(w.lower() in _STOP_NAMES for w in words):
                continue
            kind = (m.group("kind") or "base").lower()
            label = surface if m.group("camp") else f"{surface} {'air base' if 'air' in kind else kind}"
            found.append(PlaceMention(start, end, m.group().strip(), label, "base", False))
            taken.append((start, end))
        elif place is not None:
            found.append(PlaceMention(start, end, sentence[start:end], place.canonical, place.type, True))
            taken.append((start, end))
    return sorted(found, key=lambda p: p.start)
