"""Score extracted claims against hand-labelled gold claims: precision, recall and F1 per kind.

Gold lives in seeds/gold/<story>/<article stem>.toml as [[claim]] tables (see seeds/gold/README.md).
A predicted claim matches a gold claim when kind, munition, party, subject, value interval and speaker
all agree (event_time: the gold date and time fall inside the predicted span, 30 minutes' slack).
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from crosscheck.config import Story
from crosscheck.errors import ConfigError
from extractors.records import Claim

NUMERIC = {
    "munitions_launched", "munitions_hit", "munitions_intercepted", "munitions_failed", "targets_count",
    "killed", "injured",
}


@dataclass(frozen=True, slots=True)
class GoldClaim:
    kind: str
    munition: str | None = None
    party: str | None = None
    subject: str | None = None
    low: float | None = None
    high: float | None = None
    speaker: str | None = None
    date: str | None = None
    time: str | None = None
    text: str | None = None


@dataclass
class Score:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    misses: list[tuple[str, Any]] = field(default_factory=list)  # (article, gold) not found
    extras: list[tuple[str, Claim]] = field(default_factory=list)  # (article, predicted) not in gold

    def prf(self, kind: str | None = None) -> tuple[float, float, float, int]:
        tp = sum(self.tp.values()) if kind is None else self.tp[kind]
        fp = sum(self.fp.values()) if kind is None else self.fp[kind]
        fn = sum(self.fn.values()) if kind is None else self.fn[kind]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f, tp + fn

    def kinds(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))


def load_gold(path: Path) -> list[GoldClaim]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for c in data.get("claim", []):
        out.append(GoldClaim(**{k: c.get(k) for k in GoldClaim.__slots__}))  # type: ignore[attr-defined]
    return out


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) < 1e-9


def matches(pred: Claim, gold: GoldClaim, *, with_speaker: bool = True) -> bool:
    if pred.kind != gold.kind:
        return False
    if with_speaker and (pred.attribution.speaker or None) != (gold.speaker or None):
        return False
    if gold.kind == "event_time":
        if pred.when is None or gold.date is None:
            return False
        start = datetime.fromisoformat(pred.when.start)
        end = datetime.fromisoformat(pred.when.end)
        tz = start.tzinfo
        if gold.time:
            at = datetime.fromisoformat(f"{gold.date}T{gold.time}").replace(tzinfo=tz)
            slack = timedelta(minutes=30)
            return start - slack <= at <= end + slack
        return start.date().isoformat() <= gold.date <= end.date().isoformat()
    if (pred.subject or None) != (gold.subject or None):
        return False
    if gold.kind in NUMERIC:
        if pred.value is None or not _same(pred.value.low, gold.low) or not _same(pred.value.high, gold.high):
            return False
        if gold.kind.startswith("munitions_") and (pred.munition or None) != (gold.munition or None):
            return False
        if gold.kind in ("killed", "injured") and (pred.party or None) != (gold.party or None):
            return False
    return True


def score_article(name: str, preds: list[Claim], golds: list[GoldClaim], score: Score, *,
                  with_speaker: bool = True) -> None:
    unmatched = list(golds)
    # precise times first, so "1:45 a.m." and not "overnight" claims the gold 01:45
    rank = {"minute": 0, "part_of_day": 1, "day": 2}
    for p in sorted(preds, key=lambda c: rank.get(c.when.precision, 3) if c.when else 0):
        hit = next((g for g in unmatched if matches(p, g, with_speaker=with_speaker)), None)
        if hit is None:
            score.fp[p.kind] += 1
            score.extras.append((name, p))
        else:
            unmatched.remove(hit)
            score.tp[p.kind] += 1
    for g in unmatched:
        score.fn[g.kind] += 1
        score.misses.append((name, g))


def evaluate_story(seeds_dir: Path, story: Story, *, max_bytes: int = 5_000_000) -> tuple[Score, Score, int, str]:
    """Extract every labelled article of the story and score it: (with speaker, without, articles, version)."""
    from extractors.claims import ClaimExtractor
    from extractors.vocabulary import load_vocabulary
    from sources.files import read_document
    from sources.records import Rejected

    if story.gold is None or not story.gold.is_dir():
        raise ConfigError("story has no gold folder", input=story.id)
    extractor = ClaimExtractor(load_vocabulary(seeds_dir, story.id))
    docs = {p.stem: p for folder in (*story.seeds, *story.corpus) for p in sorted(folder.glob("*"))
            if p.is_file() and not p.name.endswith(".meta.toml")}
    strict, loose = Score(), Score()
    n = 0
    for gold_path in sorted(story.gold.glob("*.toml")):
        doc = docs.get(gold_path.stem)
        if doc is None:
            raise ConfigError(f"no article for gold file {gold_path.name}", input=str(story.gold))
        art = read_document(doc, max_bytes=max_bytes, story=story.id)
        if isinstance(art, Rejected):
            raise ConfigError(f"cannot read labelled article: {art.reason}", input=str(doc))
        n += 1
        preds = extractor.extract(art)
        golds = load_gold(gold_path)
        score_article(gold_path.stem, preds, golds, strict)
        score_article(gold_path.stem, preds, golds, loose, with_speaker=False)
    return strict, loose, n, extractor.version


def format_table(score: Score, title: str) -> str:
    lines = [title, f"{'kind':<24}{'precision':>10}{'recall':>8}{'F1':>7}{'gold':>6}"]
    for k in score.kinds():
        p, r, f, n = score.prf(k)
        lines.append(f"{k:<24}{p:>10.3f}{r:>8.3f}{f:>7.3f}{n:>6}")
    p, r, f, n = score.prf()
    lines.append(f"{'overall':<24}{p:>10.3f}{r:>8.3f}{f:>7.3f}{n:>6}")
    return "\n".join(lines)
