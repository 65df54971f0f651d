"""Canonical entities: one name per place however it is spelled, and clusters of names the gazetteer lacks.

One job: map a claim's subject to a canonical entity. Evidence, strongest first:

1. `gazetteer`: the surface is an alias in seeds/gazetteer.csv (or the extractor already resolved it);
2. `normalised`: `extractors.places.normalise_name` keys match (base words, al-/ain- prefixes, doubled letters);
3. `transliterated`: this module's transliteration key matches (initial vowels, y/i, ou/u, q/k, final h, ...),
   after dropping words captured before the name ("at", "US-run");
4. `fuzzy`: `name_similarity` against every gazetteer alias reaches `NAME_THRESHOLD`, a threshold calibrated on
   the labelled pairs in seeds/alias_pairs.csv (`python -m matching.entities --calibrate`);
5. `cluster`: names still unknown are clustered across reports with the same similarity and threshold, so
   "K-1 air base" in two reports becomes one entity rather than being dropped.

Subjects the extractor already resolved keep its canonical name; the method then records how the surface
resolves here (`extractor` when only the extractor's context could place it, e.g. "the base").

Digits are never fuzzed: names whose digit groups differ never match ("K-1" is not "K-2").
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from core.config import PROJECT_ROOT
from extractors.places import normalise_name
from extractors.vocabulary import Vocabulary, norm_key

ALIAS_PAIRS = PROJECT_ROOT / "seeds" / "alias_pairs.csv"

# Chosen by `calibrate()` on seeds/alias_pairs.csv (highest F0.5, ties to the higher threshold);
# tests/matching/test_matching_entities.py fails when the labelled pairs move the choice.
NAME_THRESHOLD = 91.0
THRESHOLDS = tuple(float(t) for t in range(70, 101))

METHODS = ("gazetteer", "normalised", "transliterated", "fuzzy", "cluster", "actor", "extractor")

# Words a pattern may capture in front of a name ("at Ain al-Asad air base", "US-run Ain al-Asad airbase").
_LEADING_NOISE = {"at", "in", "on", "near", "outside", "the", "of", "from", "to", "into", "inside"}
_DESCRIPTOR = re.compile(r"\b[\w.]+-(?:run|led|held|controlled|operated|backed)\b", re.IGNORECASE)
# Arabic article forms, including the assimilated ones (ad-, an-, ar-, as-, ash-, at-, az-).
_ARTICLES = {"al", "el", "il", "ul", "ad", "an", "ar", "as", "ash", "at", "az", "ath", "adh",
             "ed", "en", "er", "es", "esh", "et", "ez"}
_VOWELS = "aeiou"


def _fold_unicode(name: str) -> str:
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"['’‘`ʿʾ]", "", s)


def _pre_clean(name: str) -> str:
    """Drop descriptors and prepositions captured before the name, and articles inside it."""
    s = _DESCRIPTOR.sub(" ", _fold_unicode(name))
    tokens = [t for t in re.split(r"[\s\-]+", s.strip()) if t]
    while len(tokens) > 1 and tokens[0].lower() in _LEADING_NOISE:
        tokens = tokens[1:]
    # an article before another word anywhere in the name ("Ali Al-Salem", "Deir ez-Zor")
    kept = [t for i, t in enumerate(tokens) if not (t.lower() in _ARTICLES and i + 1 < len(tokens))]
    return " ".join(kept)


def transliteration_key(name: str) -> str:
    """A key on which common romanisations of one Arabic, Persian or Kurdish name coincide.

    'Ain al-Assad Airbase' -> 'asad', 'Irbil'/'Erbil'/'Arbil' -> 'arbil', 'Bayji'/'Beiji' -> 'baiji',
    'Fallouja'/'Fallujah' -> 'faluja'. Digits are kept as they are.
    """
    s = _pre_clean(name).lower().replace("oo", "u").replace("ou", "u").replace("ee", "i")
    s = normalise_name(s)  # base words, leading al-/ain-, doubled letters
    if not s:
        return ""
    s = s.replace("dh", "d").replace("ph", "f").replace("q", "k").replace("w", "v")
    s = s.replace("y", "i").replace("ei", "ai")
    s = re.sub(r"(.)\1+", r"\1", s)
    s = re.sub(r"(?<=[aei])h(?=\d*$)", "", s)  # Basrah -> basra, Hadithah -> haditha
    if s[0] in _VOWELS:
        s = "a" + s[1:]  # Irbil / Erbil / Arbil, Isfahan / Esfahan
    return s


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name split for comparison: letters (fuzzed), digit groups (compared exactly), vowel frame."""

    letters: str
    digits: tuple[str, ...]
    frame: str  # letters with each run of vowels replaced by 'a': vowel spellings stop mattering


