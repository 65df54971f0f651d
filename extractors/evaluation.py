"""Score extracted claims against hand-labelled gold claims: precision, recall and F1 per kind.

Gold lives in seeds/gold/<story>/<article stem>.toml as [[claim]] tables (see seeds/gold/README.md).
A predicted claim matches a gold claim when kind, munition, party, subject, value interval and speaker
all agree (event_time: the gold date and time fall inside the predicted span, 30 minutes' slack).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from core.config import Story
from core.errors import ConfigError
from core.records import Claim

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


# The numeric claims the headline figure is about (launched / hit / intercepted / failed / killed / injured).
CORE_NUMERIC = ("munitions_launched", "munitions_hit", "munitions_intercepted", "munitions_failed", "killed",
                "injured")


@dataclass
class Score:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    misses: list[tuple[str, Any]] = field(default_factory=list)  # (article, gold) not found
    extras: list[tuple[str, Claim]] = field(default_factory=list)  # (article, predicted) not in gold
    # of the predicted claims matched to a gold claim with the speaker (or party) ignored, how many also name
    # the gold claim's speaker (or party); filled only where that field was ignored
    same_speaker: int = 0
    speaker_pairs: int = 0
    same_party: int = 0
    party_pairs: int = 0

    def prf(self, kind: str | tuple[str, ...] | None = None) -> tuple[float, float, float, int]:
        kinds = (kind,) if isinstance(kind, str) else kind
        tp = sum(self.tp.values()) if kinds is None else sum(self.tp[k] for k in kinds)
        fp = sum(self.fp.values()) if kinds is None else sum(self.fp[k] for k in kinds)
        fn = sum(self.fn.values()) if kinds is None else sum(self.fn[k] for k in kinds)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f, tp + fn

    def kinds(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))

    def add(self, other: Score) -> None:
        """Fold another score in (scores of several stories pooled)."""
        self.tp.update(other.tp)
        self.fp.update(other.fp)
        self.fn.update(other.fn)
        self.misses += other.misses
        self.extras += other.extras
        self.same_speaker += other.same_speaker
        self.speaker_pairs += other.speaker_pairs
        self.same_party += other.same_party
        self.party_pairs += other.party_pairs

    def speaker_accuracy(self) -> float | None:
        return self.same_speaker / self.speaker_pairs if self.speaker_pairs else None

    def party_accuracy(self) -> float | None:
        return self.same_party / self.party_pairs if self.party_pairs else None


@dataclass
class StoryEval:
    """One story's labelled articles scored three ways: everything must agree (strict); speaker ignored
    (loose, which also measures how often the speaker is right); speaker and party ignored (party accuracy)."""

    story: str
    articles: int
    version: str
    strict: Score
    loose: Score
    partyless: Score


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


def same_speaker(pred: str | None, gold: str | None, listed: frozenset[str] = frozenset()) -> bool:
    """The same speaker: the same canonical name; or, when neither is a listed speaker (speakers.csv), the same
    name once articles, possessives, titles and word order are set aside ("Kurdistan Region's health ministry" =
    "Kurdistan Region health ministry"; "Ahmed al-Rashid" = "Ahmed Al Rashid"), since an unlisted name has no
    canonical form."""
    if (pred or None) == (gold or None):
        return True
    if not pred or not gold or pred in listed or gold in listed:
        return False
    a, b = _name_tokens(pred), _name_tokens(gold)
    return bool(a) and bool(b) and (a == b or (len(a & b) >= 2 and (a <= b or b <= a)))


_NAME_STOP = frozenset({"the", "of", "s", "al", "el", "for", "and", "in", "on"})


def _name_tokens(name: str) -> frozenset[str]:
    return frozenset(t for t in re.split(r"[^a-z0-9]+", name.lower().replace("’", "'").replace("'s", " "))
                     if t and t not in _NAME_STOP)


def matches(pred: Claim, gold: GoldClaim, *, with_speaker: bool = True, with_party: bool = True,
            listed: frozenset[str] = frozenset()) -> bool:
    if pred.kind != gold.kind:
        return False
    if with_speaker and not same_speaker(pred.attribution.speaker, gold.speaker, listed):
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
        if with_party and gold.kind in ("killed", "injured") and (pred.party or None) != (gold.party or None):
            return False
    return True


def score_article(name: str, preds: list[Claim], golds: list[GoldClaim], score: Score, *,
                  with_speaker: bool = True, with_party: bool = True, listed: frozenset[str] = frozenset()) -> None:
    unmatched = list(golds)
    # precise times first, so "1:45 a.m." and not "overnight" claims the gold 01:45
    rank = {"minute": 0, "part_of_day": 1, "day": 2}
    for p in sorted(preds, key=lambda c: rank.get(c.when.precision, 3) if c.when else 0):
        found = [g for g in unmatched if matches(p, g, with_speaker=with_speaker, with_party=with_party,
                                                 listed=listed)]
        if not found:
            score.fp[p.kind] += 1
            score.extras.append((name, p))
            continue
        # among gold claims that fit, prefer the one with the same speaker and party
        hit = next((g for g in found if _same_voice(p, g, listed)), None) or found[0]
        unmatched.remove(hit)
        score.tp[p.kind] += 1
        if not with_speaker:
            score.speaker_pairs += 1
            score.same_speaker += same_speaker(p.attribution.speaker, hit.speaker, listed)
        if not with_party and p.kind in ("killed", "injured"):
            score.party_pairs += 1
            score.same_party += (p.party or None) == (hit.party or None)
    for g in unmatched:
        score.fn[g.kind] += 1
        score.misses.append((name, g))


def _same_voice(p: Claim, g: GoldClaim, listed: frozenset[str]) -> bool:
    return same_speaker(p.attribution.speaker, g.speaker, listed) and (p.party or None) == (g.party or None)


def story_documents(story: Story) -> list[Path]:
    """The story's seed and bundled-corpus files, folder by folder in name order (sidecars left out)."""
    return [p for folder in (*story.seeds, *story.corpus) for p in sorted(folder.glob("*"))
            if p.is_file() and not p.name.endswith(".meta.toml")]


