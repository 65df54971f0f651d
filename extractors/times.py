"""When the attack happened: clock times, dates, weekdays and parts of day, resolved against the
article's publication date and the story's time zone into a TimeSpan in local time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from core.records import TimeSpan

MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_NAMES = "|".join(WEEKDAYS)
# "may" is left out where a month must be followed by a day only loosely: "said may" is the verb
_MONTH_PREFIXES = "|".join(m for m in MONTHS if m != "may")
_WEEKDAY_OR_DATE = rf"(?:on\s+)?(?:(?:late|early)\s+)?(?:{_WEEKDAY_NAMES}|(?:{_MONTH_PREFIXES})[a-z]*\.?\s+\d{{1,2}})"
# "said on Wednesday": the date of a statement, not of the attack (it needs one of STATEMENT_VERBS, and a weekday
# or a word starting with one of MONTH_PREFIXES)
STATEMENT_VERBS = frozenset({"said", "says", "told", "announced", "reported", "stated", "added", "disclosed",
                             "confirmed", "acknowledged"})
WEEKDAY_WORDS = frozenset(WEEKDAYS)
MONTH_PREFIXES = frozenset(m for m in MONTHS if m != "may")
STATEMENT_DATE = re.compile(
    rf"\b(?:said|says|told\s+\w+(?:\s+\w+)?|announced|reported|stated|added|disclosed|confirmed|acknowledged)"
    rf"(?:\s+in\s+a\s+statement)?\s+{_WEEKDAY_OR_DATE}\b",
    re.IGNORECASE,
)
# A sentence without any of these has no time expression to read
TIME_CUE = re.compile(
    rf"\d|\b(?:{_WEEKDAY_NAMES})\b|\b(?:night|overnight|morning|evening|afternoon|hours)\b|"
    rf"\b(?:{'|'.join(MONTHS)})[a-z]*\.?\s+\d",
    re.IGNORECASE,
)
# find_time finds nothing in a sentence without one of these words (lower-cased) or a clock-time cue
TIME_WORDS = frozenset([
    *WEEKDAYS, "night", "overnight", "early", "earlier",
    "jan", "january", "feb", "february", "march", "mar", "april", "apr", "may", "june", "jun", "july", "jul", "aug",
    "august", "sep", "sept", "sepember", "september", "oct", "october", "nov", "november", "dec", "december",
])
CLOCK_CUE = re.compile(r"\d\s*[ap]\.?m|\d:\d|\d{4}\s*(?:GMT|UTC|hours|hrs|local)", re.IGNORECASE)


def may_have_time(words: frozenset[str], text: str) -> bool:
    """Whether `text`, whose lower-case words are `words`, can hold a time find_time reads: a day, month or
    part-of-day word, or a clock time."""
    return not words.isdisjoint(TIME_WORDS) or CLOCK_CUE.search(text) is not None


_DATE_WORDS = TIME_WORDS - WEEKDAY_WORDS - {"night", "overnight", "early", "earlier"}
_RELATIVE_WORDS = frozenset({"night", "overnight", "early", "earlier"})
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|march|mar|april|apr|may|june|jun|july|jul|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH.replace('mon', 'mon2')})"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(
    r"\b(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?![\w])"
    r"|\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?:\s*(?:hours|hrs)\b)?"
    # military style "0714 GMT", "1930 hours": four digits only with a zone or "hours" after them
    r"|\b(?P<h4>[01]\d|2[0-3])(?P<m4>[0-5]\d)(?=\s*(?:GMT|UTC|hours|hrs|local\s+time)\b)(?:\s*(?:hours|hrs)\b)?",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"\b(?P<early>early|late)?\s*(?:on\s+)?(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"(?:\s+(?P<part>morning|afternoon|evening|night))?\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(r"\b(?P<rel>last\s+night|overnight|early\s+(?:this|today)|earlier\s+today)\b", re.IGNORECASE)
_NIGHT_SPAN = re.compile(
    rf"\b(?:overnight|(?:on\s+|during\s+)?the\s+night)\s+(?:(?:of|on)\s+\w+\s+)?(?:into|to)\s+(?P<wd>{_WEEKDAY_NAMES})\b"
    rf"|\bnight\s+of\s+(?:{_MONTH}\s+(?P<d1>\d{{1,2}})\s*(?:-|–|to|into)\s*(?P<d2>\d{{1,2}})"
    rf"|(?P<d3>\d{{1,2}})\s*(?:-|–|to|into)\s*(?P<d4>\d{{1,2}})(?:\s+of)?\s+{_MONTH.replace('mon', 'mon2')})",
    re.IGNORECASE)
_EARLY_HOURS = re.compile(r"\b(?:in\s+)?the\s+(?:early|small|first)\s+hours\s+of\s*$", re.IGNORECASE)
_TZ = re.compile(
    r"^\W{0,3}(?:\(?\s*)?(?P<tz>local(?:\s+time)?|iraq(?:i)?\s+time|baghdad\s+time|eastern(?:\s+(?:standard\s+)?time)?|"
    r"e[sd]?t|gmt|utc|washington\s+time)\b",
    re.IGNORECASE,
)
PARTS = {
    "morning": (5, 12), "afternoon": (12, 18), "evening": (18, 22), "night": (20, 30),
    "early": (0, 6), "late": (18, 24),
}


def _offset(s: str) -> timezone:
    sign = -1 if s.startswith("-") else 1
    h, m = s.lstrip("+-").split(":")
    return timezone(sign * timedelta(hours=int(h), minutes=int(m)))


def _published_date(published: str | None, fallback: str) -> date:
    for text in (published, fallback):
        if text:
            try:
                return date.fromisoformat(text[:10])
            except ValueError:
                continue
    return date.fromisoformat(fallback[:10])


def find_time(sentence: str, published: str | None, event_date: str, tz: str, writer_tzs: tuple[str, ...] = (),
              words: frozenset[str] | None = None) -> tuple[TimeSpan, int, int] | None:
    """The first time expression of the sentence as a TimeSpan, with its span; None if none.

    A day or part of day without a time zone is read in each of `writer_tzs` and the span covers all
    readings, since "late Tuesday" from Washington is early Wednesday in Iraq. `words`: the lower-cased words
    of the sentence (or of a text containing it) if the caller has them, to skip patterns that cannot match."""
    if words is not None and not may_have_time(words, sentence):
        return None
    local = _offset(tz)
    pub = _published_date(published, event_date)
    day: date | None = None
    spans: list[tuple[int, int]] = []
    part: tuple[int, int] | None = None
    night = _NIGHT_SPAN.search(sentence) if (words is None or "night" in words or "overnight" in words) else None
    if night is not None:
        # "on the night of July 7-8", "overnight into Monday": the evening before the named day to its morning
        if night.group("wd"):
            wd = WEEKDAYS.index(night.group("wd").lower())
            day = pub - timedelta(days=(pub.weekday() - wd) % 7) - timedelta(days=1)
        else:
            mon = (night.group("mon") or night.group("mon2"))[:3].lower()
            d = int(night.group("d1") or night.group("d3"))
            try:
                day = date(pub.year, MONTHS[mon], d)
            except ValueError:
                day = None
        if day is not None:
            part = PARTS["night"]
            spans.append(night.span())
    if day is None and (words is None or not words.isdisjoint(_DATE_WORDS)) and (m := _DATE.search(sentence)):
        mon = (m.group("mon") or m.group("mon2"))[:3].lower()
        d = int(m.group("d1") or m.group("d2"))
        year = int(m.group("year")) if m.group("year") else pub.year
        try:
            day = date(year, MONTHS[mon], d)
        except ValueError:
            day = None
        if day:
            spans.append(m.span())
            if _EARLY_HOURS.search(sentence[: m.start()]):
                part = PARTS["early"]
    if night is None and (words is None or not words.isdisjoint(WEEKDAY_WORDS)) and (m := _WEEKDAY.search(sentence)):
        wd = WEEKDAYS.index(m.group("wd").lower())
        if day is None:
            day = pub - timedelta(days=(pub.weekday() - wd) % 7)
        if m.group("part"):
            part = PARTS[m.group("part").lower()]
        elif m.group("early"):
            part = PARTS[m.group("early").lower()]
        elif _EARLY_HOURS.search(sentence[: m.start()]):
            part = PARTS["early"]
        spans.append(m.span())
    if night is None and (words is None or not words.isdisjoint(_RELATIVE_WORDS)) and (m := _RELATIVE.search(sentence)):
        rel = m.group("rel").lower()
        if day is None:
            day = pub - timedelta(days=1) if rel.startswith(("last", "overnight")) else pub
        part = part or ((20, 30) if rel.startswith(("last", "overnight")) else (0, 12))
        spans.append(m.span())
    clock = _CLOCK.search(sentence) if words is None or CLOCK_CUE.search(sentence) else None
    if clock is None and day is None:
        return None
    src = local
    if clock:
        tzm = _TZ.match(sentence[clock.end():])
        if tzm:
            name = tzm.group("tz").lower()
            if name == "edt":
                src = timezone(timedelta(hours=-4))
            elif name.startswith(("eastern", "est", "et", "washington")):
                src = timezone(timedelta(hours=-5))
            elif name in ("gmt", "utc"):
                src = UTC
            spans.append((clock.start(), clock.end() + tzm.end()))
        else:
            spans.append(clock.span())
        if clock.group("h24"):
            h, mi = int(clock.group("h24")), int(clock.group("m24"))
        elif clock.group("h4"):
            h, mi = int(clock.group("h4")), int(clock.group("m4"))
        else:
            h, mi = int(clock.group("h")) % 12, int(clock.group("m") or 0)
            if clock.group("ap").lower().startswith("p"):
                h += 12
        base_day = day or pub
        at = datetime(base_day.year, base_day.month, base_day.day, h, mi, tzinfo=src).astimezone(local)
        start = end = at
        precision = "minute"
    else:
        assert day is not None
        lo, hi = part or (0, 24)
        zones = [local] + [_offset(z) for z in writer_tzs]
        starts = [datetime(day.year, day.month, day.day, tzinfo=z) + timedelta(hours=lo) for z in zones]
        ends = [datetime(day.year, day.month, day.day, tzinfo=z) + timedelta(hours=hi) - timedelta(minutes=1)
                for z in zones]
        start, end = min(starts).astimezone(local), max(ends).astimezone(local)
        precision = "part_of_day" if part else "day"
    s0, e0 = min(s for s, _ in spans), max(e for _, e in spans)
    text = sentence[s0:e0]
    return TimeSpan(start.isoformat(timespec="minutes"), end.isoformat(timespec="minutes"), text, precision), s0, e0
