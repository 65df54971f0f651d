"""Onboarding a new story: proposals read from its reports (extractors/onboarding.py), the story and proposal
files written from them and accepting proposals into the reference tables (extractors/story_files.py).

The report (fixtures/vinnytsia-2022.txt, written for these tests) tells of an event no bundled story holds: the
Russian missile strike on Vinnytsia of 14 July 2022. The gazetteer lacks Vinnytsia, speakers.csv lacks its
governor, and the vocabulary lacks the word "Kalibr".
"""

from __future__ import annotations

import csv
import io
import shutil
import tomllib
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT, STORY_SOURCES_DEFAULTS, Story, load_story
from core.errors import ConfigError
from core.records import Article, content_hash
from extractors.onboarding import known_actors, propose, read_reports
from extractors.story_check import STORY_KEYS, check_story
from extractors.story_files import (
    GAZETTEER_COLUMNS,
    SOURCES_DOCS,
    SPEAKER_COLUMNS,
    accept_proposals,
    create_story,
    proposal_files,
    render_story,
)
from extractors.vocabulary import load_vocabulary
from sources.settings import HttpSettings

REPORT = Path(__file__).parent / "fixtures" / "vinnytsia-2022.txt"
SID = "vinnytsia-2022"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """The reference tables and story files of the bundled seeds, in a folder of their own."""
    out = tmp_path / "seeds"
    out.mkdir()
    for name in ("vocabulary.toml", "gazetteer.csv", "speakers.csv"):
        shutil.copy(PROJECT_ROOT / "seeds" / name, out / name)
    shutil.copytree(PROJECT_ROOT / "seeds" / "stories", out / "stories")
    return out


def bare_vocabulary(seeds: Path, story_id: str = SID, event_date: str = "2022-07-14"):
    (seeds / "stories" / f"{story_id}.toml").write_text(
        f'id = "{story_id}"\ntitle = "t"\nevent_date = "{event_date}"\ntimezone = "+03:00"\n', encoding="utf-8")
    return load_vocabulary(seeds, story_id)


def test_proposals_name_the_unknown_place_the_titled_speaker_the_munition_word_and_the_actor(seeds: Path):
    articles, rejected = read_reports([str(REPORT)], story=SID)
    assert not rejected and len(articles) == 1
    p = propose(articles, bare_vocabulary(seeds), known_actors(seeds / "stories", skip=SID))

    vinnytsia = next(pl for pl in p.places if pl.name == "Vinnytsia")
    assert vinnytsia.type == "city" and vinnytsia.country == "Ukraine"  # Klymenko, a listed speaker, is Ukraine's
    assert vinnytsia.how == "after 'hit'" and vinnytsia.count == 1
    assert "hit Vinnytsia" in vinnytsia.seen.sentence and vinnytsia.seen.report.endswith("vinnytsia-2022.txt")
    assert len(vinnytsia.nearest) == 3 and all(0 < score < 88 for _, score in vinnytsia.nearest)
    assert "Black Sea" in [pl.name for pl in p.places]
    assert not {"Thursday", "Russia", "Kalibr"} & {pl.name for pl in p.places}

    borzov = next(sp for sp in p.speakers if sp.name == "Serhiy Borzov")
    assert borzov.type == "person" and borzov.surface == "Governor Serhiy Borzov"
    assert borzov.aliases == ("Serhiy Borzov", "Borzov")
    names = [sp.name for sp in p.speakers]
    assert "Kyrylo Tymoshenko" in names
    assert "Ihor Klymenko" not in names  # listed in speakers.csv
    assert "Ukrainian officials" not in names  # anonymous officials need no row

    assert [(m.word, m.munition) for m in p.munitions] == [("kalibr", "missile")]
    assert p.munition_kinds == ("missile",)
    russia = p.actors[0]
    assert russia.name == "Russia" and "Russian" in russia.aliases and "sumy-2025-04.toml" in russia.origin


def test_places_the_place_rules_recognise_by_pattern_are_proposed_with_their_surface(seeds: Path):
    text = ("Eleven rockets struck the K-1 air base near Kirkuk late on Friday, wounding four soldiers, "
            "officials said.\n\nA second salvo landed at Camp Harmony.")
    article = Article(content_hash(text), text, published="2019-12-28", path="k1.txt")
    p = propose([article], bare_vocabulary(seeds, "k1-test", "2019-12-27"), {})
    by_name = {pl.name: pl for pl in p.places}
    assert by_name["K-1 air base"].how == "by pattern" and by_name["K-1 air base"].type == "base"
    assert by_name["Camp Harmony"].how == "by pattern"
    assert by_name["Kirkuk"].how == "after 'near'" and by_name["Kirkuk"].type == "city"
    assert p.munition_kinds == ("rocket",)


