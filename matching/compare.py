"""Compare two claimed values as intervals, by ordered levels, and name what the level means.

One job: the comparison. Levels, from closest to farthest (splink-style: the level reached is kept so every
decision explains itself):

    null      neither claim carries a value (a target, a responsibility): same slot is agreement
    exact     the same interval
    within    one interval inside the other ("more than a dozen" [13, open] and 16)
    overlap   the intervals share values, neither contains the other
    disjoint  no value satisfies both (16 and 22)

What a level means depends on who spoke when: `relation()` turns it into agree / refine / update / conflict.
Event times are compared the same way, as intervals of minutes, widened by `TIME_TOLERANCE_MIN` when given to
the minute ("about 1:30 a.m." and "1:45 a.m." are one event time, not a dispute).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from core.records import Claim
from matching.records import Value

LEVELS = ("null", "exact", "within", "overlap", "disjoint")
TIME_TOLERANCE_MIN = 15.0

INF = math.inf
Span = tuple[float, float]  # internal form: high = inf when open


def level_index(level: str) -> int:
    return LEVELS.index(level)


def _minutes(iso: str) -> float | None:
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp() / 60.0


def claim_span(claim: Claim) -> Span | None:
    """The claim's value as a closed interval (high = inf when open above); None when it has no value."""
    if claim.value is not None:
        hi = INF if claim.value.high is None else float(claim.value.high)
        return (float(claim.value.low), hi)
    if claim.when is not None:
        lo, hi = _minutes(claim.when.start), _minutes(claim.when.end)
        if lo is None or hi is None:
            return None
        if claim.when.precision == "minute":
            lo, hi = lo - TIME_TOLERANCE_MIN, hi + TIME_TOLERANCE_MIN
        return (lo, max(lo, hi))
    return None


def to_value(span: Span | None) -> Value | None:
    if span is None:
        return None
    return (span[0], None if span[1] == INF else span[1])


def compare(a: Span | None, b: Span | None) -> str:
    """The level two values reach (see LEVELS)."""
    if a is None or b is None:
        return "null"
    if a == b:
        return "exact"
    if a[1] < b[0] or b[1] < a[0]:
        return "disjoint"
    if (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1]):
        return "within"
    return "overlap"


def narrower(a: Span | None, b: Span | None) -> bool:
    """True when a lies strictly inside b: a says more than b."""
    if a is None or b is None or a == b:
        return False
    return b[0] <= a[0] and a[1] <= b[1]


def relation(level: str, same_group: bool) -> str:
    """agree (null, exact, overlap), refine (within), and for disjoint values: update when one group's own
    figure moved over time, conflict when different groups disagree."""
    if level == "within":
        return "refine"
    if level == "disjoint":
        return "update" if same_group else "conflict"
    return "agree"


def intersect(spans: list[Span]) -> Span | None:
    lo = max(s[0] for s in spans)
    hi = min(s[1] for s in spans)
    return (lo, hi) if lo <= hi else None


def hull(spans: list[Span]) -> Span:
    return (min(s[0] for s in spans), max(s[1] for s in spans))


def format_value(value: Value | Span | None, kind: str | None = None) -> str:
    """16, 13+, 180-220, or a time for event_time values."""
    if value is None:
        return "-"
    lo, hi = value
    if kind == "event_time":
        def t(m: float) -> str:
            return datetime.fromtimestamp(m * 60, UTC).strftime("%Y-%m-%d %H:%M UTC")
        return t(lo) if hi is None or hi == lo else f"{t(lo)} to {t(hi)}"

    def n(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else f"{x:g}"
    if hi is None or hi == INF:
        return f"{n(lo)}+"
    return n(lo) if lo == hi else f"{n(lo)}-{n(hi)}"