@lru_cache(maxsize=65536)
def name_parts(name: str) -> NameParts:
    # digit groups from the name as written: normalise_name would collapse "11" to "1"
    digits = tuple(re.findall(r"\d+", _pre_clean(name)))
    letters = re.sub(r"\d+", "", transliteration_key(name))
    frame = re.sub(r"[aeiou]+", "a", letters)
    return NameParts(letters, digits, frame)


def parts_similarity(a: NameParts, b: NameParts) -> float:
    """0-100: mean of the rapidfuzz ratio on letters and on vowel frames; 0 when digit groups differ."""
    if a.digits != b.digits:
        return 0.0
    if not a.letters or not b.letters:
        return 100.0 if a.letters == b.letters and a.digits else 0.0
    return 0.5 * fuzz.ratio(a.letters, b.letters) + 0.5 * fuzz.ratio(a.frame, b.frame)


def name_similarity(a: str, b: str) -> float:
    """How alike two place names are, 0-100, on transliteration keys. Digits must be equal, never fuzzed."""
    return parts_similarity(name_parts(a), name_parts(b))


@dataclass(frozen=True, slots=True)
class Entity:
    """What one subject, as written, resolved to."""

    surface: str
    canonical: str
    known: bool  # in the gazetteer (or a story actor)
    method: str  # one of METHODS
    score: float  # 100 for exact methods; the similarity for fuzzy and cluster