def test_unlisted_organisations_titled_people_owned_places_and_drone_names(seeds: Path):
    text = ("Three drones hit Ukraine's Zarichne overnight, the Zarichne Military Administration said. "
            "Two people were wounded near Bilohirka on Tuesday, the administration added.\n\n"
            "Colonel Ostap Hnatiuk, who commands the local brigade, said eight Geran drones were shot down. "
            "A Ukrainian official said the Geran drones came in low.")
    article = Article(content_hash(text), text, published="2023-05-02", path="z.txt")
    p = propose([article], bare_vocabulary(seeds, "z-test", "2023-05-02"), {})
    assert {pl.name: pl.how for pl in p.places} == {"Zarichne": "after 'hit'", "Bilohirka": "after 'near'"}
    by_name = {sp.name: sp for sp in p.speakers}
    assert set(by_name) == {"Zarichne Military Administration", "Ostap Hnatiuk"}  # not "A Ukrainian official"
    assert by_name["Zarichne Military Administration"].type == "organisation"
    assert by_name["Zarichne Military Administration"].aliases == ("Zarichne Military Administration",)
    assert by_name["Ostap Hnatiuk"].type == "person" and by_name["Ostap Hnatiuk"].surface == "Colonel Ostap Hnatiuk"
    assert [(m.word, m.munition, m.count) for m in p.munitions] == [("geran", "drone", 2)]
    with pytest.raises(ConfigError, match="not a UTC offset"):
        create_story(seeds, "z-test-2", "Z", "2023-05-02", [], timezone="Europe/Kyiv")


