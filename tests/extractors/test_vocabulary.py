"""Reference tables as configuration: aliases scoped to stories, places inside a story's key place, acronyms."""

from __future__ import annotations

import csv
from collections import defaultdict

from support import article_about_the_story

from core.config import PROJECT_ROOT
from extractors.claims import ClaimExtractor
from extractors.vocabulary import load_vocabulary, norm_key

SEEDS = PROJECT_ROOT / "seeds"


def test_an_alias_scoped_to_stories_means_its_speaker_only_there():
    iran = load_vocabulary(SEEDS, "iran-2020")
    israel = load_vocabulary(SEEDS, "israel-2024-04")
    assert iran.speakers[norm_key("the president")].canonical == "Donald Trump"
    assert norm_key("the president") not in israel.speakers  # in 2024 the president is someone else
    assert iran.speakers[norm_key("state television")].canonical == "Iranian state media"
    assert norm_key("state television") not in israel.speakers


def test_a_place_inside_a_key_place_is_reported_at_the_story_s_grain():
    iran = load_vocabulary(SEEDS, "iran-2020")
    erbil = load_vocabulary(SEEDS, "erbil-2021")
    assert iran.story_place["Erbil International Airport"] == "Erbil"  # places = Al Asad, Erbil
    assert "Erbil International Airport" not in erbil.story_place  # the airport is this story's own key place
    ex = ClaimExtractor(iran)
    [t] = [c for c in ex.extract(article_about_the_story("A missile struck Erbil airport.")) if c.kind == "target"]
    assert (t.subject, t.subject_surface) == ("Erbil", "Erbil airport")


def test_acronym_actors_match_only_in_capitals():
    ex = ClaimExtractor(load_vocabulary(SEEDS, "syria-2018"))  # "US" is an alias of the United States
    text = "Officials told us the missiles struck the base."
    assert [c for c in ex.extract(article_about_the_story(text)) if c.kind == "responsibility"] == []
    text = "The US fired missiles at the base."
    assert {c.subject for c in ex.extract(article_about_the_story(text)) if c.kind == "responsibility"} == {
        "United States"}


def test_no_alias_names_two_speakers_in_one_story():
    """Two rows giving one alias different speakers would make the answer depend on row order."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    with (SEEDS / "speakers.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for story in (row.get("stories") or "").split() or [""]:
                seen[(norm_key(row["alias"]), story)].add(row["canonical"])
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_an_organisation_named_without_a_side_is_the_attacked_side_s_when_listed():
    from core.records import Article, content_hash

    ukraine = ClaimExtractor(load_vocabulary(SEEDS, "ukraine-2024-07"))  # default party: Ukrainian
    for text in ("According to the Air Force, Russia fired 38 missiles.",
                 "The country's air force said Russia fired 38 missiles."):
        body = text + "\n\nTopic: missiles. Place: Kyiv."
        [c] = [c for c in ukraine.extract(Article(content_hash(body), body, published="2024-07-09"))
               if c.kind == "munitions_launched"]
        assert c.attribution.speaker == "Ukrainian Air Force"
    # in a story of an attack on US troops nobody lists a "US Air Force": the name stays as written
    iran = ClaimExtractor(load_vocabulary(SEEDS, "iran-2020"))
    [c] = [c for c in iran.extract(article_about_the_story("According to the Air Force, Iran fired 15 missiles."))
           if c.kind == "munitions_launched"]
    assert c.attribution.speaker == "Air Force"
