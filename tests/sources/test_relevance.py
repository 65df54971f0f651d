"""Relevance: Keep or Drop(reason) by ordered levels (date window, topic, key terms, score), with a score."""

from __future__ import annotations

import dataclasses

import pytest

from core.config import PROJECT_ROOT, Story, load_story
from core.records import Article, content_hash
from extractors.vocabulary import load_story_terms
from sources.files import ingest
from sources.relevance import Drop, Keep, StoryTerms, judge, story_terms, window_problem

SEEDS = PROJECT_ROOT / "seeds"

STRIKE = (
    "Iran launched more than a dozen ballistic missiles early Wednesday at two Iraqi bases housing American "
    "troops. The missiles struck the Ain al-Asad air base in Anbar province and a facility in Erbil, officials "
    "said, and Iran's Revolutionary Guard claimed the attack."
)
BUSHFIRES = (
    "Thousands of residents fled towns along the New South Wales coast on Wednesday as bushfires that have "
    "burned for months flared again. Firefighters said more than 130 fires were burning, and the navy "
    "evacuated people stranded on beaches. A strike team of firefighters was sent to Mallacoota."
)


def article(text: str, published: str | None = "2020-01-08T02:00:00+00:00", title: str | None = None) -> Article:
    return Article(article_id=content_hash(text), text=text, title=title, published=published, source="test")


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(SEEDS / "stories" / "iran-2020.toml", SEEDS)


@pytest.fixture(scope="module")
def terms(story: Story) -> StoryTerms:
    return load_story_terms(SEEDS, story)


def test_on_topic_report_is_kept_with_score_and_reasons(terms: StoryTerms) -> None:
    got = judge(article(STRIKE), terms)
    assert isinstance(got, Keep) and got.decision == "keep"
    assert got.mentions.places == ("Al Asad", "Erbil")
    assert "Islamic Revolutionary Guard Corps" in got.mentions.actors
    assert {"missile", "ballistic", "struck", "attack"} <= set(got.mentions.key_terms)
    assert got.score >= 8 and got.reason.startswith(f"relevance {got.score:g}: places: Al Asad, Erbil")
    assert got.date_known and "unknown" not in got.reason


def test_off_topic_bushfire_report_from_the_same_week_is_dropped(terms: StoryTerms) -> None:
    got = judge(article(BUSHFIRES, title="Australia bushfires: thousands flee"), terms)
    assert isinstance(got, Drop) and got.decision == "drop"
    assert got.reason == "off topic: mentions none of the story's places (Al Asad, Erbil) or query terms"
    assert got.score < terms.min_score


def test_report_dated_2023_is_kept_for_its_text_to_decide_and_the_date_noted(terms: StoryTerms) -> None:
    # a page's date may be when it was crawled or updated: which event it tells of is read from its text
    # (extractors/events.py, tested in tests/extractors/test_events.py), where this date is one piece of evidence
    got = judge(article(STRIKE, published="2023-01-08T12:00:00Z"), terms)
    assert isinstance(got, Keep) and got.date_known
    assert got.reason.endswith("; published 2023-01-08, outside the story window 2020-01-06..2020-04-07: its text "
                               "decides which event it tells of")
    assert got.score >= 8


def test_unknown_date_is_kept_and_noted(terms: StoryTerms) -> None:
    got = judge(article(STRIKE, published=None), terms)
    assert isinstance(got, Keep) and not got.date_known and got.reason.endswith("; publication date unknown")
    assert isinstance(judge(article(STRIKE, published="not a date"), terms), Keep)


def test_window_is_read_in_the_story_time_zone(story: Story, terms: StoryTerms) -> None:
    # 22:00 UTC on 5 January is 01:00 on the 6th at +03:00: the window's first day
    assert window_problem("2020-01-05T22:00:00+00:00", story) is None
    assert window_problem("2020-01-05T20:00:00+00:00", story) == (
        "published 2020-01-05, outside the story window 2020-01-06..2020-04-07")
    assert window_problem("2020-04-07", story) is None and window_problem("2020-04-08", story) is not None
    assert window_problem(None, story) is None
    assert isinstance(judge(article(STRIKE, published="2020-01-05T22:00:00Z"), terms), Keep)


def test_place_alone_without_missile_or_strike_words_is_dropped(terms: StoryTerms) -> None:
    text = "The Erbil international book fair opened on Thursday with publishers from Iraq and Iran."
    got = judge(article(text), terms)
    assert isinstance(got, Drop) and got.reason.startswith("no missile/strike terms")
    assert "places: Erbil" in got.reason


def test_weak_mention_is_dropped_below_the_minimum_score(story: Story, terms: StoryTerms) -> None:
    text = "A rocket was launched from a field near Irbil."  # place 2 + query term Irbil 1 + key terms 2 = 5
    assert isinstance(judge(article(text), terms), Keep)
    strict = story_terms(story, dict(terms.place_names), dict(terms.actor_names), min_score=6)
    got = judge(article(text), strict)
    assert isinstance(got, Drop) and got.reason.startswith("relevance 5 below 6: places: Erbil")


def test_query_terms_match_by_all_their_words(terms: StoryTerms) -> None:
    # no story place, but "Iran missile" (Iran + missiles) and "ballistic missiles Iraq"
    text = "Iran fired ballistic missiles into Iraq overnight, the defense ministry said, in a retaliatory strike."
    got = judge(article(text), terms)
    assert isinstance(got, Keep)
    assert got.mentions.places == () and set(got.mentions.query_terms) == {"Iran missile", "ballistic missiles Iraq"}


def test_gazetteer_aliases_count_as_the_story_place(terms: StoryTerms) -> None:
    text = "Missiles hit Ayn al-Asad and Arbil, an official said, after the strike was announced."
    got = judge(article(text), terms)
    assert isinstance(got, Keep) and got.mentions.places == ("Al Asad", "Erbil")


def test_key_terms_come_from_the_story_sources_table(story: Story) -> None:
    custom = dataclasses.replace(story, sources={**story.sources, "key_terms": ["earthquake"]})
    terms = load_story_terms(SEEDS, custom)
    got = judge(article(STRIKE), terms)
    assert isinstance(got, Drop) and got.reason.startswith("no missile/strike terms (earthquake")


def test_every_bundled_corpus_report_is_kept(story: Story, terms: StoryTerms) -> None:
    articles, rejected = ingest(story.corpus, story=story.id)
    assert articles and not [r for r in rejected if r.stage != "dedupe"]
    dropped = {a.path: v.reason for a in articles if isinstance(v := judge(a, terms), Drop)}
    assert dropped == {}
