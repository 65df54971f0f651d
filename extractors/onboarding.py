"""What a new story's reports name that the reference tables lack: proposals for `crosscheck story new`.

One job: `propose(articles, vocab, known_actors) -> Proposals`, pure. It runs the extractor's own machinery over
the reports and keeps what it saw but the tables do not hold:

- places: names the place rules recognised by pattern but the gazetteer lacks ("K-1 air base", "Camp Speicher",
  `subject_known` false), and capitalised phrases after "in", "at", "on", "near", ... or an attack verb ("hit
  Vinnytsia") that no gazetteer name resolves to, each with the nearest gazetteer names (rapidfuzz); places the
  gazetteer does know, named in a sentence about the attack, are listed apart (candidates for the story's
  `places`);
- speakers: people and organisations the attribution rules found by title and name ("Governor Serhiy Borzov
  said") that speakers.csv does not list (anonymous "officials" and "sources" are left out: the rules read them
  without a row);
- actors: the [actors] entries of the other story files whose aliases the reports name beside a munition or an
  attack word;
- munition words: capitalised names written before a known munition noun ("Kalibr cruise missiles") that the
  vocabulary's [munitions] lists lack, with the kind of that noun;
- the munition kinds the reports count and the party their casualty counts name most (for `munitions` and
  `default_party`).

`read_reports` is the I/O edge: local files through sources/files.py, URLs through the one HttpClient.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from core.records import Article, Rejected
from extractors.attribution import find_frames, lookup_speaker
from extractors.claims import ClaimExtractor
from extractors.places import find_places, normalise_name, resolve_name
from extractors.sentences import split_sentences
from extractors.vocabulary import Vocabulary, norm_key, words_regex
from sources.adapters.base import Candidate, read_body, to_article
from sources.files import DEFAULT_MAX_BYTES, iter_documents
from sources.http import HttpClient
from sources.settings import HttpSettings

SOURCE = "story-new"  # Article.source of a report fetched for `crosscheck story new`
EVIDENCE_CHARS = 160

# Words that end a place's name and say what kind of place it is (a gazetteer `type`); else a city.
_TYPE_BY_LAST_WORD = {
    **dict.fromkeys(("base", "airbase", "garrison", "camp", "fob", "fort", "outpost", "barracks"), "base"),
    **dict.fromkeys(("airport", "airfield", "field"), "airport"),
    **dict.fromkeys(("house", "building", "hospital", "centre", "center", "hall", "school", "mall", "station",
                     "hotel", "tower", "consulate", "embassy", "mosque", "church", "market", "university",
                     "headquarters", "theatre", "theater"), "building"),
    **dict.fromkeys(("plant", "factory", "refinery", "port", "depot", "terminal", "facility", "complex", "dam",
                     "bridge", "field", "works"), "facility"),
    **dict.fromkeys(("sea", "gulf", "strait", "ocean", "bay", "region", "valley", "heights"), "region"),
    **dict.fromkeys(("oblast", "province", "governorate", "prefecture"), "province"),
    **dict.fromkeys(("district", "quarter", "neighbourhood", "neighborhood"), "district"),
    **dict.fromkeys(("village",), "village"),
}
_LEAD = re.compile(
    r"\b(?P<lead>in|at|on|near|outside|inside|into|over|hit|hitting|struck|striking|targeted|targeting|attacked|"
    r"shelled|bombed|pounded)\s+(?:the\s+)?(?:(?:city|town|village|port|base|region|province)\s+of\s+)?"
    r"(?P<name>[A-Z][\w'’-]*(?:\s+(?:(?:of|al|el|ad|de|bin)[\s-])?[A-Z][\w'’-]*){0,3})"
)
_NOT_PLACE_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "the", "a", "an",
    "this", "that", "these", "those", "his", "her", "its", "their", "our", "gmt", "utc", "am", "pm", "a.m",
    "p.m", "telegram", "twitter", "x", "facebook", "instagram", "youtube", "tv", "television", "state", "world",
    "war", "new", "time", "local", "update", "live", "breaking", "video", "photos", "i", "he", "she", "they", "we",
    "it", "one", "two", "three", "all", "some", "many", "several", "total", "first", "last", "next", "early",
    "late", "mid", "christmas", "easter", "ramadan", "eid",
})
_ORG_HEADS = frozenset({
    "ministry", "command", "agency", "service", "services", "office", "administration", "council", "department",
    "directorate", "committee", "government", "police", "army", "navy", "forces", "guard", "corps", "authority",
    "commission", "mission", "headquarters", "staff", "centre", "center", "observatory", "organisation",
    "organization", "red", "crescent", "cross", "news", "media", "television", "radio",
})
_ANONYMOUS_HEADS = frozenset({"official", "officials", "source", "sources", "witness", "witnesses", "residents",
                              "diplomats", "diplomat", "analysts", "experts", "authorities", "spokesman",
                              "spokeswoman", "spokesperson", "people", "reporters", "journalists", "media"})
_POSSESSIVE = re.compile(r"['’]s$")
_NAME_PARTICLES = frozenset({"al", "el", "ad", "as", "ash", "at", "an", "ar", "az", "bin", "ibn", "abu", "abd", "de",
                             "del", "van", "von", "da", "di", "du", "le", "la", "ul"})
_WORD_BEFORE_MUNITION = re.compile(
    r"(?P<word>[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)\s+(?:(?:cruise|ballistic|guided|hypersonic|anti-ship|"
    r"surface-to-surface|surface-to-air|air-launched|sea-launched|long-range|short-range)\s+)?$"
)
_NUMBER_WORDS = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "dozen",
    "dozens", "hundreds", "some", "several", "many", "the", "a", "an", "its", "their", "all", "no", "more",
    "most", "both", "each", "every", "other", "another", "these", "those", "new", "further", "additional",
})


@dataclass(frozen=True, slots=True)
class Seen:
    """Where a proposal comes from: the report (path or URL) and the sentence, shortened."""

    report: str
    sentence: str


@dataclass(frozen=True, slots=True)
class PlaceProposal:
    """A place for the gazetteer: a canonical name, its spellings as written, a guessed type and country."""

    name: str
    aliases: tuple[str, ...]
    type: str
    country: str
    how: str  # "by pattern" (the place rules' unlisted names) or "after 'in'", "after 'hit'", ...
    count: int
    seen: Seen
    nearest: tuple[tuple[str, float], ...]  # (canonical gazetteer name, rapidfuzz ratio 0-100), best first


@dataclass(frozen=True, slots=True)
class KnownPlace:
    """A gazetteer place the reports name in a sentence about the attack."""

    canonical: str
    type: str
    count: int
    seen: Seen


@dataclass(frozen=True, slots=True)
class SpeakerProposal:
    """A speaker for speakers.csv: canonical name and aliases, as the attribution rules read them."""

    name: str
    aliases: tuple[str, ...]
    organisation: str
    side: str
    type: str  # person | organisation
    surface: str  # as first written, title included ("Governor Serhiy Borzov")
    count: int
    seen: Seen


@dataclass(frozen=True, slots=True)
class ActorProposal:
    """An actor of another story file that the reports name beside a munition or an attack word."""

    name: str
    aliases: tuple[str, ...]
    origin: tuple[str, ...]  # the story files that list it
    count: int
    seen: Seen


@dataclass(frozen=True, slots=True)
class MunitionProposal:
    """A word for the vocabulary's [munitions] list of `munition`."""

    word: str  # lower case, as the vocabulary holds it
    munition: str
    count: int
    seen: Seen


