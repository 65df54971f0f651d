"""`crosscheck export`: Parquet, CSV and ClaimReview from a warehouse made by real plain runs, read back and checked
against the warehouse, table by table and story by story; the --story and --since filters; refusals.

The warehouse: the reports tests' populated iran-2020 project (a plain run), then a reviewer's verdict, a plain run
of a second story (erbil-2021), and a second plain run of iran-2020 that finds one new report.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from reports_support import STORY, Project, write_config
from typer.testing import CliRunner

from core import __version__
from core.config import load_settings
from core.errors import ConfigError, CrosscheckError
from crosscheck.cli import app
from crosscheck.jobs import run_story
from reports import labels
from reports.export import catalog, export_warehouse, select_sql
from reports.export_filter import RowFilter, Since
from reports.review import VERDICT_LABELS as REVIEW_LABELS
from reports.review import record_verdict
from warehouse.db import open_warehouse

SECOND = "erbil-2021"
AUTHOR = ("Example Fact Desk", "https://desk.example/")
NEW_TITLE = '=HYPERLINK("https://later.example/x","Pentagon revises the count of the wounded")'
NEW_REPORT = f"""+++
title = '{NEW_TITLE}'
outlet = "Export Test Weekly"
published = "2020-02-03T10:00:00Z"
url = "https://later.example/wounded-count"
+++
The Pentagon said on Monday that 109 U.S. service members were diagnosed with brain injuries after Iran fired \
ballistic missiles at Al Asad air base on 8 January.

Officials said none of the wounded troops had died.
"""
runner = CliRunner()


@pytest.fixture(scope="module")
def warehouse(populated: Project, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The populated project copied, then: a verdict, a run of SECOND, a second run of STORY with one new report."""
    root = tmp_path_factory.mktemp("export-project")
    shutil.copytree(populated.settings.seeds_dir, root / "seeds")
    db = root / "var" / "crosscheck.duckdb"
    db.parent.mkdir()
    shutil.copy2(populated.db, db)
    config = write_config(root, db, root / "seeds", root / "reports")
    with config.open("a", encoding="utf-8") as f:
        f.write(f'[export]\nauthor_name = "{AUTHOR[0]}"\nauthor_url = "{AUTHOR[1]}"\n')
    settings = load_settings(config, env={})
    con = open_warehouse(db)
    try:
        key = con.execute("SELECT discrepancy_key FROM discrepancy_review WHERE story = ? AND value_low_a IS NOT NULL "
                          "AND kind <> 'event_time' ORDER BY discrepancy_key LIMIT 1", [STORY]).fetchone()[0]
        record_verdict(con, key, "real", "Test Reviewer", note="Both figures were given; neither was withdrawn.")
    finally:
        con.close()
    assert run_story(settings, settings.story(SECOND)).status in ("ok", "partial")
    (root / "seeds" / "corpus" / STORY / "50-later-count.md").write_text(NEW_REPORT, encoding="utf-8")
    later = run_story(settings, settings.story(STORY))
    assert later.status in ("ok", "partial") and later.claims_new > 0
    return Project(root, settings)


@pytest.fixture
def wh(warehouse: Project) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(warehouse.db), read_only=True)
    yield con
    con.close()


def cli(project: Project, *args: str) -> Any:
    return runner.invoke(app, ["export", *args], env={"CROSSCHECK_CONFIG": str(project.config)})


def words(got: Any) -> str:
    """The command's output with line breaks and runs of spaces as one space (rich wraps long lines)."""
    return " ".join(got.output.split())


def relations(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """{table or view: its columns}, read from the catalog here, independently of reports/export.py."""
    names = [r[0] for r in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' UNION ALL "
        "SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal").fetchall()]
    return {n: [r[0] for r in con.execute(f'DESCRIBE "{n}"').fetchall()] for n in names}


def story_of(name: str, columns: list[str]) -> str | None:
    """The SQL that gives each row of `name` its story (t = the table), or None when it has no story."""
    if "story" in columns:
        return f'SELECT t.*, t.story AS story_ FROM "{name}" AS t'
    if "article_id" in columns:
        return f'SELECT t.*, a.story AS story_ FROM "{name}" AS t LEFT JOIN articles AS a USING (article_id)'
    if "run_id" in columns:
        return f'SELECT t.*, r.story AS story_ FROM "{name}" AS t LEFT JOIN runs AS r USING (run_id)'
    return None


