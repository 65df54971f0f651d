"""The extraction vocabulary as data: word lists, gazetteer, speakers and story actors, compiled once.

Everything event-specific comes from seeds/ (vocabulary.toml, gazetteer.csv, speakers.csv and a
story file); this module only loads it and builds the regular expressions the extractor uses.
"""

from __future__ import annotations

import csv
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core import __version__
from core.config import Story, load_story
from core.errors import ConfigError
from sources.relevance import StoryTerms, story_terms

# Used when a vocabulary.toml predates its [casualties] forces / negated_people lists (seeds/vocabulary.toml has
# both; a story's own vocabulary overrides them).
DEFAULT_FORCES = (
    "troop", "troops", "service member", "service members", "servicemember", "servicemembers", "servicemen", "soldier",
    "soldiers", "personnel", "marine", "marines", "sailors", "airmen",
)
DEFAULT_NEGATED_PEOPLE = (
    "one", "body", "people", "persons", "troops", "soldiers", "service members", "servicemembers", "servicemen",
    "personnel", "americans", "iraqis", "iranians", "civilians", "marines", "members", "forces", "staff",
)


def phrase_pattern(phrases: list[str] | tuple[str, ...]) -> str:
    """One alternation of phrases, words joined by any whitespace or hyphen, as a word trie: shared
    leading words are matched once ("US officials|US official|US Central Command"), longer words first."""
    trie: dict[str, dict] = {}
    for p in {p.strip() for p in phrases if p.strip()}:
        node = trie
        for word in re.split(r"[\s-]+", p):
            node = node.setdefault(word.lower(), {})
        node[""] = {}
    return _trie_regex(trie) or r"(?!x)x"


def _trie_regex(node: dict[str, dict]) -> str | None:
    alts = []
    for word in sorted((w for w in node if w), key=len, reverse=True):
        child = node[word]
        rest = _trie_regex(child)
        if rest is None:
            alts.append(re.escape(word))
        else:
            alts.append(re.escape(word) + r"(?:[\s\-]+" + rest + ")" + ("?" if "" in child else ""))
    if not alts:
        return None
    return "(?:" + "|".join(alts) + ")"


def words_regex(phrases: list[str] | tuple[str, ...], flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.])(?:{phrase_pattern(phrases)})(?![\w])", flags)


_SEPARATORS = re.compile(r"[\s\-]+")


def _demonyms(parties: dict[str, list[str]]) -> list[str]:
    """People named by their nationality ("four Syrians", "a Lebanese", "two Filipinos"): the plural and invariant
    forms among the party aliases, which count people as much as "civilians" does."""
    out = []
    for aliases in parties.values():
        for a in aliases:
            low = a.lower()
            if "'" in low or "’" in low or " " in low or "." in low:
                continue
            if (low.endswith(("ians", "ans", "is", "ers", "ese", "ites", "ots", "nos", "ks", "ds", "ns"))
                    and low not in ("us", "is")):
                out.append(low)
    return out


@lru_cache(maxsize=65536)
def norm_key(s: str) -> str:
    """The lookup key of a phrase: lower case, runs of whitespace and hyphens as one space (cached: the same
    few thousand names and words come back in every article)."""
    return _SEPARATORS.sub(" ", s.strip().lower())


@dataclass(frozen=True, slots=True)
class Place:
    canonical: str
    type: str
    country: str
    part_of: str = ""  # canonical name of the place this one lies in or at ("Erbil airport" -> "Erbil")


@dataclass(frozen=True, slots=True)
class Speaker:
    canonical: str
    organisation: str | None
    side: str | None
    is_person: bool


@dataclass(frozen=True, slots=True)
class Office:
    """One term of one person in one office (seeds/offices.csv): a report that names the holder by the title is
    written while they held it."""

    person: str
    office: str
    titles: tuple[str, ...]  # lower case: "defense secretary", "president"
    start: str  # ISO date
    end: str  # ISO date, "" while in office