def evaluate_story(seeds_dir: Path, story: Story, *, max_bytes: int = 5_000_000) -> StoryEval:
    """Extract every labelled article of the story and score it against its gold claims."""
    from core.records import Rejected
    from extractors.claims import ClaimExtractor
    from extractors.vocabulary import load_vocabulary
    from sources.files import read_document

    if story.gold is None or not story.gold.is_dir():
        raise ConfigError("story has no gold folder", input=story.id)
    vocab = load_vocabulary(seeds_dir, story.id)
    extractor = ClaimExtractor(vocab)
    listed = frozenset(sp.canonical for sp in vocab.speakers.values())
    docs = {p.stem: p for p in story_documents(story)}
    ev = StoryEval(story.id, 0, extractor.version, Score(), Score(), Score())
    for gold_path in sorted(story.gold.glob("*.toml")):
        doc = docs.get(gold_path.stem)
        if doc is None:
            raise ConfigError(f"no article for gold file {gold_path.name}", input=str(story.gold))
        art = read_document(doc, max_bytes=max_bytes, story=story.id)
        if isinstance(art, Rejected):
            raise ConfigError(f"cannot read labelled article: {art.reason}", input=str(doc))
        ev.articles += 1
        preds = extractor.extract(art)
        golds = [_canonical_speaker(g, vocab) for g in load_gold(gold_path)]
        score_article(gold_path.stem, preds, golds, ev.strict, listed=listed)
        score_article(gold_path.stem, preds, golds, ev.loose, with_speaker=False, listed=listed)
        score_article(gold_path.stem, preds, golds, ev.partyless, with_speaker=False, with_party=False,
                      listed=listed)
    return ev


