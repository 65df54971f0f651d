"""matching.entities: transliteration keys, calibrated fuzzy threshold, digits never fuzzed, unknown clusters."""

from __future__ import annotations

import pytest

from extractors.vocabulary import Vocabulary
from matching.entities import (
    NAME_THRESHOLD,
    EntityResolver,
    calibrate,
    cluster_names,
    load_alias_pairs,
    main,
    name_similarity,
    transliteration_key,
)

AL_ASAD = ["Al Asad", "Al-Asad", "Al-Assad", "Al Assad", "Ain al-Asad", "Ain Al Asad", "Ayn al-Asad", "Ain Assad",
           "Al Asad Airbase", "Ain al-Asad air base", "Ayn al-Asad airbase", "AL ASAD AIR BASE", "Ein el-Asad",
           "at Ayn al-Asad air base", "US-run Ain al-Asad airbase", "Aïn al-Asad", "Al-Assad Airfield"]
ERBIL = ["Erbil", "Irbil", "Arbil", "Hawler", "ARBIL", "Erbil airport", "at Erbil air base", "Irbil air base"]


@pytest.mark.parametrize(
    ("name", "key"),
    [("Ain al-Assad Airbase", "asad"), ("Irbil", "arbil"), ("Erbil", "arbil"), ("Bayji", "baiji"),
     ("Beiji", "baiji"), ("Fallouja", "faluja"), ("Fallujah", "faluja"), ("Al-Qa'im", "kaim"),
     ("Deir ez-Zor", "dairzor"), ("Deir al-Zor", "dairzor"), ("US-run Ain al-Asad airbase", "asad")],
)
def test_transliteration_key(name: str, key: str) -> None:
    assert transliteration_key(name) == key


def test_calibration_keeps_the_shipped_threshold_and_its_quality() -> None:
    pairs = load_alias_pairs()
    assert len(pairs) >= 60
    assert sum(not p.same for p in pairs) >= 25  # hard negatives are a real share of the list
    cal = calibrate()
    assert cal.chosen.threshold == NAME_THRESHOLD  # moving the labelled pairs must move the constant too
    assert cal.chosen.precision >= 0.95
    assert cal.chosen.recall >= 0.9
    # a higher threshold never finds more true pairs
    rows = cal.rows
    assert all(a.recall >= b.recall for a, b in zip(rows, rows[1:], strict=False))


def test_calibrate_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--calibrate"]) == 0
    out = capsys.readouterr().out
    assert "threshold" in out and "precision" in out and "<- chosen" in out
    assert f"chosen threshold {NAME_THRESHOLD:.0f}" in out


@pytest.mark.parametrize(
    ("a", "b"),
    [("K-1", "K-2"), ("K-1 air base", "K-2 air base"), ("Highway 1", "Highway 11"), ("Sector 4", "Sector 14"),
     ("H-2", "H-3")],
)
def test_digits_are_never_fuzzed(a: str, b: str) -> None:
    assert name_similarity(a, b) == 0.0


def test_same_digits_with_other_spelling_match() -> None:
    assert name_similarity("K-1", "K1") == 100.0
    assert name_similarity("K-1 air base", "K1 Airbase") == 100.0


@pytest.mark.parametrize(
    ("a", "b"),
    [("North Korea", "South Korea"), ("Camp Taji", "Camp Bucca"), ("Erbil", "Arbat"), ("Iran", "Iraq"),
     ("Kerman", "Kermanshah"), ("Erbil", "Irbid"), ("Ain al-Asad", "Ain Issa")],
)
def test_hard_negatives_stay_below_the_threshold(a: str, b: str) -> None:
    assert name_similarity(a, b) < NAME_THRESHOLD


@pytest.mark.parametrize("name", AL_ASAD)
def test_every_al_asad_spelling_is_one_entity(vocab: Vocabulary, name: str) -> None:
    hit = EntityResolver(vocab).lookup(name)
    assert hit is not None and hit.canonical == "Al Asad", name


@pytest.mark.parametrize("name", ERBIL)
def test_every_erbil_spelling_is_one_entity(vocab: Vocabulary, name: str) -> None:
    hit = EntityResolver(vocab).lookup(name)
    assert hit is not None and hit.canonical == "Erbil", name


def test_lookup_methods_are_ordered_by_strength(vocab: Vocabulary) -> None:
    r = EntityResolver(vocab)
    assert r.lookup("Irbil").method == "gazetteer"  # type: ignore[union-attr]
    assert r.lookup("Al-Asad Air Base").method == "normalised"  # type: ignore[union-attr]
    assert r.lookup("at Ayn al-Asad air base").method == "transliterated"  # type: ignore[union-attr]
    fuzzy = r.lookup("Kirmanshah")
    assert fuzzy is not None and fuzzy.canonical == "Kermanshah" and fuzzy.method == "fuzzy"
    assert NAME_THRESHOLD <= fuzzy.score < 100
    assert r.lookup("Camp Bucca") is None
    assert r.lookup("Arbat") is None


def test_unknown_names_are_clustered_not_dropped(vocab: Vocabulary) -> None:
    subjects = [
        ("K-1 air base", "K-1 air base", False),
        ("K-1 air base", "K1 Air Base", False),
        ("K1 air base", "K1 airbase", False),
        ("K-2 air base", "K-2 air base", False),
        ("Camp Victory", "Camp Victory", False),
        ("Camp Liberty", "Camp Liberty", False),
        ("at Ayn al-Asad air base", "at Ayn al-Asad air base", False),  # unknown to the extractor, known here
    ]
    out = EntityResolver(vocab).resolve_all(subjects)
    k1 = {out[(s, f)].canonical for s, f, _ in subjects[:3]}
    assert k1 == {"K-1 air base"}
    assert out[subjects[3][:2]].canonical == "K-2 air base"
    assert out[subjects[4][:2]].canonical != out[subjects[5][:2]].canonical
    assert all(not out[s[:2]].known and out[s[:2]].method == "cluster" for s in subjects[:6])
    asad = out[subjects[6][:2]]
    assert asad.canonical == "Al Asad" and asad.known


def test_cluster_names_blocks_by_digits() -> None:
    clusters = cluster_names(["K-1", "K1", "K-2", "Qayara West", "Qayyarah West"])
    assert clusters["K-1"] == clusters["K1"] != clusters["K-2"]
    assert clusters["Qayara West"] == clusters["Qayyarah West"]


def test_cross_validated_estimate_and_extractor_scorer(capsys: pytest.CaptureFixture[str]) -> None:
    cal = calibrate()
    cv = cal.cross_validated
    assert cv.tp + cv.fp + cv.fn + cv.tn == len(load_alias_pairs())
    assert cv.precision >= 0.9 and cv.recall >= 0.85
    assert main(["--calibrate", "--scorer", "extractor"]) == 0
    assert "scorer: extractor" in capsys.readouterr().out
