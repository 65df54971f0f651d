"""Verdicts on synthetic claims: agree, refine, conflict, unverified, updated; sides, neutral voices, time."""

from __future__ import annotations

from typing import Any

from extractors.vocabulary import Vocabulary
from matching.records import MatchResult, Relation

D1, D2, D3, D4 = ("2020-01-08T03:00:00+00:00", "2020-01-08T20:00:00+00:00", "2020-01-16T21:00:00+00:00",
                  "2020-01-24T20:00:00+00:00")


def only_fact(result: MatchResult) -> str:
    assert len(result.facts) == 1, [f.slot for f in result.facts]
    return result.facts[0].fact_id


def rels(result: MatchResult, kind: str | None = None) -> list[Relation]:
    return [r for r in result.relations if kind is None or r.relation == kind]


def test_agree(kit: Any, vocab: Vocabulary) -> None:
    claims = [kit.claim("munitions_failed", (4, 4), munition="missile", speaker="Mark Esper", side="US",
                        outlet="ABC News"),
              kit.claim("munitions_failed", (4, 4), munition="missile", speaker="Mark Esper", side="US",
                        outlet="CNN")]
    result = kit.match(claims, vocab)
    v = result.verdict_of(only_fact(result))
    assert v is not None and v.verdict == "agree" and v.voices == 2 and v.consensus == (4, 4)
    assert not result.relations  # one value node: nothing to compare
    assert {m.role for m in result.members} == {"current"}


def test_refine_more_than_a_dozen_and_sixteen(kit: Any, vocab: Vocabulary) -> None:
    dozen = kit.claim("munitions_launched", (13, None), munition="missile", speaker="US Department of Defense",
                      side="US", outlet="Associated Press", published=D1, text="more than a dozen")
    sixteen = kit.claim("munitions_launched", (16, 16), munition="missile", speaker="Mark Esper", side="US",
                        outlet="U.S. Department of Defense", published=D2)
    result = kit.match([dozen, sixteen], vocab)
    v = result.verdict_of(only_fact(result))
    assert v is not None and v.verdict == "refine" and v.consensus == (16, 16)
    (r,) = rels(result)
    assert (r.relation, r.level, r.scope) == ("refine", "within", "same_side")
    assert (r.claim_a, r.claim_b) == (dozen.claim_id, sixteen.claim_id)
    assert (r.value_a, r.value_b) == ((13, None), (16, 16))
    assert r.evidence_a == dozen.evidence and r.evidence_b == sixteen.evidence
    assert {m.claim_id: m.role for m in result.members} == {dozen.claim_id: "current", sixteen.claim_id: "current"}


def test_conflict_between_sides_keeps_both_attributions(kit: Any, vocab: Vocabulary) -> None:
    us = kit.claim("munitions_launched", (16, 16), munition="missile", speaker="Mark Esper", side="US",
                   outlet="U.S. Department of Defense", published=D2)
    iraq = kit.claim("munitions_launched", (22, 22), munition="missile", speaker="Iraqi Joint Operations Command",
                     side="Iraq", outlet="Reuters", published=D1)
    result = kit.match([us, iraq], vocab)
    v = result.verdict_of(only_fact(result))
    assert v is not None and v.verdict == "conflict" and v.consensus is None and v.spread == (16, 22)
    (r,) = rels(result, "conflict")
    assert (r.level, r.scope) == ("disjoint", "cross_side")
    assert {(r.side_a, r.value_a), (r.side_b, r.value_b)} == {("US", (16, 16)), ("Iraq", (22, 22))}
    current = {sv.group: (sv.value, sv.speaker) for sv in v.current}
    assert current == {"US": ((16, 16), "Mark Esper"), "Iraq": ((22, 22), "Iraqi Joint Operations Command")}
    assert "Mark Esper" in v.explanation and "Iraqi Joint Operations Command" in v.explanation