def _canonical_speaker(gold: GoldClaim, vocab) -> GoldClaim:
    """A gold speaker written as a listed alias ("Prosecutor General's Office", labelled before a reference row
    listed it) scores as the listed speaker's canonical name, as the extractor reports it."""
    from extractors.attribution import lookup_speaker

    if gold.speaker is None:
        return gold
    sp = lookup_speaker(gold.speaker, vocab)
    return gold if sp is None or sp.canonical == gold.speaker else replace(gold, speaker=sp.canonical)


@dataclass(frozen=True, slots=True)
class EvalSets:
    """Which labelled stories tune the rules and which are the frozen check set (seeds/gold/sets.toml)."""

    tune: tuple[str, ...]
    check: tuple[str, ...]


def load_sets(seeds_dir: Path) -> EvalSets:
    path = Path(seeds_dir) / "gold" / "sets.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read evaluation sets: {exc}", input=str(path)) from exc
    tune, check = tuple(data.get("tune", [])), tuple(data.get("check", []))
    both = set(tune) & set(check)
    if both:
        raise ConfigError(f"stories in both the tune and the check set: {', '.join(sorted(both))}", input=str(path))
    return EvalSets(tune, check)


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def format_events(evals: list[StoryEval], title: str) -> str:
    """One line per story and a pooled line: all claims (with speaker), the core numeric claims, and how often
    the speaker and the party are right on claims found with them ignored."""
    head = (f"{'event':<18}{'reports':>8}{'gold':>6}{'P':>7}{'R':>7}{'F1':>7}  |{'num P':>7}{'num R':>7}"
            f"{'num F1':>7}{'gold':>6}  |{'speaker':>8}{'party':>7}")
    lines = [title, head]
    pooled = StoryEval("all", 0, "", Score(), Score(), Score())
    for ev in [*evals, pooled]:
        if ev is pooled:
            for e in evals:
                pooled.articles += e.articles
                pooled.strict.add(e.strict)
                pooled.loose.add(e.loose)
                pooled.partyless.add(e.partyless)
            lines.append("-" * len(head))
        p, r, f, n = ev.strict.prf()
        np_, nr, nf, nn = ev.strict.prf(CORE_NUMERIC)
        lines.append(f"{ev.story:<18}{ev.articles:>8}{n:>6}{p:>7.3f}{r:>7.3f}{f:>7.3f}  |{np_:>7.3f}{nr:>7.3f}"
                     f"{nf:>7.3f}{nn:>6}  |{_pct(ev.loose.speaker_accuracy()):>8}"
                     f"{_pct(ev.partyless.party_accuracy()):>7}")
    return "\n".join(lines)


def format_kinds_by_event(evals: list[StoryEval]) -> str:
    """F1 (with speaker) per claim kind and story; '.' where the story has no such claim either way."""
    kinds = sorted({k for ev in evals for k in ev.strict.kinds()})
    width = max([11, *(len(ev.story) + 1 for ev in evals)])
    names = [ev.story for ev in evals]
    lines = [f"{'kind':<22}" + "".join(f"{n:>{width}}" for n in names)]
    for k in kinds:
        cells = []
        for ev in evals:
            _, _, f, n = ev.strict.prf(k)
            cells.append(f"{f:>{width}.2f}" if n or ev.strict.fp[k] else f"{'.':>{width}}")
        lines.append(f"{k:<22}" + "".join(cells))
    return "\n".join(lines)


def format_table(score: Score, title: str) -> str:
    lines = [title, f"{'kind':<24}{'precision':>10}{'recall':>8}{'F1':>7}{'gold':>6}"]
    for k in score.kinds():
        p, r, f, n = score.prf(k)
        lines.append(f"{k:<24}{p:>10.3f}{r:>8.3f}{f:>7.3f}{n:>6}")
    p, r, f, n = score.prf()
    lines.append(f"{'overall':<24}{p:>10.3f}{r:>8.3f}{f:>7.3f}{n:>6}")
    return "\n".join(lines)