@dataclass(frozen=True, eq=False)  # identity hash: one compiled vocabulary per story
class Vocabulary:
    version: str
    kinds: dict[str, str]
    quantifiers: dict[str, tuple[float, float | None, str]]
    bounds: dict[str, tuple[str, ...]]
    munitions: dict[str, str]  # surface (lower) -> canonical munition
    roles: dict[str, str]  # surface -> kind
    casualties: dict[str, str]  # surface -> killed | injured | both
    people: tuple[str, ...]
    forces: tuple[str, ...]  # the attacked side's forces: take the story's default party
    negated_people: tuple[str, ...]  # who a negation can say was not harmed
    parties: dict[str, str]  # surface -> party
    target_nouns: tuple[str, ...]
    attack_words: tuple[str, ...]
    place_types: tuple[str, ...]
    not_before: tuple[str, ...]
    speech: dict[str, str]  # verb -> hedge
    titles: tuple[str, ...]
    places: dict[str, Place]  # alias key -> place
    speakers: dict[str, Speaker]  # alias key -> speaker
    story: Story
    actors: dict[str, str] = field(default_factory=dict)  # alias key -> canonical actor
    offices: tuple[Office, ...] = ()  # who held which office when (seeds/offices.csv)
    actor_acronyms: frozenset[str] = frozenset()  # actor aliases that match only as written in capitals
    # a place inside one of the story's key places is reported as that key place, at the story's own grain
    # ("Erbil airport" is Erbil in a story whose places are Al Asad and Erbil)
    story_place: dict[str, str] = field(default_factory=dict)
    # compiled
    re: dict[str, re.Pattern[str]] = field(default_factory=dict)


def _us_variants(alias: str) -> list[str]:
    """"a US official" also as "a U.S. official" and "a United States official"."""
    out = [alias]
    for a, b in (("US ", "U.S. "), ("U.S. ", "US "), ("US ", "United States "), ("U.S. ", "United States ")):
        if a in alias:
            out.append(alias.replace(a, b))
    return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except OSError as exc:
        raise ConfigError(f"cannot read reference table: {exc}", input=str(path)) from exc


def load_vocabulary(seeds_dir: Path, story_id: str) -> Vocabulary:
    return _load(str(Path(seeds_dir).resolve()), story_id)


