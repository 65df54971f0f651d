"""Which event a report tells of, from its own words (extractors/events.py): invented reports judged against the
iran-2020 story (Iran's missiles on Al Asad and Erbil, Wednesday 8 January 2020), each with a case that must stay
the story's beside one that must not."""

from __future__ import annotations

import pytest

from core.records import Article, Claim, content_hash
from extractors.claims import ClaimExtractor
from extractors.events import OTHER, STORY, UNKNOWN, EventDecision


def judge(extractor: ClaimExtractor, text: str, *, title: str = "", published: str | None = None
          ) -> tuple[list[Claim], EventDecision]:
    body = text.strip().replace("\n    ", " ")
    return extractor.extract_report(Article(content_hash(body), body, title=title or None, published=published))


def figures(claims: list[Claim]) -> set[tuple[str, float]]:
    return {(c.kind, c.value.low) for c in claims if c.value is not None}


# ---- dates that date an attack ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "verdict"), [
    ("Rockets struck Erbil airport on Monday, February 15, killing a foreign contractor.", OTHER),
    ("Ten rockets hit Ain al-Asad air base on March 3, 2021, the coalition said.", OTHER),
    ("Militants fired ballistic missiles at al-Asad air base on Saturday, January 20, the U.S. military said.",
     OTHER),
    ("Iran fired 16 ballistic missiles at Al Asad early Wednesday, January 8, the Pentagon said.", STORY),
    ("On January 8, 2020, Iran launched ballistic missiles at Al Asad and Erbil.", STORY),
])
def test_a_date_with_its_year_or_weekday_places_the_attack(extractor: ClaimExtractor, text: str,
                                                           verdict: str) -> None:
    _, d = judge(extractor, text)
    assert d.verdict == verdict, d.reason()
    if verdict == OTHER:
        assert d.conflicting and d.reason().startswith("another event")


def test_a_weekday_with_a_day_names_the_years_it_fits(extractor: ClaimExtractor) -> None:
    _, d = judge(extractor, "Rockets struck Erbil airport on Monday, February 15, killing a contractor.")
    [e] = [e for e in d.conflicting if e.kind == "weekday date"]
    assert "2021" in e.detail and "not in 2020" in e.detail


@pytest.mark.parametrize("text", [
    # a statement's date, not an attack's
    "Iran fired missiles at Al Asad. On February 10, the Pentagon said 109 troops had been diagnosed with brain "
    "injuries.",
    "Iran fired missiles at Al Asad. The Pentagon said on February 10 that 109 troops had brain injuries.",
    # a count as of a day
    "Iran fired missiles at Al Asad. By Feb. 21, the count of brain injuries had reached 110.",
    # the cause, told as background
    "Iran fired missiles at Al Asad in retaliation for the killing of Qassem Soleimani in a U.S. drone strike in "
    "Baghdad on January 3.",
    "Iran's missiles hit Al Asad days after a U.S. drone strike killed Soleimani at Baghdad airport on Jan. 3.",
    # a review, a ceasefire: other happenings with a date
    "Iran fired missiles at the base. A 2018 review of blast screening found gaps.",
])
def test_dates_of_statements_counts_and_causes_are_no_evidence_of_another_event(extractor: ClaimExtractor,
                                                                                text: str) -> None:
    _, d = judge(extractor, text)
    assert d.verdict != OTHER, d.reason()
    assert not [e for e in d.conflicting if e.kind != "weapons"], d.reason()


def test_an_attack_elsewhere_is_background_not_another_event_of_the_story(extractor: ClaimExtractor) -> None:
    text = """Iran fired ballistic missiles at Al Asad and Erbil early Wednesday.

    Separately, a car bomb killed five people in Mosul on December 29."""
    claims, d = judge(extractor, text)
    assert d.verdict != OTHER, d.reason()
    assert ("killed", 5) not in figures(claims)  # its paragraph gives no claim


