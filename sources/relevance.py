"""Is a fetched report about the story? One job: a pure decision, Keep or Drop(reason), with a score.

`judge(article, terms)` checks ordered levels and stops at the first that fails, so every decision says
why it was taken:

1. date: noted, never decisive here. A date outside the story window (`window_days` around `event_date`, in
   the story's time zone) or an unknown date is written into the reason; whether the report tells of the story
   or of another attack is decided from its text, the date being one piece of evidence (extractors/events.py);
2. topic: the report mentions one of the story's places (its gazetteer aliases: "Ain al-Asad" is Al Asad)
   or one of its query terms (every word of the term, in any order: "Iran missile" matches "Iranian
   missiles" only through "Iran" + "missile", so "Iran fired missiles" matches);
3. key terms: at least one of the story's missile/strike words (`[sources] key_terms`);
4. score: at least `[sources] min_relevance`.

Score (each kind counted by distinct terms, capped): story places 2 each (up to 2), other gazetteer places
0.5 each (up to 2), actors 1 each (up to 2), query terms 1 each (up to 3), key terms 1 each (up to 3).

`StoryTerms` holds the compiled patterns for one story (`story_terms`; extractors.vocabulary's `load_story_terms`
builds it from the gazetteer and actors of the vocabulary).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

from core.config import Story, story_sources
from core.records import Article
from sources.html import parse_date

__all__ = [
    "Drop",
    "Keep",
    "Mentions",
    "StoryTerms",
    "judge",
    "story_terms",
    "story_window",
    "window_problem",
]

# weight per distinct term, and how many distinct terms count, per kind of mention
WEIGHTS: dict[str, tuple[float, int]] = {
    "places": (2.0, 2),
    "other_places": (0.5, 2),
    "actors": (1.0, 2),
    "query_terms": (1.0, 3),
    "key_terms": (1.0, 3),
}
# endings a key or query word may carry: "missile" also matches "missiles", "attack" "attacked"
_SUFFIX = r"(?:s|es|d|ed|ing)?"
_MIN_QUERY_WORD = 3  # shorter words of a query term ("al") are not required


@dataclass(frozen=True, slots=True)
class Mentions:
    """The story's terms a report mentions, as canonical names, each kind sorted."""

    places: tuple[str, ...] = ()
    other_places: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    query_terms: tuple[str, ...] = ()
    key_terms: tuple[str, ...] = ()

    def score(self) -> float:
        total = 0.0
        for kind, (weight, cap) in WEIGHTS.items():
            total += weight * min(len(getattr(self, kind)), cap)
        return total

    def describe(self) -> str:
        parts = [f"{kind.replace('_', ' ')}: {', '.join(names)}"
                 for kind in WEIGHTS if (names := getattr(self, kind))]
        return "; ".join(parts) or "no story terms"


@dataclass(frozen=True, slots=True)
class Keep:
    """Keep the report. `reason` lists what it mentions; it notes an unknown date."""

    score: float
    reason: str
    mentions: Mentions
    date_known: bool = True
    decision: ClassVar[str] = "keep"


@dataclass(frozen=True, slots=True)
class Drop:
    """Drop the report, for `reason` (the first level it failed)."""

    reason: str
    score: float
    mentions: Mentions = field(default_factory=Mentions)
    decision: ClassVar[str] = "drop"


@dataclass(frozen=True, slots=True)
class StoryTerms:
    """One story's window and compiled term patterns. Build with `story_terms`."""

    story_id: str
    start: date
    end: date
    tz: str  # the story's UTC offset, "+03:00"
    places: re.Pattern[str]  # story places' aliases
    place_names: Mapping[str, str]  # alias key -> canonical place (every gazetteer place)
    story_places: frozenset[str]  # canonical names of the story's places
    other_places: re.Pattern[str]  # the other gazetteer places' aliases
    actors: re.Pattern[str]
    actor_names: Mapping[str, str]  # alias key -> canonical actor
    query_terms: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]  # (term, one pattern per word)
    key_terms: tuple[tuple[str, re.Pattern[str]], ...]
    min_score: float

# --------------------------------------------------------------------------- building


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", " ", text.strip().lower())


def _phrase(text: str) -> str:
    return r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", text.strip()) if w)


def phrases_regex(phrases: Iterable[str], *, suffix: bool = False) -> re.Pattern[str]:
    """One case-insensitive pattern for whole-word phrases, longest first; never matches when empty."""
    alts = [_phrase(p) for p in sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)]
    if not alts:
        return re.compile(r"(?!x)x")
    tail = _SUFFIX if suffix else ""
    return re.compile(rf"(?<![\w])(?:{'|'.join(alts)}){tail}(?![\w])", re.IGNORECASE)


def story_window(story: Story) -> tuple[date, date]:
    """First and last day of the story's window: event_date + window_days[0] .. + window_days[1]."""
    return story.window()


