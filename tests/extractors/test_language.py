"""The error families found on real reports, each on several invented sentences, with the cases that must stay
claims beside the ones that must not. Every sentence is read inside an article about the story (iran-2020: Iran's
missile strike on Al Asad and Erbil, 8 January 2020, US troops the attacked side)."""

from __future__ import annotations

import pytest
from support import article_about_the_story

from core.records import Claim
from extractors.claims import ClaimExtractor


def claims(extractor: ClaimExtractor, text: str, published: str = "2020-01-09") -> list[Claim]:
    return extractor.extract(article_about_the_story(text, published))


def figures(extractor: ClaimExtractor, text: str, published: str = "2020-01-09") -> set[tuple]:
    """(kind, low, high, munition or party) of every numeric claim."""
    return {(c.kind, c.value.low, c.value.high, c.munition or c.party) for c in claims(extractor, text, published)
            if c.value is not None}


def speakers(extractor: ClaimExtractor, text: str) -> dict[tuple[str, float], str | None]:
    return {(c.kind, c.value.low): c.attribution.speaker for c in claims(extractor, text) if c.value is not None}


# ---- background events --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The militia killed 12 people in the 2019 bombing.",
    "The drone strike that killed the general and nine others last week was condemned.",
    "In December, a rocket attack killed an American contractor and wounded four service members in Kirkuk.",
    "Two days earlier, rockets killed three soldiers at Camp Taji.",
    "Iran fired missiles at the bases in retaliation for the strike that killed Soleimani and nine others.",
    "The strike came five days after a drone strike killed 10 people near the airport.",
    "His funeral was delayed after a stampede in which 56 people died.",
    "Hours after the attack, air defences shot down a passenger jet, killing all 176 people on board.",
    "More than 2,500 civilians have been killed in the fighting so far this year.",
    "Hundreds of people have been killed since fighting over the enclave erupted in September.",
    "More than 600 people, soldiers and civilians, are believed to have been killed in the fighting.",
    "Thousands have died in the war.",
    "Shortly before the sirens, two gunmen opened fire at a bus stop in the city centre, killing six people.",
    # a tally of the whole war
    "The war has killed more than 10,000 people since it began.",
    # the work of an actor the story does not name as its attacker
    "Iraqi officials say at least 40 people were killed in American strikes on militia camps.",
    "Israeli strikes killed 610 people, according to the health ministry.",
])
def test_background_events_are_not_claims(extractor, text):
    assert not {f for f in figures(extractor, text) if f[0] in ("killed", "injured")}


@pytest.mark.parametrize(("text", "expected"), [
    # a background paragraph: the time set at its start carries to the next sentence
    ("In March 2019, rockets struck the base. Ten rockets hit the runway and two contractors were hurt.\n\n"
     "On Wednesday, Iran fired 16 missiles at Al Asad.",
     {("munitions_launched", 16, 16, "missile")}),
    # the story's own date, a later statement date and a follow-up's dates keep the claims
    ("Iran fired 16 missiles at Al Asad on Jan. 8, the Pentagon said on Jan. 10.",
     {("munitions_launched", 16, 16, "missile")}),
    ("By Feb. 10, the number of troops diagnosed with brain injuries had risen to 109.",
     {("injured", 109, 109, "US")}),
    ("Last week's attack injured 34 troops, the Pentagon said.", {("injured", 34, 34, "US")}),
    # the story's attacker's strikes are the story's
    ("At least 12 people were killed in the Iranian missile strikes.", {("killed", 12, None, None)}),
    ("The strike killed 12 people, the deadliest attack of the war.", {("killed", 12, 12, None)}),
])
def test_the_story_s_own_times_keep_their_claims(extractor, text, expected):
    published = "2020-01-16" if "Last week" in text else "2020-02-12" if "Feb." in text else "2020-01-09"
    assert figures(extractor, text, published) == expected


# ---- partitives and roles -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Three of the 12 missiles failed.",
     {("munitions_failed", 3, 3, "missile"), ("munitions_launched", 12, 12, "missile")}),
    ("Eleven of the 16 missiles struck the base.",
     {("munitions_hit", 11, 11, "missile"), ("munitions_launched", 16, 16, "missile")}),
    ("Syrian air defences shot down 71 of 103 cruise missiles.",
     {("munitions_intercepted", 71, 71, "missile"), ("munitions_launched", 103, 103, "missile")}),
    ("Two of the 11 missiles that hit the base failed to explode.",
     {("munitions_failed", 2, 2, "missile"), ("munitions_hit", 11, 11, "missile")}),
    ("Iran fired a salvo of missiles. Nine of them struck the base.", {("munitions_hit", 9, 9, "missile")}),
    ("Iran fired a salvo of missiles. Air defences shot down 71 of them.",
     {("munitions_intercepted", 71, 71, "missile")}),
    ("Iran fired a salvo of missiles. The defences intercepted at least 5 of them over the desert.",
     {("munitions_intercepted", 5, None, "missile")}),
    ("Iran fired seven missiles, all of which were shot down.",
     {("munitions_launched", 7, 7, "missile"), ("munitions_intercepted", 7, 7, "missile")}),
    ("All 18 missiles fired at the airfield were shot down.",
     {("munitions_launched", 18, 18, "missile"), ("munitions_intercepted", 18, 18, "missile")}),
])
def test_partitives_give_the_part_s_role_and_the_whole(extractor, text, expected):
    assert figures(extractor, text) == expected


# ---- coordinated casualties ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("The rockets hit the airport, killing two and injuring 19.", {("killed", 2, 2, None), ("injured", 19, 19, None)}),
    ("The strike killed three soldiers and wounded 12 others.", {("killed", 3, 3, "US"), ("injured", 12, 12, "US")}),
    ("Four people were killed and 22 injured in the barrage.", {("killed", 4, 4, None), ("injured", 22, 22, None)}),
])
def test_coordinated_casualties_are_two_claims(extractor, text, expected):
    assert figures(extractor, text) == expected


# ---- numbers that are not counts ----------------------------------------------------------------------------------

def test_a_designation_is_not_a_count_but_its_article_is(extractor):
    # "a Zolfaghar 2 missile" is one missile; 9, 2, 8 and 10 are parts of names
    assert figures(extractor, "Troops at Outpost 9 fired a Zolfaghar 2 missile as Brigade 8 moved along Route 10.") \
        == {("munitions_launched", 1, 1, "missile")}


