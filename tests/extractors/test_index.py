"""The sentence index: trying a pattern only where the index says a phrase can start finds exactly what scanning
the whole text finds, for every gated pattern, on whole sentences and on windows that cut words."""

from __future__ import annotations

import re

import pytest

from core.config import load_settings
from crosscheck.jobs import collect_local
from extractors.claims import ClaimExtractor
from extractors.index import Gates, SentenceIndex, first_runs
from extractors.sentences import split_sentences

# Windows that start or end inside words, pairs cut in the middle, number words, non-ASCII letters whose lower
# case is longer (the index then falls back to scanning), digits of other scripts.
TRICKY = [
    "Iran fired 16 ballistic missiles at Ain al-Asad airbase and Irbil, the Pentagon said.",
    "U.S. officials said eleven of the missiles hit Al Asad; the others fell short.",
    "Unfired missiles, misfired rockets and dronesque craft: none counted, according to officials.",
    "The İstanbul desk said twenty-two missiles were launched early Wednesday (local time).",
    "Officials counted ٣ missiles; ‘no Americans were harmed,’ Trump said at 10:30 p.m.",
    "More than a dozen missiles, a few drones and a hundred rockets: the Defense Department's count.",
]


@pytest.fixture(scope="module")
def extractor(vocab) -> ClaimExtractor:
    return ClaimExtractor(vocab)


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    settings = load_settings()
    articles = collect_local(settings, settings.story("iran-2020")).articles
    texts = [s.text for a in articles for s in split_sentences(a.text)]
    return texts[::4] + TRICKY  # a quarter of the bundled sentences keeps the test fast


def spans(matches) -> list[tuple[int, int]]:
    return [m.span() for m in matches]


def windows(n: int) -> list[tuple[int, int | None]]:
    out: list[tuple[int, int | None]] = [(0, None)]
    for lo in range(0, n, 7):
        for width in (4, 13, 40, 61):
            out.append((lo, min(n, lo + width)))
    return out


def test_first_runs():
    assert first_runs("U.S.-led coalition") == ("u", "s")
    assert first_runs("Ain al-Asad") == ("ain", "al")
    assert first_runs("approx.") == ("approx",)
    assert first_runs("’s") is None


def test_a_phrase_that_cannot_be_indexed_is_refused():
    with pytest.raises(ValueError, match="does not start with a word character"):
        Gates.build({"possessive": ["'s count"]})


def test_index_finds_what_a_scan_finds(extractor, sentences):
    checked = 0
    for text in sentences:
        ix = SentenceIndex(text, extractor.gates)
        for name, (rx, _) in extractor.gated.items():
            assert spans(ix.finditer(name, rx, text)) == spans(rx.finditer(text)), (name, text)
            for lo, hi in windows(len(text)):
                if hi is None:
                    continue
                assert spans(ix.finditer(name, rx, text, lo, hi)) == spans(rx.finditer(text, lo, hi)), (name, lo, hi)
                got, want = ix.search(name, rx, text, lo, hi), rx.search(text, lo, hi)
                assert (got and got.span()) == (want and want.span()), (name, text, lo, hi)
                if rx.search(text[lo:hi]):  # what the slice can match, the index must not rule out
                    assert ix.may(name, lo, hi), (name, text[lo:hi])
                checked += 1
    assert checked > 10_000


def test_a_cut_word_is_still_tried(extractor):
    text = "They launched missiles at the base."
    ix = SentenceIndex(text, extractor.gates)
    rx = extractor.gated["munition"][0]
    end = text.index("missiles") + len("missile")  # "missiles" cut to "missile", a munition word of its own
    assert rx.search(text, 0, end)
    assert ix.search("munition", rx, text, 0, end).group() == "missile"
    assert ix.may("munition", 0, end)


def test_sentences_whose_lower_case_is_longer_fall_back_to_scanning(extractor):
    text = "İ Iran fired 16 missiles."
    ix = SentenceIndex(text, extractor.gates)
    assert not ix.exact
    rx = extractor.gated["munition"][0]
    assert spans(ix.finditer("munition", rx, text)) == spans(rx.finditer(text))
    assert ix.may("munition", 3, 5)  # no index: every window may match


def test_words_and_pairs_are_indexed(extractor):
    ix = SentenceIndex("According to the Pentagon, 16 missiles hit.", extractor.gates)
    assert ix.at["according"] == [0]
    assert 27 in ix.at["quantity"]  # digit-led token
    assert {"according", "to", "the", "pentagon", "16", "missiles", "hit"} == ix.words
    assert not ix.has_word(frozenset({"drone"}))
    assert re.fullmatch(r"\w+", "pentagon")
