"""An organisation written its own way is the listed one it means, by its head words and the marks of whose it is;
no mark and no hint, or two that fit, leave it as written."""

from __future__ import annotations

import pytest

from extractors.organisations import marks_in, resolve_organisation


def canonical(name: str, vocab, hints=()) -> str | None:
    sp = resolve_organisation(name, vocab, hints)
    return sp.canonical if sp else None


@pytest.mark.parametrize(("name", "expected"), [
    # the order of the words and "of" do not matter; a nationality or a possessive names the side
    ("Syria's Ministry of Health", "Syrian Health Ministry"),
    ("the Syrian ministry of health", "Syrian Health Ministry"),
    # a movement known by a proper name marks its organs, "-run" and "run by" say nothing more
    ("Houthi-run Ministry of Health", "Houthi health ministry"),
    ("health ministry run by the Houthi rebels", "Houthi health ministry"),
    # a city names its country's side when the listed name has no place of its own
    ("health ministry in Sanaa", "Houthi health ministry"),
    # what comes before "in the" / "of the" is the organisation, the rest says whose
    ("health ministry in the Houthi-run administration", "Houthi health ministry"),
    ("Air Force of the Armed Forces of Ukraine", "Ukrainian Air Force"),
    # abbreviations with full stops
    ("U.N. Human Rights Monitoring Mission", "UN Human Rights Monitoring Mission in Ukraine"),
])
def test_a_name_with_marks_is_the_listed_organisation(vocab, name, expected):
    assert canonical(name, vocab) == expected


@pytest.mark.parametrize("name", [
    # no mark, no hint: which health ministry is not said
    "the health ministry",
    # a mark that fits none of the listed ones with that head
    "Lebanon's health ministry",
    # one place is not another of the same kind: a regional administration is the region's it names
    "Dnipropetrovsk Regional Military Administration",
    # too general a head
    "the ministry",
    # a person's name is not an organisation
    "Ahmed Hoshyar",
])
def test_a_name_that_says_too_little_stays_as_written(vocab, name):
    assert canonical(name, vocab) is None


def test_a_name_without_a_mark_takes_the_side_its_sentence_names(vocab):
    sentence = "French warships fired 12 of the cruise missiles, the armed forces ministry said."
    assert canonical("armed forces ministry", vocab, marks_in(sentence, vocab)) == "French Armed Forces Ministry"
    # a side that fits no listed armed forces ministry: as written
    assert canonical("armed forces ministry", vocab, (frozenset({"qatar", "qatari"}),)) is None
    # a place kind without a mark is left to the place named last, never to a side
    assert canonical("regional military administration", vocab, (frozenset({"ukraine"}),)) is None
