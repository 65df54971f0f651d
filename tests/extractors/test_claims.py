"""Claims from prose: the seed article's must-show claims and the rules behind them."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import article_about_the_story

from core.config import PROJECT_ROOT
from core.records import Article, Claim
from extractors.claims import ClaimExtractor
from sources.files import read_document

SEED = PROJECT_ROOT / "seeds" / "articles" / "iran-2020" / "seed-rolling-stone.txt"


def claims_of(extractor: ClaimExtractor, text: str, published: str = "2020-01-08") -> list[Claim]:
    """The claims of `text` read as (the start of) an article about the story."""
    return extractor.extract(article_about_the_story(text, published))


def pick(claims, kind, **kw):
    out = [c for c in claims if c.kind == kind]
    for k, v in kw.items():
        if k == "speaker":
            out = [c for c in out if c.attribution.speaker == v]
        else:
            out = [c for c in out if getattr(c, k) == v]
    return out


@pytest.fixture(scope="module")
def seed_claims(extractor):
    art = read_document(SEED)
    assert isinstance(art, Article), art
    assert art.outlet == "Rolling Stone" and art.published.startswith("2020-01-08")
    return extractor.extract(art)


def test_seed_launched_more_than_a_dozen_attributed_to_the_pentagon(seed_claims):
    launched = pick(seed_claims, "munitions_launched", munition="missile", speaker="Jonathan Hoffman")
    assert len(launched) == 1
    c = launched[0]
    assert (c.value.low, c.value.high, c.value.qualifier) == (13, None, "at_least")
    assert c.value.text == "more than a dozen"
    assert c.attribution.organisation == "US Department of Defense"
    assert c.attribution.hedge == "confirmed"
    assert c.evidence.sentence[c.evidence.start - c.evidence.sentence_start:][:17] == "more than a dozen"


def test_seed_targets_are_canonical(seed_claims):
    targets = {c.subject for c in pick(seed_claims, "target")}
    assert targets == {"Al Asad", "Erbil"}
    surfaces = {c.subject_surface for c in pick(seed_claims, "target", speaker="Jonathan Hoffman")}
    assert surfaces == {"Al-Assad", "Irbil"}


def test_seed_targets_count_at_least_two(seed_claims):
    counts = pick(seed_claims, "targets_count", speaker="Jonathan Hoffman")
    assert [(c.value.low, c.value.high) for c in counts] == [(2, None)]


def test_seed_no_americans_harmed_by_trump(seed_claims):
    for kind in ("killed", "injured"):
        [c] = pick(seed_claims, kind, party="US", speaker="Donald Trump")
        assert (c.value.low, c.value.high) == (0, 0)


def test_seed_responsibility_iran(seed_claims):
    assert {c.subject for c in pick(seed_claims, "responsibility")} == {"Iran"}


def test_evidence_spans_point_into_the_text(seed_claims):
    text = read_document(SEED).text
    for c in seed_claims:
        assert text[c.evidence.sentence_start:].startswith(c.evidence.sentence)
        assert c.evidence.sentence_start <= c.evidence.start < c.evidence.end <= (
            c.evidence.sentence_start + len(c.evidence.sentence))


def test_roles_launched_hit_failed_and_places(extractor):
    text = ("Iran fired 16 ballistic missiles from three sites, the Pentagon said. Eleven of them struck "
            "Ain al-Asad and one hit a facility in Irbil, while four failed in flight.")
    cs = claims_of(extractor, text)
    got = {(c.kind, c.subject, c.value.low) for c in cs if c.kind.startswith("munitions")}
    assert got == {("munitions_launched", None, 16), ("munitions_hit", "Al Asad", 11),
                   ("munitions_hit", "Erbil", 1), ("munitions_failed", None, 4)}


def test_iraqi_figures_with_did_not_explode(extractor):
    text = ("Iraq's Joint Operations Command said 22 missiles were fired: 17 fell on Ain al-Asad, two of which "
            "did not explode, and five on Erbil.")
    cs = claims_of(extractor, text)
    got = {(c.kind, c.subject, c.value.low) for c in cs if c.kind.startswith("munitions")}
    assert ("munitions_launched", None, 22) in got
    assert ("munitions_hit", "Al Asad", 17) in got
    assert ("munitions_failed", "Al Asad", 2) in got  # "two of which": part of the 17 at Al Asad
    assert ("munitions_hit", "Erbil", 5) in got
    assert {c.attribution.speaker for c in cs} == {"Iraqi Joint Operations Command"}


def test_state_media_casualties_and_party(extractor):
    text = "Iranian state TV said at least 80 American terrorists were killed and about 200 wounded."
    cs = claims_of(extractor, text)
    [k] = pick(cs, "killed")
    [w] = pick(cs, "injured")
    assert (k.party, k.value.low, k.value.high) == ("US", 80, None)
    assert (w.party, w.value.low, w.value.high) == ("US", 180, 220)
    assert k.attribution.speaker == w.attribution.speaker == "Iranian state media"


def test_brain_injury_follow_up(extractor):
    text = ("The Pentagon said Friday that 64 U.S. service members have been diagnosed with traumatic "
            "brain injuries from the Jan. 8 attack.")
    [c] = pick(claims_of(extractor, text, "2020-01-31"), "injured")
    assert (c.party, c.value.low, c.attribution.speaker) == ("US", 64, "US Department of Defense")


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("No Americans were harmed.", {"killed", "injured"}),
        ("There were no U.S. casualties.", {"killed", "injured"}),
        ("No U.S. troops were killed.", {"killed"}),
        ("No injuries were reported among American forces.", {"injured"}),
    ],
)
def test_negations_are_zero(extractor, sentence, kinds):
    cs = [c for c in claims_of(extractor, sentence) if c.kind in ("killed", "injured")]
    assert {c.kind for c in cs} == kinds
    assert all((c.value.low, c.value.high, c.party) == (0, 0, "US") for c in cs)


def test_other_event_is_not_this_story(extractor):
    text = "The drone strike that killed Soleimani and nine others near Baghdad airport came on Jan. 3."
    cs = claims_of(extractor, text)
    assert not [c for c in cs if c.kind in ("killed", "target")]


def test_troop_presence_is_not_a_casualty(extractor):
    assert not claims_of(extractor, "About 1,500 U.S. troops are stationed at Al Asad.")


def test_event_time_converted_to_local(extractor):
    text = "The first missiles landed at about 5:30 p.m. Eastern time on Tuesday."
    [c] = pick(claims_of(extractor, text, "2020-01-08"), "event_time")
    assert c.when.start == "2020-01-08T01:30+03:00"


def test_claim_json_contract(seed_claims):
    d = seed_claims[0].to_dict()
    for key in ("claim_id", "article_id", "kind", "value", "munition", "party", "subject", "subject_surface",
                "attribution", "evidence", "extractor_version", "when"):
        assert key in d
    assert set(d["attribution"]) == {"speaker", "surface", "organisation", "side", "hedge"}
    assert set(d["evidence"]) == {"article_id", "sentence", "sentence_start", "start", "end"}


def test_vocabulary_drives_extraction(tmp_path: Path, vocab):
    """A new munition word in configuration is picked up without code changes."""
    import shutil

    from extractors.vocabulary import load_vocabulary

    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds, ignore=shutil.ignore_patterns("corpus", "gold", "articles"))
    voc = (seeds / "vocabulary.toml").read_text()
    voc = voc.replace('drone = ["drone",', 'drone = ["shahed", "shaheds", "drone",')
    (seeds / "vocabulary.toml").write_text(voc)
    ex = ClaimExtractor(load_vocabulary(seeds, "iran-2020"))
    [c] = [c for c in claims_of(ex, "Iran launched 40 Shaheds at the base.") if c.kind == "munitions_launched"]
    assert c.munition == "drone" and c.value.low == 40
    assert ex.version != ClaimExtractor(vocab).version


def test_forces_and_negated_people_come_from_the_vocabulary(tmp_path: Path, vocab):
    """Who counts as people, as the attacked side's forces, and who a negation can clear, is configuration: a new
    event's word for its troops needs no code change."""
    import shutil

    from extractors.vocabulary import load_vocabulary

    sentence = "Three guardsmen were killed in the attack. No guardsmen were harmed at Erbil."

    def casualties(*edits: tuple[str, str]) -> list[tuple]:
        seeds = tmp_path / f"seeds-{abs(hash(edits))}"  # a folder per vocabulary (vocabularies are cached by folder)
        shutil.copytree(PROJECT_ROOT / "seeds", seeds, ignore=shutil.ignore_patterns("corpus", "gold", "articles"))
        voc = (seeds / "vocabulary.toml").read_text()
        for old, new in edits:
            assert old in voc
            voc = voc.replace(old, new)
        (seeds / "vocabulary.toml").write_text(voc)
        ex = ClaimExtractor(load_vocabulary(seeds, "iran-2020"))
        return sorted((c.kind, c.value.low, c.value.high, c.party) for c in claims_of(ex, sentence)
                      if c.kind in ("killed", "injured"))

    people = ('people = ["people",', 'people = ["guardsmen", "people",')
    forces = ('forces = ["troop",', 'forces = ["guardsmen", "troop",')
    negated = ('negated_people = ["one",', 'negated_people = ["guardsmen", "one",')
    assert [c for c in claims_of(ClaimExtractor(vocab), sentence) if c.kind in ("killed", "injured")] == []
    # people, but nobody's; and any people noun can be negated ("No guardsmen were harmed": zero killed and
    # injured, for the side the story's attack was on)
    assert casualties(people) == [("injured", 0, 0, "US"), ("killed", 0, 0, "US"), ("killed", 3, 3, None)]
    assert casualties(people, forces) == [  # the attacked side's (story default_party)
        ("injured", 0, 0, "US"), ("killed", 0, 0, "US"), ("killed", 3, 3, "US")]
    assert casualties(negated) == [("injured", 0, 0, "US"), ("killed", 0, 0, "US")]  # negated, never counted