def test_one_voice_is_unverified_even_in_many_copies(kit: Any, vocab: Vocabulary) -> None:
    text = ("WASHINGTON (AP) — Iran fired sixteen missiles at two bases in Iraq, the Pentagon said on Wednesday. "
            "Eleven of them struck Al Asad air base, officials said, and one struck a site in Erbil at night.")
    ap = kit.article("Associated Press", D1, text=text)
    reprint = kit.article("Star Tribune", D2, text=text + " Staff writers contributed to this report.")
    c1 = kit.claim("munitions_hit", (11, 11), munition="missile", subject="Al Asad", outlet="Associated Press",
                   published=D1, speaker="US Department of Defense", side="US")
    c2 = kit.claim("munitions_hit", (11, 11), munition="missile", subject="Al Asad", outlet="Star Tribune",
                   published=D2, speaker="US Department of Defense", side="US")
    result = kit.match([c1, c2], vocab)
    assert result.voice_of(reprint.article_id).voice_id == result.voice_of(ap.article_id).voice_id  # type: ignore[union-attr]
    v = result.verdict_of(only_fact(result))
    assert v is not None and v.verdict == "unverified" and v.voices == 1


def test_same_side_moving_over_time_is_an_update(kit: Any, vocab: Vocabulary) -> None:
    zero = kit.claim("injured", (0, 0), party="US", speaker="Donald Trump", side="US", outlet="NBC News",
                     published=D1)
    eleven = kit.claim("injured", (11, 11), party="US", speaker="US Central Command", side="US",
                       outlet="Military Times", published=D3)
    thirty_four = kit.claim("injured", (34, 34), party="US", speaker="Jonathan Hoffman", side="US",
                            outlet="Politico", published=D4)
    # a later retrospective repeats Trump's zero: it is dated by its first report, not by the retrospective
    retro = kit.claim("injured", (0, 0), party="US", speaker="Donald Trump", side="US", outlet="Vox",
                      published="2020-02-27T14:00:00+00:00")
    result = kit.match([zero, eleven, thirty_four, retro], vocab)
    v = result.verdict_of(only_fact(result))
    assert v is not None and v.verdict == "updated" and v.updates == 2 and v.conflicts == 0
    (us,) = v.current
    assert us.value == (34, 34) and us.sequence == ((0, 0), (11, 11), (34, 34))
    updates = [(r.value_a, r.value_b) for r in rels(result, "update")]
    assert updates == [((0, 0), (11, 11)), ((11, 11), (34, 34))]
    roles = {m.claim_id: (m.role, m.step) for m in result.members}
    assert roles[thirty_four.claim_id] == ("current", 2)
    assert roles[eleven.claim_id] == ("superseded", 1)
    assert roles[zero.claim_id] == roles[retro.claim_id] == ("superseded", 0)


def test_figures_first_seen_together_are_ordered_by_the_text(kit: Any, vocab: Vocabulary) -> None:
    # "109 troops have been diagnosed, up from 64": one article, the older figure mentioned second
    new = kit.claim("injured", (109, 109), party="US", speaker="US Department of Defense", side="US",
                    outlet="NPR", published=D4, start=100)
    old = kit.claim("injured", (64, 64), party="US", speaker="US Department of Defense", side="US",
                    outlet="NPR", published=D4, start=180)
    result = kit.match([new, old], vocab)
    (r,) = rels(result)
    assert (r.relation, r.value_a, r.value_b) == ("update", (64, 64), (109, 109))


def test_different_sides_disagreeing_is_a_conflict_not_an_update(kit: Any, vocab: Vocabulary) -> None:
    us = kit.claim("killed", (0, 0), party="US", speaker="Donald Trump", side="US", outlet="NBC News", published=D2)
    iran = kit.claim("killed", (80, 80), party="US", speaker="Iranian state media", side="Iran",
                     outlet="BBC News", published=D1)
    result = kit.match([us, iran], vocab)
    assert [r.relation for r in result.relations] == ["conflict"]


def test_neutral_media_support_the_official_figure_they_match(kit: Any, vocab: Vocabulary) -> None:
    us = kit.claim("munitions_launched", (16, 16), munition="missile", speaker="Mark Esper", side="US",
                   outlet="U.S. Department of Defense", published=D1)
    iraq = kit.claim("munitions_launched", (22, 22), munition="missile", speaker="Iraqi Joint Operations Command",
                     side="Iraq", outlet="Reuters", published=D1)
    cnn = kit.claim("munitions_launched", (16, 16), munition="missile", outlet="CNN", published=D3)
    dozen = kit.claim("munitions_launched", (12, None), munition="missile", outlet="Al Jazeera", published=D2)
    result = kit.match([us, iraq, cnn, dozen], vocab)
    members = {m.claim_id: m for m in result.members}
    assert members[cnn.claim_id].group == "US" and members[cnn.claim_id].side is None  # joined the US figure
    assert members[dozen.claim_id].group == "neutral" and members[dozen.claim_id].role == "current"
    supports = {(r.group_a, r.relation) for r in result.relations if r.claim_b == dozen.claim_id}
    assert supports == {("US", "refine"), ("Iraq", "refine")}  # consistent with both, conflicts with neither
    assert len(rels(result, "conflict")) == 1  # only US vs Iraq