@dataclass(frozen=True, slots=True)
class Proposals:
    places: tuple[PlaceProposal, ...] = ()
    known_places: tuple[KnownPlace, ...] = ()
    speakers: tuple[SpeakerProposal, ...] = ()
    actors: tuple[ActorProposal, ...] = ()
    munitions: tuple[MunitionProposal, ...] = ()
    munition_kinds: tuple[str, ...] = ()  # counted by the reports' claims, most counted first
    default_party: str | None = None  # the party the casualty counts name most
    reports: int = 0


@dataclass(frozen=True, slots=True)
class KnownActor:
    name: str
    aliases: tuple[str, ...]
    origin: tuple[str, ...]


# --------------------------------------------------------------------------- I/O edge


def read_reports(refs: Sequence[str], *, story: str, max_bytes: int = DEFAULT_MAX_BYTES,
                 http: HttpSettings | None = None) -> tuple[list[Article], list[Rejected]]:
    """The reports named by `refs`: local .txt/.md/.html files or folders (sources/files.py), and http(s) URLs
    fetched through the one HttpClient (settings `http`, default `HttpSettings.from_env()`). Never raises for a
    bad report: it becomes a Rejected."""
    articles: list[Article] = []
    rejected: list[Rejected] = []
    urls = [r for r in refs if r.strip().lower().startswith(("http://", "https://"))]
    local = [Path(r) for r in refs if r not in urls]
    for item in iter_documents(local, max_bytes=max_bytes, story=story):
        (rejected if isinstance(item, Rejected) else articles).append(item)  # type: ignore[arg-type]
    if urls:
        with HttpClient(http or HttpSettings.from_env()) as client:
            for url in urls:
                result = client.fetch(url.strip(), source=SOURCE)
                if not result.ok:
                    rejected.append(Rejected(input=url, stage="fetch", reason=result.outcome.reason or "failed",
                                             source=SOURCE))
                    continue
                page = read_body(result)
                if page.problem:
                    rejected.append(Rejected(input=url, stage="parse", reason=page.problem, source=SOURCE))
                    continue
                got = to_article(Candidate(url=url.strip(), source=SOURCE, html=page.html, text=page.text), story)
                (rejected if isinstance(got, Rejected) else articles).append(got)  # type: ignore[arg-type]
    return articles, rejected


