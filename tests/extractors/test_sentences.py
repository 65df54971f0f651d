"""Sentence splitting: offsets that map back to the text, abbreviations, and bounded sentence length."""

from __future__ import annotations

from extractors.sentences import MAX_SENTENCE, split_sentences


def test_sentences_keep_their_offsets_and_skip_abbreviations():
    text = ("Gen. Mark Milley said 16 missiles were fired at 1:34 a.m. local time. Eleven hit Al Asad.\n\n"
            "U.S. officials said no one was killed.")
    got = split_sentences(text)
    assert [s.text for s in got] == ["Gen. Mark Milley said 16 missiles were fired at 1:34 a.m. local time.",
                                     "Eleven hit Al Asad.", "U.S. officials said no one was killed."]
    assert [s.paragraph for s in got] == [0, 0, 1]
    assert all(text[s.start : s.end] == s.text for s in got)


def test_an_unpunctuated_run_is_cut_into_bounded_pieces_at_commas_or_spaces():
    clause = "the militia said 12 rockets were fired at the base and four hit the runway, "
    text = (clause * 700).strip()  # about 54 kB with no sentence end: a table dump or a transcript run together
    got = split_sentences(text)
    assert len(got) > 50
    assert max(len(s.text) for s in got) <= MAX_SENTENCE
    assert all(text[s.start : s.end] == s.text for s in got)
    assert all(s.text.endswith(",") for s in got[:-1])  # cut after a comma where one is in reach
    # nothing is lost: the pieces cover every word of the run
    assert sum(len(s.text.split()) for s in got) == len(text.split())


def test_a_long_run_without_commas_is_cut_at_spaces():
    text = " ".join(["word"] * 3000)
    got = split_sentences(text)
    assert max(len(s.text) for s in got) <= MAX_SENTENCE
    assert all(s.text.startswith("word") and s.text.endswith("word") for s in got)