@pytest.mark.parametrize("text", [
    "Troops at Outpost 9 saw a Zolfaghar 2 launcher as Brigade 8 moved along Route 10.",
    "Each missile carried a 1,600-pound warhead and flew 500 km.",
    "The 107-mm rockets were fired at 1:30 a.m. from 20 miles away.",
    "The strike cost $5 million and 70 percent of the base was repaired by 2021.",
    "A 7-year-old girl and a man aged 68 were among residents of Block 4.",
])
def test_numbers_that_are_not_counts(extractor, text):
    assert figures(extractor, text) == set()


def test_counts_beside_names_are_still_counts(extractor):
    assert figures(extractor, "Some 30 missiles were fired. In all, 16 missiles hit the base.") == {
        ("munitions_launched", 27, 33, "missile"), ("munitions_hit", 16, 16, "missile")}


# ---- sub-counts and deltas ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Nine more were diagnosed, raising the total to 40.", {("injured", 40, 40, None)}),
    ("An additional 9 troops were diagnosed with brain injuries.", set()),
    ("Six were flown to a hospital abroad and 300 were screened.", set()),
    ("Seventeen medals for the wounded were approved.", set()),
    ("Several others were treated for acute anxiety.", set()),
    ("Twelve people were wounded. Seven children were among the wounded.", {("injured", 12, 12, None)}),
    # people treated are injured, unless for shock or anxiety
    ("Paramedics said they treated 30 people at the scene.", {("injured", 30, 30, None)}),
    # the cause of a death is not what a toll counts
    ("Three people later died of their injuries, raising the toll to 15.",
     {("killed", 3, 3, None), ("killed", 15, 15, None)}),
    ("Eleven troops were treated for concussion.", {("injured", 11, 11, "US")}),
    # the missing are neither killed nor injured
    ("The ministry reported 13 killed and 52 injured, with two children missing.",
     {("killed", 13, 13, None), ("injured", 52, 52, None)}),
    ("Five people remain unaccounted for and 12 were wounded.", {("injured", 12, 12, None)}),
])
def test_sub_counts_and_deltas_are_not_totals(extractor, text, expected):
    assert figures(extractor, text) == expected


# ---- negations ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("The attack killed no one.", {("killed", 0, 0, "US")}),
    ("No U.S. soldier was hurt.", {("injured", 0, 0, "US")}),
    ("Nobody was killed in the attack.", {("killed", 0, 0, "US")}),
    ("The base was hit without casualties.", {("killed", 0, 0, "US"), ("injured", 0, 0, "US")}),
    ("The strike caused no deaths or injuries.", {("killed", 0, 0, "US"), ("injured", 0, 0, "US")}),
    ("None of the missiles were intercepted.", {("munitions_intercepted", 0, 0, "missile")}),
    ("Iran fired rockets at the base. None were intercepted.", {("munitions_intercepted", 0, 0, "rocket")}),
    ("No one was injured.", {("injured", 0, 0, "US")}),
    ("No American or Iraqi troops were killed.", {("killed", 0, 0, "US"), ("killed", 0, 0, "Iraqi")}),
    ("No drones were used this time.", {("munitions_launched", 0, 0, "drone")}),
    ("Not a single American was hurt.", {("injured", 0, 0, "US")}),
    ("The soldiers escaped unhurt.", {("injured", 0, 0, "US")}),
    ("The Iraqi guards were unharmed.", {("killed", 0, 0, "Iraqi"), ("injured", 0, 0, "Iraqi")}),
    ("Not a single missile was intercepted.", {("munitions_intercepted", 0, 0, "missile")}),
    ("The missile was not intercepted by air defences.", {("munitions_intercepted", 0, 0, "missile")}),
    # the speaker's nationality is not the side of those unhurt; a side after the negation is
    ("No one was hurt, Iraqi officials said.", {("injured", 0, 0, "US")}),
    ("The missiles caused no casualties, either among civilians or among American troops.",
     {("killed", 0, 0, "civilian"), ("injured", 0, 0, "civilian"), ("killed", 0, 0, "US"), ("injured", 0, 0, "US")}),
    ("Nobody, civilian or military, was killed or injured in the attack.",
     {("killed", 0, 0, "civilian"), ("injured", 0, 0, "civilian")}),
    ("The remaining 21 soldiers were evacuated without injury.", {("injured", 0, 0, "US")}),
])
def test_negations_are_zeros(extractor, text, expected):
    assert figures(extractor, text) == expected


@pytest.mark.parametrize("text", [
    "There were no immediate reports of casualties.",
    "The ministry said none of the injuries was critical.",
    "It was not clear whether anyone had been killed.",
    # "no other" says nothing of the total
    "No other soldier was reported injured.",
    "No more Americans were killed after the first salvo.",
])
def test_hedged_or_qualifying_negations_are_not_zeros(extractor, text):
    assert figures(extractor, text) == set()


# ---- the party is the counted noun phrase's ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Iraqi officials said three U.S. soldiers were hurt.", {("injured", 3, 3, "US")}),
    ("Two Ukrainian civilians were killed.", {("killed", 2, 2, "Ukrainian")}),
    ("Four Filipino crew members were injured.", {("injured", 4, 4, "Filipino")}),
    ("Iraqi officials said the attack killed three people.", {("killed", 3, 3, None)}),
    ("Eleven troops were treated for concussion. Two were flown to Germany and 34 were diagnosed.",
     {("injured", 11, 11, "US"), ("injured", 34, 34, "US")}),
])
def test_party_comes_from_the_counted_noun_phrase(extractor, text, expected):
    assert figures(extractor, text) == expected


# ---- attribution scope ---------------------------------------------------------------------------------------------

def test_a_speaker_carries_into_the_sentence_that_continues_and_never_across_a_new_one(extractor):
    text = ("Hajizadeh said 15 missiles were fired. He added that 10 hit the base. Pentagon officials later said "
            "11 hit the base.")
    assert speakers(extractor, text) == {("munitions_launched", 15): "Amir Ali Hajizadeh",
                                         ("munitions_hit", 10): "Amir Ali Hajizadeh",
                                         ("munitions_hit", 11): "US Department of Defense"}