def known_actors(stories_dir: Path, *, skip: str | None = None) -> dict[str, KnownActor]:
    """Every [actors] entry of the story files in `stories_dir` (but story `skip`), merged by canonical name.
    A story file that cannot be read is passed over: `crosscheck story check` is the place to find it."""
    merged: dict[str, tuple[dict[str, None], list[str]]] = {}
    for path in sorted(stories_dir.glob("*.toml")):
        if path.stem == skip or path.name.startswith("."):
            continue
        try:
            actors = tomllib.loads(path.read_text(encoding="utf-8")).get("actors", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        if not isinstance(actors, dict):
            continue
        for name, aliases in actors.items():
            if not isinstance(aliases, list):
                continue
            entry = merged.setdefault(name, ({}, []))
            entry[0].update(dict.fromkeys(a for a in aliases if isinstance(a, str) and a.strip()))
            entry[1].append(path.name)
    return {name: KnownActor(name, tuple(al), tuple(orig)) for name, (al, orig) in merged.items()}


# --------------------------------------------------------------------------- proposals (pure)


@dataclass
class _Tally:
    """Counts and the first place each name was seen, per kind of proposal."""

    count: Counter[str]
    seen: dict[str, Seen]
    extra: dict[str, dict]

    @classmethod
    def new(cls) -> _Tally:
        return cls(Counter(), {}, {})

    def add(self, key: str, seen: Seen, **extra: object) -> None:
        self.count[key] += 1
        self.seen.setdefault(key, seen)
        slot = self.extra.setdefault(key, {})
        for k, v in extra.items():
            if isinstance(v, list):
                slot.setdefault(k, []).extend(x for x in v if x not in slot.get(k, []))
            else:
                slot.setdefault(k, v)

    def ranked(self) -> list[str]:
        order = list(self.seen)
        return sorted(self.count, key=lambda k: (-self.count[k], order.index(k)))


def propose(articles: Iterable[Article], vocab: Vocabulary,
            actors: Mapping[str, KnownActor] | None = None) -> Proposals:
    """Proposals from the reports, read with `vocab` (a story without places or actors, so that nothing is
    gated out); `actors` = the other stories' actor tables (`known_actors`)."""
    extractor = ClaimExtractor(vocab)
    actors = actors or {}
    actor_alias = {norm_key(a): name for name, act in actors.items() for a in act.aliases}
    acronyms = frozenset(a for act in actors.values() for a in act.aliases if a.isupper() and len(a) <= 4)
    actor_rx = words_regex(list(actor_alias)) if actor_alias else None
    unknown, known, speakers, actor_hits, munition_words = (_Tally.new() for _ in range(5))
    kinds: Counter[str] = Counter()
    parties: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    n = 0
    for article in articles:
        n += 1
        report = article.path or article.url or article.article_id
        for c in extractor.extract(article):
            if c.kind.startswith("munitions_") and c.munition and c.munition != "mixed":
                kinds[c.munition] += 1
            if c.kind in ("killed", "injured") and c.party:
                parties[c.party] += 1
            if c.subject and not c.subject_known:
                unknown.add(c.subject, Seen(report, _short(c.evidence.sentence)), aliases=[c.subject_surface or ""],
                            how="by pattern")
        for s in split_sentences(article.text):
            seen = Seen(report, _short(s.text))
            about_attack = bool(vocab.re["munition"].search(s.text) or vocab.re["attack"].search(s.text))
            taken = _places_in(s.text, vocab, seen, about_attack, unknown, known, countries)
            _places_after_leads(s.text, vocab, seen, about_attack, taken, actor_alias, unknown, known, countries)
            _speakers_in(s.text, vocab, seen, speakers, countries)
            if about_attack and actor_rx is not None:
                for m in actor_rx.finditer(s.text):
                    word = m.group()
                    if any(word.lower() == a.lower() for a in acronyms) and not word.isupper():
                        continue  # "us" is not "US"
                    actor_hits.add(actor_alias[norm_key(word)], seen)
            _munition_words(s.text, vocab, seen, actor_alias, munition_words)
    new_kinds = [munition_words.extra[w]["munition"] for w in munition_words.ranked()]
    for name in actor_hits.count:
        countries.pop(name, None)  # the attacker's own country is not where the attack was
    country = _main_country(countries, vocab)
    return Proposals(
        places=tuple(_place_proposal(name, unknown, vocab, country) for name in unknown.ranked()),
        known_places=tuple(KnownPlace(name, known.extra[name]["type"], known.count[name], known.seen[name])
                           for name in known.ranked()),
        speakers=tuple(_speaker_proposal(name, speakers) for name in speakers.ranked()),
        actors=tuple(ActorProposal(name, actors[name].aliases, actors[name].origin, actor_hits.count[name],
                                   actor_hits.seen[name]) for name in actor_hits.ranked()),
        munitions=tuple(MunitionProposal(w, munition_words.extra[w]["munition"], munition_words.count[w],
                                         munition_words.seen[w]) for w in munition_words.ranked()),
        munition_kinds=tuple(dict.fromkeys([*(k for k, _ in kinds.most_common()), *new_kinds])),
        default_party=parties.most_common(1)[0][0] if parties else None,
        reports=n,
    )


def _short(sentence: str) -> str:
    text = " ".join(sentence.split())
    return text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1].rstrip() + "…"


