"""Incremental matching against a full recompute, on real runs of the bundled story split into two parts.

The first run matches the earlier part in full; the second brings the later part (held-back reports, a wire
reprint of an older report, a report dated before all others, an earlier original of an older report, a new
spelling of an unlisted place, a changed file) and must match incrementally; a full recompute of the same
warehouse must then store exactly the same rows in every matching table and view, and the same state.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from incremental_support import STORY, add_later_part, make_split_project, snapshot

from core.config import Settings, load_settings
from crosscheck.jobs import RunSummary, match_story, new_run_id, run_story


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, RunSummary, RunSummary]:
    root = make_split_project(tmp_path_factory.mktemp("split") / "project")
    settings = load_settings(root / "crosscheck.toml", env={})
    first = run_story(settings, settings.story(STORY))
    add_later_part(root)
    second = run_story(settings, settings.story(STORY))
    return settings, first, second


def full_copy(settings: Settings, tmp_path: Path, batch: int | None = None) -> Path:
    """The same warehouse matched again in full, in a copy (with `batch`: that many articles at a time)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    db = tmp_path / "copy.duckdb"
    shutil.copy2(settings.db_path, db)
    config = tmp_path / "crosscheck.toml"
    config.write_text(f'[warehouse]\npath = "{db}"\n[seeds]\ndir = "{settings.seeds_dir}"\nstories = ["{STORY}"]\n'
                      f'[sources]\nonline = false\n[reports]\ndir = "{tmp_path / "reports"}"\n', encoding="utf-8")
    copy = load_settings(config, env={})
    if batch is not None:
        copy = replace(copy, match_batch=batch)
    outcome = match_story(copy, copy.story(STORY), new_run_id(), full=True)
    assert outcome.mode == "full" and outcome.reason == "a full match was asked for"
    articles = duckdb.connect(str(db), read_only=True).execute(
        "SELECT count(*) FROM articles WHERE story = ?", [STORY]).fetchone()[0]
    assert outcome.changes == ({"batches": -(-articles // batch)} if batch and batch < articles else {})
    return db


def test_first_run_matches_in_full_and_second_incrementally(two_runs: tuple[Settings, RunSummary, RunSummary]
                                                            ) -> None:
    _, first, second = two_runs
    assert (first.match_mode, first.match_reason) == ("full", "no stored matching state")
    assert second.match_mode == "incremental" and not second.match_reason
    changes = second.match_changes
    assert changes["articles"] == 8 and changes["claims"] == second.claims_new > 0
    assert changes["voices_changed"] >= 1  # the Stars and Stripes report became a copy of an earlier one
    assert changes["subjects_changed"] >= 1  # "Camp Victory" was renamed with its new spelling
    assert changes["facts_rewritten"] >= 2 and changes["facts_grown"] >= 1
    assert changes["facts_revoiced"] >= 1  # re-aligned from their stored keys, not from all their claims


def test_incremental_equals_full_recompute(two_runs: tuple[Settings, RunSummary, RunSummary],
                                           tmp_path: Path) -> None:
    settings, _, second = two_runs
    incremental = snapshot(settings.db_path)
    full = snapshot(full_copy(settings, tmp_path))
    for table, rows in full.items():
        assert incremental[table] == rows, f"{table} differs from a full recompute"
    assert second.facts == len(full["facts"]) and second.discrepancies == len(full["discrepancies"])


@pytest.mark.parametrize("batch", [3, 17])
def test_matching_from_scratch_in_batches_equals_one_pass(two_runs: tuple[Settings, RunSummary, RunSummary],
                                                          tmp_path: Path, batch: int) -> None:
    """[matching] batch_articles: the first batch matched in full, each next one folded in, gives every row one
    pass over all the story's articles gives (copies, renamed unlisted places and a report dated first included)."""
    settings, _, _ = two_runs
    one_pass = snapshot(full_copy(settings, tmp_path / "one"))
    batched = snapshot(full_copy(settings, tmp_path / "batched", batch=batch))
    for table, rows in one_pass.items():
        assert batched[table] == rows, f"{table} differs when matched {batch} articles at a time"


def test_what_the_later_part_changed(two_runs: tuple[Settings, RunSummary, RunSummary]) -> None:
    settings, _, _ = two_runs
    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        voices = dict(con.execute("""
            SELECT a.path, v.voice_id FROM match_voices AS v JOIN articles AS a USING (article_id)
            WHERE a.path LIKE '%19-stripes%' OR a.path LIKE '%27-gulfnews%'""").fetchall())
        entities = con.execute("SELECT surface, canonical, method FROM match_entities WHERE known = false "
                               "ORDER BY surface").fetchall()
        earliest = con.execute("SELECT min(published) FROM fact_members").fetchone()[0]
        states = con.execute("SELECT mode, articles, claims FROM match_state WHERE story = ?", [STORY]).fetchone()
        members = con.execute("SELECT count(*) FROM fact_members WHERE story = ?", [STORY]).fetchone()[0]
    finally:
        con.close()
    assert {Path(p).name[:2]: v for p, v in voices.items()} == {"19": "Military.com", "27": "Reuters"}
    assert entities == [("Camp Victori", "Camp Victori", "cluster"), ("Camp Victory", "Camp Victori", "cluster")]
    assert str(earliest).startswith("2020-01-07 22:30")
    assert states[0] == "incremental" and states[2] == members


def test_rerun_with_nothing_new_skips_matching(two_runs: tuple[Settings, RunSummary, RunSummary]) -> None:
    settings, _, _ = two_runs
    before = snapshot(settings.db_path)
    again = run_story(settings, settings.story(STORY))
    assert again.match_skipped and again.match_mode == "skipped" and again.extracted == 0
    assert snapshot(settings.db_path) == before


def test_changed_reference_tables_match_in_full(tmp_path: Path) -> None:
    root = make_split_project(tmp_path / "project")
    settings = load_settings(root / "crosscheck.toml", env={})
    run_story(settings, settings.story(STORY))
    add_later_part(root)
    outlets = root / "seeds" / "outlets.csv"
    outlets.write_text(outlets.read_text(encoding="utf-8") + "Military.com,Military.com,military.com,US,,independent\n",
                       encoding="utf-8")
    second = run_story(settings, settings.story(STORY))
    assert second.match_mode == "full"
    assert second.match_reason == "vocabulary, reference tables or matching version changed"