def test_a_report_is_fetched_over_http_through_the_one_client(seeds: Path, httpserver):
    html = ("<html><head><title>Strike on Vinnytsia</title></head><body><article>"
            + "".join(f"<p>{para}</p>" for para in REPORT.read_text(encoding="utf-8").split("\n\n")[1:])
            + "</article></body></html>")
    httpserver.expect_request("/news/vinnytsia").respond_with_data(html, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/missing").respond_with_data("gone", status=404)
    settings = HttpSettings(allow_loopback=True, obey_robots=False, per_host_delay_s=0.0, per_host_delays={},
                            max_attempts=1)
    articles, rejected = read_reports([httpserver.url_for("/news/vinnytsia"), httpserver.url_for("/missing")],
                                      story=SID, http=settings)
    assert len(articles) == 1 and articles[0].url.endswith("/news/vinnytsia") and "Borzov" in articles[0].text
    assert len(rejected) == 1 and rejected[0].input.endswith("/missing") and "404" in rejected[0].reason
    p = propose(articles, bare_vocabulary(seeds), {})
    assert "Vinnytsia" in [pl.name for pl in p.places]


def test_the_story_file_holds_every_key_documented_and_loads(seeds: Path, tmp_path: Path):
    assert set(SOURCES_DOCS) == set(STORY_SOURCES_DEFAULTS)
    assert set(STORY_KEYS) == set(Story.__slots__)  # every field load_story fills is a documented key
    articles, _ = read_reports([str(REPORT)], story=SID)
    p = propose(articles, bare_vocabulary(seeds), known_actors(seeds / "stories", skip=SID))
    text = render_story(SID, "Vinnytsia", "2022-07-14", p, timezone="+03:00", proposal_dir=f"proposals/{SID}")
    lines = text.splitlines()
    for key in STORY_KEYS:
        if key not in ("actors", "sources"):
            assert any(ln.startswith((f"{key} = ", f"# {key} = ")) for ln in lines), key
    for key in STORY_SOURCES_DEFAULTS:
        at = next(i for i, ln in enumerate(lines) if ln.startswith(f"# {key} = "))
        assert lines[at - 1] == f"# {SOURCES_DOCS[key]}"  # each key under its comment
    data = tomllib.loads(text)
    assert data["places"] == [] and data["actors"] == {} and data["munitions"] == []  # proposals stay commented
    assert '    # "Vinnytsia",  # not in the gazetteer' in text
    assert '# "Russia" = ["Russia", "Russian"' in text
    path = seeds / "stories" / f"{SID}.toml"
    path.write_text(text, encoding="utf-8")
    story = load_story(path, seeds)
    assert story.id == SID and story.timezone == "+03:00" and story.places == ()
    assert [pr for pr in check_story(path, seeds) if pr.severity == "error"] == []


def test_proposal_rows_have_the_target_columns_and_are_commented(seeds: Path):
    articles, _ = read_reports([str(REPORT)], story=SID)
    files = proposal_files(SID, propose(articles, bare_vocabulary(seeds), {}))
    assert set(files) == {"gazetteer.csv", "speakers.csv", "munitions.csv"}
    for name, columns in (("gazetteer.csv", GAZETTEER_COLUMNS), ("speakers.csv", SPEAKER_COLUMNS)):
        lines = files[name].splitlines()
        data = [ln for ln in lines if not ln.startswith("#")]
        assert data == [",".join(columns)]  # only the header is live
        rows = [next(csv.reader(io.StringIO(ln[2:]))) for ln in lines if ln.startswith("# ")]
        assert rows and all(len(r) == len(columns) for r in rows)
    assert "# Vinnytsia,Vinnytsia,city,Ukraine,," in files["gazetteer.csv"]
    assert "# Serhiy Borzov,Borzov,,,person," in files["speakers.csv"]
    assert "# missile,kalibr" in files["munitions.csv"]


def test_create_story_writes_files_copies_the_report_and_refuses_to_overwrite(seeds: Path):
    made = create_story(seeds, SID, "Vinnytsia", "2022-07-14", [str(REPORT)], timezone="+03:00")
    assert made.story_path == seeds / "stories" / f"{SID}.toml"
    assert {p.name for p in made.proposal_paths} == {"gazetteer.csv", "speakers.csv", "munitions.csv"}
    assert (seeds / "articles" / SID / REPORT.name).read_text(encoding="utf-8") == REPORT.read_text(encoding="utf-8")
    assert load_story(made.story_path, seeds).seeds == (seeds / "articles" / SID,)
    assert not list((seeds / "stories").glob(".*"))  # the bare reading's file is gone
    before = made.story_path.read_text(encoding="utf-8")
    with pytest.raises(ConfigError, match="exists; refusing to overwrite"):
        create_story(seeds, SID, "Other", "2022-07-14", [str(REPORT)])
    assert made.story_path.read_text(encoding="utf-8") == before
    with pytest.raises(ConfigError, match="is not a date"):
        create_story(seeds, "other-story", "Other", "2022-14-07", [])
    with pytest.raises(ConfigError, match="none of the reports could be read"):
        create_story(seeds, "other-story", "Other", "2022-07-14", [str(seeds / "nowhere.txt")])
    assert not (seeds / "stories" / "other-story.toml").exists()


def test_accept_adds_only_uncommented_rows_once(seeds: Path):
    create_story(seeds, SID, "Vinnytsia", "2022-07-14", [str(REPORT)])
    folder = seeds / "proposals" / SID
    gaz_before = (seeds / "gazetteer.csv").read_text(encoding="utf-8")
    spk_before = (seeds / "speakers.csv").read_text(encoding="utf-8")
    nothing = accept_proposals(seeds, SID)
    assert nothing.added == {} and nothing.skipped == []
    assert (seeds / "gazetteer.csv").read_text(encoding="utf-8") == gaz_before  # nothing is added unasked

    gaz = folder / "gazetteer.csv"
    gaz.write_text(gaz.read_text(encoding="utf-8").replace(
        "# Vinnytsia,Vinnytsia,city,Ukraine,,", "Vinnytsia,Vinnytsia,city,Ukraine,Vinnytsia Oblast,"), encoding="utf-8")
    spk = folder / "speakers.csv"
    spk.write_text(spk.read_text(encoding="utf-8").replace("# Serhiy Borzov,Borzov,,,person,",
                                                           "Serhiy Borzov,Borzov,,Ukraine,person,"), encoding="utf-8")
    mun = folder / "munitions.csv"
    mun.write_text(mun.read_text(encoding="utf-8").replace("# missile,kalibrs", "missile,kalibrs"), encoding="utf-8")
    done = accept_proposals(seeds, SID)
    assert done.added == {"gazetteer.csv": ["Vinnytsia,Vinnytsia,city,Ukraine,Vinnytsia Oblast,"],
                          "speakers.csv": ["Serhiy Borzov,Borzov,,Ukraine,person,"],
                          "vocabulary.toml": ["missile,kalibrs"]}
    assert (seeds / "gazetteer.csv").read_text(encoding="utf-8") == (
        gaz_before + "Vinnytsia,Vinnytsia,city,Ukraine,Vinnytsia Oblast,\n")
    assert (seeds / "speakers.csv").read_text(encoding="utf-8") == (
        spk_before + "Serhiy Borzov,Borzov,,Ukraine,person,\n")
    vocab = tomllib.loads((seeds / "vocabulary.toml").read_text(encoding="utf-8"))
    assert vocab["munitions"]["missile"][-1] == "kalibrs" and "kalibr" not in vocab["munitions"]["missile"]
    assert "## accepted into gazetteer.csv: Vinnytsia,Vinnytsia" in gaz.read_text(encoding="utf-8")
    again = accept_proposals(seeds, SID)
    assert again.added == {} and again.skipped == []

    # a row the table already holds is passed over; a malformed row names its file and line
    gaz.write_text(gaz.read_text(encoding="utf-8") + "Vinnytsia,Vinnytsia,city,Ukraine,,\n", encoding="utf-8")
    skipped = accept_proposals(seeds, SID)
    assert skipped.added == {"gazetteer.csv": []} and "already in gazetteer.csv" in skipped.skipped[0]
    n = len(gaz.read_text(encoding="utf-8").splitlines()) + 1
    gaz.write_text(gaz.read_text(encoding="utf-8") + "Vinnytsia,city\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"line {n}: 2 fields, the header has 6"):
        accept_proposals(seeds, SID)