class EntityResolver:
    """Resolves subject names against the story's gazetteer; unresolved names are clustered together."""

    def __init__(self, vocab: Vocabulary, threshold: float = NAME_THRESHOLD) -> None:
        self.vocab = vocab
        self.threshold = threshold
        self._canonical = {p.canonical for p in vocab.places.values()}
        self._normalised: dict[str, str] = {}
        self._keys: dict[str, str] = {}
        for alias, place in vocab.places.items():
            self._normalised.setdefault(normalise_name(alias), place.canonical)
            self._keys.setdefault(transliteration_key(alias), place.canonical)
        for canonical in self._canonical:
            self._normalised.setdefault(normalise_name(canonical), canonical)
            self._keys.setdefault(transliteration_key(canonical), canonical)
        self._aliases = sorted(self._keys)
        self._alias_parts = [name_parts(k) for k in self._aliases]
        self._actors = set(vocab.actors.values())
        self._cache: dict[str, Entity | None] = {}

    def lookup(self, surface: str) -> Entity | None:
        """The gazetteer entity a name refers to, or None when no method reaches it."""
        if surface not in self._cache:
            hit = self._lookup(surface)
            key = self.vocab.story_place.get(hit.canonical) if hit is not None else None
            if key is not None:  # a place inside one of the story's key places is that key place
                hit = Entity(hit.surface, key, hit.known, hit.method, hit.score)
            self._cache[surface] = hit
        return self._cache[surface]

    def _lookup(self, surface: str) -> Entity | None:
        if surface in self._canonical:
            return Entity(surface, surface, True, "gazetteer", 100.0)
        if surface in self._actors:
            return Entity(surface, surface, True, "actor", 100.0)
        place = self.vocab.places.get(norm_key(surface))
        if place is not None:
            return Entity(surface, place.canonical, True, "gazetteer", 100.0)
        actor = self.vocab.actors.get(norm_key(surface))
        if actor is not None:
            return Entity(surface, actor, True, "actor", 100.0)
        norm = normalise_name(surface)
        if norm and norm in self._normalised:
            return Entity(surface, self._normalised[norm], True, "normalised", 100.0)
        tokens = _pre_clean(surface).split()
        for i in range(len(tokens)):  # the name with words in front of it dropped, longest first
            key = transliteration_key(" ".join(tokens[i:]))
            if key and key in self._keys:
                return Entity(surface, self._keys[key], True, "transliterated", 100.0)
        best = self._fuzzy(surface)
        if best is not None:
            return Entity(surface, best[0], True, "fuzzy", best[1])
        return None

    def _fuzzy(self, surface: str) -> tuple[str, float] | None:
        parts = name_parts(surface)
        if len(parts.letters) < 3:
            return None
        # the blend reaches the threshold only if the letters' ratio reaches 2 * threshold - 100
        floor = max(0.0, 2 * self.threshold - 100)
        hits = process.extract(parts.letters, [p.letters for p in self._alias_parts], scorer=fuzz.ratio,
                               score_cutoff=floor, limit=None)
        best: tuple[str, float] | None = None
        for _, _, i in hits:
            score = parts_similarity(parts, self._alias_parts[i])
            if score >= self.threshold and (best is None or score > best[1]):
                best = (self._keys[self._aliases[i]], score)
        return best

    def resolve_all(self, subjects: Iterable[tuple[str, str | None, bool]]) -> dict[tuple[str, str | None], Entity]:
        """Entities for (subject, surface, known) triples, keyed by (subject, surface).

        Known subjects keep the extractor's canonical name. Unknown ones are looked up by surface and then by
        label; the rest are clustered together (`cluster_names`) and named by their most common label. When one
        (subject, surface) comes both known and unknown, the known one decides (`subject_order`).
        """
        out: dict[tuple[str, str | None], Entity] = {}
        pending: dict[tuple[str, str | None], str] = {}
        for subject, surface, known in sorted(set(subjects), key=subject_order):
            key = (subject, surface)
            if key in out or key in pending:
                continue
            # known: the extractor's canonical name stands; record how the surface itself resolves
            entity = self.resolve(subject, surface, known)
            if entity is not None:
                out[key] = entity
            else:
                pending[key] = subject
        if pending:
            labels = Counter(pending.values())
            clusters = cluster_names(sorted(labels), self.threshold)
            members: dict[int, list[str]] = defaultdict(list)
            for label, c in clusters.items():
                members[c].append(label)
            name_of = {c: cluster_label(ls, labels) for c, ls in members.items()}
            for key, label in pending.items():
                out[key] = cluster_entity(key, label, name_of[clusters[label]])
        return out

    def resolve(self, subject: str, surface: str | None, known: bool) -> Entity | None:
        """One (subject, surface) as `resolve_all` resolves it, or None when it is left for clustering."""
        if known:
            hit = self.lookup(surface) if surface else None
            if hit is not None and hit.canonical == subject:
                return hit
            return Entity(surface or subject, subject, True, "extractor", 100.0)
        hit = self.lookup(surface) if surface else None
        hit = hit or self.lookup(subject)
        if hit is not None:
            return Entity(surface or subject, hit.canonical, True, hit.method, hit.score)
        return None


def subject_order(triple: tuple[str, str | None, bool]) -> tuple[str, bool, str, bool]:
    """The order `resolve_all` reads (subject, surface, known) triples in: by subject and surface, known first."""
    subject, surface, known = triple
    return (subject, surface is None, surface or "", not known)


def cluster_label(labels: Iterable[str], counts: Mapping[str, int]) -> str:
    """A cluster's name: its label seen under the most spellings, then the shortest, then the first."""
    return min(labels, key=lambda x: (-counts[x], len(x), x))


def cluster_entity(key: tuple[str, str | None], label: str, canonical: str) -> Entity:
    """The entity of an unknown (subject, surface) whose label belongs to the cluster named `canonical`."""
    score = 100.0 if canonical == label else name_similarity(label, canonical)
    return Entity(key[1] or label, canonical, False, "cluster", score)


