"""Timeline charts as inline SVG: each numeric fact's reported values over publication time, by speaker.

One job: draw. `timeline_chart(fact, marks, steps)` returns a `Chart` (the SVG as escaped Markup and the
legend entries) or None when no value is dated. It draws the fact's marks (reports/marks.py: the claims of one
speaker giving one value on one UTC day, aggregated in the warehouse), so its cost follows the marks, not the
claims. x is the publication time (UTC) of a mark's first report, y the value: an exact figure is a dot, an
interval ("six or seven", "about 200") a bar with whiskers, an open-ended one ("at least 80", "dozens") a dot
at its lower bound with an arrow up to the top of the plot. A mark of several reports is drawn larger (with the
log of how many) and its tooltip says how many reports gave it that day and names the first outlets; a mark of
one report is drawn and reads as it always did. Colours are per speaker, in the shades of the speaker's side
(US blues, Iran greens, Iraq oranges, outlets' own figures greys); each group's sequence of current figures
(`fact_timeline`) is a dashed step line ending in a label. Every text (speakers, outlets, values as written)
is escaped; every mark has a `<title>` tooltip. No external assets, no script.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from markupsafe import Markup, escape

from reports import labels
from reports.html_text import esc
from reports.marks import TimelineMark, outlet_names, spelled
from reports.model import Fact, TimelineStep

WIDTH = 980
HEIGHT = 320
MARGIN_LEFT = 64
MARGIN_RIGHT = 170  # room for the step lines' end labels
MARGIN_TOP = 22
MARGIN_BOTTOM = 34
DODGE_PX = 9.0
TICK_GAP_PX = 84.0  # least distance between x tick labels
# Use a logarithmic time axis when half the reports came out in the first LOG_IF_MEDIAN_BELOW of the span
# (news coverage is front-loaded: the first hours would otherwise be one smudge).
LOG_IF_MEDIAN_BELOW = 0.12
LABEL_MAX = 24

Scale = Callable[[float], float]  # value -> y pixel

_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)
TIME_STEPS = (_HOUR, 2 * _HOUR, 3 * _HOUR, 6 * _HOUR, 12 * _HOUR, _DAY, 2 * _DAY, 7 * _DAY, 14 * _DAY, 28 * _DAY)


@dataclass(frozen=True, slots=True)
class LegendEntry:
    label: str  # the speaker, or an outlet's own reporting
    side: str | None
    group: str
    colour: str
    reports: int  # dated claims drawn for this speaker


@dataclass(frozen=True, slots=True)
class Chart:
    svg: Markup
    legend: tuple[LegendEntry, ...]
    undated: int  # claims not drawn because their article has no publication date
    log_time: bool = False  # the time axis is logarithmic (front-loaded coverage)


class _Mark(NamedTuple):  # one per drawn value: a tuple is made faster than a frozen dataclass
    when: datetime
    value: tuple[float, float | None]
    colour: str
    tooltip: str  # already escaped for HTML
    reports: int  # how many reports it stands for
    claims: int  # how many claims


def _f(x: float) -> str:
    return f"{x:.1f}"


def nice_step(span: float, target: int = 5) -> float:
    """A 1-2-5 step giving about `target` ticks over `span`."""
    if span <= 0:
        return 1.0
    raw = span / target
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * mag:
            return float(m * mag)
    return float(10 * mag)


def time_ticks(start: datetime, end: datetime, most: int = 7) -> tuple[list[datetime], timedelta]:
    """Tick times on whole hours or midnights between start and end, at most about `most` of them."""
    span = end - start
    step = next((s for s in TIME_STEPS if span / s <= most), TIME_STEPS[-1])
    if step >= _DAY:
        first = datetime(start.year, start.month, start.day) + (_DAY if start.time() != datetime.min.time() else
                                                                timedelta(0))
    else:
        hours = int(step / _HOUR)
        first = datetime(start.year, start.month, start.day, start.hour)
        while first < start or first.hour % hours:
            first += _HOUR
    ticks = []
    t = first
    while t <= end:
        ticks.append(t)
        t += step
    return ticks, step


def _time_label(t: datetime, step: timedelta) -> str:
    return labels.day(t) if step >= _DAY else labels.day(t, " %H:%M")


def _side_of(side: str | None, group: str | None) -> str | None:
    """A value's side: its own, else the side its group stands for (a neutral voice supporting a side)."""
    if side:
        return side
    return group if group in labels.SIDE_COLOURS else None