def _places_in(text: str, vocab: Vocabulary, seen: Seen, about_attack: bool, unknown: _Tally, known: _Tally,
               countries: Counter[str]) -> list[tuple[int, int]]:
    """The place rules' own finds in one sentence; returns the spans they take."""
    taken = []
    for p in find_places(text, vocab):
        taken.append((p.start, p.end))
        if not p.known:
            unknown.add(p.canonical, seen, aliases=[p.surface], how="by pattern")
            continue
        place = vocab.places.get(norm_key(p.canonical)) or resolve_name(p.canonical, vocab)
        if place is not None and place.country and place.type != "country":
            countries[place.country] += 2
        if about_attack and p.type in vocab.place_types:
            known.add(p.canonical, seen, type=p.type)
    return taken


def _places_after_leads(text: str, vocab: Vocabulary, seen: Seen, about_attack: bool, taken: list[tuple[int, int]],
                        actor_alias: Mapping[str, str], unknown: _Tally, known: _Tally,
                        countries: Counter[str]) -> None:
    """Capitalised phrases after "in", "at", "near", "hit", ... that no gazetteer name resolves to."""
    for m in _LEAD.finditer(text):
        name = _trim_name(m.group("name"), vocab, actor_alias)
        if not name:
            continue
        start = m.start("name") + m.group("name").find(name)
        end = start + len(name)
        if any(a < end and start < b for a, b in taken):
            continue  # the place rules read these words already
        place = resolve_name(name, vocab)
        if place is not None:
            if place.country and place.type != "country":
                countries[place.country] += 2
            if about_attack and place.type in vocab.place_types:
                known.add(place.canonical, seen, type=place.type)
            continue
        unknown.add(name, seen, aliases=[name], how=f"after '{m.group('lead')}'")


def _trim_name(name: str, vocab: Vocabulary, actor_alias: Mapping[str, str]) -> str:
    """The place-like part of a capitalised phrase, or "" when it names no place (a day, a party, a speaker)."""
    words = _POSSESSIVE.sub("", name.strip()).split()
    for i in range(len(words) - 1, 0, -1):
        if _POSSESSIVE.search(words[i - 1]):
            words = words[i:]  # "Ukraine's Vinnytsia": the place after the owner
            break
    while words and (words[-1].lower() in _NOT_PLACE_WORDS or words[-1].lower() in _NAME_PARTICLES):
        words.pop()
    if not words or words[0].lower().rstrip(".") in _NOT_PLACE_WORDS:
        return ""
    name = " ".join(words)
    key = norm_key(name)
    titles = {t.lower().rstrip(".") for t in vocab.titles}
    if (len(name) < 3 or key in vocab.parties or key in vocab.speakers or key in vocab.actors or key in actor_alias
            or key in vocab.munitions or words[0].lower().rstrip(".") in titles or name.isdigit()):
        return ""
    if any(w.lower() in _NOT_PLACE_WORDS for w in words):
        return ""
    return name


