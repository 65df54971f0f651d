"""`crosscheck story new | accept | check` end to end on a copy of the project's seeds: a report of an event no
bundled story holds (the Russian missile strike on Vinnytsia, 14 July 2022) becomes a tracked story whose claims
name the new place and the new speaker once their proposals are accepted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import env_for, make_project
from typer.testing import CliRunner

from crosscheck.cli import app

runner = CliRunner()
REPORT = Path(__file__).resolve().parents[1] / "extractors" / "fixtures" / "vinnytsia-2022.txt"
SID = "vinnytsia-2022"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_project(tmp_path / "project")
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(root / "crosscheck.toml"))
    return root


def uncomment(path: Path, line: str, replacement: str | None = None) -> None:
    """What a person does to accept a proposal: delete the leading "# " of its line (and maybe fix a field)."""
    text = path.read_text(encoding="utf-8")
    assert line in text.splitlines(), f"{line!r} not in {path}"
    path.write_text(text.replace(line, replacement or line.replace("# ", "", 1), 1), encoding="utf-8")


def claims_of(result_stdout: str) -> list[dict]:
    return [json.loads(ln) for ln in result_stdout.splitlines() if ln.startswith("{")]


def test_story_new_accept_check_then_extract_names_the_new_place_and_speaker(project: Path):
    seeds = project / "seeds"
    gazetteer_before = (seeds / "gazetteer.csv").read_text(encoding="utf-8")
    made = runner.invoke(app, ["story", "new", SID, "--title", "Russian missile strike on Vinnytsia, July 2022",
                               "--date", "2022-07-14", "--timezone", "+03:00", "--from", str(REPORT)])
    assert made.exit_code == 0, made.output
    assert "Vinnytsia [city, Ukraine] after 'hit'" in made.output
    assert "Serhiy Borzov (person; as written: Governor Serhiy Borzov)" in made.output
    assert "kalibr -> missile" in made.output
    story = seeds / "stories" / f"{SID}.toml"
    proposals = seeds / "proposals" / SID
    assert f"wrote {story}" in made.output
    assert (seeds / "gazetteer.csv").read_text(encoding="utf-8") == gazetteer_before  # nothing added unasked
    assert "# Vinnytsia,Vinnytsia,city,Ukraine,," in (proposals / "gazetteer.csv").read_text(encoding="utf-8")

    # before accepting: the place is not known, the speaker is read by title with nobody behind him
    before = runner.invoke(app, ["extract", "--story", SID, str(REPORT)])
    assert before.exit_code == 0, before.output
    rows = claims_of(before.stdout)
    assert rows and not [r for r in rows if r["subject"] == "Vinnytsia"]
    assert {r["attribution"]["organisation"] for r in rows if r["attribution"]["speaker"] == "Serhiy Borzov"} == {None}

    # accept: the gazetteer row, the governor's rows (organisation and side filled in), the word, and in the
    # story the key place, the actor and the munition kind
    uncomment(proposals / "gazetteer.csv", "# Vinnytsia,Vinnytsia,city,Ukraine,,",
              "Vinnytsia,Vinnytsia,city,Ukraine,Vinnytsia Oblast,")
    for alias in ("Serhiy Borzov", "Borzov"):
        uncomment(proposals / "speakers.csv", f"# Serhiy Borzov,{alias},,,person,",
                  f"Serhiy Borzov,{alias},Vinnytsia Regional Military Administration,Ukraine,person,")
    uncomment(proposals / "munitions.csv", "# missile,kalibr")
    text = story.read_text(encoding="utf-8")
    place_line = next(ln for ln in text.splitlines() if ln.startswith('    # "Vinnytsia",'))
    uncomment(story, place_line, '    "Vinnytsia",')
    uncomment(story, next(ln for ln in text.splitlines() if ln.startswith('# "Russia" = [')))
    uncomment(story, next(ln for ln in text.splitlines() if ln.startswith('    # "missile",')), '    "missile",')

    accepted = runner.invoke(app, ["story", "accept", SID])
    assert accepted.exit_code == 0, accepted.output
    assert "added to gazetteer.csv: Vinnytsia,Vinnytsia,city,Ukraine,Vinnytsia Oblast," in accepted.output
    assert "added to speakers.csv: Serhiy Borzov,Borzov,Vinnytsia Regional Military Administration" in accepted.output
    assert "added to vocabulary.toml: missile,kalibr" in accepted.output
    checked = runner.invoke(app, ["story", "check", SID])
    assert checked.exit_code == 0, checked.output
    assert checked.output.strip() == "ok"

    # a fresh process, as a person's next command is (the vocabulary is cached per process)
    after = subprocess.run([sys.executable, "-m", "crosscheck.cli", "extract", "--story", SID, str(REPORT)],
                           env=env_for(project), capture_output=True, text=True, timeout=300, cwd=project)
    assert after.returncode == 0, after.stderr
    rows = claims_of(after.stdout)
    targets = [r for r in rows if r["kind"] == "target" and r["subject"] == "Vinnytsia"]
    assert targets and all(r["subject_known"] for r in targets)
    hit = next(r for r in rows if r["kind"] == "munitions_hit")
    assert (hit["subject"], hit["value"]["low"], hit["munition"]) == ("Vinnytsia", 2.0, "missile")
    launched = next(r for r in rows if r["kind"] == "munitions_launched")
    assert launched["value"]["low"] == 4.0 and launched["attribution"] == {
        "speaker": "Serhiy Borzov", "surface": launched["attribution"]["surface"],
        "organisation": "Vinnytsia Regional Military Administration", "side": "Ukraine", "hedge": "said"}
    assert {r["subject"] for r in rows if r["kind"] == "responsibility"} == {"Russia"}

    again = runner.invoke(app, ["story", "new", SID, "--title", "x", "--date", "2022-07-14"])
    assert again.exit_code == 1
    assert "refusing to overwrite" in again.output and str(story) in again.output


def test_story_check_exits_1_naming_file_and_line(project: Path):
    story = project / "seeds" / "stories" / "iran-2020.toml"
    assert runner.invoke(app, ["story", "check", "iran-2020"]).output.strip() == "ok"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace('event_date = "2020-01-08"', 'event_date = "2020-01-32"')
                     .replace('places = ["Al Asad", "Erbil"]', 'places = ["Al Asad", "Erbill"]')
                     .replace('seeds = ["articles/iran-2020"]', 'seeds = ["articles/iran-2021"]'), encoding="utf-8")
    result = runner.invoke(app, ["story", "check", "iran-2020"])
    assert result.exit_code == 1
    lines = text.splitlines()
    line_of = {key: 1 + next(i for i, ln in enumerate(lines) if ln.startswith(f"{key} = "))
               for key in ("event_date", "places", "seeds")}
    assert f"{story}:{line_of['event_date']}: error: event_date '2020-01-32' is not a date" in result.output
    assert f"{story}:{line_of['seeds']}: error: seeds names 'articles/iran-2021', but" in result.output
    assert (f"{story}:{line_of['places']}: error: place 'Erbill' is not in the gazetteer (seeds/gazetteer.csv); "
            "nearest: 'Erbil'") in result.output
    assert "ok" not in result.output.split()
    missing = runner.invoke(app, ["story", "check", "no-such-story"])
    assert missing.exit_code == 1 and "no such story file" in missing.output