@pytest.mark.parametrize("turn", ["In Erbil, ", "At Erbil airport, ", "Elsewhere, ", "Meanwhile, ", "Separately, "])
def test_a_sentence_that_opens_on_another_scene_does_not_go_on_with_the_account_before_it(extractor, turn):
    text = f"Hajizadeh said 15 missiles were fired at Al Asad. {turn}four rockets hit the base. Ten hit the hangars."
    got = speakers(extractor, text)
    assert got[("munitions_launched", 15)] == "Amir Ali Hajizadeh"
    assert got[("munitions_hit", 4)] is None and got[("munitions_hit", 10)] is None
    # the same sentences without the turn go on with his account
    plain = speakers(extractor, "Hajizadeh said 15 missiles were fired at Al Asad. Four rockets hit the base.")
    assert plain[("munitions_hit", 4)] == "Amir Ali Hajizadeh"


def test_a_speaker_who_goes_through_figures_speaks_for_the_rest_of_the_paragraph(extractor):
    text = ("Hajizadeh went through the results base by base. Twelve missiles were aimed at Al Asad. Three more "
            "were aimed at Erbil.\n\nPentagon officials said 11 hit the base.")
    got = speakers(extractor, text)
    assert got[("munitions_launched", 12)] == got[("munitions_launched", 3)] == "Amir Ali Hajizadeh"
    assert got[("munitions_hit", 11)] == "US Department of Defense"


def test_a_quote_that_goes_on_after_its_credit_keeps_its_speaker(extractor):
    text = '"We fired 15 missiles," said Amir Ali Hajizadeh. "Ten of them hit the base."'
    assert speakers(extractor, text) == {("munitions_launched", 15): "Amir Ali Hajizadeh",
                                         ("munitions_hit", 10): "Amir Ali Hajizadeh"}


@pytest.mark.parametrize(("text", "speaker"), [
    ("Twelve rockets were fired at the base, according to the Iraqi military.", "Iraqi Joint Operations Command"),
    ("Twelve rockets were fired at the base.", None),  # the outlet's own voice
    ("Colonel Ahmed al-Rashid said 12 rockets were fired at the base.", "Ahmed al-Rashid"),
    ("Twelve rockets were fired at the base, said Colonel Ahmed al-Rashid.", "Ahmed al-Rashid"),
    ("Spokesman Omar Haddad told reporters that 12 rockets were fired at the base.", "Omar Haddad"),
    ("A senior defense official said 12 rockets were fired at the base.", "US officials"),
    ("A senior U.S. military official said 12 rockets were fired at the base.", "US officials"),
    ("Iraqi military officials said 12 rockets were fired at the base.", "Iraqi officials"),
    ("The Iraqi military said 12 rockets were fired at the base.", "Iraqi Joint Operations Command"),
    ("Two Israeli officials said 12 rockets were fired at the base.", "Israeli officials"),
    ("The head of the city's health directorate, Dlovan Jalal, said 12 rockets were fired at the base.",
     "Dlovan Jalal"),
    ("The Kurdistan Region's health ministry said 12 rockets were fired at the base.",
     "Kurdistan Region's health ministry"),
])
def test_who_said_it(extractor, text, speaker):
    [c] = [c for c in claims(extractor, text) if c.kind == "munitions_launched"]
    assert c.attribution.speaker == speaker


def test_an_unlisted_person_titled_by_a_listed_organisation_speaks_for_it(extractor):
    [c] = [c for c in claims(extractor, "Pentagon press secretary Sam Field said 14 rockets were fired.")
           if c.kind == "munitions_launched"]
    assert (c.attribution.speaker, c.attribution.organisation) == ("Sam Field", "US Department of Defense")


# ---- mixed totals --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Iran launched 30 drones and missiles at the base.", {("munitions_launched", 30, 30, "mixed")}),
    ("Iran launched 12 drones and five cruise missiles.",
     {("munitions_launched", 12, 12, "drone"), ("munitions_launched", 5, 5, "missile")}),
    ("Iran fired more than 300 drones and missiles, including 170 drones and 120 ballistic missiles.",
     {("munitions_launched", 301, None, "mixed"), ("munitions_launched", 170, 170, "drone"),
      ("munitions_launched", 120, 120, "missile")}),
    ("Russia launched 158 aerial targets overnight, and 114 were shot down.",
     {("munitions_launched", 158, 158, "mixed"), ("munitions_intercepted", 114, 114, "mixed")}),
])
def test_mixed_totals_are_one_mixed_count(extractor, text, expected):
    assert figures(extractor, text) == expected


# ---- the indefinite article as one ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("A man was killed when debris fell on him.", {("killed", 1, 1, None)}),
    ("An Iranian ballistic missile slammed into an empty lot.", {("munitions_hit", 1, 1, "missile")}),
    ("A civilian contractor was killed.", {("killed", 1, 1, "civilian")}),
    ("An American contractor died of a heart attack while sheltering.", {("killed", 1, 1, "US")}),
    ("A missile attack on the city was reported.", set()),
    ("The man was killed when part of a missile fell on him.", set()),
])
def test_the_indefinite_article_counts_one(extractor, text, expected):
    assert figures(extractor, text) == expected