# ---- the story recalled as past, comparisons ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    """Ten rockets struck Ain al-Asad on Wednesday, and a contractor died of a heart attack while sheltering.

    Iran fired ballistic missiles at the same base in January 2020, five days after Soleimani was killed.""",
    """Ten rockets struck Ain al-Asad on Wednesday.

    Ain al-Asad has been hit before. In January 2020, Iran fired 16 ballistic missiles at it and at Erbil.""",
    """Rockets struck Ain al-Asad on Wednesday.

    It was the first attack on the base since January 2020, when Iranian missiles hit it.""",
])
def test_the_story_recalled_as_an_earlier_event_points_to_a_later_one(extractor: ClaimExtractor,
                                                                      text: str) -> None:
    _, d = judge(extractor, text)
    assert any(e.kind == "story recalled as past" for e in d.evidence if e.points_to == OTHER) or \
        any(e.recalled for e in d.evidence), d.reason()
    assert d.verdict != STORY, d.reason()


def test_a_comparison_with_an_earlier_attack_is_background(extractor: ClaimExtractor) -> None:
    text = """Iran fired ballistic missiles at Al Asad and Erbil early on Wednesday, January 8.

    It was the largest attack on the base since the militia shelling of December 27, 2019, when 30 rockets hit
    the K1 base near Kirkuk."""
    claims, d = judge(extractor, text)
    assert d.verdict == STORY, d.reason()
    assert ("munitions_hit", 30) not in figures(claims) and ("munitions_launched", 30) not in figures(claims)


# ---- mixed reports: paragraphs of another attack give no claims --------------------------------------------------

def test_a_roundup_keeps_the_story_paragraph_and_leaves_the_others_out(extractor: ClaimExtractor) -> None:
    text = """Al Asad has been attacked many times.

    On January 8, 2020, Iran fired 16 ballistic missiles at Al Asad and Erbil; 11 struck Al Asad.

    In March 2021, ten rockets hit the base and a contractor died.

    In January 2024, militants fired ballistic missiles at the base and two soldiers were hurt."""
    claims, d = judge(extractor, text)
    assert d.verdict == STORY, d.reason()
    got = figures(claims)
    assert {("munitions_launched", 16), ("munitions_hit", 11)} <= got
    assert not {v for k, v in got if v in (10, 2)}, got
    assert len(d.other_paragraphs) == 2


def test_a_kept_report_the_reviewer_vouches_for_keeps_every_paragraph(extractor: ClaimExtractor) -> None:
    text = """Iran fired 16 ballistic missiles at Al Asad on January 8, 2020.

    In March 2021, ten rockets hit the base."""
    body = text.strip().replace("\n    ", " ")
    art = Article(content_hash(body), body)
    separated, _ = extractor.extract_report(art)
    whole, _ = extractor.extract_report(art, separate=False)
    assert ("munitions_launched", 10) not in figures(separated)
    assert ("munitions_launched", 10) in figures(whole) or ("munitions_hit", 10) in figures(whole)


# ---- attackers, weapons, the page's date -------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "other"), [
    ("A group calling itself Saraya Awliya al-Dam claimed responsibility for the rocket attack on Erbil.", True),
    ("The Islamic Resistance in Iraq claimed the attack on the base.", True),
    ("Officials blamed Kataib Hezbollah for the rockets that hit the base.", True),
    ("Iran's Revolutionary Guards claimed responsibility for the missile strike on Al Asad.", False),
    ("Hezbollah al-Nujaba claimed responsibility for the rockets.", True),
    ("Officials blamed Iran-backed militias for the attack on the base.", False),  # nobody named
])
def test_who_claimed_the_attack(extractor: ClaimExtractor, text: str, other: bool) -> None:
    _, d = judge(extractor, text)
    attackers = [e for e in d.evidence if e.kind == "attacker"]
    assert any(e.points_to == OTHER for e in attackers) == other, [e.describe() for e in attackers]


def test_weapons_of_another_kind_and_a_weekday_not_the_storys_add_up(extractor: ClaimExtractor) -> None:
    _, d = judge(extractor, "Three rockets hit Erbil, officials said.")
    assert d.verdict == UNKNOWN, d.reason()  # a weapon word alone is loose evidence
    _, d = judge(extractor, """Three rockets hit Erbil, officials said.

    The rockets were fired on Monday night from a truck.""")
    assert d.verdict == OTHER, d.reason()
    _, d = judge(extractor, "Six or seven rockets landed inside Al Asad early Wednesday, officials said.")
    assert d.verdict != OTHER, d.reason()  # first reports name weapons loosely: the weekday is the story's


def test_a_far_publication_date_counts_and_the_text_can_outweigh_it(extractor: ClaimExtractor) -> None:
    text = "Iran fired 16 ballistic missiles at Al Asad and Erbil on January 8, 2020, the Pentagon said."
    _, d = judge(extractor, "Rockets struck the base, officials said.", published="2021-03-03")
    assert d.verdict == OTHER and "publication date" in d.won_by, d.reason()
    _, d = judge(extractor, text, published="2023-05-01")  # a crawl or update date, years after
    assert d.verdict == STORY and "the text won over the publication date" in d.won_by, d.reason()
    _, d = judge(extractor, "Rockets struck the base, officials said.", published="2020-01-01")
    assert d.verdict != OTHER, d.reason()  # just outside the window: a loose date counts for little


def test_no_evidence_is_kept_as_cannot_tell(extractor: ClaimExtractor) -> None:
    _, d = judge(extractor, "Officials said damage to the base was being assessed.")
    assert d.verdict == UNKNOWN and d.reason().startswith("cannot tell")


# ---- who held office ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "verdict"), [
    # the holder of an office a year after the story's event: written then, about another attack
    ("Ten rockets hit Ain al-Asad air base, and President Joe Biden told reporters no troops were hurt.", OTHER),
    ("Rockets struck the Erbil airport. Pentagon press secretary John Kirby said one contractor died.", OTHER),
    # the holders at the story's time say nothing against it
    ("Iran fired missiles at Al Asad, Defense Secretary Mark Esper told reporters.", UNKNOWN),
    ("President Donald Trump said no Americans were harmed at Al Asad.", UNKNOWN),
    # named as past, or without the title, they do not date the report
    ("Former President Joe Biden recalled the missiles Iran fired at Al Asad.", UNKNOWN),
    ("Biden's name came up as Iran fired missiles at Al Asad.", UNKNOWN),
])
def test_an_office_holder_named_by_title_dates_the_report(extractor: ClaimExtractor, text: str, verdict: str) -> None:
    _, d = judge(extractor, text)
    assert d.verdict == verdict, d.reason()
    if verdict == OTHER:
        assert any(e.kind == "office holder" for e in d.conflicting)
        assert "office holder" in d.reason()


def test_an_anniversary_piece_naming_a_later_office_holder_stays_the_story(extractor: ClaimExtractor) -> None:
    text = """On January 8, 2020, Iran fired 16 ballistic missiles at Al Asad and Erbil.

    A year on, President Joe Biden said the troops hurt that night had all returned to duty."""
    claims, d = judge(extractor, text)
    assert d.verdict == STORY, d.reason()
    assert ("munitions_launched", 16) in figures(claims)
