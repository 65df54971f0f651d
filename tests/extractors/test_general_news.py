"""General news yields no claims for a story: the 181 article bodies of the article-extraction benchmark (news of
every kind, almost none about an attack) read with each labelled story's vocabulary give at most five casualty or
munition claims, each one a reader would agree reports real casualties or munitions of an attack.
"""

from __future__ import annotations

import json

import pytest

from bench.html_bench import data_dir
from core.config import PROJECT_ROOT
from core.records import Article, content_hash
from extractors.claims import ClaimExtractor
from extractors.evaluation import load_sets
from extractors.vocabulary import load_vocabulary

CASUALTY_OR_MUNITION = ("killed", "injured", "munitions_launched", "munitions_hit", "munitions_intercepted",
                        "munitions_failed")
# (story, benchmark page id prefix, kind, low) of every casualty or munition claim allowed, with why a reader would
# agree it reports a real casualty or munition figure. Empty: none is found today.
ALLOWED: set[tuple[str, str, str, float]] = set()
STORIES = [*load_sets(PROJECT_ROOT / "seeds").tune, *load_sets(PROJECT_ROOT / "seeds").check]


@pytest.fixture(scope="module")
def bodies() -> dict[str, str]:
    truth = data_dir() / "ground-truth.json"
    if not truth.is_file():
        pytest.skip(f"article-extraction benchmark not found at {truth.parent} (set CROSSCHECK_BENCH_DATA)")
    return {k: v["articleBody"] for k, v in json.loads(truth.read_text(encoding="utf-8")).items()}


@pytest.mark.parametrize("story", STORIES)
def test_general_news_gives_at_most_five_casualty_or_munition_claims(bodies, story):
    assert len(bodies) == 181
    extractor = ClaimExtractor(load_vocabulary(PROJECT_ROOT / "seeds", story))
    found = []
    for page_id, text in sorted(bodies.items()):
        for c in extractor.extract(Article(content_hash(text), text)):
            if c.kind in CASUALTY_OR_MUNITION:
                found.append((story, page_id[:8], c.kind, c.value.low if c.value else None, c.evidence.sentence))
    unexpected = [f for f in found if f[:4] not in ALLOWED]
    assert not unexpected, "claims from general news:\n" + "\n".join(map(str, unexpected))
    assert len(found) <= 5


def test_an_attack_report_in_the_same_words_still_gives_claims(extractor):
    """The gate is about the article, not the wording: the benchmark's kind of sentence inside a report of the
    story is read as usual."""
    text = ("Iran fired 16 ballistic missiles at Al Asad air base overnight, the Pentagon said.\n\n"
            "Two people were killed and 30 were injured, officials said.")
    kinds = {(c.kind, c.value.low) for c in extractor.extract(Article(content_hash(text), text,
                                                                        published="2020-01-08"))
             if c.value is not None}
    assert {("munitions_launched", 16), ("killed", 2), ("injured", 30)} <= kinds


@pytest.mark.parametrize("text", [
    # the same figures without a munition or an attack beside a place or actor of the story
    "Three people have died during protests, and 30 others were injured in the skirmishes.",
    "Two service members were killed in a helicopter crash in the east of the country, officials said.",
    "NASA needs eight rocket launches to build the lander, the administrator told us.",
    # a munition, but nothing of the story
    "The museum displays 12 missiles from the Cold War.",
])
def test_news_not_about_the_story_gives_no_claims(extractor, text):
    assert extractor.extract(Article(content_hash(text), text)) == []