def test_neutral_figure_matching_no_side_is_its_outlets_own(kit: Any, vocab: Vocabulary) -> None:
    us = kit.claim("killed", (0, 0), party="US", speaker="Donald Trump", side="US", outlet="NBC News", published=D1)
    odd = kit.claim("killed", (176, 176), party="US", outlet="The Hill", published=D2)
    result = kit.match([us, odd], vocab)
    (r,) = rels(result, "conflict")
    assert r.scope == "neutral" and {r.group_a, r.group_b} == {"US", "media:The Hill"}


def test_state_media_outlet_voice_takes_the_outlets_side(kit: Any, vocab: Vocabulary) -> None:
    iran = kit.claim("munitions_launched", (20, None), munition="missile", outlet="Press TV", published=D1)
    iraq = kit.claim("munitions_launched", (17, 17), munition="missile", speaker="Iraqi Joint Operations Command",
                     side="Iraq", outlet="Reuters", published=D1)
    result = kit.match([iran, iraq], vocab)
    members = {m.claim_id: m for m in result.members}
    assert (members[iran.claim_id].side, members[iran.claim_id].side_source) == ("Iran", "outlet")
    assert [r.relation for r in result.relations] == ["conflict"]


def test_unknown_speaker_is_neutral(kit: Any, vocab: Vocabulary) -> None:
    c = kit.claim("injured", (64, 64), party="US", speaker="Thomas Campbell", side=None, outlet="CNN")
    result = kit.match([c], vocab)
    (m,) = result.members
    assert (m.side, m.side_source) == (None, "unknown_speaker")


def test_conflicts_are_between_figures_held_at_the_same_time(kit: Any, vocab: Vocabulary) -> None:
    # Iraq said 22 on Jan 8; the US said 15 first, 16 later: both US figures were current alongside 22
    us15 = kit.claim("munitions_launched", (15, 15), munition="missile", speaker="US officials", side="US",
                     outlet="ABC News", published=D1)
    iraq = kit.claim("munitions_launched", (22, 22), munition="missile", speaker="Iraqi Joint Operations Command",
                     side="Iraq", outlet="Reuters", published="2020-01-08T06:40:00+00:00")
    us16 = kit.claim("munitions_launched", (16, 16), munition="missile", speaker="Mark Esper", side="US",
                     outlet="U.S. Department of Defense", published=D2)
    # Iran's later figure came after the US's 15 had been replaced: never compared with it
    iran = kit.claim("munitions_launched", (13, 13), munition="missile", speaker="Amir Ali Hajizadeh", side="Iran",
                     outlet="Tehran Times", published=D3)
    result = kit.match([us15, iraq, us16, iran], vocab)
    pairs = {frozenset((r.value_a, r.value_b)) for r in rels(result, "conflict")}
    assert frozenset(((15, 15), (22, 22))) in pairs and frozenset(((16, 16), (22, 22))) in pairs
    assert frozenset(((13, 13), (16, 16))) in pairs and frozenset(((13, 13), (15, 15))) not in pairs
    assert [(r.value_a, r.value_b) for r in rels(result, "update")] == [((15, 15), (16, 16))]


def test_value_free_claims_agree_by_slot(kit: Any, vocab: Vocabulary) -> None:
    a = kit.claim("target", None, subject="Al Asad", surface="Ain al-Asad", speaker="Islamic Revolutionary Guard "
                  "Corps", side="Iran", outlet="Tasnim News Agency")
    b = kit.claim("target", None, subject="Al Asad", surface="Al-Asad air base", speaker="Jonathan Hoffman",
                  side="US", outlet="Associated Press")
    result = kit.match([a, b], vocab)
    v = result.verdict_of(only_fact(result))
    assert v is not None and v.verdict == "agree"
    assert [(r.relation, r.level) for r in result.relations] == [("agree", "null")]