# ---- more ways figures are written --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    # subjects that share one verb, lists after the verb
    ("Two Filipino sailors and a Vietnamese seafarer died in the attack.",
     {("killed", 2, 2, "Filipino"), ("killed", 1, 1, "Vietnamese")}),
    ("Nine others were injured: eight contractors and one U.S. service member.",
     {("injured", 9, 9, None), ("injured", 8, 8, None), ("injured", 1, 1, "US")}),
    # people named by nationality, and a toll's breakdown after a comma or a colon
    ("The health minister said four Syrians were killed.", {("killed", 4, 4, "Syrian")}),
    ("State media said 13 people were killed, seven Iranians and six Syrians.",
     {("killed", 13, 13, None), ("killed", 7, 7, "Iranian"), ("killed", 6, 6, "Syrian")}),
    ("The attack killed two people and wounded seven: five US soldiers and two civilians.",
     {("killed", 2, 2, None), ("injured", 7, 7, None), ("injured", 5, 5, "US"), ("injured", 2, 2, "civilian")}),
    ("One contractor was killed and six others wounded, among them an American soldier.",
     {("killed", 1, 1, None), ("injured", 6, 6, None), ("injured", 1, 1, "US")}),
    # a part with no side of its own is part of the figure
    ("Nine civilians, including four children, were killed when missiles hit villages near the base.",
     {("killed", 9, 9, "civilian")}),
    ("The strike killed three of the ship's 20 crew.", {("killed", 3, 3, None)}),
    ("Three of the 20 crew members were killed.", {("killed", 3, 3, None)}),
    ("Two of the five were hurt.", {("injured", 2, 2, None)}),
    ("Observers said eight of the dead were Iranians.", {("killed", 8, 8, "Iranian")}),
    ("Nine of the 11 people killed were soldiers.", {("killed", 11, 11, None)}),
    # the speaker's own people take the speaker's side
    ("The Revolutionary Guards said seven of their members were killed.", {("killed", 7, 7, "Iranian")}),
    ("The death toll rose to 12 after a 16-year-old boy died of his wounds.", {("killed", 12, 12, None)}),
    # who destroyed what
    ("Air defences intercepted 87 out of 122 missiles.",
     {("munitions_intercepted", 87, 87, "missile"), ("munitions_launched", 122, 122, "missile")}),
    ("Air defences destroyed 71 of the 103 missiles.",
     {("munitions_intercepted", 71, 71, "missile"), ("munitions_launched", 103, 103, "missile")}),
    # two partitives in one coordination share the verb before them
    ("Air defences destroyed 87 of 122 missiles and 27 of 36 drones.",
     {("munitions_intercepted", 87, 87, "missile"), ("munitions_launched", 122, 122, "missile"),
      ("munitions_intercepted", 27, 27, "drone"), ("munitions_launched", 36, 36, "drone")}),
    # coordinated subjects share the verb after the last of them
    ("Iran launched 122 missiles and 36 drones; 87 missiles and 27 drones were shot down.",
     {("munitions_launched", 122, 122, "missile"), ("munitions_launched", 36, 36, "drone"),
      ("munitions_intercepted", 87, 87, "missile"), ("munitions_intercepted", 27, 27, "drone")}),
    ("58 of the 59 missiles destroyed their intended targets.",
     {("munitions_hit", 58, 58, "missile"), ("munitions_launched", 59, 59, "missile")}),
    # one munition, and zero in other words
    ("The Houthis fired an anti-ship ballistic missile at the vessel.", {("munitions_launched", 1, 1, "missile")}),
    ("None of our aircraft or missiles were successfully engaged by air defences.",
     {("munitions_intercepted", 0, 0, "missile")}),
    ("Iran fired rockets at the base. The air defences didn't stop a single one.",
     {("munitions_intercepted", 0, 0, "rocket")}),
    ("The coalition has put the number of rockets at about 14.", {("munitions_launched", 12, 16, "rocket")}),
    ("Rescuers pulled seven bodies from the rubble.", {("killed", 7, 7, None)}),
    # "destroyed" said of the munitions is an interception; munitions that destroy something hit
    ("Air defences said 12 of the missiles were destroyed.",
     {("munitions_intercepted", 12, 12, "missile")}),
    ("Twelve drones were successfully destroyed over the city.", {("munitions_intercepted", 12, 12, "drone")}),
    # "used" launches
    ("Iran used 15 ballistic missiles in the attack.", {("munitions_launched", 15, 15, "missile")}),
])
def test_more_ways_figures_are_written(extractor, text, expected):
    assert figures(extractor, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The U.S. death toll rose to 3.", {("killed", 3, 3, "US")}),
    # the side of whoever raised the toll is not the toll's
    ("Iraq's health ministry raised the death toll from the strike to 12.", {("killed", 12, 12, None)}),
])
def test_a_toll_takes_the_side_of_its_own_phrase(extractor, text, expected):
    assert figures(extractor, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "others" after a group of one side are more of that group
    ("State media said 80 Americans were killed and 200 others wounded.",
     {("killed", 80, 80, "US"), ("injured", 200, 200, "US")}),
    # ... but others after one person, or "other people", name no side
    ("A civilian contractor was killed, and nine others were injured.",
     {("killed", 1, 1, "civilian"), ("injured", 9, 9, None)}),
    ("Two American contractors were killed and six other people were wounded.",
     {("killed", 2, 2, "US"), ("injured", 6, 6, None)}),
])
def test_others_take_a_side_only_from_a_group(extractor, text, expected):
    assert figures(extractor, text) == expected