def cluster_names(names: Sequence[str], threshold: float = NAME_THRESHOLD) -> dict[str, int]:
    """Single-link clusters of names whose similarity reaches `threshold`: {name: cluster number}.

    Blocked by digit groups and first letter of the transliteration key, so each name is compared only with
    names that could match it; within a block rapidfuzz's C scorer prefilters before the exact blend.
    """
    parent = list(range(len(names)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks: dict[tuple[tuple[str, ...], str], list[int]] = defaultdict(list)
    parts = [name_parts(n) for n in names]
    for i, p in enumerate(parts):
        blocks[name_block(p)].append(i)
    for idx in blocks.values():
        for pos, i in enumerate(idx):
            for j in linked(parts[i], [parts[o] for o in idx[pos + 1:]], threshold):
                other = idx[pos + 1 + j]
                parent[find(other)] = find(i)
    return {n: find(i) for i, n in enumerate(names)}


def name_block(parts: NameParts) -> tuple[tuple[str, ...], str]:
    """Names are compared only inside one block: the same digit groups and first letter."""
    return (parts.digits, parts.letters[:1])


def linked(name: NameParts, others: Sequence[NameParts], threshold: float = NAME_THRESHOLD) -> list[int]:
    """Positions of the names in `others` (of the same block) similar enough to `name` to share its cluster:
    rapidfuzz's C scorer prefilters on letters, then the exact blend decides."""
    # the blend reaches the threshold only if the letters' ratio reaches 2 * threshold - 100
    floor = max(0.0, 2 * threshold - 100)
    hits = process.extract(name.letters, [p.letters for p in others], scorer=fuzz.ratio, score_cutoff=floor,
                           limit=None)
    return sorted(j for _, _, j in hits if parts_similarity(name, others[j]) >= threshold)


def extend_clusters(clusters: Mapping[str, str], spellings: Mapping[str, int], changed: Collection[str],
                    threshold: float = NAME_THRESHOLD) -> dict[str, str]:
    """`cluster_names` and the naming of `resolve_all` after labels are added, without comparing the labels that
    were there already with one another.

    `clusters` is {label: cluster name} as it stands; `spellings` is {label: (subject, surface) keys carrying
    it} for every label after the addition; `changed` holds the labels added or seen under more spellings.
    Single-link clusters are the connected components of "similar enough", so an added label only links
    clusters through itself. Returns {label: cluster name} for every label of a cluster that changed (gained
    a label, or a label gained a spelling, which can rename it); the other clusters stand as they are.
    """
    labels = sorted(set(clusters) | set(changed))
    parent = {label: clusters.get(label, label) for label in labels}  # a cluster's root is its name

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    blocks: dict[tuple[tuple[str, ...], str], list[str]] = defaultdict(list)
    for label in labels:
        blocks[name_block(name_parts(label))].append(label)
    for label in sorted(set(changed) - set(clusters)):
        block = [other for other in blocks[name_block(name_parts(label))] if other != label]
        for j in linked(name_parts(label), [name_parts(o) for o in block], threshold):
            a, b = find(label), find(block[j])
            if a != b:
                parent[b] = a
    touched = {find(label) for label in changed}
    members: dict[str, list[str]] = defaultdict(list)
    for label in labels:
        root = find(label)
        if root in touched:
            members[root].append(label)
    out: dict[str, str] = {}
    for ls in members.values():
        name = cluster_label(ls, spellings)
        out.update((label, name) for label in ls)
    return out


# --- calibration -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AliasPair:
    a: str
    b: str
    same: bool
    note: str


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    threshold: float
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def f_beta(self, beta: float) -> float:
        p, r = self.precision, self.recall
        return (1 + beta**2) * p * r / (beta**2 * p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Calibration:
    rows: tuple[CalibrationRow, ...]
    chosen: CalibrationRow
    errors: tuple[tuple[AliasPair, float], ...]  # pairs the chosen threshold gets wrong, with their score
    cross_validated: CalibrationRow  # k-fold: each fold scored at the threshold chosen on the other folds


def load_alias_pairs(path: Path = ALIAS_PAIRS) -> list[AliasPair]:
    with Path(path).open(encoding="utf-8", newline="") as fh:
        return [AliasPair(r["a"], r["b"], r["same"].strip() == "1", r.get("note") or "") for r in csv.DictReader(fh)]


Scorer = Callable[[str, str], float]


def extractor_similarity(a: str, b: str) -> float:
    """The extractor's own fuzzy step (extractors.places.resolve_name): rapidfuzz ratio on normalise_name keys,
    refused when a name has digits. Calibrated here too, for its FUZZY_CUTOFF."""
    ka, kb = normalise_name(a), normalise_name(b)
    if re.search(r"\d", ka + kb):
        return 100.0 if ka == kb else 0.0
    return float(fuzz.ratio(ka, kb))


SCORERS: dict[str, Scorer] = {"matching": name_similarity, "extractor": extractor_similarity}


def calibration_table(pairs: Sequence[AliasPair], thresholds: Iterable[float] = THRESHOLDS,
                      scorer: Scorer = name_similarity) -> list[CalibrationRow]:
    scored = [(scorer(p.a, p.b), p.same) for p in pairs]
    rows = []
    for t in thresholds:
        tp = sum(1 for s, same in scored if same and s >= t)
        fp = sum(1 for s, same in scored if not same and s >= t)
        fn = sum(1 for s, same in scored if same and s < t)
        tn = sum(1 for s, same in scored if not same and s < t)
        rows.append(CalibrationRow(t, tp, fp, fn, tn))
    return rows


def choose_threshold(rows: Sequence[CalibrationRow]) -> CalibrationRow:
    """The threshold with the highest F0.5 (precision weighs twice recall); ties go to the higher threshold."""
    return max(rows, key=lambda r: (round(r.f_beta(0.5), 9), r.threshold))


def calibrate(path: Path = ALIAS_PAIRS, thresholds: Iterable[float] = THRESHOLDS, scorer: Scorer = name_similarity,
              folds: int = 5) -> Calibration:
    """Precision and recall of a name scorer over thresholds on the labelled pairs, the chosen threshold, the
    pairs it gets wrong, and a k-fold estimate of how well choosing a threshold this way generalises."""
    pairs = load_alias_pairs(path)
    grid = tuple(thresholds)
    rows = calibration_table(pairs, grid, scorer)
    chosen = choose_threshold(rows)
    errors = []
    for p in pairs:
        s = scorer(p.a, p.b)
        if (s >= chosen.threshold) != p.same:
            errors.append((p, s))
    tp = fp = fn = tn = 0
    for k in range(folds):
        train = [p for i, p in enumerate(pairs) if i % folds != k]
        test = [p for i, p in enumerate(pairs) if i % folds == k]
        t = choose_threshold(calibration_table(train, grid, scorer)).threshold
        (r,) = calibration_table(test, (t,), scorer)
        tp, fp, fn, tn = tp + r.tp, fp + r.fp, fn + r.fn, tn + r.tn
    return Calibration(tuple(rows), chosen, tuple(errors), CalibrationRow(chosen.threshold, tp, fp, fn, tn))


def format_calibration(cal: Calibration) -> str:
    lines = ["threshold  tp  fp  fn  tn  precision  recall     F1   F0.5"]
    for r in cal.rows:
        mark = "  <- chosen" if r is cal.chosen else ""
        lines.append(f"{r.threshold:9.0f} {r.tp:3d} {r.fp:3d} {r.fn:3d} {r.tn:3d}  {r.precision:9.3f} "
                     f"{r.recall:7.3f} {r.f_beta(1):6.3f} {r.f_beta(0.5):6.3f}{mark}")
    c = cal.chosen
    lines.append(f"chosen threshold {c.threshold:.0f}: precision {c.precision:.3f}, recall {c.recall:.3f} "
                 f"on {c.tp + c.fp + c.fn + c.tn} labelled pairs ({c.tp + c.fn} same, {c.fp + c.tn} different)")
    cv = cal.cross_validated
    lines.append(f"5-fold cross-validated (threshold chosen on the other folds): precision {cv.precision:.3f}, "
                 f"recall {cv.recall:.3f}")
    for p, s in cal.errors:
        kind = "missed" if p.same else "false match"
        lines.append(f"  {kind}: {p.a!r} ~ {p.b!r} scored {s:.1f} ({p.note})")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matching.entities", description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true", help="print precision/recall over thresholds")
    parser.add_argument("--pairs", type=Path, default=ALIAS_PAIRS, help="labelled pairs CSV (a,b,same,note)")
    parser.add_argument("--scorer", choices=sorted(SCORERS), default="matching",
                        help="matching: name_similarity (default); extractor: extractors.places' fuzzy step")
    args = parser.parse_args(argv)
    if not args.calibrate:
        parser.print_help()
        return 2
    cal = calibrate(args.pairs, scorer=SCORERS[args.scorer])
    print(f"scorer: {args.scorer}")
    print(format_calibration(cal))
    if args.scorer == "matching" and cal.chosen.threshold != NAME_THRESHOLD:
        print(f"note: NAME_THRESHOLD in matching/entities.py is {NAME_THRESHOLD:.0f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