def runs_in_order(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, datetime]]:
    return con.execute("SELECT run_id, story, started_at FROM runs ORDER BY started_at").fetchall()


def read_parquet(con: duckdb.DuckDBPyConnection, out: Path, name: str, sql: str = "count(*)", tail: str = "") -> Any:
    """SELECT `sql` FROM the exported files of one table, read as one Hive-partitioned dataset, then `tail`."""
    return con.execute(f"SELECT {sql} FROM read_parquet('{out / name}/**/*.parquet', hive_partitioning = true) {tail}"
                       ).fetchall()


def test_parquet_has_every_table_and_view_with_the_warehouse_rows(warehouse: Project, wh: duckdb.DuckDBPyConnection,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    got = cli(warehouse, "--format", "parquet", "--out", str(out))
    assert got.exit_code == 0, got.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rels = relations(wh)
    for expected in ("articles", "claims", "facts", "fact_consensus", "discrepancies", "fact_timeline", "candidates",
                     "fetches", "review_verdicts", "event_decisions", "discrepancy_review", "runs"):
        assert expected in rels
    assert set(manifest["tables"]) == set(rels)
    assert {p.name for p in out.iterdir()} == {*rels, "manifest.json"}
    reader = duckdb.connect()
    for name, columns in rels.items():
        total = wh.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        entry = manifest["tables"][name]
        assert read_parquet(reader, out, name) == [(total,)], name
        assert entry["rows"] == total and sum(f["rows"] for f in entry["files"]) == total, name
        assert all((out / f["path"]).is_file() for f in entry["files"]), name
        exported = [r[0] for r in reader.execute(
            f"DESCRIBE SELECT * FROM read_parquet('{out / name}/**/*.parquet', hive_partitioning = true)").fetchall()]
        assert [c for c in exported if c != "story"] == [c for c in columns if c != "story"], name
        sql = story_of(name, columns)
        if sql is None:
            assert entry["story_from"] is None and [f["path"] for f in entry["files"]] == [f"{name}/data_0.parquet"]
            continue
        assert "story" in exported, name
        want = dict(wh.execute(f"SELECT story_, count(*) FROM ({sql}) GROUP BY story_").fetchall())
        assert dict(read_parquet(reader, out, name, "story, count(*)", "GROUP BY story")) == want, name
        if total:
            for story, n in want.items():  # one Hive partition per story, each with that story's rows
                folder = out / name / f"story={story}"
                assert reader.execute(f"SELECT count(*) FROM read_parquet('{folder}/*.parquet')").fetchone()[0] == n
    # the warehouse holds both stories; files are readable by pyarrow (pandas' engine) as one dataset
    assert set(dict(read_parquet(reader, out, "claims", "story, count(*)", "GROUP BY story"))) == {STORY, SECOND}
    claims = pq.read_table(out / "claims")
    assert claims.num_rows == wh.execute("SELECT count(*) FROM claims").fetchone()[0]
    assert set(claims.column("story").to_pylist()) == {STORY, SECOND}
    # exact values survive: the formula-looking title is kept as written
    titles = [r[0] for r in read_parquet(reader, out, "articles", "title")]
    assert NEW_TITLE in titles
    # the manifest
    latest = runs_in_order(wh)[-1]
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert manifest["crosscheck"] == {"version": __version__,
                                      "commit": head.stdout.strip() if head.returncode == 0 else None}
    assert manifest["format"] == "parquet" and manifest["partitioned_by"] == "story"
    assert manifest["latest_run"]["run_id"] == latest[0] and manifest["latest_run"]["story"] == STORY
    assert manifest["filters"] == {"story": None, "since": None}
    assert datetime.fromisoformat(manifest["exported_at"].replace("Z", "+00:00"))
    assert "claims" in got.output and "manifest.json" in got.output


def test_story_filter_keeps_one_story(warehouse: Project, wh: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    out = tmp_path / "erbil"
    got = cli(warehouse, "--format", "parquet", "--out", str(out), "--story", SECOND)
    assert got.exit_code == 0, got.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["filters"]["story"] == SECOND and manifest["latest_run"]["story"] == SECOND
    reader = duckdb.connect()
    for name, columns in relations(wh).items():
        sql = story_of(name, columns)
        if sql is None:  # no story: written whole
            want = wh.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        else:
            want = wh.execute(f"SELECT count(*) FROM ({sql}) WHERE story_ = ?", [SECOND]).fetchone()[0]
        assert manifest["tables"][name]["rows"] == want, name
        assert read_parquet(reader, out, name) == [(want,)], name
        if sql is not None and want:
            assert {p.name for p in (out / name).iterdir()} == {f"story={SECOND}"}, name
    assert manifest["tables"]["claims"]["rows"] > 0 and manifest["tables"]["fact_consensus"]["rows"] > 0


def test_since_keeps_what_later_runs_and_reviewers_wrote(warehouse: Project, wh: duckdb.DuckDBPyConnection,
                                                         tmp_path: Path) -> None:
    (first, _, _), (second, second_story, second_start), (third, third_story, third_start) = runs_in_order(wh)
    assert (second_story, third_story) == (SECOND, STORY)
    # since the last run: exactly the new report and its claims, that run's row, and no verdict (given before it)
    out = tmp_path / "since-third"
    got = cli(warehouse, "--format", "parquet", "--out", str(out), "--since", third[:6])
    assert got.exit_code == 0, got.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["filters"]["since"]["run_id"] == third
    reader = duckdb.connect()
    new_article = wh.execute("SELECT article_id FROM articles WHERE title = ?", [NEW_TITLE]).fetchone()[0]
    assert read_parquet(reader, out, "articles", "article_id") == [(new_article,)]
    new_claims = {r[0] for r in wh.execute("SELECT claim_id FROM claims WHERE article_id = ?",
                                           [new_article]).fetchall()}
    assert new_claims and {r[0] for r in read_parquet(reader, out, "claims", "claim_id")} == new_claims
    assert read_parquet(reader, out, "runs", "run_id") == [(third,)]
    assert manifest["tables"]["review_verdicts"]["rows"] == 0
    # since the second run: every table holds what runs from the second on wrote, or what people wrote since
    out = tmp_path / "since-second"
    got = cli(warehouse, "--format", "parquet", "--out", str(out), "--since", second)
    assert got.exit_code == 0, got.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    later = [second, third]
    for name, columns in relations(wh).items():
        where = []
        if "run_id" in columns:
            where.append(f"run_id IN ({', '.join(repr(r) for r in later)})")
        own = next((c for c in ("reviewed_at", "at_ts", "applied_at") if c in columns), None)
        if own:
            where.append(f"{own} >= TIMESTAMP '{second_start}'")
        sql = f'SELECT count(*) FROM "{name}"' + (f" WHERE {' OR '.join(where)}" if where else "")
        want = wh.execute(sql).fetchone()[0]
        assert manifest["tables"][name]["rows"] == want, name
        assert read_parquet(reader, out, name) == [(want,)], name
    stories = dict(read_parquet(reader, out, "claims", "story, count(*)", "GROUP BY story"))
    assert set(stories) == {STORY, SECOND} and stories[STORY] == len(new_claims)
    assert read_parquet(reader, out, "claims", f"count(*) FILTER (run_id = '{first}')") == [(0,)]
    # a run that does not exist
    got = cli(warehouse, "--format", "parquet", "--out", str(tmp_path / "none"), "--since", "ffffffffffff")
    assert got.exit_code == 1 and "no run with this id" in words(got)
    assert not (tmp_path / "none").exists()


def test_csv_has_one_file_per_table_with_story_and_safe_cells(warehouse: Project, wh: duckdb.DuckDBPyConnection,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "csv"
    got = cli(warehouse, "--format", "csv", "--out", str(out))
    assert got.exit_code == 0, got.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rels = relations(wh)
    assert {p.name for p in out.iterdir()} == {f"{n}.csv" for n in rels} | {"manifest.json"}
    for name, columns in rels.items():
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as f:
            table = list(csv.reader(f))
        want = wh.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        assert len(table) - 1 == want == manifest["tables"][name]["rows"], name
        header = table[0]
        assert header[:len(columns)] == columns, name
        if story_of(name, columns) is not None:
            assert "story" in header, name
    with (out / "articles.csv").open(encoding="utf-8", newline="") as f:
        articles = list(csv.DictReader(f))
    assert {a["story"] for a in articles} == {STORY, SECOND}
    assert "'" + NEW_TITLE in {a["title"] for a in articles}  # a formula is defused, as in the report's CSV
    with (out / "claims.csv").open(encoding="utf-8", newline="") as f:
        claims = list(csv.DictReader(f))
    by_story = {s: sum(1 for c in claims if c["story"] == s) for s in (STORY, SECOND)}
    assert by_story == dict(wh.execute("SELECT a.story, count(*) FROM claims JOIN articles AS a USING (article_id) "
                                       "GROUP BY a.story").fetchall())


def _props(review: dict[str, Any]) -> dict[str, Any]:
    return {p["name"]: p["value"] for p in review["additionalProperty"]}


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="seconds") + "Z"


def test_claimreview_for_each_judged_fact_and_reviewed_discrepancy(warehouse: Project, wh: duckdb.DuckDBPyConnection,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "claimreview"
    got = cli(warehouse, "--format", "claimreview", "--out", str(out))
    assert got.exit_code == 0, got.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["stories"]) == {STORY, SECOND}
    reviews = {s: json.loads((out / f"{s}.jsonld").read_text(encoding="utf-8")) for s in (STORY, SECOND)}
    by_id = {r["identifier"]: r for rs in reviews.values() for r in rs}
    for r in by_id.values():
        assert r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview"
        assert r["claimReviewed"].strip().endswith(".") and len(r["claimReviewed"]) > 10
        assert r["author"] == {"@type": "Organization", "name": AUTHOR[0], "url": AUTHOR[1]}
        assert r["reviewRating"]["@type"] == "Rating" and r["reviewRating"]["alternateName"]
        assert r["itemReviewed"]["@type"] == "Claim" and r["itemReviewed"]["appearance"]
        assert datetime.fromisoformat(r["datePublished"].replace("Z", "+00:00"))
        for a in r["itemReviewed"]["appearance"]:
            assert a["@type"] == "CreativeWork" and a["publisher"]["@type"] == "Organization"
    urls = {r[0] for r in wh.execute("SELECT url FROM articles WHERE url LIKE 'http%'").fetchall()}
    shown = {a["url"] for r in by_id.values() for a in r["itemReviewed"]["appearance"] if "url" in a}
    assert shown and shown <= urls
    assert all(not a.get("url", "https://").startswith("javascript") for r in by_id.values()
               for a in r["itemReviewed"]["appearance"])
    # every fact with its verdict
    facts = wh.execute("SELECT c.*, v.matched_at FROM fact_consensus AS c JOIN fact_verdicts AS v USING (fact_id)")
    names = [d[0] for d in facts.description]
    facts = [dict(zip(names, row, strict=True)) for row in facts.fetchall()]
    assert facts and all(f["fact_id"] in by_id for f in facts)
    for f in facts:
        r = by_id[f["fact_id"]]
        assert r["reviewRating"]["alternateName"] == labels.VERDICT_LABELS[f["verdict"]]
        assert r["reviewRating"]["ratingExplanation"] == f["explanation"]
        assert r["datePublished"] == _iso(f["matched_at"])
        assert r["claimReviewed"].startswith(labels.fact_label(f["kind"], f["subject"], f["party"], f["munition"]))
        props = _props(r)
        for key in ("story", "kind", "subject", "party", "munition", "verdict", "consensus_low", "consensus_high",
                    "spread_low", "spread_high", "voices", "sides", "claims"):
            assert props.get(key) == f[key], (f["fact_id"], key)
    # the reviewed discrepancy, with the numbers of both sides
    reviewed = wh.execute("SELECT * FROM discrepancy_review WHERE review_state = 'reviewed'")
    names = [d[0] for d in reviewed.description]
    reviewed = [dict(zip(names, row, strict=True)) for row in reviewed.fetchall()]
    assert len(reviewed) == 1
    d = reviewed[0]
    r = by_id[d["discrepancy_key"]]
    assert r in reviews[STORY]
    assert r["reviewRating"] == {"@type": "Rating", "alternateName": REVIEW_LABELS["real"],
                                 "ratingExplanation": "Both figures were given; neither was withdrawn."}
    assert r["datePublished"] == _iso(d["reviewed_at"])
    props = _props(r)
    for key in ("story", "kind", "subject", "party", "munition", "scope", "value_low_a", "value_high_a",
                "value_low_b", "value_high_b", "side_a", "side_b"):
        assert props.get(key) == d[key], key
    assert props["verdict"] == "real" and props["fact_id"] == d["fact_id"]
    assert labels.number(d["value_low_a"]) in r["claimReviewed"] and labels.number(d["value_low_b"]) in \
        r["claimReviewed"]
    appearance = r["itemReviewed"]["appearance"]
    authors = {a["author"]["name"] for a in appearance if "author" in a}
    for side in ("a", "b"):
        assert (d[f"speaker_{side}"] or d[f"outlet_{side}"]) in authors
    published = {a.get("datePublished") for a in appearance}
    assert {d["published_a"], d["published_b"]} <= published
    assert len(reviews[STORY]) == sum(1 for f in facts if f["story"] == STORY) + 1
    # --story and --since filter the reviews too
    out = tmp_path / "claimreview-erbil"
    assert cli(warehouse, "--format", "claimreview", "--out", str(out), "--story", SECOND).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["erbil-2021.jsonld", "manifest.json"]
    third = runs_in_order(wh)[-1]
    out = tmp_path / "claimreview-since"
    assert cli(warehouse, "--format", "claimreview", "--out", str(out), "--since", third[0]).exit_code == 0
    since = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    changed = wh.execute("SELECT count(*) FROM fact_consensus WHERE run_id = ?", [third[0]]).fetchone()[0]
    changed += wh.execute("SELECT count(*) FROM discrepancy_review WHERE review_state = 'reviewed' "
                          "AND (run_id = ? OR reviewed_at >= ?)", [third[0], third[2]]).fetchone()[0]
    assert changed and sum(s["rows"] for s in since["stories"].values()) == changed


def test_refusals_leave_the_folder_alone_and_an_earlier_export_is_replaced(warehouse: Project, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    got = cli(warehouse, "--format", "csv", "--out", str(mine))
    assert got.exit_code == 1 and "earlier export" in words(got)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]

    got = cli(warehouse, "--format", "csv", "--out", str(tmp_path / "x"), "--story", "no-such-story")
    assert got.exit_code == 1 and "no such story" in words(got) and SECOND in words(got)

    got = cli(warehouse, "--format", "xml", "--out", str(tmp_path / "x"))
    assert got.exit_code == 2

    missing = tmp_path / "elsewhere" / "crosscheck.toml"
    missing.parent.mkdir()
    missing.write_text(f'[warehouse]\npath = "{tmp_path / "none.duckdb"}"\n', encoding="utf-8")
    got = runner.invoke(app, ["export", "--format", "parquet", "--out", str(tmp_path / "y")],
                        env={"CROSSCHECK_CONFIG": str(missing)})
    assert got.exit_code == 1 and "no warehouse here" in words(got)
    assert not (tmp_path / "none.duckdb").exists() and not (tmp_path / "y").exists()

    out = tmp_path / "again"
    assert cli(warehouse, "--format", "parquet", "--out", str(out), "--story", STORY).exit_code == 0
    (out / "stale.txt").write_text("from before", encoding="utf-8")
    assert cli(warehouse, "--format", "csv", "--out", str(out)).exit_code == 0
    assert not (out / "stale.txt").exists() and (out / "claims.csv").is_file() and not (out / "claims").exists()
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["format"] == "csv"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging folder left


def test_select_binds_filters_and_takes_the_story_of_the_article(warehouse: Project,
                                                                  wh: duckdb.DuckDBPyConnection) -> None:
    rels = {r.name: r for r in catalog(wh)}
    assert {rels["claims"].story_from, rels["article_copies"].story_from} == {"articles"}
    assert {rels["errors"].story_from, rels["fetches"].story_from, rels["source_status"].story_from} == {"runs"}
    assert rels["facts"].story_from == "story" and rels["schema_migrations"].story_from is None
    assert rels["fact_consensus"].kind == "view"
    since = Since("abc123", datetime(2020, 1, 1))
    sql, params = select_sql(rels["claims"], RowFilter(story="it's-a-story", since=since))
    assert "it's-a-story" not in sql and params == ["it's-a-story", datetime(2020, 1, 1)]
    assert 'LEFT JOIN "articles" AS s ON s."article_id" = t."article_id"' in sql
    sql, params = select_sql(rels["review_verdicts"], RowFilter(since=since))
    assert "reviewed_at" in sql and len(params) == 2


def test_export_settings_have_defaults_and_are_checked(tmp_path: Path) -> None:
    config = tmp_path / "crosscheck.toml"
    config.write_text("", encoding="utf-8")
    settings = load_settings(config, env={})
    assert (settings.export_author_name, settings.export_author_url) == ("crosscheck", "")
    config.write_text('[export]\nauthor_url = "javascript:alert(1)"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="author_url"):
        load_settings(config, env={})
    with pytest.raises(CrosscheckError, match="format"):
        export_warehouse(tmp_path / "none.duckdb", tmp_path / "out", "xml")
