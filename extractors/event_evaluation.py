"""How well event separation (extractors/events.py) does, measured on labelled reports: one job, the figures
`crosscheck eval --events` prints.

Three measures, each over reports whose event is known:

1. own reports: every labelled story's bundled reports judged against their own story, with their publication
   dates and with the dates taken away (a page without a date): how many were wrongly judged another event's;
2. same places: the reports of each labelled story judged against every other labelled story that shares one of
   its key places (Erbil 2021 against Iran 2020, ...), dated and undated: how many were caught as another event;
3. event fixtures: undated reports of other attacks on the story's places and of the story itself
   (seeds/gold/events/SET/*.txt, expected events in expect.toml): verdicts, and figures of other attacks that a
   kept report would still give.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.config import Story
from core.records import Article, content_hash
from extractors.claims import ClaimExtractor
from extractors.evaluation import story_documents
from extractors.events import OTHER
from extractors.vocabulary import load_vocabulary

NUMERIC = ("munitions_launched", "munitions_hit", "munitions_intercepted", "munitions_failed", "killed", "injured")


@dataclass
class Tally:
    """Reports judged and how many went the wrong way, dated and undated."""

    label: str
    dated: int = 0
    dated_wrong: int = 0
    undated: int = 0
    undated_wrong: int = 0
    misses: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FixtureResult:
    name: str
    expected: str  # the event the report tells of ("roundup": several, the story's among them)
    verdict: str
    reason: str
    leaked: tuple[float, ...]  # figures of another attack the report gives while kept
    missed: tuple[float, ...]  # the story's figures it does not give


def _documents(story: Story, max_bytes: int) -> Iterator[tuple[Path, Article]]:
    from sources.files import read_document

    for p in sorted(story_documents(story)):
        got = read_document(p, max_bytes=max_bytes, story=story.id)
        if isinstance(got, Article):
            yield p, got


def judge_reports(extractor: ClaimExtractor, docs: Sequence[tuple[Path, Article]], label: str, *,
                  expect_other: bool) -> Tally:
    """Judge each report with its date and without: wrong = judged another event's when it is the story's, or not
    judged another event's when it is."""
    t = Tally(label)
    for path, art in docs:
        for dated in (True, False):
            if dated and not art.published:
                continue
            _, d = extractor.extract_report(art if dated else dataclasses.replace(art, published=None))
            wrong = (d.verdict == OTHER) != expect_other
            if dated:
                t.dated += 1
                t.dated_wrong += wrong
            else:
                t.undated += 1
                t.undated_wrong += wrong
            if wrong:
                t.misses.append(f"{'dated' if dated else 'undated'} {path.name}: {d.reason()}")
    return t


def own_reports(seeds_dir: Path, stories: Sequence[Story], max_bytes: int) -> list[Tally]:
    out = []
    for story in stories:
        extractor = ClaimExtractor(load_vocabulary(seeds_dir, story.id))
        out.append(judge_reports(extractor, list(_documents(story, max_bytes)), story.id, expect_other=False))
    return out


def same_places(seeds_dir: Path, stories: Sequence[Story], max_bytes: int) -> list[Tally]:
    """Every ordered pair of labelled stories that share a key place: the second's reports against the first."""
    out = []
    for story in stories:
        extractor: ClaimExtractor | None = None
        for other in stories:
            if other.id == story.id or not set(story.places) & set(other.places):
                continue
            extractor = extractor or ClaimExtractor(load_vocabulary(seeds_dir, story.id))
            out.append(judge_reports(extractor, list(_documents(other, max_bytes)), f"{other.id} as {story.id}",
                                     expect_other=True))
    return out


def fixtures(seeds_dir: Path, story_id: str, folder: Path) -> list[FixtureResult]:
    """The event fixtures of one folder (undated reports: a headline line, a blank line, the body)."""
    expect = tomllib.loads((folder / "expect.toml").read_text(encoding="utf-8"))["files"]
    extractor = ClaimExtractor(load_vocabulary(seeds_dir, story_id))
    out = []
    for name, e in sorted(expect.items()):
        title, body = (folder / name).read_text(encoding="utf-8").split("\n\n", 1)
        claims, d = extractor.extract_report(Article(content_hash(body), body, title=title.strip()))
        kept = d.verdict != OTHER
        values = {c.value.low for c in claims if c.value is not None and c.kind in NUMERIC} if kept else set()
        out.append(FixtureResult(name, e["event"], d.verdict, d.reason(),
                                 tuple(sorted(v for v in e.get("other_figures", []) if v in values)),
                                 tuple(sorted(v for v in e.get("story_figures", []) if v not in values))))
    return out


def fixture_wrong(r: FixtureResult, story_id: str) -> bool:
    """A report of the story (or a round-up with the story in it) judged another event's, or a report of another
    event not judged so."""
    ours = r.expected in (story_id, "roundup")
    return (r.verdict == OTHER) == ours


def format_tallies(title: str, tallies: Sequence[Tally], what: str) -> str:
    lines = [title, f"{'':34} {'dated':>12} {'undated':>12}   ({what})"]
    td = tw = ud = uw = 0
    for t in tallies:
        lines.append(f"{t.label:34} {t.dated_wrong:>5} of {t.dated:<4} {t.undated_wrong:>5} of {t.undated:<4}")
        td, tw, ud, uw = td + t.dated, tw + t.dated_wrong, ud + t.undated, uw + t.undated_wrong
    lines.append(f"{'all':34} {tw:>5} of {td:<4} {uw:>5} of {ud:<4}")
    return "\n".join(lines)


def format_fixtures(title: str, results: Sequence[FixtureResult], story_id: str) -> str:
    lines = [title]
    wrong = leaks = 0
    for r in results:
        bad = fixture_wrong(r, story_id)
        wrong += bad
        leaks += bool(r.leaked)
        mark = "WRONG" if bad else "ok"
        extra = f" · other attack's figures kept: {', '.join(f'{v:g}' for v in r.leaked)}" if r.leaked else ""
        lines.append(f"  {mark:5} {r.name:38} {r.expected:10} -> {r.verdict:7}{extra}")
    lines.append(f"  verdicts wrong: {wrong} of {len(results)}; kept reports giving another attack's figures: "
                 f"{leaks}")
    return "\n".join(lines)