@pytest.mark.parametrize(("text", "speaker"), [
    ("At least 12 rockets were fired, local officials said.", "US officials"),  # the attacked side's officials
    ("The rockets were fired at the base, according to the city's military administration. "
     "In all, 12 rockets were fired.", "city's military administration"),  # goes on in its paragraph
    ("The city military administration now says 12 rockets were fired.", "city military administration"),
    ("Lt. Col. Mark Ruiz briefed reporters. Ruiz said 12 rockets were fired.", "Mark Ruiz"),
    ("Governor Ali Navid condemned the attack. The governor said 12 rockets were fired.", "Ali Navid"),
    ("Kurdish health officials, speaking in Erbil, said 12 rockets were fired.", "Kurdistan Regional Government"),
    ("A group calling itself the Brigades of Dawn said it fired 12 rockets.", "Brigades of Dawn"),
    # a participle after a quoted phrase speaks for the sentence's subject
    ('Amir Ali Hajizadeh dismissed the damage as "minor," saying 12 rockets were fired.', "Amir Ali Hajizadeh"),
    # a reporter speaks for the outlet; a live blog's time stamp is not part of the subject
    ("A reporter for Rudaw at the scene says 12 rockets were fired.", "Rudaw"),
    ("07:15 - The Kurdistan Region's health ministry says 12 rockets were fired.",
     "Kurdistan Region's health ministry"),
    ("Israeli media are reporting that 12 rockets were fired.", "Israeli media"),
    # "the ministry said": the ministry named last, listed or not
    ("The Kurdistan Region's interior ministry issued a statement. Twelve rockets were fired, the ministry said.",
     "Kurdistan Region's interior ministry"),
    ("The Iraqi Joint Operations Command (JOC) issued a statement. Twelve rockets were fired, the command said.",
     "Iraqi Joint Operations Command"),
    ("The Anbar Provincial Health Directorate sent ambulances. The health directorate said 12 rockets were fired.",
     "Anbar Provincial Health Directorate"),
    # nobody named so: the organisation as written
    ("Twelve rockets were fired, the regional administration said.", "regional administration"),
    # a figure given by someone is theirs; a name's description is not its speaker
    ("The first figure published by Colonel Ahmed al-Rashid was 12 rockets fired.", "Ahmed al-Rashid"),
    ("Ahmed al-Rashid, a spokesman for the Pentagon, said 12 rockets were fired.", "Ahmed al-Rashid"),
    # findings are the finder's
    ("The Security Service of Ukraine established that 12 rockets were fired.", "Security Service of Ukraine"),
    # a speaker who raises or revises a figure gives it
    ("Colonel Ahmed al-Rashid later revised the count to 12 rockets fired.", "Ahmed al-Rashid"),
    # the subject's own count
    ("The Pentagon has not moved from its count of 12 rockets fired.", "US Department of Defense"),
    # a source the speaker cites or quotes is who speaks; the outlet that relays it is not
    ("Press TV, citing an unnamed Iraqi security source, reported that 12 rockets were fired.", "Iraqi officials"),
    ("A senior Israeli official quoted by a local broadcaster said 12 rockets were fired.", "Israeli officials"),
    ("A broadcaster quoted an Israeli official as saying 12 rockets were fired.", "Israeli officials"),
    ("Press TV quoted Amir Ali Hajizadeh as saying 12 rockets were fired.", "Amir Ali Hajizadeh"),
    ("Press TV reported that 12 rockets were fired.", "Iranian state media"),
    # a relative clause between the subject and its verb, or the relative pronoun as the subject
    ("The Iraqi military, which first gave a lower figure, later put the number at 12 rockets.",
     "Iraqi Joint Operations Command"),
    ("Colonel Ahmed al-Rashid, who briefed reporters at the base, said 12 rockets were fired.", "Ahmed al-Rashid"),
    ("The Iraqi military, which answers to the prime minister, said in a statement that 12 rockets were fired.",
     "Iraqi Joint Operations Command"),
    ("Reporters were briefed by Colonel Ahmed al-Rashid, who said 12 rockets were fired.", "Ahmed al-Rashid"),
    ("The Iraqi military, which has kept thousands of soldiers at the base in spite of a parliamentary vote "
     "demanding that they leave, said 12 rockets were fired.", "Iraqi Joint Operations Command"),
    # a finding is its author's; some of the people last named speak as them
    ("A review of satellite images by The Washington Post concluded that 12 rockets were fired.", "Washington Post"),
    ("According to an analysis of videos by CNN, 12 rockets were fired.", "CNN"),
    ("A count by the Iraqi military concluded that 12 rockets were fired.", "Iraqi Joint Operations Command"),
    ("Two Israeli officials briefed reporters. One of them said 12 rockets were fired.", "Israeli officials"),
    ("Several Israeli officials briefed reporters. Three of them told a newspaper that 12 rockets were fired.",
     "Israeli officials"),
    # an unlisted name before an appositive without an article speaks, not the listed name inside it
    ("Sam Field, foreign policy adviser to President Trump, tweeted that 12 rockets were fired.", "Sam Field"),
    # a live blog entry's time stamp is not part of its subject
    ("12:40 GMT Colonel Ahmed al-Rashid, head of the base's defences, said 12 rockets were fired.",
     "Ahmed al-Rashid"),
    ("By the account of Colonel Ahmed al-Rashid, 12 rockets were fired.", "Ahmed al-Rashid"),
    ("But by the account of the city council, 12 rockets were fired.", "city council"),
    # admitting is saying
    ("The Pentagon later admitted that 12 rockets were fired.", "US Department of Defense"),
    # a title with its country or office is the person last named with that title
    ("Interior Minister Ali Navid visited the base. Twelve rockets were fired, Iraq's interior minister said.",
     "Ali Navid"),
    # "he said" is the person last named, even one named without a speech verb
    ("CIA Director Sam Field spoke in Dallas on Friday. Iran fired 12 rockets, he said.", "Sam Field"),
    ("Defence Minister Ali Navid visited the base. He said 12 rockets were fired.", "Ali Navid"),
    # ... but not one named before the sentence's own speaker
    ("Asked about Governor Ali Navid, spokesman Omar Haddad declined to comment. He said 12 rockets were fired.",
     "Omar Haddad"),
])
def test_who_said_it_in_more_ways(extractor, text, speaker):
    [c] = [c for c in claims(extractor, text) if c.kind == "munitions_launched"]
    assert c.attribution.speaker == speaker


@pytest.mark.parametrize(("text", "speaker"), [
    # people credited as a group speak as that group, as written, without a number or determiner before it
    ("Twelve rockets were fired at the base, Iraqi tribal elders said.", "Iraqi tribal elders"),
    ("Twelve rockets were fired at the base, witnesses said.", "witnesses"),
    ("Two witnesses said 12 rockets were fired at the base.", "witnesses"),
    ("Local residents told reporters that 12 rockets were fired at the base.", "Local residents"),
    ("Twelve rockets were fired at the base, according to residents.", "residents"),
    ("Twelve rockets were fired at the base, according to two local doctors.", "local doctors"),
    ("Twelve rockets were fired at the base, hospital staff said.", "hospital staff"),
    ("Tribal elders in the area told reporters that 12 rockets were fired at the base.", "Tribal elders"),
    ("09:55 GMT Residents of the town told a local channel that 12 rockets were fired at the base.", "Residents"),
    # ... and the group words do not take over other subjects
    ("Twelve rockets were fired at the base, the group said.", None),
    ("The group's fighters fired 12 rockets at the base, a group calling itself Saraya Awliya al-Dam said.",
     "Saraya Awliya al-Dam"),
    ("Twelve rockets were fired at the base, according to the parents of a soldier.", None),
])
def test_people_credited_as_a_group(extractor, text, speaker):
    [c] = [c for c in claims(extractor, text) if c.kind == "munitions_launched"]
    assert c.attribution.speaker == speaker


@pytest.mark.parametrize(("text", "speaker"), [
    ("Missiles also hit Kyiv. There, 12 rockets were fired, according to the city's military administration.",
     "Kyiv City Military Administration"),
    ("Missiles also hit Kyiv. The city military administration said 12 rockets were fired.",
     "Kyiv City Military Administration"),
    # no city named before it: the organisation stays as written
    ("The city military administration said 12 rockets were fired.", "city military administration"),
])
def test_an_organisation_named_by_its_kind_of_place_is_the_last_such_place_s(extractor, text, speaker):
    [c] = [c for c in claims(extractor, text) if c.kind == "munitions_launched"]
    assert c.attribution.speaker == speaker


