"""Which event a clause speaks of, from its time expressions: "in the 2019 bombing", "last week's drone strike",
"on Friday", "in December", "two days earlier" resolved against the publication date put a clause before the
story's event, so the figures in it are background, not claims about the story.

Only time is read here; the caller decides what a clause is. A time that falls after the event marks another
event only when it dates an attack somewhere the story does not name (the caller checks that), since reports of
the event itself are full of later dates: when a figure was given, revised or confirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from extractors.times import MONTHS, WEEKDAYS

_MONTH_NAMES = (r"jan(?:uary)?|feb(?:ruary)?|march|mar|april|apr|may|june|jun|july|jul|aug(?:ust)?|sept?(?:ember)?|"
                r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_COUNT = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "several": 3, "a few": 2, "few": 2, "some": 2}

# Each family of time expression is one pattern, tried only when the sentence has a word it needs; groups say how
# to resolve a match.
_MONTH_WORDS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                          "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                          "sept", "oct", "nov", "dec"})
_LAST_WORDS = frozenset({"last", "past", "previous", "earlier"})
_DIRECTION_WORDS = frozenset({"ago", "earlier", "before", "prior", "later", "afterward", "afterwards"})
_WEEKDAY_WORDS = frozenset(WEEKDAYS)
_YEAR_RX = re.compile(r"\b(?P<y4>(?:19|20)\d\d)\b(?!\s*[-–]\s*\d)")
_LAST_RX = re.compile(
    r"\b(?P<last>last|past|previous|earlier\s+this)\s+(?P<lunit>week|month|year|weekend|spring|summer|autumn|fall|"
    r"winter)\b", re.IGNORECASE)
# A sentence without one of these words (lower case) or a digit has no expression above.
CUE_WORDS = _MONTH_WORDS | _LAST_WORDS | _DIRECTION_WORDS | _WEEKDAY_WORDS


# Anchors: each family is found from a short literal word (a month, a weekday, a unit of time) and read around it,
# which costs a fraction of trying a long alternation at every character.
_DAY_AFTER_MONTH = re.compile(r"\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>(?:19|20)\d\d)\b)?")
_YEAR_AFTER_MONTH = re.compile(r"\.?(?:\s+of)?\s+(?P<y3>(?:19|20)\d\d)\b")
_DAY_BEFORE_MONTH = re.compile(r"(?<![\d,])(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?$")
_YEAR_AFTER_DATE = re.compile(r"\.?,?\s+(?P<y2>(?:19|20)\d\d)\b")
_LEAD_BEFORE_MONTH = re.compile(r"\b(?P<inmon>in|last|early|late|mid-?|since|during|this\s+past|until)\s*$",
                                re.IGNORECASE)
_LEAD_BEFORE_WEEKDAY = re.compile(r"\b(?P<wdlast>last|on|this\s+past)\s+$", re.IGNORECASE)
_UNIT_BEFORE = re.compile(r"\b(?P<unit>day|week|month|year)s?\s+$", re.IGNORECASE)
_WORDS = re.compile(r"\w+")
_COUNT_BEFORE_UNIT = re.compile(
    r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|few|some)\s+$",
    re.IGNORECASE)


def _word_spans(low: str, found: frozenset[str] | set[str]) -> list[tuple[int, int]]:
    """Where each of these lower-case words occurs as a whole word in `low` (str.find, no pattern)."""
    spans = []
    for w in found:
        i = low.find(w)
        while i >= 0:
            j = i + len(w)
            if (i == 0 or not low[i - 1].isalnum()) and (j == len(low) or not low[j].isalnum()):
                spans.append((i, j))
            i = low.find(w, j)
    return sorted(spans)


def expressions(sentence: str, words: frozenset[str] | None = None) -> list[tuple[int, int, dict[str, str | None]]]:
    """(start, end, groups) of the sentence's time expressions, unresolved: what each says as written."""
    return _matches(sentence, words)


