"""Story validation (extractors/story_check.py): the bundled story files pass; each kind of mistake is reported
with the file and the line that holds it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT
from extractors.story_check import Problem, check_story, key_lines, load_reference

SEEDS = PROJECT_ROOT / "seeds"

GOOD = """\
# a story for the checks
id = "strike-2022"
title = "A strike"
event_date = "2022-07-14"
timezone = "+03:00"
writer_timezones = ["+03:00", "-04:00"]
window_days = [-2, 90]
seeds = ["articles/strike-2022"]
corpus = []
default_party = "Ukrainian"
query_terms = ["Kyiv missile"]
places = [
    "Kyiv",
    # "Nowhere Town",  (commented out: not checked)
]
munitions = ["missile"]

[actors]
"Russia" = ["Russia", "Russian"]

[sources]
gdelt = false
max_reports = 10
"""


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    out = tmp_path / "seeds"
    (out / "stories").mkdir(parents=True)
    (out / "articles" / "strike-2022").mkdir(parents=True)
    for name in ("vocabulary.toml", "gazetteer.csv"):
        shutil.copy(SEEDS / name, out / name)
    return out


def write(seeds: Path, text: str, name: str = "strike-2022") -> Path:
    path = seeds / "stories" / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def errors(problems: list[Problem]) -> list[str]:
    return [str(p) for p in problems if p.severity == "error"]


@pytest.mark.parametrize("path", sorted((SEEDS / "stories").glob("*.toml")), ids=lambda p: p.stem)
def test_every_bundled_story_passes(path: Path):
    assert check_story(path, SEEDS, load_reference(SEEDS)) == []


def test_a_good_story_passes(seeds: Path):
    assert check_story(write(seeds, GOOD), seeds) == []


def test_bad_date_unknown_place_and_missing_folder_name_file_and_line(seeds: Path):
    text = (GOOD.replace('event_date = "2022-07-14"', 'event_date = "2022-14-07"')
            .replace('    "Kyiv",', '    "Kyiv",\n    "Vinnytsia",')
            .replace('corpus = []', 'corpus = ["corpus/strike-2022"]'))
    path = write(seeds, text)
    got = errors(check_story(path, seeds))
    assert len(got) == 3, got
    assert got[0].startswith(f"{path}:4: error: event_date '2022-14-07' is not a date")
    assert got[1].startswith(f"{path}:9: error: corpus names 'corpus/strike-2022', but ")
    assert got[2].startswith(f"{path}:14: error: place 'Vinnytsia' is not in the gazetteer")


def test_wrong_types_unknown_keys_and_other_values_name_their_lines(seeds: Path):
    text = (GOOD.replace('timezone = "+03:00"', 'timezone = "Europe/Kyiv"')
            .replace("window_days = [-2, 90]", 'window_days = "two days"')
            .replace('default_party = "Ukrainian"', 'default_party = "Ukrainians"')
            .replace('munitions = ["missile"]', 'munitions = ["missile", "artillery"]\nfeeds = []')
            .replace("max_reports = 10", 'max_reports = "ten"\ngdelt_limit = 5\nurls = ["ftp://example.org/a"]')
            .replace('"Russia" = ["Russia", "Russian"]', '"Russia" = "Russia"')
            .replace('    "Kyiv",', '    "Kyiv International",'))
    path = write(seeds, text)
    got = "\n".join(errors(check_story(path, seeds)))
    lines = key_lines(text)
    for key, words in (
        ("timezone", "timezone 'Europe/Kyiv' is not a UTC offset"),
        ("window_days", "window_days must be two whole numbers"),
        ("default_party", "default_party 'Ukrainians' is not a [parties] name"),
        ("munitions", "munition kind 'artillery' is not one of"),
        ("feeds", "unknown key 'feeds'"),
        ("actors.Russia", "actor 'Russia' must have a list of aliases"),
        ("sources.max_reports", "sources.max_reports must be a number"),
        ("sources.gdelt_limit", "unknown key sources.gdelt_limit"),
        ("sources.urls", "sources.urls holds 'ftp://example.org/a', not an http(s) URL"),
    ):
        assert f"{path}:{lines[key]}: error: {words}" in got, (key, got)
    assert f"{path}:13: error: place 'Kyiv International' is not in the gazetteer (seeds/gazetteer.csv); nearest: " \
        in got


def test_a_toml_date_an_id_that_is_not_the_file_name_and_retired_keys(seeds: Path):
    text = (GOOD.replace('event_date = "2022-07-14"', "event_date = 2022-07-14")
            .replace('id = "strike-2022"', 'id = "strike-2023"')
            .replace("[actors]", 'other_event_terms = ["earlier"]\n\n[actors]'))
    path = write(seeds, text)
    problems = check_story(path, seeds)
    got = [str(p) for p in problems]
    assert f"{path}:2: error: id 'strike-2023' differs from the file name 'strike-2022.toml'" in got[0]
    assert any(g.startswith(f"{path}:4: error: event_date must be a string, got a TOML date (2022-07-14) (write it "
                            "as a quoted string") for g in got)
    assert any(g.startswith(f"{path}:18: warning: other_event_terms is retired") for g in got)


def test_an_alias_in_places_names_the_canonical_and_a_syntax_error_its_line(seeds: Path):
    path = write(seeds, GOOD.replace('    "Kyiv",', '    "Irbil",'))
    assert errors(check_story(path, seeds)) == [
        f"{path}:13: error: place 'Irbil' is an alias in the gazetteer; the places list takes its canonical name "
        "'Erbil'"]
    broken = write(seeds, GOOD.replace('title = "A strike"', 'title = "A strike'))
    (problem,) = check_story(broken, seeds)
    assert problem.line == 3 and "not valid TOML" in problem.message
    missing = write(seeds, GOOD.replace('event_date = "2022-07-14"\n', ""))
    assert f"{missing}: error: missing key 'event_date'" in errors(check_story(missing, seeds))
