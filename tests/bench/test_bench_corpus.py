"""The scale benchmark's synthetic corpus (bench/corpus.py) and a tiny run of the one command
(bench/scale_bench.py): reproducible with a seed, carries the noise it claims, files parse as crosscheck reads
them, new events are configuration only, and every section prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.corpus import EVENTS, NOISE_KINDS, make_project, number_word, report, reports, write_reports
from core.config import PROJECT_ROOT, load_settings
from core.records import Article
from crosscheck import jobs
from sources.files import read_document


def test_same_seed_same_corpus_and_report_i_does_not_depend_on_size(tmp_path: Path) -> None:
    a = list(reports(120, seed=7))
    assert a == list(reports(120, seed=7))
    assert list(reports(40, seed=7, start=80)) == a[80:]  # report i is the same whatever the corpus size
    assert [r.body for r in reports(20, seed=8)] != [r.body for r in a[:20]]
    m1 = write_reports(tmp_path / "one", 50, seed=3)
    m2 = write_reports(tmp_path / "two", 50, seed=3)
    for p1, p2 in zip(m1.paths, m2.paths, strict=True):
        assert p1.relative_to(tmp_path / "one") == p2.relative_to(tmp_path / "two")
        assert p1.read_bytes() == p2.read_bytes()


def test_corpus_has_the_noise_it_claims() -> None:
    rs = list(reports(400, seed=7))
    bodies = "\n".join(r.body for r in rs)
    counts = {k: sum(r.noise.count(k) for r in rs) for k in NOISE_KINDS}
    assert all(counts[k] > 0 for k in NOISE_KINDS), counts
    assert {r.story for r in rs} == {e.story for e in EVENTS}
    for spelling in ("Al Asad", "Al-Assad", "Ain al-Asad", "Ayn al-Asad", "Erbil", "Irbil", "Arbil"):
        assert spelling in bodies, spelling
    for phrase in ("more than a dozen", "tens of", "several"):
        assert phrase in bodies, phrase
    assert re.search(r"\b(at least|more than|about|nearly|up to) (\d|[a-z]+-?[a-z]*) ", bodies)
    assert re.search(r"\b(Sixteen|sixteen|Eleven|eleven|twenty-two|Seventeen|seventeen)\b", bodies)
    assert "No Americans were harmed" in bodies and "There were no Iraqi casualties" in bodies
    assert "(AP) — " in bodies and "(Reuters) - " in bodies
    assert "Oil prices" in bodies or "Dow Jones" in bodies  # off-topic filler with numbers
    wire = {r.body: r for r in rs if r.kind == "wire"}
    verbatim = [r for r in rs if r.kind == "reprint_verbatim"]
    trimmed = [r for r in rs if r.kind == "reprint_trimmed"]
    assert verbatim and all(r.body in wire for r in verbatim)
    assert all(r.outlet != wire[r.body].outlet and wire[r.body].outlet in (r.byline or "") for r in verbatim)
    assert trimmed and all(any(w.startswith(r.body) and len(w) > len(r.body) for w in wire) for r in trimmed)
    assert number_word(22) == "twenty-two" and number_word(110) == "110"


def test_files_parse_and_new_events_are_configuration_only(tmp_path: Path) -> None:
    config, manifest = make_project(tmp_path / "project", 60, seed=7)
    assert manifest.files == 60 and sum(manifest.by_story.values()) == 60
    for path in manifest.paths:
        doc = read_document(path)
        assert isinstance(doc, Article), doc
        assert doc.title and doc.outlet and doc.url and doc.published and doc.date_signal == "front matter"
    settings = load_settings(config)
    assert not settings.online
    assert list(settings.story_ids) == [e.story for e in EVENTS]
    erbil = settings.story("erbil-2021")
    got = jobs.collect_local(settings, erbil)
    assert got.articles and not got.rejected
    claims, _, failed, _ = jobs.extract_chunk(got.articles, jobs.extractor_for(settings, "erbil-2021"))
    assert not failed
    # the new event's place and actor come from the rows and story file the generator wrote, not from code
    assert any(c.subject == "Erbil International Airport" for c in claims)
    assert any(c.kind == "responsibility" and c.subject == "Awliya al-Dam" for c in claims)


def test_tiny_scale_bench_prints_every_section(tmp_path: Path) -> None:
    out = tmp_path / "scale.md"
    cmd = [sys.executable, "-m", "bench.scale_bench", "--articles", "60", "--claims", "20000",
           "--executemany-rows", "500", "--quantulum", "2", "--html-repeat", "1", "--html-limit", "5",
           "--skip-profile", "--out", str(out)]
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = proc.stdout
    for heading in ("## 1. Extraction", "## 2. HTML to text", "## 3. Warehouse load", "## 4. Full run",
                    "## 5. Re-run", "## 6. Full run", "## Results"):
        assert heading in text, heading
    assert "same claims, facts and discrepancies: yes" in text  # threads and the loopback Dask cluster agree
    import json

    figures = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    for name in ("reports_per_s_per_core", "extract_vs_spacy_ratio", "load_rows_per_s", "load_vs_duckdb_arrow_ratio",
                 "rerun_1pct_share", "prefect_share", "peak_rss_mb_at_60", "commit", "dask_full_run_wall_s"):
        assert name in figures, name
    assert figures["reports_per_s_per_core"] > 0 and 0 < figures["load_vs_duckdb_arrow_ratio"] < 2
    assert figures["dask_same_results"] is True
    assert "| metric" in text and "| holds? |" in text
    for metric in ("extraction, articles/s/core", "warehouse load, rows/s", "full run, wall s",
                   "Prefect overhead", "re-run with 1 % new reports"):
        assert metric in text, metric
    assert out.read_text(encoding="utf-8").count("\n|") >= 6


@pytest.mark.parametrize("index", [0, 17, 123])
def test_report_markdown_front_matter_is_toml(index: int) -> None:
    import tomllib

    r = report(index, seed=7)
    head, _, body = r.markdown().partition("\n+++\n")
    meta = tomllib.loads(head.removeprefix("+++\n"))
    assert meta["title"] == r.title and meta["outlet"] == r.outlet and meta["url"] == r.url
    assert body.strip() == r.body.strip()