def _matches(sentence: str, words: frozenset[str] | None) -> list[tuple[int, int, dict[str, str | None]]]:
    """(start, end, groups) of the time expressions of every family the sentence's words allow, left to right,
    without overlaps (a year inside a date belongs to the date)."""
    found: list[tuple[int, int, dict[str, str | None]]] = []
    low = sentence.lower()
    if words is None:
        words = frozenset(_WORDS.findall(low))
    months = words & _MONTH_WORDS
    for a, b in _word_spans(low, months) if months else ():
        mon = sentence[a:b]
        if (d := _DAY_AFTER_MONTH.match(sentence, b)) is not None:
            found.append((a, d.end(), {"mon1": mon, "d1": d.group("d1"), "y1": d.group("y1")}))
        elif (d := _DAY_BEFORE_MONTH.search(sentence, max(0, a - 12), a)) is not None:
            y = _YEAR_AFTER_DATE.match(sentence, b)
            found.append((d.start(), y.end() if y else b, {"d2": d.group("d2"), "mon2": mon,
                                                           "y2": y.group("y2") if y else None}))
        elif (y := _YEAR_AFTER_MONTH.match(sentence, b)) is not None:
            found.append((a, y.end(), {"mon3": mon, "y3": y.group("y3")}))
        elif (lead := _LEAD_BEFORE_MONTH.search(sentence, max(0, a - 12), a)) is not None and not \
                _DIGIT_AFTER.match(sentence, b):
            found.append((lead.start(), b, {"inmon": lead.group("inmon"), "mon4": mon}))
    if ("19" in sentence or "20" in sentence) and _YEAR_CUE.search(sentence):
        found += [(m.start(), m.end(), {"y4": m.group("y4")}) for m in _YEAR_RX.finditer(sentence)]
    if not words.isdisjoint(_LAST_WORDS):
        found += [(m.start(), m.end(), {"last": m.group("last"), "lunit": m.group("lunit")})
                  for m in _LAST_RX.finditer(sentence)]
    directions = words & _DIRECTION_WORDS
    for a, b in _word_spans(low, directions) if directions else ():
        unit = _UNIT_BEFORE.search(sentence, max(0, a - 30), a)
        n = _COUNT_BEFORE_UNIT.search(sentence, max(0, unit.start() - 12), unit.start()) if unit else None
        if n is not None:
            found.append((n.start(), b, {"n": n.group("n"), "unit": unit.group("unit"), "dir": sentence[a:b]}))
    days = words & _WEEKDAY_WORDS
    for a, b in _word_spans(low, days) if days else ():
        if sentence[b : b + 2] in ("'s", "’s"):
            found.append((a, b + 2, {"wdposs": sentence[a:b]}))
        elif (lead := _LEAD_BEFORE_WEEKDAY.search(sentence, max(0, a - 12), a)) is not None:
            found.append((lead.start(), b, {"wdlast": lead.group("wdlast"), "wd": sentence[a:b]}))
    found.sort(key=lambda f: (f[0], -f[1]))
    out: list[tuple[int, int, dict[str, str | None]]] = []
    for f in found:
        if out and f[0] < out[-1][1]:
            continue
        out.append(f)
    return out


@dataclass(frozen=True, slots=True)
class TimeMark:
    """A time expression in a sentence and the days it can mean (inclusive)."""

    start: int
    end: int
    lo: date
    hi: date
    text: str


def month_index(name: str) -> int:
    return MONTHS[name[:3].lower()]


def month_span(year: int, month: int) -> tuple[date, date]:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), nxt - timedelta(days=1)


def _recent_month(pub: date, month: int) -> int:
    """The year of the last `month` up to the publication date."""
    return pub.year if month <= pub.month else pub.year - 1