def _speakers_in(text: str, vocab: Vocabulary, seen: Seen, speakers: _Tally, countries: Counter[str]) -> None:
    """Speakers the attribution rules found that speakers.csv does not list."""
    for f in find_frames(text, vocab):
        att = f.attribution
        if att is None or not att.speaker:
            continue
        listed = lookup_speaker(att.speaker, vocab)
        if listed is not None:
            if listed.side:
                countries[listed.side] += 1
            continue
        if att.surface and lookup_speaker(att.surface, vocab) is not None:
            continue
        words = att.speaker.replace("’", "'").split()
        if not words or words[-1].lower() in _ANONYMOUS_HEADS:
            continue  # anonymous officials and sources: the rules read them without a row
        surface = att.surface or att.speaker
        titled = surface.strip() != att.speaker.strip()
        org = any(_POSSESSIVE.sub("", w.lower()) in _ORG_HEADS for w in words)
        person = not org and (titled or _looks_like_name(words))
        if not (org or person):
            continue
        speakers.add(att.speaker, seen, type="person" if person else "organisation",
                     organisation=att.organisation or "", side=att.side or "", surface=surface)


def _looks_like_name(words: list[str]) -> bool:
    """Two to four capitalised words (name particles allowed): "Kyrylo Tymoshenko", "Ahmed al-Rashid"."""
    return 2 <= len(words) <= 4 and all(w[:1].isupper() or w.lower().split("-")[0] in _NAME_PARTICLES for w in words)


def _munition_words(text: str, vocab: Vocabulary, seen: Seen, actor_alias: Mapping[str, str],
                    found: _Tally) -> None:
    """Names written before a munition noun that the vocabulary lacks ("Kalibr cruise missiles")."""
    for m in vocab.re["munition"].finditer(text):
        before = _WORD_BEFORE_MUNITION.search(text, max(0, m.start() - 60), m.start())
        if before is None:
            continue
        word = before.group("word")
        low = word.lower()
        parts = [norm_key(p) for p in low.split("-")]
        if (low in _NUMBER_WORDS or low in _NOT_PLACE_WORDS or norm_key(low) in vocab.munitions
                or any(p in vocab.parties or p in vocab.actors or p in actor_alias for p in parts)
                or norm_key(low) in vocab.places or norm_key(low) in vocab.speakers
                or low.rstrip(".") in {t.lower().rstrip(".") for t in vocab.titles} or low.isdigit()):
            continue
        found.add(low, seen, munition=vocab.munitions[norm_key(m.group())])


def _place_proposal(name: str, tally: _Tally, vocab: Vocabulary, country: str) -> PlaceProposal:
    extra = tally.extra[name]
    aliases = tuple(dict.fromkeys([name, *(a for a in extra.get("aliases", []) if a)]))
    last = name.split()[-1].lower()
    kind = "base" if extra.get("how") == "by pattern" else _TYPE_BY_LAST_WORD.get(last, "city")
    return PlaceProposal(name=name, aliases=aliases, type=kind, country=country, how=extra.get("how", ""),
                         count=tally.count[name], seen=tally.seen[name], nearest=nearest_places(name, vocab))


def nearest_places(name: str, vocab: Vocabulary, limit: int = 3) -> tuple[tuple[str, float], ...]:
    """The gazetteer's canonical names nearest to `name` (rapidfuzz ratio on transliteration-aware keys)."""
    keys: dict[str, str] = {}
    for alias, place in vocab.places.items():
        keys.setdefault(normalise_name(alias) or alias, place.canonical)
    target = normalise_name(name) or name.lower()
    out: dict[str, float] = {}
    for key, score, _ in process.extract(target, list(keys), scorer=fuzz.ratio, limit=limit * 4):
        canonical = keys[key]
        if canonical not in out:
            out[canonical] = round(float(score), 1)
        if len(out) == limit:
            break
    return tuple(out.items())


def _speaker_proposal(name: str, tally: _Tally) -> SpeakerProposal:
    extra = tally.extra[name]
    aliases = [name]
    words = name.split()
    if extra["type"] == "person" and len(words) >= 2 and words[-1].lower() not in _NAME_PARTICLES:
        aliases.append(words[-1])  # "Borzov said": the surname, as speakers.csv lists it for people
    return SpeakerProposal(name=name, aliases=tuple(aliases), organisation=extra.get("organisation", ""),
                           side=extra.get("side", ""), type=extra["type"], surface=extra.get("surface", name),
                           count=tally.count[name], seen=tally.seen[name])


def _main_country(countries: Counter[str], vocab: Vocabulary) -> str:
    """The country the reports' known places (twice) and listed speakers belong to most often, the attacker's
    aside ("" when none): the guess for a proposed place's country."""
    names = {p.country for p in vocab.places.values() if p.country}
    for country, _ in countries.most_common():
        if country in names:
            return country
    return ""
