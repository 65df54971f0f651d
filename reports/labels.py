"""Words for the reports: how a fact, a value, a date and a group read to a fact-checker.

Pure functions over plain values, shared by the HTML, Markdown and CSV writers and the review page, so
every output says "Missiles launched at Al Asad", "180–220" and "8 Jan 2020, 06:10 UTC" the same way.
Values are intervals `(low, high)` with `high` None = open above; for `event_time` they are minutes since
1970-01-01 UTC (docs/warehouse-matching.md).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

Value = tuple[float, float | None]

EPOCH = datetime(1970, 1, 1)
TIME_KIND = "event_time"
# Kinds whose facts carry no number (a place attacked, who is responsible).
NAMED_KINDS = frozenset({"target", "responsibility"})

KIND_ORDER = ("munitions_launched", "munitions_hit", "munitions_intercepted", "munitions_failed", "killed",
              "injured", "targets_count", "target", "event_time", "responsibility")
KIND_LABELS = {
    "munitions_launched": "Munitions launched",
    "munitions_hit": "Munitions that hit",
    "munitions_intercepted": "Munitions intercepted",
    "munitions_failed": "Munitions that failed",
    "killed": "Killed",
    "injured": "Injured",
    "targets_count": "Number of targets",
    "target": "Target",
    "event_time": "Time of the attack",
    "responsibility": "Responsibility",
}
VERDICT_ORDER = ("conflict", "updated", "unverified", "refine", "agree")
VERDICT_LABELS = {
    "conflict": "Conflict",
    "updated": "Figure moved",
    "unverified": "Single source",
    "refine": "Consistent",
    "agree": "Agreed",
}
VERDICT_HELP = {
    "conflict": "sides' current figures have no value in common",
    "updated": "a side's own figure moved over time",
    "unverified": "only one independent voice gives it",
    "refine": "consistent, stated at different precision",
    "agree": "every voice gives a compatible figure",
}
SCOPE_LABELS = {"cross_side": "two sides disagree", "neutral": "an outlet's own figure disagrees",
                "same_side": "one side's own figures"}
PLURAL = {"missile": "missiles", "rocket": "rockets", "drone": "drones", "mortar": "mortars"}
PARTY_LABELS = {"US": "US", "Iraqi": "Iraqi", "Iranian": "Iranian", "coalition": "coalition",
                "civilian": "civilian", "Kurdish": "Kurdish"}


def kind_label(kind: str) -> str:
    """'munitions_launched' -> 'Munitions launched'; unknown kinds read as their words."""
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def fact_label(kind: str, subject: str | None, party: str | None, munition: str | None) -> str:
    """A fact's slot in words: 'Missiles launched at Al Asad', 'Killed: US', 'Target: Erbil'."""
    if kind.startswith("munitions_"):
        what = PLURAL.get(munition or "", munition + "s" if munition else "munitions").capitalize()
        verb = {"munitions_launched": "launched", "munitions_hit": "that hit", "munitions_intercepted": "intercepted",
                "munitions_failed": "that failed"}.get(kind, kind.removeprefix("munitions_"))
        if subject:
            prep = {"munitions_launched": " at", "munitions_failed": " at", "munitions_intercepted": " over"}
            return f"{what} {verb}{prep.get(kind, '')} {subject}"
        return f"{what} {verb} (in total)"
    if kind in ("killed", "injured"):
        who = PARTY_LABELS.get(party or "", party) if party else "party not stated"
        return f"{kind_label(kind)}: {who}" + (f" at {subject}" if subject else "")
    if kind in NAMED_KINDS:
        return f"{kind_label(kind)}: {subject}" if subject else kind_label(kind)
    return kind_label(kind) + (f" ({subject})" if subject else "")


