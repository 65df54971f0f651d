"""The local-file manifest against reading every file: a re-run's collection gives the same articles, copies,
duplicates and rejects, reading only the files that are new or changed (real files, a real warehouse)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bench.projects import make_project
from core.config import Settings, load_settings
from crosscheck.jobs import Collected, collect_local, dedupe, run_story, store_audit
from sources.files import iter_documents

STORY = "iran-2020"


def full_read(settings: Settings) -> Collected:
    story = settings.story(STORY)
    folders = [p for p in (*story.seeds, *story.corpus) if p.exists()]
    return dedupe(iter_documents(folders, max_bytes=settings.max_doc_bytes, story=STORY))


def assert_same(got: Collected, want: Collected) -> None:
    assert got.articles == want.articles
    assert got.copies == want.copies
    assert got.rejected == want.rejected
    assert got.duplicates == want.duplicates


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    root = make_project(tmp_path / "project")
    corpus = root / "seeds" / "corpus" / STORY
    (corpus / "90-empty.md").write_text("   \n", encoding="utf-8")  # a reject
    (corpus / "91-notes.pdf").write_bytes(b"%PDF-1.4 binary")  # another
    (corpus / "92-plain.txt").write_text("Rockets hit Erbil\n\nFour rockets hit Erbil airport on Wednesday, "
                                         "officials said.\n", encoding="utf-8")  # no front matter
    settings = load_settings(root / "crosscheck.toml", env={})
    run_story(settings, settings.story(STORY))  # reads every file, stores the articles and the manifest
    return settings


def corpus(settings: Settings) -> Path:
    return settings.seeds_dir / "corpus" / STORY


def test_unchanged_files_are_not_read_again(project: Settings) -> None:
    got = collect_local(project, project.story(STORY))
    assert got.manifest is not None
    assert not got.manifest.fresh and not got.manifest.gone
    assert len(got.manifest.reused) == len(got.copies) + len(got.rejected)
    assert_same(got, full_read(project))


def test_changed_gone_added_and_sidecar_files(project: Settings) -> None:
    folder = corpus(project)
    changed = folder / "21-politico-tbi-34.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("Thirty-four", "Thirty-five"), encoding="utf-8")
    (folder / "24-npr-tbi-109.md").unlink()
    shutil.copy2(folder / "10-reuters-iraq-jocc-22-missiles.md", folder / "32-reuters-copy.md")  # a duplicate
    (folder / "33-new.md").write_text("+++\ntitle = \"New\"\noutlet = \"CNN\"\n+++\nFive rockets hit Erbil on "
                                      "Wednesday, officials said.\n", encoding="utf-8")
    (folder / "92-plain.meta.toml").write_text('outlet = "Rudaw"\n', encoding="utf-8")
    touched = folder / "12-bbc-what-we-know.md"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 1_000_000))  # same content
    got = collect_local(project, project.story(STORY))
    assert got.manifest is not None
    fresh = sorted(Path(e.path).name for e in got.manifest.fresh)
    assert fresh == ["12-bbc-what-we-know.md", "21-politico-tbi-34.md", "32-reuters-copy.md", "33-new.md",
                     "92-plain.txt"]
    assert [Path(p).name for p in got.manifest.gone] == ["24-npr-tbi-109.md"]
    assert_same(got, full_read(project))
    assert any(a.outlet == "Rudaw" for a in got.copies)

    # a file's entry stands once its article is stored; the run stores the new ones
    store_audit(project.db_path, got, "run-check")
    still = collect_local(project, project.story(STORY))
    assert still.manifest is not None
    assert sorted(Path(e.path).name for e in still.manifest.fresh) == ["21-politico-tbi-34.md", "33-new.md"]
    run_story(project, project.story(STORY))
    again = collect_local(project, project.story(STORY))
    assert again.manifest is not None and not again.manifest.fresh and not again.manifest.gone
    assert_same(again, full_read(project))


def test_a_copy_whose_text_differs_from_the_stored_article_is_read(project: Settings) -> None:
    folder = corpus(project)
    source = folder / "13-nbc-trump-address.md"
    text = source.read_text(encoding="utf-8")
    head, body = text.split("+++\n", 2)[1:]
    spaced = "+++\n" + head + "+++\n" + body.replace(". ", ".  ", 1)  # same article id, other whitespace
    (folder / "34-nbc-spaced.md").write_text(spaced, encoding="utf-8")
    got = collect_local(project, project.story(STORY))
    store_audit(project.db_path, got, "run-check")
    again = collect_local(project, project.story(STORY))
    assert again.manifest is not None and [Path(e.path).name for e in again.manifest.fresh] == ["34-nbc-spaced.md"]
    assert_same(again, full_read(project))


def test_without_a_warehouse_every_file_is_read(tmp_path: Path) -> None:
    root = make_project(tmp_path / "fresh")
    settings = load_settings(root / "crosscheck.toml", env={})
    got = collect_local(settings, settings.story(STORY))
    assert got.manifest is not None and not got.manifest.reused
    assert len(got.manifest.fresh) == len(got.copies) + len(got.rejected)
    assert_same(got, full_read(settings))


def test_a_page_dated_in_the_future_is_read_every_time(project: Settings) -> None:
    page = (Path(__file__).parent / "fixtures" / "news_jsonld.html").read_text(encoding="utf-8")
    future = page.replace('"datePublished": "2020-01-08T06:40:00+00:00"',
                          '"datePublished": "2999-01-08T06:40:00+00:00"')
    (corpus(project) / "35-future.html").write_text(future, encoding="utf-8")
    (corpus(project) / "36-dated.html").write_text(page, encoding="utf-8")
    run_story(project, project.story(STORY))
    got = collect_local(project, project.story(STORY))
    assert got.manifest is not None
    # its date was passed over for lying in the future: a later read may take it, so it is never kept
    assert [Path(e.path).name for e in got.manifest.fresh] == []
    assert any(p.endswith("36-dated.html") for p in got.manifest.reused)
    assert not any(p.endswith("35-future.html") for p in got.manifest.reused)
    assert_same(got, full_read(project))


def test_a_spooled_collection_holds_no_texts_and_gives_them_back(project: Settings) -> None:
    """What a run collects (`spool=True`): the articles without their texts, which the spool gives back exactly,
    for files read afresh and for files the manifest vouches for."""
    shutil.copy2(corpus(project) / "12-bbc-what-we-know.md", corpus(project) / "35-bbc-copy.md")  # read afresh
    got = collect_local(project, project.story(STORY), spool=True)
    try:
        assert got.spool is not None and got.manifest is not None and got.manifest.reused and got.manifest.fresh
        assert all(a.text == "" for a in got.copies)
        want = full_read(project)
        assert [got.spool.take(a) for a in got.articles] == want.articles
        assert [got.spool.take(a) for a in got.copies] == want.copies
    finally:
        got.spool.close()