def _short(text: str) -> str:
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def _speaker_key(m: TimelineMark) -> tuple[str, str]:
    return (m.group, m.who)


def _legend(marks: Sequence[TimelineMark]) -> tuple[dict[tuple[str, str], str], list[LegendEntry]]:
    """A colour per legend entry (speaker or outlet, in the shades of its side, in the order they first gave a
    value) and the entries with how many claims each gave."""
    colours: dict[tuple[str, str], str] = {}
    used: dict[str, int] = {}
    counts: dict[tuple[str, str], int] = {}
    sides: dict[tuple[str, str], str | None] = {}
    for m in sorted(marks, key=lambda m: (m.published or datetime.max, m.first_claim)):
        key = _speaker_key(m)
        counts[key] = counts.get(key, 0) + m.claims
        if key not in colours:
            side = _side_of(m.side, m.group)
            family = side if side in labels.SIDE_COLOURS else "neutral"
            colours[key] = labels.side_colour(side, used.get(family, 0))
            used[family] = used.get(family, 0) + 1
            sides[key] = side
    side_rank = {s: i for i, s in enumerate(labels.SIDE_COLOURS)}
    entries = [LegendEntry(label=k[1], side=sides[k], group=k[0], colour=c, reports=counts[k])
               for k, c in colours.items()]
    entries.sort(key=lambda e: (side_rank.get(e.side or "", 99), e.group, e.label))
    return colours, entries


def _said(m: TimelineMark) -> str:
    """' (“sixteen”)', ' (“16”, “sixteen”)', or '' when the value was not written out."""
    text = spelled(m)
    if not text:
        return ""
    return f" ({text})" if len(m.spellings) > 1 else f" (“{text}”)"


def _where(m: TimelineMark, when: datetime) -> str:
    """The tooltip's last line(s): one report's outlet and publication time, as a single report has always read;
    for several, how many reports, which day and when the first, and the outlets (the first few)."""
    if m.reports == 1:
        return f"{m.outlets[0] or 'unknown outlet'} · {labels.format_published(when)}"
    return (f"{m.reports} reports on {labels.day(when, ' %Y')}, the first at {when:%H:%M} UTC\n"
            f"{outlet_names(m)}")


def _marks(marks: Sequence[TimelineMark], colours: dict[tuple[str, str], str], kind: str) -> list[_Mark]:
    """One drawn mark per dated `TimelineMark`, with its tooltip (escaped: made of parts that repeat, each escaped
    once; escaping text piece by piece gives what escaping it whole gives). A mark of one report reads: speaker and
    group, value (as written), outlet and publication time; one of several says how many reports, which day and
    names the outlets."""
    out = []
    fv, gl = labels.format_value, labels.group_label
    speakers: dict[tuple[str, str], str] = {}
    values: dict[tuple[float, float | None], str] = {}
    for m in marks:
        when = m.published
        if when is None:
            continue
        key = _speaker_key(m)
        who = speakers.get(key)
        if who is None:
            who = speakers[key] = esc(f"{key[1]} · {gl(key[0])}")
        shown = values.get(m.value)
        if shown is None:
            shown = values[m.value] = esc(fv(m.value, kind))
        tip = f"{who}\n{shown}{esc(_said(m))}\n{esc(_where(m, when))}"
        out.append(_Mark(when, m.value, colours[key], tip, m.reports, m.claims))
    return sorted(out, key=lambda m: (m.when, m.value[0]))


