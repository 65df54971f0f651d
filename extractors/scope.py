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
_MONTHS_RX = re.compile(
    rf"\b(?:(?P<mon1>{_MONTH_NAMES})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>(?:19|20)\d\d))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{_MONTH_NAMES})\.?(?:,?\s+(?P<y2>(?:19|20)\d\d))?"
    rf"|(?P<mon3>{_MONTH_NAMES})\.?(?:\s+of)?\s+(?P<y3>(?:19|20)\d\d)"
    rf"|(?P<inmon>in|last|early|late|mid-?|since|during|this\s+past|until)\s+(?P<mon4>{_MONTH_NAMES})\b(?!\.?\s+\d))\b",
    re.IGNORECASE,
)
_YEAR_RX = re.compile(r"\b(?P<y4>(?:19|20)\d\d)\b(?!\s*[-–]\s*\d)")
_LAST_RX = re.compile(
    r"\b(?P<last>last|past|previous|earlier\s+this)\s+(?P<lunit>week|month|year|weekend|spring|summer|autumn|fall|"
    r"winter)\b", re.IGNORECASE)
_AGO_RX = re.compile(
    r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|few|some)\s+"
    r"(?P<unit>day|week|month|year)s?\s+(?P<dir>ago|earlier|before|prior|later|afterwards?)\b", re.IGNORECASE)
_WEEKDAY_RX = re.compile(
    r"\b(?:(?P<wdlast>last|on|this\s+past)\s+(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?P<wdposs>monday|tuesday|wednesday|thursday|friday|saturday|sunday)['’]s)\b", re.IGNORECASE)
_GROUPS = ("mon1", "d1", "y1", "d2", "mon2", "y2", "mon3", "y3", "inmon", "mon4", "y4", "last", "lunit", "n", "unit",
           "dir", "wdlast", "wd", "wdposs")
# A sentence without one of these words (lower case) or a digit has no expression above.
CUE_WORDS = _MONTH_WORDS | _LAST_WORDS | _DIRECTION_WORDS | _WEEKDAY_WORDS


def _matches(sentence: str, words: frozenset[str] | None) -> list[re.Match[str]]:
    """Matches of every family the sentence's words allow, left to right, without overlaps (a year inside a date
    belongs to the date)."""
    families = []
    if words is None or not words.isdisjoint(_MONTH_WORDS):
        families.append(_MONTHS_RX)
    if _YEAR_CUE.search(sentence):
        families.append(_YEAR_RX)
    if words is None or not words.isdisjoint(_LAST_WORDS):
        families.append(_LAST_RX)
    if words is None or not words.isdisjoint(_DIRECTION_WORDS):
        families.append(_AGO_RX)
    if words is None or not words.isdisjoint(_WEEKDAY_WORDS):
        families.append(_WEEKDAY_RX)
    found = sorted((m for rx in families for m in rx.finditer(sentence)), key=lambda m: (m.start(), -m.end()))
    out: list[re.Match[str]] = []
    for m in found:
        if out and m.start() < out[-1].end():
            continue
        out.append(m)
    return out


@dataclass(frozen=True, slots=True)
class TimeMark:
    """A time expression in a sentence and the days it can mean (inclusive)."""

    start: int
    end: int
    lo: date
    hi: date
    text: str


def _month_index(name: str) -> int:
    return MONTHS[name[:3].lower()]


def _month_span(year: int, month: int) -> tuple[date, date]:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), nxt - timedelta(days=1)


def _recent_month(pub: date, month: int) -> int:
    """The year of the last `month` up to the publication date."""
    return pub.year if month <= pub.month else pub.year - 1


def time_marks(sentence: str, pub: date, event: date, words: frozenset[str] | None = None) -> list[TimeMark]:
    """The time expressions of a sentence, each resolved to the days it can mean, against the publication date
    (`pub`: the event date when the article has none); `words`: the sentence's lower-case words if known."""
    out: list[TimeMark] = []
    for m in _matches(sentence, words):
        d = m.groupdict()
        g = {k: d.get(k) for k in _GROUPS}
        span: tuple[date, date] | None = None
        try:
            if g["mon1"] or g["mon2"]:
                month, day = _month_index(g["mon1"] or g["mon2"]), int(g["d1"] or g["d2"])
                year_s = g["y1"] or g["y2"]
                year = int(year_s) if year_s else _recent_month(pub, month)
                if not year_s and date(year, month, day) > pub + timedelta(days=60):
                    year -= 1  # "on Dec. 27" in a January report is last December; "on Jan. 10" may be ahead
                d = date(year, month, day)
                span = (d, d)
            elif g["mon3"]:
                span = _month_span(int(g["y3"]), _month_index(g["mon3"]))
            elif g["mon4"]:
                month = _month_index(g["mon4"])
                lead = g["inmon"].lower()
                if g["mon4"].lower() == "may" and lead not in ("in", "last"):
                    continue  # "may" is most often the verb
                year = _recent_month(pub, month)
                if g["inmon"].lower() == "last" and year == pub.year and month == pub.month:
                    year -= 1
                span = _month_span(year, month)
                if g["inmon"].lower() == "since":
                    span = (span[0], pub)
            elif g["y4"]:
                y = int(g["y4"])
                span = (date(y, 1, 1), date(y, 12, 31))
            elif g["last"]:
                unit = g["lunit"].lower()
                this = g["last"].lower().startswith("earlier")
                if unit in ("week", "weekend"):
                    monday = pub - timedelta(days=pub.weekday())  # the calendar week before this one
                    span = (monday, pub) if this else (monday - timedelta(days=7), monday - timedelta(days=1))
                elif unit == "month":
                    first = date(pub.year, pub.month, 1)
                    span = (first, pub) if this else _month_span((first - timedelta(days=1)).year,
                                                                (first - timedelta(days=1)).month)
                elif unit == "year":
                    span = ((date(pub.year, 1, 1), pub) if this
                            else (date(pub.year - 1, 1, 1), date(pub.year - 1, 12, 31)))
                else:  # a season: the last one before publication, roughly
                    span = (pub - timedelta(days=365), pub - timedelta(days=60))
            elif g["unit"]:
                n = _COUNT.get(" ".join(g["n"].lower().split())) if not g["n"].isdigit() else int(g["n"])
                if n is None:
                    continue
                days = n * _UNIT_DAYS[g["unit"].lower()]
                slack = days // 4 if days >= 7 else 0
                direction = g["dir"].lower()
                if direction == "ago":
                    span = (pub - timedelta(days=days + slack), pub - timedelta(days=max(0, days - slack)))
                elif direction.startswith(("later", "after")):
                    span = (event + timedelta(days=max(0, days - slack)), event + timedelta(days=days + slack))
                else:  # earlier / before / prior: before the event the report is about
                    span = (event - timedelta(days=days + slack), event - timedelta(days=max(0, days - slack)))
            elif g["wd"] or g["wdposs"]:
                wd = WEEKDAYS.index((g["wd"] or g["wdposs"]).lower())
                d = pub - timedelta(days=(pub.weekday() - wd) % 7)
                if (g["wdlast"] or "").lower() == "last" and d == pub:
                    d -= timedelta(days=7)
                span = (d, d)
        except ValueError:
            continue
        if span is not None:
            out.append(TimeMark(m.start(), m.end(), span[0], span[1], m.group()))
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
