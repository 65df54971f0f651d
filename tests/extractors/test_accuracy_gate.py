"""The extraction quality gate: F1 floors on the labelled development set, pinned to its exact content.

If you change the corpus or the gold claims on purpose, re-run `crosscheck eval`, update the README's
figures, then update GOLD_SHA256 below (the failure message prints the new value).
"""

from __future__ import annotations

import hashlib

import pytest

from crosscheck.config import PROJECT_ROOT, load_settings
from extractors.evaluation import evaluate_story

GOLD_SHA256 = "2d51ba2595fe725a4d25516143bda342247e584d5dd0824960dc444656363bb9"
OVERALL_FLOOR = 0.90
KIND_FLOORS = {
    "munitions_launched": 0.88, "munitions_hit": 0.80, "munitions_failed": 0.85, "munitions_intercepted": 0.95,
    "target": 0.90, "targets_count": 0.90, "killed": 0.95, "injured": 0.95, "event_time": 0.85,
    "responsibility": 0.85,
}


def labelled_set_digest() -> str:
    h = hashlib.sha256()
    seeds = PROJECT_ROOT / "seeds"
    for folder in ("articles/iran-2020", "corpus/iran-2020", "gold/iran-2020"):
        for p in sorted((seeds / folder).glob("*")):
            h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def scores():
    settings = load_settings()
    return evaluate_story(settings.seeds_dir, settings.story("iran-2020"))


def test_labelled_set_is_the_pinned_one():
    assert labelled_set_digest() == GOLD_SHA256, f"labelled set changed; new digest {labelled_set_digest()}"


def test_overall_f1_floor(scores):
    assert scores.articles >= 21
    p, r, f, _ = scores.strict.prf()
    assert f >= OVERALL_FLOOR, f"overall F1 {f:.3f} (P {p:.3f}, R {r:.3f}) under {OVERALL_FLOOR}"


@pytest.mark.parametrize("kind", sorted(KIND_FLOORS))
def test_kind_f1_floor(scores, kind):
    _, _, f, support = scores.strict.prf(kind)
    assert support > 0
    assert f >= KIND_FLOORS[kind], f"{kind}: F1 {f:.3f} under {KIND_FLOORS[kind]}"