def time_marks(sentence: str, pub: date, event: date, words: frozenset[str] | None = None, *,
               matches: list[tuple[int, int, dict[str, str | None]]] | None = None) -> list[TimeMark]:
    """The time expressions of a sentence, each resolved to the days it can mean, against the publication date
    (`pub`: the event date when the article has none); `words`: the sentence's lower-case words if known;
    `matches`: its `expressions` if already found."""
    out: list[TimeMark] = []
    for m_start, m_end, d in (_matches(sentence, words) if matches is None else matches):
        g = d
        span: tuple[date, date] | None = None
        try:
            if g.get("mon1") or g.get("mon2"):
                month, day = month_index(g.get("mon1") or g.get("mon2")), int(g.get("d1") or g.get("d2"))
                year_s = g.get("y1") or g.get("y2")
                year = int(year_s) if year_s else _recent_month(pub, month)
                if not year_s and date(year, month, day) > pub + timedelta(days=60):
                    year -= 1  # "on Dec. 27" in a January report is last December; "on Jan. 10" may be ahead
                d = date(year, month, day)
                span = (d, d)
            elif g.get("mon3"):
                span = month_span(int(g.get("y3")), month_index(g.get("mon3")))
            elif g.get("mon4"):
                month = month_index(g.get("mon4"))
                lead = g.get("inmon").lower()
                if g.get("mon4").lower() == "may" and lead not in ("in", "last"):
                    continue  # "may" is most often the verb
                year = _recent_month(pub, month)
                if g.get("inmon").lower() == "last" and year == pub.year and month == pub.month:
                    year -= 1
                span = month_span(year, month)
                if g.get("inmon").lower() == "since":
                    span = (span[0], pub)
            elif g.get("y4"):
                y = int(g.get("y4"))
                span = (date(y, 1, 1), date(y, 12, 31))
            elif g.get("last"):
                unit = g.get("lunit").lower()
                this = g.get("last").lower().startswith("earlier")
                if unit in ("week", "weekend"):
                    monday = pub - timedelta(days=pub.weekday())  # the calendar week before this one
                    span = (monday, pub) if this else (monday - timedelta(days=7), monday - timedelta(days=1))
                elif unit == "month":
                    first = date(pub.year, pub.month, 1)
                    span = (first, pub) if this else month_span((first - timedelta(days=1)).year,
                                                                (first - timedelta(days=1)).month)
                elif unit == "year":
                    span = ((date(pub.year, 1, 1), pub) if this
                            else (date(pub.year - 1, 1, 1), date(pub.year - 1, 12, 31)))
                else:  # a season: the last one before publication, roughly
                    span = (pub - timedelta(days=365), pub - timedelta(days=60))
            elif g.get("unit"):
                n = _COUNT.get(" ".join(g.get("n").lower().split())) if not g.get("n").isdigit() else int(g.get("n"))
                if n is None:
                    continue
                days = n * _UNIT_DAYS[g.get("unit").lower()]
                slack = days // 4 if days >= 7 else 0
                direction = g.get("dir").lower()
                if direction == "ago":
                    span = (pub - timedelta(days=days + slack), pub - timedelta(days=max(0, days - slack)))
                elif direction.startswith(("later", "after")):
                    span = (event + timedelta(days=max(0, days - slack)), event + timedelta(days=days + slack))
                else:  # earlier / before / prior: before the event the report is about
                    span = (event - timedelta(days=days + slack), event - timedelta(days=max(0, days - slack)))
            elif g.get("wd") or g.get("wdposs"):
                wd = WEEKDAYS.index((g.get("wd") or g.get("wdposs")).lower())
                d = pub - timedelta(days=(pub.weekday() - wd) % 7)
                if (g.get("wdlast") or "").lower() == "last" and d == pub:
                    d -= timedelta(days=7)
                span = (d, d)
        except ValueError:
            continue
        if span is not None:
            out.append(TimeMark(m_start, m_end, span[0], span[1], sentence[m_start:m_end]))
    return out


def before_event(mark: TimeMark, event: date) -> bool:
    """The mark cannot mean the event's day or the day either side of it, and lies before them."""
    return mark.hi < event - timedelta(days=1)


def after_event(mark: TimeMark, event: date) -> bool:
    return mark.lo > event + timedelta(days=1)


def may_have_marks(words: frozenset[str], text: str) -> bool:
    """Whether a sentence (lower-case words `words`) can hold a time mark: a cue word, or a year-like number."""
    return not words.isdisjoint(CUE_WORDS) or (("19" in text or "20" in text) and _YEAR_CUE.search(text) is not None)


_YEAR_CUE = re.compile(r"\b(?:19|20)\d\d\b")
_DIGIT_AFTER = re.compile(r"\.?\s+\d")
