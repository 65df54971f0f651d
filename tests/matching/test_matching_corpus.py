"""The bundled iran-2020 corpus, read, extracted and cross-referenced end to end: what matching must show."""

from __future__ import annotations

import re
from typing import Any

from matching.records import Fact, MatchResult, Relation


def fact(result: MatchResult, kind: str, **slot: Any) -> Fact:
    f = result.find_fact(kind, slot.get("subject"), slot.get("party"), slot.get("munition"))
    assert f is not None, (kind, slot)
    return f


def speakers(corpus: Any) -> dict[str, str | None]:
    return {c.claim_id: c.attribution.speaker for c in corpus.claims}


def test_missiles_launched_us_16_conflicts_with_iraq_22(corpus: Any) -> None:
    result = corpus.result
    f = fact(result, "munitions_launched", munition="missile")
    who = speakers(corpus)
    conflicts = [r for r in result.relations_of(f.fact_id) if r.relation == "conflict"]
    us_iraq = [r for r in conflicts if {(r.side_a, r.value_a), (r.side_b, r.value_b)} == {("US", (16, 16)),
                                                                                         ("Iraq", (22, 22))}]
    assert us_iraq, [(r.side_a, r.value_a, r.side_b, r.value_b) for r in conflicts]
    r = us_iraq[0]
    by_side = {r.side_a: r.claim_a, r.side_b: r.claim_b}
    assert who[by_side["US"]] == "Mark Esper"
    assert who[by_side["Iraq"]] == "Iraqi Joint Operations Command"
    assert r.level == "disjoint" and r.scope == "cross_side"
    verdict = result.verdict_of(f.fact_id)
    assert verdict is not None and verdict.verdict == "conflict"
    current = {sv.group: sv.value for sv in verdict.current}
    assert current["US"] == (16, 16) and current["Iraq"] == (22, 22)


def test_more_than_a_dozen_refines_sixteen(corpus: Any) -> None:
    result = corpus.result
    f = fact(result, "munitions_launched", munition="missile")
    who = speakers(corpus)
    refines: list[Relation] = [
        r for r in result.relations_of(f.fact_id)
        if r.relation == "refine" and r.value_a == (13, None) and r.value_b == (16, 16)
    ]
    assert refines, "the Pentagon's 'more than a dozen' is not recorded as consistent with Esper's 16"
    r = refines[0]
    assert r.level == "within" and r.side_a == r.side_b == "US"
    assert who[r.claim_a] in {"US Department of Defense", "Jonathan Hoffman"}  # each side attributed
    assert who[r.claim_b] == "Mark Esper"
    dozen = [m for m in result.members_of(f.fact_id) if m.value == (13, None) and m.side == "US"]
    assert dozen and all(m.role == "current" for m in dozen)  # consistent with 16, not superseded


def test_us_killed_zero_conflicts_with_iranian_state_media_80(corpus: Any) -> None:
    result = corpus.result
    f = fact(result, "killed", party="US")
    who = speakers(corpus)
    conflicts = [r for r in result.relations_of(f.fact_id) if r.relation == "conflict" and r.scope == "cross_side"]
    pairs = []
    for r in conflicts:
        side_of = {r.side_a: (r.value_a, who[r.claim_a]), r.side_b: (r.value_b, who[r.claim_b])}
        if set(side_of) == {"US", "Iran"}:
            pairs.append(side_of)
    assert any(p["US"][0] == (0, 0) and p["Iran"][0] is not None and p["Iran"][0][0] == 80 for p in pairs), pairs
    us_speakers = {p["US"][1] for p in pairs}
    assert us_speakers & {"Donald Trump", "US officials", "Mark Esper"}
    assert {p["Iran"][1] for p in pairs} == {"Iranian state media"}
    verdict = result.verdict_of(f.fact_id)
    assert verdict is not None and verdict.verdict == "conflict"
    assert "Iranian state media" in verdict.explanation


def test_us_injured_11_to_110_is_one_figure_updated(corpus: Any) -> None:
    result = corpus.result
    f = fact(result, "injured", party="US")
    verdict = result.verdict_of(f.fact_id)
    assert verdict is not None
    (us,) = [sv for sv in verdict.current if sv.group == "US"]
    assert us.value == (110, 110)
    sequence = [v[0] for v in us.sequence if v is not None and v[0] == v[1]]
    expected = [0, 11, 34, 50, 64, 109, 110]
    it = iter(sequence)
    assert all(x in it for x in expected), sequence  # in this order, perhaps with other steps between
    updates = {(r.value_a, r.value_b) for r in result.relations_of(f.fact_id) if r.relation == "update"}
    for a, b in zip(expected[1:], expected[2:], strict=False):
        assert ((a, a), (b, b)) in updates, (a, b)
    # no two US figures are ever reported as conflicting: same side over time is an update
    figures = {(x, x) for x in expected}
    assert not [r for r in result.relations_of(f.fact_id)
                if r.relation == "conflict" and r.value_a in figures and r.value_b in figures]
    roles = {m.value: m.role for m in result.members_of(f.fact_id) if m.group == "US" and m.value in figures}
    assert roles[(110, 110)] == "current"
    assert all(roles[(x, x)] == "superseded" for x in expected[:-1] if (x, x) in roles)


def test_every_spelling_of_al_asad_and_erbil_is_one_entity(corpus: Any) -> None:
    result = corpus.result
    asad = re.compile(r"as+ad", re.IGNORECASE)
    erbil = re.compile(r"\b(?:[ie]rbil|arbil|hawler)\b", re.IGNORECASE)
    seen_asad = {e.surface: e.canonical for e in result.entities if asad.search(e.surface)}
    seen_erbil = {e.surface: e.canonical for e in result.entities if erbil.search(e.surface)}
    assert len(seen_asad) >= 8 and len(seen_erbil) >= 3
    assert set(seen_asad.values()) == {"Al Asad"}, seen_asad
    assert set(seen_erbil.values()) == {"Erbil"}, seen_erbil
    subjects = {f.slot.subject for f in result.facts if f.slot.kind == "target"}
    assert {"Al Asad", "Erbil"} <= subjects
    assert not {s for s in subjects if s and (asad.search(s) or erbil.search(s))} - {"Al Asad", "Erbil"}


def test_reprinted_wire_story_counts_once(corpus: Any) -> None:
    result = corpus.result
    ap, gazette = corpus.article("14-"), corpus.article("16-")
    f = fact(result, "killed", party="US")
    articles = {m.article_id for m in result.members_of(f.fact_id)}
    assert {ap.article_id, gazette.article_id} <= articles  # both copies carry the claim...
    voice_articles = [m.article_id for m in result.members_of(f.fact_id) if m.voice_id == "Associated Press"]
    assert len(set(voice_articles)) >= 2
    assert f.voices.count("Associated Press") == 1  # ...and count as one voice
    assert len(f.voices) < len(articles)


def test_every_claim_is_in_exactly_one_fact(corpus: Any) -> None:
    result = corpus.result
    ids = [m.claim_id for m in result.members]
    assert len(ids) == len(set(ids)) == len({c.claim_id for c in corpus.claims})
    assert {v.verdict for v in result.verdicts} <= {"agree", "refine", "updated", "conflict", "unverified"}
