"""Attribution: speech frames, canonical speakers, pronouns and quotes."""

from __future__ import annotations

import pytest
from support import article_about_the_story

from extractors.attribution import find_frames


def speakers(vocab, sentence):
    return [(f.attribution.speaker if f.attribution else None, f.hedge) for f in find_frames(sentence, vocab)]


@pytest.mark.parametrize(
    ("sentence", "speaker", "hedge"),
    [
        ("Pentagon spokesperson Jonathan Hoffman confirmed that Iran launched missiles.", "Jonathan Hoffman",
         "confirmed"),
        ("According to the Pentagon, 16 missiles were fired.", "US Department of Defense", "reported"),
        ("The DoD said 16 missiles were fired.", "US Department of Defense", "said"),
        ("Sixteen missiles were fired, said Defense Secretary Mark Esper.", "Mark Esper", "said"),
        ("Iranian state TV reported that 80 people were killed.", "Iranian state media", "reported"),
        ("Iraq's Joint Operations Command claimed 22 missiles hit.", "Iraqi Joint Operations Command", "claimed"),
        ("A U.S. official told ABC News that 15 missiles were launched.", "US officials", "said"),
        ("Col. Ahmed Khalil, a spokesman for the Kurdish forces, said five missiles struck.", "Ahmed Khalil",
         "said"),
    ],
)
def test_frames(vocab, sentence, speaker, hedge):
    assert (speaker, hedge) in speakers(vocab, sentence)


def test_pronoun_is_left_for_context(vocab):
    assert speakers(vocab, "“Nobody was hurt,” he said.") == [(None, "said")]


def test_he_said_resolves_to_last_named_person(extractor):
    text = (
        "President Trump spoke from the White House on Wednesday.\n\n"
        "“No Americans were harmed in last night’s attack,” he said."
    )
    claims = extractor.extract(article_about_the_story(text))
    killed = [c for c in claims if c.kind == "killed"]
    assert killed and killed[0].attribution.speaker == "Donald Trump"


def test_quote_spanning_sentences_takes_the_closing_speaker(extractor):
    text = "“Sixteen missiles were launched. Eleven of them hit Al Asad,” Esper told reporters."
    claims = extractor.extract(article_about_the_story(text))
    assert {c.attribution.speaker for c in claims if c.kind.startswith("munitions")} == {"Mark Esper"}


def test_outlet_voice_has_no_speaker(extractor):
    text = "Iran fired 16 ballistic missiles at two bases in Iraq early on Wednesday."
    claims = extractor.extract(article_about_the_story(text))
    assert claims and all(c.attribution.speaker is None for c in claims)