@lru_cache(maxsize=16)
def _load(seeds_dir_s: str, story_id: str) -> Vocabulary:
    seeds_dir = Path(seeds_dir_s)
    vpath = seeds_dir / "vocabulary.toml"
    try:
        raw = vpath.read_bytes()
        v = tomllib.loads(raw.decode("utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read vocabulary: {exc}", input=str(vpath)) from exc
    story_path = seeds_dir / "stories" / f"{story_id}.toml"
    story = load_story(story_path, seeds_dir)
    gaz_path, spk_path = seeds_dir / "gazetteer.csv", seeds_dir / "speakers.csv"
    off_path = seeds_dir / "offices.csv"
    digest = hashlib.sha256(raw + gaz_path.read_bytes() + spk_path.read_bytes() + story_path.read_bytes()
                            + (off_path.read_bytes() if off_path.exists() else b""))
    offices = tuple(Office(r["person"].strip(), r["office"].strip(),
                           tuple(t.strip().lower() for t in r["titles"].split("|") if t.strip()),
                           r["start"].strip(), (r.get("end") or "").strip())
                    for r in (_read_csv(off_path) if off_path.exists() else []))
    version = f"{__version__}+v{v.get('version', '0')}.{digest.hexdigest()[:8]}"

    def inverse(table: dict[str, list[str]]) -> dict[str, str]:
        return {norm_key(w): k for k, words in table.items() for w in words}

    quantifiers = {
        norm_key(k): (float(q["low"]), float(q["high"]) if "high" in q else None, q.get("qualifier", "vague"))
        for k, q in v.get("quantifiers", {}).items()
    }
    casualties = inverse({k: v["casualties"][k] for k in ("killed", "injured", "both")})
    places = {
        norm_key(r["alias"]): Place(r["canonical"], r["type"], r.get("country", ""), (r.get("part_of") or "").strip())
        for r in _read_csv(gaz_path)
    }
    speakers = {}
    for r in _read_csv(spk_path):
        scoped = (r.get("stories") or "").split()
        if scoped and story_id not in scoped:
            continue  # an alias that means this speaker only in some stories ("the president", "state media")
        canonical = r["canonical"]
        org = r.get("organisation") or None
        sp = Speaker(canonical, org, r.get("side") or None, r.get("type", "organisation") == "person")
        for alias in _us_variants(r["alias"]):
            speakers.setdefault(norm_key(alias), sp)
    actors = {norm_key(a): canonical for canonical, aliases in story.actors.items() for a in aliases}
    # acronyms written in capitals ("US", "UK", "IDF") name an actor only in capitals: "us" is a pronoun
    acronyms = frozenset(a for aliases in story.actors.values() for a in aliases
                         if a.isupper() and len(a.replace(".", "")) <= 4)
    t = v.get("targets", {})
    voc = Vocabulary(
        version=version,
        kinds=dict(v.get("kinds", {})),
        quantifiers=quantifiers,
        bounds={k: tuple(ws) for k, ws in v.get("bounds", {}).items()},
        munitions=inverse(v.get("munitions", {})),
        roles=inverse(v.get("roles", {})),
        casualties=casualties,
        people=tuple(dict.fromkeys([*v["casualties"].get("people", []), *_demonyms(v.get("parties", {}))])),
        forces=tuple(v["casualties"].get("forces", DEFAULT_FORCES)),
        negated_people=tuple(v["casualties"].get("negated_people", DEFAULT_NEGATED_PEOPLE)),
        parties=inverse(v.get("parties", {})),
        target_nouns=tuple(t.get("nouns", [])),
        attack_words=tuple(t.get("attack_words", [])),
        place_types=tuple(t.get("place_types", [])),
        not_before=tuple(t.get("not_before", [])),
        speech=inverse({k: ws for k, ws in v.get("speech", {}).items() if k != "titles"}),
        titles=tuple(v.get("speech", {}).get("titles", [])),
        places=places,
        speakers=speakers,
        story=story,
        actors=actors,
        offices=offices,
        actor_acronyms=acronyms,
    )
    voc.story_place.update(_story_places(places, story.places))
    voc.re.update(_compile(voc))
    return voc


def _story_places(places: dict[str, Place], key_places: tuple[str, ...]) -> dict[str, str]:
    """canonical -> the nearest place it lies in (by `part_of`) that is one of the story's key places."""
    parent = {p.canonical: p.part_of for p in places.values() if p.part_of}
    keys = set(key_places)
    out: dict[str, str] = {}
    for name in parent:
        seen, up = {name}, parent.get(name)
        while up and up not in keys and up not in seen:
            seen.add(up)
            up = parent.get(up)
        if up in keys and name not in keys:
            out[name] = up
    return out


def word_lists(v: Vocabulary) -> dict[str, list[str]]:
    """The phrases of each whole-word pattern in `Vocabulary.re` (the extractor indexes their first words)."""
    return {
        "munition": list(v.munitions),
        "role": list(v.roles),
        "casualty": list(v.casualties),
        "people": list(v.people),
        "forces": list(v.forces),
        "party": list(v.parties),
        "target_noun": list(v.target_nouns),
        "attack": list(v.attack_words),
        "speech_verb": [w for w in v.speech if w != "according to" and not w.startswith("titles")],
        "speaker": list(v.speakers),
        "place": list(v.places),
        "actor": list(v.actors),
    }


def _compile(v: Vocabulary) -> dict[str, re.Pattern[str]]:
    compiled = {name: words_regex(phrases) for name, phrases in word_lists(v).items()}
    compiled["not_before"] = re.compile(rf"(?:{phrase_pattern(list(v.not_before))})\s+(?:the\s+)?$", re.IGNORECASE)
    return compiled


def load_story_terms(seeds_dir: Path, story: Story) -> StoryTerms:
    """`story_terms` with the gazetteer places and story actors of the vocabulary: what discovery's relevance
    decisions need (it lives here because sources do not read the vocabulary)."""
    vocab = load_vocabulary(seeds_dir, story.id)
    places = {alias: place.canonical for alias, place in vocab.places.items()}
    return story_terms(story, places, dict(vocab.actors))
