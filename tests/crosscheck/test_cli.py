"""The command line end to end: `crosscheck run`, `extract`, `eval`, `query` on real files and a real DuckDB."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from core.config import PROJECT_ROOT
from crosscheck.cli import app

runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled seeds plus bad documents, with its own config and warehouse."""
    seeds = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    bad = seeds / "articles" / "iran-2020"
    (bad / "empty.txt").write_text("")
    (bad / "scan.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + bytes(range(256)))
    (bad / "latin1.txt").write_bytes(
        "Iran\x92s Revolutionary Guard fired 13 missiles at the \x93Ain al-Asad\x94 base, a caf\xe9 owner said."
        .encode("latin-1"))
    (bad / "huge.txt").write_bytes(b"Missiles. " * 1_100_000)  # 11 MB
    (tmp_path / "crosscheck.toml").write_text(
        '[warehouse]\npath = "var/test.duckdb"\n[seeds]\ndir = "seeds"\nstories = ["iran-2020"]\n')
    monkeypatch.setenv("CROSSCHECK_CONFIG", str(tmp_path / "crosscheck.toml"))
    return tmp_path


def test_run_stores_claims_and_records_bad_documents(project: Path, prefect_harness):
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 0, result.output
    assert "run partial" in result.output  # bad documents make a run partial, not failed
    con = duckdb.connect(str(project / "var" / "test.duckdb"), read_only=True)
    errors = dict(con.execute("SELECT input, reason FROM errors").fetchall())
    n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    n_claims = con.execute("SELECT count(*) FROM claims").fetchone()[0]
    latin = con.execute("SELECT text FROM articles WHERE path LIKE '%latin1.txt'").fetchone()
    con.close()
    by_name = {Path(k).name: v for k, v in errors.items()}
    assert set(by_name) == {"empty.txt", "scan.txt", "huge.txt"}
    assert "empty" in by_name["empty.txt"]
    assert "PDF" in by_name["scan.txt"]
    assert "MB" in by_name["huge.txt"] and "limit" in by_name["huge.txt"]
    assert latin and "Iran’s Revolutionary Guard" in latin[0] and "café" in latin[0]
    assert n_articles >= 20 and n_claims > 100

    again = runner.invoke(app, ["run", "--plain"])
    assert again.exit_code == 0, again.output
    con = duckdb.connect(str(project / "var" / "test.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == n_articles
    assert con.execute("SELECT count(*) FROM claims").fetchone()[0] == n_claims
    assert con.execute("SELECT count(*) FROM runs WHERE status = 'partial'").fetchone()[0] == 2
    con.close()
    assert "0 new" in again.output
    assert f"{n_articles} unchanged (not extracted again)" in again.output
    # what the re-run re-did: nothing to match, and a report whose facts had not changed is left as it was
    assert re.search(r"\(\d+ of \d+ facts rendered again\)", " ".join(result.output.split()))
    assert "matching: skipped" in again.output
    assert "nothing it shows changed: left as it was" in " ".join(again.output.split())


def test_extract_jsonl_contract(project: Path):
    seed = project / "seeds" / "articles" / "iran-2020" / "seed-rolling-stone.txt"
    result = runner.invoke(app, ["extract", str(seed), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    launched = [r for r in rows if r["kind"] == "munitions_launched" and r["attribution"]["speaker"]]
    assert launched[0]["value"] == {"low": 13.0, "high": None, "qualifier": "at_least", "text": "more than a dozen"}
    assert launched[0]["attribution"]["organisation"] == "US Department of Defense"


def test_extract_reports_unreadable_files(project: Path):
    bad = project / "seeds" / "articles" / "iran-2020"
    result = runner.invoke(app, ["extract", str(bad / "empty.txt"), str(bad / "scan.txt")])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr and "scan.txt" in result.stderr


def test_query_is_read_only(project: Path):
    runner.invoke(app, ["run", "--plain"])
    ok = runner.invoke(app, ["query", "SELECT kind, count(*) AS n FROM claims GROUP BY kind", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    assert {r["kind"] for r in json.loads(ok.stdout)} >= {"munitions_launched", "target"}
    refused = runner.invoke(app, ["query", "DELETE FROM claims"])
    assert refused.exit_code == 1


def test_eval_by_event_scores_tune_and_check_sets_apart(project: Path):
    result = runner.invoke(app, ["eval", "--by-event", "--set", "check"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "check set: 4 stories, 56 labelled reports" in out and "tune set" not in out
    for story in ("shayrat-2017", "houthi-2024-03", "ukraine-2023-12", "majdal-shams-2024"):
        assert story in out
    assert "speaker" in out and "party" in out and "num F1" in out
    assert "munitions_launched" in out  # the per-kind table
    line = next(ln for ln in out.splitlines() if ln.startswith("check set num F1:"))
    strict, loose, partyless = (float(x) for x in re.findall(r"\d\.\d{3}", line))
    assert strict <= loose <= partyless  # ignoring a field can only find more


def test_eval_of_one_story_prints_speaker_accuracy(project: Path):
    result = runner.invoke(app, ["eval", "--story", "iran-2020"])
    assert result.exit_code == 0, result.output
    assert "27 labelled articles" in result.output and "speaker right on" in result.output


def test_every_commands_help_renders_bracketed_words_as_written() -> None:
    """Rich reads "[flow]" in help text as markup and drops it unless escaped ("\\[flow]"): every bracketed word
    of every command's and option's help must reach the rendered --help."""
    import re

    import typer.main
    from typer.testing import CliRunner

    from crosscheck.cli import app

    root = typer.main.get_command(app)

    def walk(cmd, path):  # type: ignore[no-untyped-def]
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, [*path, name])

    runner = CliRunner()
    checked = 0
    for path, cmd in walk(root, []):
        texts = [cmd.help or "", *(getattr(p, "help", None) or "" for p in cmd.params)]
        wanted = {m.group(1) for text in texts for m in re.finditer(r"\\?(\[[a-z_][a-z_ .]*\])", text)}
        if not wanted:
            continue
        got = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "400", "TERMINAL_WIDTH": "400"})
        assert got.exit_code == 0, got.output
        for word in wanted:
            assert word in got.output, (path, word)
            checked += 1
    assert checked >= 2  # serve's "[flow] cron" and run's "[flow] dask_address" at least


def test_version_prints_the_version_and_the_commit() -> None:
    import subprocess

    from core import __version__
    from crosscheck.cli import app

    got = runner.invoke(app, ["--version"])
    assert got.exit_code == 0, got.output
    head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2]).stdout.strip()
    assert got.output.strip() == f"crosscheck {__version__} (commit {head})"


# --- extract: what was skipped shows in the exit status ------------------------------------------------------

GOOD_REPORT = (
    "Missiles hit Al Asad\n\n"
    "Iran fired 15 ballistic missiles at the Al Asad air base and at Erbil on Wednesday, a US official said. "
    "No American troops were hurt, the Pentagon said.\n"
)


def _claims(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_extract_with_good_and_broken_files_prints_the_claims_and_exits_1(project: Path, tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a-report.txt").write_text(GOOD_REPORT, encoding="utf-8")
    (inbox / "b-scan.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (inbox / "c-empty.md").write_text("\n  \n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(inbox)])
    assert result.exit_code == 1, result.output
    claims = _claims(result.stdout)
    assert any(c["kind"] == "munitions_launched" and c["value"]["low"] == 15.0 for c in claims)
    lines = result.stderr.splitlines()
    assert any("b-scan.html" in ln and "PNG" in ln for ln in lines), result.stderr
    assert any("c-empty.md" in ln and "empty" in ln for ln in lines), result.stderr
    assert "a-report.txt" not in result.stderr
    assert "2 of 3 inputs skipped" in result.stderr


def test_extract_of_an_empty_folder_or_of_nothing_readable_exits_1(project: Path, tmp_path: Path):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert f"no documents found in {empty}" in result.stderr
    (empty / "blank.txt").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 1 and result.stdout == ""
    assert "blank.txt" in result.stderr and "no documents found in" in result.stderr


def test_extract_of_good_files_exits_0_and_warns_of_repaired_bytes(project: Path, tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a-report.txt").write_text(GOOD_REPORT, encoding="utf-8")
    slipped = GOOD_REPORT.replace("Wednesday", "Wednesday’s night").encode("utf-8").replace(b"Erbil", b"Erbil\x92")
    (inbox / "b-slipped.txt").write_bytes(slipped)  # UTF-8 with one stray cp1252 byte: read, with a warning
    result = runner.invoke(app, ["extract", str(inbox), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert len({c["article_id"] for c in _claims(result.stdout)}) == 2
    warning = next(ln for ln in result.stderr.splitlines() if "b-slipped.txt" in ln)
    stray_at = slipped.index(b"\x92")
    assert warning.startswith("warning") and f"byte offset {stray_at}" in warning
    assert "skipped" not in result.stderr