def test_an_actor_who_says_it_struck_claims_the_attack(extractor):
    cs = claims(extractor, "Iran says it hit the base with a ballistic missile.")
    assert {(c.kind, c.attribution.speaker) for c in cs} >= {("responsibility", "Iran"), ("munitions_hit", "Iran")}
    assert {c.attribution.speaker for c in cs} == {"Iran"}


@pytest.mark.parametrize(("text", "expected"), [
    ("The ship was hit with a drone boat.", {("munitions_hit", 1, 1, "drone")}),
    ("The Houthis killed a crew member on the ship.", {("killed", 1, 1, None)}),
    # the side of people named by where they come from
    ("The strike killed a crew member from the Philippines.", {("killed", 1, 1, "Filipino")}),
    ("The strike killed a man from Hodeidah.", {("killed", 1, 1, None)}),
])
def test_one_munition_or_person_after_its_verb(extractor, text, expected):
    assert figures(extractor, text) == expected


def test_one_person_named_by_a_pronoun(extractor):
    got = speakers(extractor, "A contractor was missing. Iraqi officials said that he was dead.")
    assert got == {("killed", 1): "Iraqi officials"}
    # a pronoun in a background sentence is not the story's
    assert not figures(extractor, "The general was killed in a drone strike in Baghdad in 2019; he was 62.")


def test_a_headline_credit_after_a_colon_speaks(extractor):
    got = speakers(extractor, "Colonel Ahmed Karimi briefed reporters.\n\n04:15 GMT - Six killed, 35 wounded: Karimi")
    assert got == {("killed", 6): "Ahmed Karimi", ("injured", 35): "Ahmed Karimi"}


def test_not_one_is_zero(extractor):
    assert figures(extractor, "Iran insists that not one missile has been fired at the base.") == \
        {("munitions_launched", 0, 0, "missile")}


def test_the_name_right_before_the_verb_speaks(extractor):
    got = speakers(extractor, "Iran fired 15 missiles at the base, Hajizadeh said.")
    assert got == {("munitions_launched", 15): "Amir Ali Hajizadeh"}
    # a listed name earlier in the clause is not its speaker
    got = speakers(extractor, "Eleven missiles struck the base where the Pentagon team slept, Ahmed Karimi said.")
    assert got == {("munitions_hit", 11): "Ahmed Karimi"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Al Asad was targeted by a ballistic missile.", {("munitions_launched", "Al Asad")}),
    ("The base was attacked with 15 missiles.", {("munitions_launched", "Al Asad")}),
    ("Iran hit Al Asad with a ballistic missile.", {("munitions_hit", "Al Asad")}),
    ("Iran struck Al Asad, a sprawling base in the desert, with 11 missiles.", {("munitions_hit", "Al Asad")}),
])
def test_what_was_targeted_or_hit_with_a_munition(extractor, text, expected):
    assert {(c.kind, c.subject) for c in claims(extractor, text) if c.kind.startswith("munitions")} == expected



def test_an_unlisted_transcript_label_is_the_full_name_the_transcript_gives(extractor):
    text = ("Press secretary Sam Field briefed reporters on the missile attack.\n\n"
            "MR. FIELD: Twelve missiles were fired. Eleven hit the base.\n\n"
            "Q: Were any intercepted?\n\n"
            "MR. FIELD: None were intercepted.")
    got = {(c.kind, c.value.low): c.attribution.speaker for c in claims(extractor, text) if c.value is not None}
    assert got == {("munitions_launched", 12): "Sam Field", ("munitions_hit", 11): "Sam Field",
                   ("munitions_intercepted", 0): "Sam Field"}


# ---- places that locate others -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "subjects"), [
    ("Ten missiles struck Al Asad, 160 kilometres west of Baghdad.", {"Al Asad"}),
    ("Ten missiles struck Erbil, some 80 km east of the city of Mosul.", {"Erbil"}),
    ("Ten missiles struck a base north of Baghdad.", set()),
    ("Ten missiles struck Baghdad.", {"Baghdad"}),  # a place attacked itself
])
def test_a_place_that_locates_another_is_not_attacked(extractor, text, subjects):
    cs = claims(extractor, text)
    assert {c.subject for c in cs if c.kind == "target"} == subjects
    assert {c.subject for c in cs if c.kind == "munitions_hit"} == (subjects or {None})


@pytest.mark.parametrize(("text", "subjects"), [
    ("Rockets were fired at Erbil overnight. Five of them struck the city.", {"Erbil"}),
    ("The coalition said 14 rockets were fired at Al Asad, and three of them hit its base.", {"Al Asad"}),
    # the nearest place of the kind, in the same sentence before one named earlier
    ("Rockets were fired at Erbil. In Baghdad, officials said two rockets struck the city.", {"Baghdad"}),
    # a city that holds what was hit, or that names an organisation, is not hit itself
    ("Rockets were fired at Erbil. Two rockets hit a clinic in the city.", set()),
])
def test_a_back_reference_names_the_place_it_refers_to(extractor, text, subjects):
    cs = claims(extractor, text)
    assert {c.subject for c in cs if c.kind == "munitions_hit" and c.subject} == subjects


@pytest.mark.parametrize("text", [
    "The base had also been hit by a ballistic missile.",  # a passive with an adverb
    "Iran says it hit Al Asad overnight. Later it said it hit it with a ballistic missile.",
])
def test_a_hit_is_where_the_passive_or_the_pronoun_points(extractor, text):
    cs = claims(extractor, text)
    assert {c.subject for c in cs if c.kind == "munitions_hit"} == {"Al Asad"}


def test_before_any_place_is_named_the_base_is_the_story_s_only_base(extractor):
    # iran-2020's key places: Al Asad (the only base) and Erbil
    cs = claims(extractor, "Ten missiles hit the base overnight.")
    assert {c.subject for c in cs if c.kind == "munitions_hit"} == {"Al Asad"}



# ---- bounded work -------------------------------------------------------------------------------------------------

