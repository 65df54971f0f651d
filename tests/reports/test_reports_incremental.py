"""Incremental reports against a render from scratch, byte for byte, on real runs of the bundled story in two parts.

The report files are written once after the earlier part (every fact rendered, shares cached), then after the later
part (only the facts matching touched are rendered), after a reviewer's verdict (only that fact), and with nothing
changed (not written at all); each time they must equal the files a render from scratch writes for the same
warehouse and the same generation time.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from incremental_support import STORY, add_later_part, make_split_project

from core.config import Settings, load_settings
from crosscheck.jobs import run_story
from reports.build import Written, write_report_files, write_story_reports
from reports.cache import cache_dir
from reports.fragments import FILES
from reports.model import load_discrepancies, load_story_report, reading
from reports.review import record_verdict
from warehouse.db import open_warehouse


def scratch(settings: Settings, out: Path, generated_at: datetime) -> Written:
    story = settings.story(STORY)
    with reading(settings.db_path) as con:
        report = load_story_report(con, STORY, title=story.title, event_date=story.event_date,
                                   generated_at=generated_at)
    return write_report_files(report, out)


def assert_same_files(a: Path, b: Path) -> None:
    for name in FILES:
        assert (a / STORY / name).read_bytes() == (b / STORY / name).read_bytes(), f"{name} differs"


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    root = make_split_project(tmp_path / "project")
    settings = load_settings(root / "crosscheck.toml", env={})
    run_story(settings, settings.story(STORY))
    return settings


def test_incremental_reports_equal_a_render_from_scratch(project: Settings, tmp_path: Path) -> None:
    settings, out = project, tmp_path / "reports"
    at = [datetime(2024, 1, 2, 3, m) for m in range(4)]
    cache = cache_dir(settings.db_path, STORY)
    shutil.rmtree(cache)  # the run wrote its reports too: start from nothing cached

    first = write_story_reports(settings.db_path, STORY, out, settings=settings, generated_at=at[0])
    assert first.rendered == first.facts > 0
    assert_same_files(out, scratch(settings, tmp_path / "scratch-0", at[0]).paths[0].parents[1])
    shutil.copytree(cache, tmp_path / "cached-after-first")

    add_later_part(settings.root)
    assert run_story(settings, settings.story(STORY)).match_mode == "incremental"
    shutil.rmtree(cache)  # the shares as the first write left them: the run's own report writing is undone
    shutil.copytree(tmp_path / "cached-after-first", cache)
    second = write_story_reports(settings.db_path, STORY, out, settings=settings, generated_at=at[1])
    assert 0 < second.rendered < second.facts  # facts the later part left alone come from the cache
    assert_same_files(out, scratch(settings, tmp_path / "scratch-1", at[1]).paths[0].parents[1])

    con = open_warehouse(settings.db_path)
    try:
        disc = load_discrepancies(con, STORY)[0]
        record_verdict(con, disc.key, "real", "Test Reviewer", "checked against the statement")
    finally:
        con.close()
    third = write_story_reports(settings.db_path, STORY, out, settings=settings, generated_at=at[2])
    assert third.rendered == 1 and third.need_review == second.need_review - 1
    assert_same_files(out, scratch(settings, tmp_path / "scratch-2", at[2]).paths[0].parents[1])

    stamps = {name: (out / STORY / name).stat().st_mtime_ns for name in FILES}
    unchanged = write_story_reports(settings.db_path, STORY, out, settings=settings)
    assert not unchanged.written and unchanged.rendered == 0 and unchanged.facts == third.facts
    assert {name: (out / STORY / name).stat().st_mtime_ns for name in FILES} == stamps


def test_a_changed_or_unreadable_cache_is_rendered_again(project: Settings, tmp_path: Path) -> None:
    settings, out = project, tmp_path / "reports"
    at = datetime(2024, 1, 2, 3, 4)
    assert write_story_reports(settings.db_path, STORY, out, settings=settings, generated_at=at).rendered == 0
    assert sorted(p.name for p in (out / STORY).iterdir()) == sorted(FILES)  # the cache is kept elsewhere
    shares = sorted(cache_dir(settings.db_path, STORY).glob("fact-*.json"))
    shares[0].write_text("{not json", encoding="utf-8")
    shares[1].unlink()
    again = write_story_reports(settings.db_path, STORY, out, settings=settings, generated_at=at)
    assert again.rendered == 2
    assert_same_files(out, scratch(settings, tmp_path / "scratch", at).paths[0].parents[1])