def story_terms(
    story: Story,
    places: Mapping[str, str],
    actors: Mapping[str, str],
    *,
    key_terms: Iterable[str] | None = None,
    min_score: float | None = None,
) -> StoryTerms:
    """Compile a story's terms. `places`: gazetteer alias -> canonical place; `actors`: alias -> canonical
    actor (both as in extractors.vocabulary). Key terms and the minimum score default to the story's
    [sources] key_terms and min_relevance."""
    options = story_sources(dict(story.sources), input=f"story {story.id}")
    start, end = story_window(story)
    place_names = {_key(alias): canonical for alias, canonical in places.items()}
    wanted = frozenset(story.places)
    for name in wanted:
        place_names.setdefault(_key(name), name)
    story_aliases = [a for a, c in place_names.items() if c in wanted]
    other_aliases = [a for a, c in place_names.items() if c not in wanted]
    actor_names = {_key(alias): canonical for alias, canonical in actors.items()}
    for canonical in story.actors:
        actor_names.setdefault(_key(canonical), canonical)
    query: list[tuple[str, tuple[re.Pattern[str], ...]]] = []
    for term in dict.fromkeys(story.query_terms):
        words = [w for w in re.split(r"[\s\-]+", term) if len(w) >= _MIN_QUERY_WORD] or term.split()
        if words:
            query.append((term, tuple(phrases_regex([w], suffix=True) for w in words)))
    keys = options["key_terms"] if key_terms is None else list(key_terms)
    return StoryTerms(
        story_id=story.id,
        start=start,
        end=end,
        tz=story.timezone,
        places=phrases_regex(story_aliases),
        place_names=place_names,
        story_places=wanted,
        other_places=phrases_regex(other_aliases),
        actors=phrases_regex(list(actor_names)),
        actor_names=actor_names,
        query_terms=tuple(query),
        key_terms=tuple((k, phrases_regex([k], suffix=True)) for k in dict.fromkeys(keys) if k.strip()),
        min_score=float(options["min_relevance"] if min_score is None else min_score),
    )


# --------------------------------------------------------------------------- deciding


def window_problem(published: str | None, story: Story) -> str | None:
    """Why `published` is outside the story window, or None when it is inside or unknown."""
    start, end = story_window(story)
    return _window_problem(published, start, end, story.timezone)


def _window_problem(published: str | None, start: date, end: date, tz: str) -> str | None:
    day = _local_day(published, tz)
    if day is None or start <= day <= end:
        return None
    return f"published {day.isoformat()}, outside the story window {start.isoformat()}..{end.isoformat()}"


def mentions(text: str, terms: StoryTerms) -> Mentions:
    """Which of the story's terms `text` mentions."""

    def names(pattern: re.Pattern[str], lookup: Mapping[str, str]) -> tuple[str, ...]:
        found = {lookup.get(_key(m.group(0)), m.group(0)) for m in pattern.finditer(text)}
        return tuple(sorted(found))

    places = names(terms.places, terms.place_names)
    others = tuple(p for p in names(terms.other_places, terms.place_names) if p not in terms.story_places)
    query = tuple(term for term, words in terms.query_terms if all(w.search(text) for w in words))
    keys = tuple(term for term, pattern in terms.key_terms if pattern.search(text))
    return Mentions(places=places, other_places=others, actors=names(terms.actors, terms.actor_names),
                    query_terms=query, key_terms=keys)


def judge(article: Article, terms: StoryTerms) -> Keep | Drop:
    """Keep or drop one report, by the ordered levels in the module docstring. Pure."""
    text = "\n".join(part for part in (article.title, article.text) if part)
    found = mentions(text, terms)
    score = found.score()
    # a date outside the window does not drop a report here: pages carry crawl and update dates, and whether a
    # report tells of the story or of another attack on its places is read from its text (extractors/events.py,
    # where the publication date is one piece of evidence); the reason notes it
    outside = _window_problem(article.published, terms.start, terms.end, terms.tz)
    if not found.places and not found.query_terms:
        named = ", ".join(sorted(terms.story_places)) or "none"
        return Drop(reason=f"off topic: mentions none of the story's places ({named}) or query terms",
                    score=score, mentions=found)
    if not found.key_terms:
        keys = ", ".join(term for term, _ in terms.key_terms[:6])
        return Drop(reason=f"no missile/strike terms ({keys}, ...): {found.describe()}", score=score,
                    mentions=found)
    if score < terms.min_score:
        return Drop(reason=f"relevance {score:g} below {terms.min_score:g}: {found.describe()}", score=score,
                    mentions=found)
    known = _local_day(article.published, terms.tz) is not None
    reason = f"relevance {score:g}: {found.describe()}"
    if not known:
        reason += "; publication date unknown"
    elif outside is not None:
        reason += f"; {outside}: its text decides which event it tells of"
    return Keep(score=score, reason=reason, mentions=found, date_known=known)


def _local_day(published: str | None, tz: str) -> date | None:
    """The calendar day of `published` in the story's time zone (a bare date is taken as written)."""
    if not published:
        return None
    parsed = parse_date(published)
    if parsed is None:
        return None
    when, has_time = parsed
    if has_time and when.tzinfo is not None:
        offset = datetime.fromisoformat(f"2000-01-01T00:00:00{tz}").tzinfo
        when = when.astimezone(offset)
    return when.date()