def number(x: float) -> str:
    """13.0 -> '13', 2.5 -> '2.5', 1200.0 -> '1,200'."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def minutes_to_datetime(minutes: float) -> datetime:
    """Minutes since 1970-01-01 UTC (event_time values) as a naive UTC datetime."""
    return EPOCH + timedelta(minutes=minutes)


@lru_cache(maxsize=1 << 16)
def format_value(value: Value | None, kind: str | None = None) -> str:
    """An interval in words: '13', '13+', '180–220'; event times as UTC times; '—' for no value."""
    if value is None or value[0] is None:
        return "—"
    low, high = value
    if kind == TIME_KIND:
        return format_time_range(low, high)
    if high is None:
        return f"{number(low)}+"
    if low == high:
        return number(low)
    return f"{number(low)}–{number(high)}"


def day(t: datetime, rest: str = "") -> str:
    """'8 Jan' plus `rest` (a strftime format: ' %Y, %H:%M'), without the platform-specific '%-d'."""
    return f"{t.day} {t:%b}" + (f"{t:{rest}}" if rest else "")


def format_time_range(low: float, high: float | None) -> str:
    """An event-time interval: '7 Jan 2020, 22:30–23:00 UTC' or across days '7 Jan 17:00 – 8 Jan 10:59 UTC'."""
    start = minutes_to_datetime(low)
    if high is None:
        return f"after {day(start, ' %Y, %H:%M')} UTC"
    end = minutes_to_datetime(high)
    if end == start:
        return f"{day(start, ' %Y, %H:%M')} UTC"
    if end.date() == start.date():
        return f"{day(start, ' %Y, %H:%M')}–{end:%H:%M} UTC"
    return f"{day(start, ' %H:%M')} – {day(end, ' %Y, %H:%M')} UTC"


def parse_when(text: str | None) -> datetime | None:
    """An ISO date or datetime string as naive UTC (a date alone is midnight); None when it does not parse."""
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


@lru_cache(maxsize=1 << 16)
def format_published(text: str | datetime | None) -> str:
    """'2020-01-08T06:10:00+00:00' -> '8 Jan 2020, 06:10 UTC'; a date alone ('2020-01-08') -> '8 Jan 2020'."""
    if text is None:
        return "date unknown"
    when = text if isinstance(text, datetime) else parse_when(text)
    if when is None:
        return str(text)
    if isinstance(text, str) and "T" not in text and " " not in text.strip():
        return day(when, " %Y")
    return f"{day(when, ' %Y, %H:%M')} UTC"


@lru_cache(maxsize=1 << 16)
def group_label(group: str | None) -> str:
    """'media:ABC News' -> 'ABC News (own figure)'; a side stays as it is."""
    if not group:
        return "neutral"
    if group.startswith("media:"):
        return f"{group.removeprefix('media:')} (own figure)"
    return group


@lru_cache(maxsize=1 << 16)
def speaker_label(speaker: str | None, outlet: str | None) -> str:
    """Who gave a value: the canonical speaker, or the outlet itself when the article attributes it to no one."""
    if speaker:
        return speaker
    return f"{outlet} (unattributed)" if outlet else "the outlet (unattributed)"


# Colour families per side: the side's base colour (lines, badges) and shades for its speakers (chart marks).
SIDE_COLOURS: dict[str, tuple[str, ...]] = {
    "US": ("#1f5fa8", "#4a8bd6", "#0d3b73", "#7fb0e8", "#2c7bb6", "#16508f"),
    "Iran": ("#2e7d32", "#5fae4f", "#1b5e20", "#8bc34a", "#3f9142", "#0f4d16"),
    "Iraq": ("#c0661a", "#e8913a", "#8a4510", "#f0b06a", "#d47a22", "#a85a12"),
    "coalition": ("#6a3d9a", "#9467bd", "#4b2a70", "#b598d6"),
}
NEUTRAL_COLOURS = ("#616161", "#8d6e63", "#455a64", "#9e9e9e", "#795548", "#607d8b")


def side_colour(side: str | None, index: int = 0) -> str:
    """The colour for a side (index 0) or the index-th shade of its family; neutral voices are greys."""
    family = SIDE_COLOURS.get(side or "", NEUTRAL_COLOURS)
    return family[index % len(family)]


def side_class(side: str | None) -> str:
    """A CSS class token for a side: 'side-us', 'side-iran', 'side-iraq', 'side-coalition', 'side-neutral'."""
    return f"side-{side.lower()}" if side in SIDE_COLOURS else "side-neutral"