def test_a_long_breakdown_after_a_toll_is_read_without_backtracking_blowup(extractor):
    """A list of a dozen nationalities after "a toll of 16:" once made one pattern try every way of splitting its
    words (20 s for eight names, hours for twelve). The alarm is a hang guard, not a speed goal."""
    import signal

    def hung(*_: object) -> None:
        raise TimeoutError("extraction of one sentence took over 10 s")

    text = ("A monitoring group later gave a final toll of 16: eight Iranians, five Syrians, one Lebanese, one "
            "Iraqi, one Afghan, two advisers, three guards, one driver, one cook, one clerk, one officer and one "
            "member of Hezbollah, all described as combatants, and said the building was destroyed.")
    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        got = figures(extractor, text)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert ("killed", 16, 16, None) in {(k, lo, hi, None) for k, lo, hi, _ in got}


# ---- a trailing credit closes the whole sentence ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    # a credit at the end of the sentence covers clauses joined by "and" or "but" before it
    ("No American troops were hurt, and the hangars were only scorched, said Cmdr. Dana Whitfield, a spokeswoman "
     "for the task force.", {("injured", 0): "Dana Whitfield"}),
    ("Eleven missiles hit the base, but the runway stayed open, said Lt. Col. Omar Haddad.",
     {("munitions_hit", 11): "Omar Haddad"}),
    ("Eleven missiles hit the base, and the runway stayed open, Omar Haddad said.",
     {("munitions_hit", 11): "Omar Haddad"}),
    # up to a semicolon only
    ("Eleven missiles hit the base; the runway stayed open, said Lt. Col. Omar Haddad.",
     {("munitions_hit", 11): None}),
    # a credit inside the sentence, with figures after it, covers only what follows the contrast
    ("Two soldiers were wounded, and Lt. Col. Omar Haddad said 11 missiles hit the base.",
     {("injured", 2): None, ("munitions_hit", 11): "Omar Haddad"}),
])
def test_a_trailing_credit_covers_the_clauses_before_it(extractor, text, expected):
    got = speakers(extractor, text)
    assert {k: got.get(k, "(missing)") for k in expected} == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("BAGHDAD (AP) — Prime Minister Adel Abdul-Mahdi on Wednesday spoke to parliament, saying 15 missiles were "
     "launched.", {("munitions_launched", 15): "Adel Abdul-Mahdi"}),
    ("WASHINGTON, Jan. 8 (Reuters) - Defense Secretary Mark Esper on Wednesday described the barrage, saying 16 "
     "missiles were launched from Iran.", {("munitions_launched", 16): "Mark Esper"}),
    ("DUBAI, United Arab Emirates (AP) — President Donald Trump on Wednesday brushed off the barrage as a \"very weak "
     "response,\" saying 13 of the 16 missiles fired were knocked down.",
     {("munitions_launched", 16): "Donald Trump", ("munitions_intercepted", 13): "Donald Trump"}),
])
def test_a_dateline_is_not_the_subject_of_a_participle_credit(extractor, text, expected):
    got = speakers(extractor, text)
    assert {k: got.get(k, "(missing)") for k in expected} == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The minister played down the strike, saying 15 missiles were launched.",
     {("munitions_launched", 15, 15, "missile")}),
    ("After Tuesday's strike, officials said 15 missiles had been fired.", {("munitions_launched", 15, 15, "missile")}),
    # the verb stays a verb
    ("Ten of the missiles struck Al Asad.", {("munitions_hit", 10, 10, "missile")}),
])
def test_a_role_word_after_a_determiner_is_a_noun(extractor, text, expected):
    assert {f for f in figures(extractor, text) if f[0].startswith("munitions")} == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The attack ended with the death of an American civilian contractor.", {("killed", 1, 1, "US")}),
    ("Officials confirmed the deaths of two soldiers.", {("killed", 2, 2, "US")}),
    # a death that is not one of the attack's figures stays out
    ("The death of a general in 2019 was recalled at the funeral.", set()),
])
def test_the_death_of_someone_is_a_killed_count(extractor, text, expected):
    assert {f for f in figures(extractor, text) if f[0] in ("killed", "injured")} == expected


@pytest.mark.parametrize(("text", "speaker"), [
    # an opening phrase of place or time is not the subject
    ("At the Pentagon, press secretary John Kirby told reporters that 12 rockets were fired at the base.",
     "John Kirby"),
    ("By Wednesday evening, Iraq's police had counted 12 rockets fired at the base.", "Iraq's police"),
    # a long description after the name, holding "and", still leaves the name the subject
    ("Hoshyar Zebari, a senior member of the Kurdistan Democratic Party and a former Iraqi foreign minister, wrote "
     "on Twitter that 12 rockets were fired at the base.", "Hoshyar Zebari"),
    # "by saying": the main clause's subject
    ("Press secretary John Kirby opened his briefing that afternoon by saying 12 rockets were fired at the base.",
     "John Kirby"),
    # ... and what was right stays right: a title without a full stop, a short appositive, a statement's author
    ("Col Wayne Marotto, the coalition's spokesman, says 12 rockets were fired at the base.", "Wayne Marotto"),
    ("In a statement, the Pentagon said 12 rockets were fired at the base.", "US Department of Defense"),
    ("Hoshyar Zebari, the former foreign minister, said 12 rockets were fired at the base.", "Hoshyar Zebari"),
])
def test_the_subject_behind_an_opening_phrase_or_a_long_description(extractor, text, speaker):
    [c] = [c for c in claims(extractor, text) if c.kind == "munitions_launched"]
    assert c.attribution.speaker == speaker


@pytest.mark.parametrize(("text", "speaker"), [
    # an organisation written its own way is the listed one it means
    ("Twelve rockets were fired at the base, according to the Houthi-run Ministry of Health.",
     "Houthi health ministry"),
    ("The health ministry in Sanaa said 12 rockets were fired at the base.", "Houthi health ministry"),
    ("Syria's Ministry of Health said 12 rockets were fired at the base.", "Syrian Health Ministry"),
    # no mark of whose it is, and nothing in the sentence to tell: as written
    ("The health ministry said 12 rockets were fired at the base.", "health ministry"),
])
def test_an_organisation_written_its_own_way(extractor, text, speaker):
    [c] = [c for c in claims(extractor, text) if c.kind == "munitions_launched"]
    assert c.attribution.speaker == speaker