def _dodge(xs: list[float], left: float, right: float) -> list[float]:
    """Spread marks that would overlap horizontally (same publication time) around their centre, keeping
    each cluster inside [left, right]."""
    out = list(xs)
    i = 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] - xs[i] < DODGE_PX:
            j += 1
        n = j - i + 1
        if n > 1:
            centre = sum(xs[i:j + 1]) / n
            half = (n - 1) / 2 * DODGE_PX
            centre = min(max(centre, left + half), right - half)
            for k in range(n):
                out[i + k] = centre + (k - (n - 1) / 2) * DODGE_PX
        i = j + 1
    return out


def _median(times: Sequence[datetime], weights: Sequence[int] | None = None) -> datetime:
    """The weighted median time: the first, in time order, at which the running weight passes half the total (with
    unit weights, `sorted(times)[len(times) // 2]`)."""
    if weights is None:
        return sorted(times)[len(times) // 2]
    pairs = sorted(zip(times, weights, strict=True))
    half = sum(weights) // 2
    seen = 0
    for t, w in pairs:
        seen += w
        if seen > half:
            return t
    return pairs[-1][0]


@dataclass(frozen=True, slots=True)
class TimeScale:
    """Publication time -> x pixel: linear, or log(1 + hours since just before the first report)."""

    start: datetime
    end: datetime
    left: float
    right: float
    log: bool

    @classmethod
    def fit(cls, times: Sequence[datetime], left: float, right: float,
            weights: Sequence[int] | None = None) -> TimeScale:
        """The scale for these times, each counted `weights` times (default once) in deciding whether coverage is
        front-loaded: a mark standing for many claims weighs as much as those claims drawn one by one would."""
        t0, t1 = min(times), max(times)
        if t1 - t0 < 2 * _HOUR:
            return cls(t0 - _HOUR, t1 + _HOUR, left, right, False)
        if (_median(times, weights) - t0) / (t1 - t0) < LOG_IF_MEDIAN_BELOW:
            return cls(t0 - 0.5 * _HOUR, t1 + (t1 - t0) * 0.06, left, right, True)
        pad = (t1 - t0) * 0.04
        return cls(t0 - pad, t1 + pad, left, right, False)

    def _f(self, t: datetime) -> float:
        hours = (t - self.start) / _HOUR
        return math.log1p(max(hours, 0.0)) if self.log else hours

    def __call__(self, t: datetime) -> float:
        return self.left + self._f(t) / self._f(self.end) * (self.right - self.left)

    def positions(self, times: Sequence[datetime]) -> list[float]:
        """`[self(t) for t in times]`, with the scale's constants worked out once (the same arithmetic)."""
        full, width, start, left = self._f(self.end), self.right - self.left, self.start, self.left
        if self.log:
            return [left + math.log1p(max((t - start) / _HOUR, 0.0)) / full * width for t in times]
        return [left + (t - start) / _HOUR / full * width for t in times]

    def _wide_days(self) -> list[datetime]:
        """The midnights of the days drawn wide enough to hold several labels (hour ticks go only there)."""
        day = datetime(self.start.year, self.start.month, self.start.day)
        out = []
        while day <= self.end:
            if self(day + _DAY) - self(max(day, self.start)) >= 3 * TICK_GAP_PX:
                out.append(day)
            day += _DAY
        return out

    def _hours(self, days: Sequence[datetime], step: timedelta) -> list[datetime]:
        """`time_ticks_every(start, end, step)` for a step under a day, inside the given days only."""
        hours = int(step / _HOUR)
        return [t for day in days for t in (day + h * _HOUR for h in range(0, 24, hours))
                if self.start <= t <= self.end]

    def ticks(self) -> list[tuple[datetime, str]]:
        """Tick times and labels: coarse steps first (midnights), finer ones where there is room."""
        if not self.log:
            ticks, step = time_ticks(self.start, self.end, most=int((self.right - self.left) // TICK_GAP_PX))
            return [(t, _time_label(t, step)) for t in ticks]
        chosen: list[tuple[float, datetime, timedelta]] = []
        wide = self._wide_days()
        for step in reversed(TIME_STEPS):
            for t in time_ticks_every(self.start, self.end, step) if step >= _DAY else self._hours(wide, step):
                px = self(t)
                if all(abs(px - c[0]) >= TICK_GAP_PX for c in chosen):
                    chosen.append((px, t, step))
        chosen.sort()
        return [(t, _time_label(t, _DAY if t.hour == 0 and t.minute == 0 else _HOUR)) for _, t, _ in chosen]


def time_ticks_every(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    """Times between start and end on multiples of `step` (whole hours, or midnights for day steps)."""
    if step >= _DAY:
        t = datetime(start.year, start.month, start.day)
        if t < start:
            t += _DAY
        days = int(step / _DAY)
        out = []
        while t <= end:
            if (t - datetime(2000, 1, 3)).days % days == 0:  # weeks start on Mondays
                out.append(t)
            t += _DAY
        return out
    hours = int(step / _HOUR)
    t = datetime(start.year, start.month, start.day, start.hour)
    out = []
    while t <= end:
        if t >= start and t.hour % hours == 0:
            out.append(t)
        t += _HOUR
    return out


def _y_domain(marks: Sequence[_Mark], steps: Sequence[TimelineStep], is_time: bool) -> tuple[float, float]:
    """Counts start at 0 (a zero is a claim too) with room above for open-ended arrows; times span the values."""
    lows = [m.value[0] for m in marks] + [s.value[0] for s in steps]
    highs = [m.value[1] if m.value[1] is not None else m.value[0] for m in marks]
    highs += [s.value[1] if s.value[1] is not None else s.value[0] for s in steps]
    if is_time:
        y0, y1 = min(lows), max(highs)
        pad = max((y1 - y0) * 0.08, 30.0)
        return y0 - pad, y1 + pad
    y1 = max(max(highs) * 1.15, 1.0)
    if any(m.value[1] is None for m in marks):
        y1 = max(y1, max(m.value[0] for m in marks) * 1.35)
    return 0.0, y1


def _y_ticks(y0: float, y1: float, is_time: bool) -> list[tuple[float, str]]:
    if is_time:
        ticks, step = time_ticks(labels.minutes_to_datetime(y0), labels.minutes_to_datetime(y1), most=5)
        return [((t - labels.EPOCH).total_seconds() / 60, _time_label(t, step)) for t in ticks]
    step = nice_step(y1 - y0)
    out = []
    v = 0.0
    while v <= y1 + 1e-9:
        out.append((v, labels.number(v)))
        v += step
    return out


def timeline_chart(fact: Fact, marks: Sequence[TimelineMark], steps: Sequence[TimelineStep] = (),
                   *, width: int = WIDTH, height: int = HEIGHT) -> Chart | None:
    """The fact's timeline chart from its marks (reports.marks), or None when it has no dated value to draw."""
    dated = [m for m in marks if m.published is not None]
    if not dated:
        return None
    kind = fact.kind
    is_time = kind == labels.TIME_KIND
    colours, legend = _legend(dated)
    drawn = _marks(dated, colours, kind)
    step_rows = [s for s in steps if s.first_seen is not None]

    y0, y1 = _y_domain(drawn, step_rows, is_time)
    yticks = _y_ticks(y0, y1, is_time)
    plot_l = max(MARGIN_LEFT, 14 + 6.4 * max(len(label) for _, label in yticks))
    plot_r = width - MARGIN_RIGHT
    plot_t, plot_b = MARGIN_TOP, height - MARGIN_BOTTOM
    # x: publication times (and step start times), linear or logarithmic from the first report.
    times = [m.when for m in drawn] + [s.first_seen for s in step_rows if s.first_seen is not None]
    x = TimeScale.fit(times, plot_l, plot_r, [m.claims for m in drawn] + [1] * (len(times) - len(drawn)))

    def y(v: float) -> float:
        return plot_b - (v - y0) / (y1 - y0) * (plot_b - plot_t)

    title = f"{fact.label}: reported values over publication time, by speaker"
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{_f(plot_l)}" y="{plot_t}" width="{_f(plot_r - plot_l)}" height="{plot_b - plot_t}" class="plot"/>',
    ]
    for v, label in yticks:
        parts.append(f'<line x1="{_f(plot_l)}" x2="{plot_r}" y1="{_f(y(v))}" y2="{_f(y(v))}" class="grid"/>')
        parts.append(f'<text x="{_f(plot_l - 6)}" y="{_f(y(v) + 4)}" class="tick" text-anchor="end">'
                     f"{escape(label)}</text>")
    for t, label in x.ticks():
        parts.append(f'<line x1="{_f(x(t))}" x2="{_f(x(t))}" y1="{plot_b}" y2="{plot_b + 5}" class="axis"/>')
        parts.append(f'<text x="{_f(x(t))}" y="{plot_b + 18}" class="tick" text-anchor="middle">'
                     f"{escape(label)}</text>")
    parts.append(f'<line x1="{_f(plot_l)}" x2="{plot_r}" y1="{plot_b}" y2="{plot_b}" class="axis"/>')
    axis = "published (UTC), log scale from the first report" if x.log else "published (UTC)"
    parts.append(f'<text x="{plot_r}" y="{height - 2}" class="axis-label" text-anchor="end">{axis}</text>')
    if is_time:
        parts.append(f'<text x="4" y="{plot_t - 6}" class="axis-label">time of the attack (UTC)</text>')

    parts.extend(_step_lines(step_rows, x, y, plot_r, kind))

    xs = _dodge(x.positions([m.when for m in drawn]), plot_l + 6, plot_r - 6)
    write = _MarkWriter(y, plot_t)
    parts.extend(write(m, mx) for m, mx in zip(drawn, xs, strict=True))
    parts.append("</svg>")
    undated = sum(m.claims for m in marks if m.published is None)
    return Chart(svg=Markup("".join(parts)), legend=tuple(legend), undated=undated, log_time=x.log)


def _grow(reports: int) -> float:
    """How much larger than a single report's a mark standing for several is drawn: with the log of how many,
    capped (2 reports +1.2 px, 8 +3.6 px, 32 and more +6 px)."""
    return 0.0 if reports <= 1 else round(min(1.2 * math.log2(reports), 6.0), 1)


class _MarkWriter:
    """SVG for marks: everything but the horizontal position is worked out once per value, colour and size. A mark
    of one report is drawn as it always was; one of several is larger and says how many (`data-reports`)."""

    def __init__(self, y: Scale, plot_t: float) -> None:
        self.y = y
        self.plot_t = plot_t
        self._tails: dict[tuple[tuple[float, float | None], str, float], tuple[str, ...]] = {}

    def _tail(self, value: tuple[float, float | None], c: str, grow: float) -> tuple[str, ...]:
        low, high = value
        y = self.y
        if high is None:  # open above: dot at the lower bound, arrow to the top
            yl = y(low)
            top = self.plot_t + 2
            return (f'" y1="{yl:.1f}" y2="{top + 7:.1f}" stroke="{c}" stroke-width="1.6" stroke-opacity="0.75"/>'
                    f'<polygon points="', f",{top + 8:.1f} ", f",{top + 8:.1f} ", f",{top:.1f}" + f'" fill="{c}"/>'
                    f'<circle cx="', f'" cy="{yl:.1f}" r="{4.5 + grow:.1f}" fill="{c}" stroke="#fff" '
                    f'stroke-width="1.2"/></g>')
        if high == low:
            return (f'" cy="{y(low):.1f}" r="{5.0 + grow:.1f}" fill="{c}" stroke="#fff" stroke-width="1.2"/></g>',)
        yl, yh = y(low), y(high)
        return (f'" y="{yh:.1f}" width="{8 + 2 * grow:g}" height="{max(yl - yh, 1.0):.1f}" fill="{c}" '
                f'fill-opacity="0.3" stroke="{c}" stroke-width="1.5"/><line x1="', f'" y1="{yh:.1f}" y2="{yh:.1f}" '
                f'stroke="{c}" stroke-width="2"/><line x1="', f'" y1="{yl:.1f}" y2="{yl:.1f}" stroke="{c}" '
                f'stroke-width="2"/></g>')

    def __call__(self, m: _Mark, mx: float) -> str:
        grow = _grow(m.reports)
        key = (m.value, m.colour, grow)
        tail = self._tails.get(key)
        if tail is None:
            tail = self._tails[key] = self._tail(*key)
        many = f' data-reports="{m.reports}"' if m.reports > 1 else ""
        tip = f"{many}><title>{m.tooltip}</title>"
        low, high = m.value
        if high is None:
            x = f"{mx:.1f}"
            return (f'<g class="mark open"{tip}<line x1="{x}" x2="{x}{tail[0]}{mx - 5:.1f}{tail[1]}{mx + 5:.1f}'
                    f'{tail[2]}{x}{tail[3]}{x}{tail[4]}')
        if high == low:
            return f'<g class="mark exact"{tip}<circle cx="{mx:.1f}{tail[0]}'
        left, right = f"{mx - 7 - grow:.1f}", f"{mx + 7 + grow:.1f}"
        return (f'<g class="mark interval"{tip}<rect x="{mx - 4 - grow:.1f}{tail[0]}{left}" x2="{right}{tail[1]}'
                f'{left}" x2="{right}{tail[2]}')


def _mid(value: tuple[float, float | None]) -> float:
    low, high = value
    return low if high is None else (low + high) / 2


def _step_lines(steps: Sequence[TimelineStep], x: TimeScale, y: Scale, right: float, kind: str) -> list[str]:
    """Each group's current figure over time as a dashed step line, with its latest value at the right."""
    by_group: dict[str, list[TimelineStep]] = {}
    for s in steps:
        by_group.setdefault(s.group, []).append(s)
    parts: list[str] = []
    ends: list[tuple[float, str, str]] = []
    for group, seq in sorted(by_group.items()):
        seq.sort(key=lambda s: s.step)
        colour = labels.side_colour(_side_of(seq[0].side, group))
        pts: list[tuple[float, float]] = []
        for i, s in enumerate(seq):
            assert s.first_seen is not None
            sx, sy = x(s.first_seen), y(_mid(s.value))
            if i:
                pts.append((sx, pts[-1][1]))
            pts.append((sx, sy))
        pts.append((right, pts[-1][1]))
        d = " ".join(f"{_f(px)},{_f(py)}" for px, py in pts)
        parts.append(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="1.6" '
                     f'stroke-dasharray="5 4" opacity="0.75" class="step"/>')
        name = group.removeprefix("media:")
        label = name if kind == labels.TIME_KIND else f"{name}: {labels.format_value(seq[-1].value, kind)}"
        ends.append((pts[-1][1], _short(label), colour))
    # keep end labels apart vertically
    ends.sort()
    placed: list[float] = []
    for ly, label, colour in ends:
        ly = max(ly, placed[-1] + 13) if placed else ly
        placed.append(ly)
        parts.append(f'<text x="{_f(right + 6)}" y="{_f(ly + 4)}" class="end-label" fill="{colour}">'
                     f"{escape(label)}</text>")
    return parts
