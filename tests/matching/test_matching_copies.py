"""matching.copies: wire marks, near-duplicates by shingle containment, one voice per copy cluster."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.records import Article, content_hash
from matching.copies import assign_voices, containment, parse_published, sentence_keys, shingles
from matching.reference import load_reference

STORY = (
    "WASHINGTON (AP) — The Pentagon said on Wednesday that sixteen ballistic missiles were fired at two bases. "
    "Eleven of the missiles struck the Al Asad air base in western Iraq and one hit a facility in Erbil. "
    "Officials said four missiles failed in flight and did not reach any target at all that night. "
    "Defense Secretary Mark Esper told reporters that no American personnel had been killed or wounded."
)


def art(text: str, outlet: str, published: str, byline: str | None = None) -> Article:
    return Article(article_id=content_hash(text), text=text, outlet=outlet, published=published, byline=byline,
                   story="iran-2020")


def test_corpus_reprint_is_one_voice_with_the_ap_original(corpus: Any) -> None:
    ap, gazette = corpus.article("14-"), corpus.article("16-")
    voices = {v.article_id: v for v in corpus.result.voices}
    assert voices[gazette.article_id].voice_id == voices[ap.article_id].voice_id == "Associated Press"
    assert voices[gazette.article_id].original_id == ap.article_id  # earliest copy is the original
    assert voices[gazette.article_id].signal == "near_duplicate"
    assert voices[gazette.article_id].containment == 1.0  # every sentence of the cut reprint is in the original
    # the identical reprint (file 15) never became an article: ingest merged it by content hash
    assert any(r.stage == "dedupe" and "15-" in r.input for r in corpus.rejected)
    # other articles keep their own voice
    assert voices[corpus.article("13-").article_id].voice_id == "NBC News"
    assert voices[corpus.article("10-").article_id].signal == "dateline"


def test_near_duplicate_without_a_dateline_joins_the_original() -> None:
    original = art(STORY, "Associated Press", "2020-01-08T20:00:00+00:00")
    edited = STORY.replace("WASHINGTON (AP) — ", "").rsplit(" Defense", 1)[0] + " More on page 4."
    reprint = art(edited, "Daily Planet", "2020-01-09T06:00:00+00:00")
    voices = assign_voices([reprint, original], load_reference())
    assert voices[reprint.article_id].voice_id == "Associated Press"
    assert voices[reprint.article_id].original_id == original.article_id
    assert voices[reprint.article_id].containment >= 0.6  # type: ignore[operator]


def test_earliest_copy_is_the_original_and_lends_its_outlet() -> None:
    plain = STORY.replace("WASHINGTON (AP) — ", "")
    first = art(plain, "Daily Planet", "2020-01-08T10:00:00+00:00")
    second = art(plain + " Copyright Gazette.", "Gazette", "2020-01-08T12:00:00+00:00")
    voices = assign_voices([second, first], load_reference())
    assert {v.voice_id for v in voices.values()} == {"Daily Planet"}
    assert voices[second.article_id].original_id == first.article_id


def test_wire_byline_makes_the_agency_the_voice() -> None:
    a = art("Iran fired missiles at bases in Iraq, officials said on Wednesday.", "Star Tribune",
            "2020-01-08T19:05:00+00:00", byline="By Kevin Marsh, Associated Press")
    v = assign_voices([a], load_reference())[a.article_id]
    assert (v.voice_id, v.signal) == ("Associated Press", "byline")


def test_a_shared_quote_does_not_make_copies() -> None:
    quote = "President Trump said that no Americans were harmed in the attack on the bases last night."
    a = art(quote + " " + STORY.replace("WASHINGTON (AP) — ", ""), "CNN", "2020-01-08T18:00:00+00:00")
    b = art("In Tehran, state television showed the launches. " + quote + " Analysts doubted the Iranian toll "
            "and said satellite images would show the damage at the base within days, if at all.", "BBC News",
            "2020-01-08T19:00:00+00:00")
    voices = assign_voices([a, b], load_reference())
    assert voices[a.article_id].voice_id == "CNN" and voices[b.article_id].voice_id == "BBC News"


def test_outlet_voice_by_alias_or_domain() -> None:
    a = Article(article_id="a1", text="x", outlet="AFP", published="2020-01-08")
    b = Article(article_id="b1", text="y", outlet=None, url="https://www.presstv.ir/Detail/2020/01/08/1")
    voices = assign_voices([a, b], load_reference())
    assert voices["a1"].voice_id == "Agence France-Presse"
    assert voices["b1"].voice_id == "Press TV"


def test_shingle_helpers() -> None:
    s = shingles(STORY)
    assert containment(s, s) == 1.0 and containment(s, set()) == 0.0
    assert len(sentence_keys(STORY)) == 4
    assert parse_published("2020-01-07T23:48:00+00:00") == datetime(2020, 1, 7, 23, 48)
    assert parse_published("2020-01-08T01:48:00+02:00") == datetime(2020, 1, 7, 23, 48)
    assert parse_published("2020-01-08") == datetime(2020, 1, 8)
    assert parse_published("last Tuesday") is None and parse_published(None) is None