@pytest.mark.parametrize(("text", "expected"), [
    # "neither" denies the harm of the people just named, on their side
    ("Two Danish soldiers were on the base at the time and neither was injured.", {("injured", 0, 0, "Danish")}),
    ("Two American contractors were at the site; neither of them was hurt, officials said.",
     {("injured", 0, 0, "US")}),
    # who the dead were is not a count of its own; a side named in the list is
    ("By noon there were 10 dead at the base: six women and four men.", {("killed", 10, 10, None)}),
    ("Nine were injured: eight contractors and one U.S. service member.",
     {("injured", 9, 9, None), ("injured", 8, 8, None), ("injured", 1, 1, "US")}),
])
def test_neither_and_who_the_dead_were(extractor, text, expected):
    assert {f for f in figures(extractor, text) if f[0] in ("killed", "injured")} == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a live blog's time stamp on a line of its own paragraph is not the subject
    ("Rockets hit the base overnight.\n09:55 GMT Tribal elders in the area told reporters that 12 rockets were fired.",
     {("munitions_launched", 12): "Tribal elders"}),
    # a name, then its role in an organisation, then the verb
    ("Ahmed al-Rashid, head of the health office in Anbar, has given a new figure: 12 rockets fired at the base.",
     {("munitions_launched", 12): "Ahmed al-Rashid"}),
    # "the source said" is the unnamed source cited before, not the attacked side's officials
    ("An Iraqi security source told Press TV that rockets hit the base. Twelve rockets were fired, the source said.",
     {("munitions_launched", 12): "Iraqi officials"}),
    # one more of the same unnamed sources
    ("An Iraqi security source said rockets hit the base.\n\nA second security source said 12 rockets were fired.",
     {("munitions_launched", 12): "Iraqi officials"}),
    # the officials of a place are that place's, as written
    ("Erbil city authorities, who finished their own count on Thursday, said 12 rockets were fired at the base.",
     {("munitions_launched", 12): "Erbil city authorities"}),
    # officials with a nationality and an auxiliary before the verb
    ("Iraqi officials have also said that 12 rockets were fired at the base.",
     {("munitions_launched", 12): "Iraqi officials"}),
    # nobody: "no official source" gives no speaker
    ("No official source has given a number, but 12 rockets were fired at the base.",
     {("munitions_launched", 12): None}),
    # officials who agree speak
    ("Iraqi and U.S. officials agree that 12 rockets were fired at the base.",
     {("munitions_launched", 12): "US officials"}),
])
def test_stamps_roles_unnamed_sources_and_local_officials(extractor, text, expected):
    got = speakers(extractor, text)
    assert {k: got.get(k, "(missing)") for k in expected} == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "the army" with no side is the attacked side's (iran-2020: the US)
    ("Twelve rockets were fired at the base, the army said.", {("munitions_launched", 12): "US Department of Defense"}),
    # an institution named by the first word of its full name, given before
    ("The Rashid Medical Center treated the wounded. Rashid said it had treated 12 people.",
     {("injured", 12): "Rashid Medical Center"}),
    # "the United States" is not "X states"
    ("According to the United States Department of Defense, 12 rockets were fired at the base.",
     {("munitions_launched", 12): "US Department of Defense"}),
])
def test_a_service_without_a_side_and_a_short_name(extractor, text, expected):
    got = speakers(extractor, text)
    assert {k: got.get(k, "(missing)") for k in expected} == expected


@pytest.mark.parametrize(("text", "expected"), [
    # each side's part of a toll, after the toll or as "the dead included / were"
    ("The strike killed 16 people, eight Iranians, five Syrians and a Lebanese.",
     {("killed", 16, 16, None), ("killed", 8, 8, "Iranian"), ("killed", 5, 5, "Syrian")}),
    ("The dead included three Americans and two Iraqis.", {("killed", 3, 3, "US"), ("killed", 2, 2, "Iraqi")}),
    ("Thirteen people were killed at the base. Seven of them were Iraqi nationals.",
     {("killed", 13, 13, None), ("killed", 7, 7, "Iraqi")}),
    # ... but not people who merely follow a number ("four Iraqi officials told ...")
    ("Thirteen people were killed at the base. Four Iraqi officials told reporters about it.",
     {("killed", 13, 13, None)}),
    # a harm denied or not done, in verb form, is a zero
    ("The rockets did not kill or wound any American.", {("killed", 0, 0, "US"), ("injured", 0, 0, "US")}),
    ("The Pentagon denied that any U.S. service member was killed at the base.", {("killed", 0, 0, "US")}),
    ("The attack did not kill anyone, officials said.", {("killed", 0, 0, "US")}),
])
def test_sides_of_a_toll_and_harms_denied_in_verb_form(extractor, text, expected):
    assert {f for f in figures(extractor, text) if f[0] in ("killed", "injured")} == expected


@pytest.mark.parametrize(("text", "expected"), [
    # interceptors, launchers and batteries are not the munitions fired at the story's places
    ("Two Navy destroyers fired about a dozen interceptors against the incoming missiles.", set()),
    ("U.S. jets later destroyed three cruise missile launchers in the desert.", set()),
    ("The base fired more than 200 interceptors from three Patriot batteries.", set()),
    # ... while the munitions themselves stay counted, launchers named after them or not
    ("Iran fired 16 ballistic missiles from launchers near Kermanshah.", {("munitions_launched", 16, 16, "missile")}),
])
def test_interceptors_and_launchers_are_not_munition_counts(extractor, text, expected):
    assert {f for f in figures(extractor, text) if f[0].startswith("munitions")} == expected


@pytest.mark.parametrize("text", [
    # the clause after "two days after", split by a coordination of places, is still the earlier event
    "The barrage began at dusk, less than two days after U.S. bombers hit the Fordow and Natanz sites with 14 bombs.",
    # a tally over a war or campaign
    "Over 12 days of war, Iran launched some 550 ballistic missiles at Israel.",
    "During the 12-day war Iran fired 550 missiles at Israel.",
])
def test_the_earlier_strike_and_the_war_s_tally_are_background(extractor, text):
    assert not {f for f in figures(extractor, text) if f[0].startswith("munitions")}


@pytest.mark.parametrize(("text", "expected"), [
    ("Iran fired 14 missiles at Al Asad in the war's last salvo.", {("munitions_launched", 14, 14, "missile")}),
    ("It was the largest attack in the war, with 14 missiles fired at Al Asad.",
     {("munitions_launched", 14, 14, "missile")}),
    ("Iran fired 14 missiles at Al Asad two days after the strikes.", {("munitions_launched", 14, 14, "missile")}),
])
def test_the_war_named_in_passing_keeps_the_claim(extractor, text, expected):
    assert {f for f in figures(extractor, text) if f[0].startswith("munitions")} == expected
