"""Places: gazetteer aliases, transliteration-aware normalisation, fuzzy and unlisted names."""

from __future__ import annotations

import pytest

from extractors.places import find_places, normalise_name, resolve_name


@pytest.mark.parametrize(
    "spelling",
    ["Al Asad", "Al-Asad", "Al-Assad", "Al Assad", "Ain al-Asad", "Ain Al Asad", "Ayn al-Asad", "Ain Assad",
     "Al Asad Airbase", "Ain al-Assad air base", "Ein al-Asad"],
)
def test_all_spellings_resolve_to_al_asad(vocab, spelling):
    place = resolve_name(spelling, vocab)
    assert place is not None and place.canonical == "Al Asad"


@pytest.mark.parametrize("spelling", ["Erbil", "Irbil", "Arbil", "Hawler"])
def test_erbil_spellings(vocab, spelling):
    assert resolve_name(spelling, vocab).canonical == "Erbil"


def test_normalise_strips_prefixes_and_doubled_letters():
    assert normalise_name("Ain al-Assad Airbase") == normalise_name("Al Asad") == "asad"


def test_digits_are_never_fuzzed(vocab):
    assert resolve_name("K-2 air base", vocab) is None


def test_unlisted_base_names_are_recognised(vocab):
    found = find_places("Rockets hit Camp Victory and the K-1 air base near Kirkuk.", vocab)
    labels = {(p.canonical, p.known) for p in found}
    assert ("Camp Victory", False) in labels
    assert ("K-1 air base", False) in labels


def test_syrian_president_is_not_the_base(vocab):
    assert find_places("Bashar al-Assad said nothing.", vocab) == []


def test_surface_keeps_base_word(vocab):
    [p] = [p for p in find_places("Missiles struck the al-Asad air base overnight.", vocab)]
    assert p.surface == "al-Asad air base" and p.canonical == "Al Asad"
