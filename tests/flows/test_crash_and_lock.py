"""Warehouse discipline under real processes: a run killed with SIGKILL mid-way, and a reader holding
the DuckDB file while a run writes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from support import env_for, make_project

CLI = [sys.executable, "-m", "crosscheck.cli"]


def snapshot(db: Path) -> dict[str, object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        return {
            "articles": {r[0] for r in q("SELECT article_id FROM articles")},
            "claims": {r[0] for r in q("SELECT claim_id FROM claims")},
            "orphan_claims": q("SELECT count(*) FROM claims WHERE article_id NOT IN "
                               "(SELECT article_id FROM articles)")[0][0],
            "unmarked_articles": q("SELECT count(*) FROM articles WHERE article_id NOT IN "
                                   "(SELECT article_id FROM extractions)")[0][0],
            "marks_without_article": q("SELECT count(*) FROM extractions WHERE article_id NOT IN "
                                       "(SELECT article_id FROM articles)")[0][0],
            "claims_vs_marks": q("SELECT count(*) FROM (SELECT article_id, count(*) n FROM claims GROUP BY 1) c "
                                 "JOIN extractions e USING (article_id) WHERE e.claims <> c.n")[0][0],
            "duplicate_claims": q("SELECT count(*) - count(DISTINCT claim_id) FROM claims")[0][0],
        }
    finally:
        con.close()


def wait_for_rows(db: Path, table: str, at_least: int, timeout: float, log: Path | None = None) -> int:
    """Poll the file for `at_least` rows of `table`. Each look holds the file for a moment: polls are spaced so
    that the writer, whose lock waits back off, is not starved on a busy machine."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            con = duckdb.connect(str(db), read_only=True)
        except duckdb.Error:
            time.sleep(0.1)
            continue
        try:
            n = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        except duckdb.Error:
            n = 0
        finally:
            con.close()
        if n >= at_least:
            return n
        time.sleep(0.25)
    said = log.read_text(errors="replace")[-3000:] if log is not None and log.exists() else ""
    raise AssertionError(f"{table} never reached {at_least} rows; the run said:\n{said}")


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, object]:
    """The warehouse an uninterrupted run produces on the same corpus."""
    project = make_project(tmp_path_factory.mktemp("reference"), copies=12)
    subprocess.run([*CLI, "run", "--plain", "--chunk-size", "10"], env=env_for(project), check=True,
                   capture_output=True, timeout=300)
    return snapshot(project / "var" / "test.duckdb")


def test_sigkill_mid_run_then_rerun_is_complete(tmp_path: Path, reference: dict[str, object]):
    project = make_project(tmp_path, copies=12)
    db = project / "var" / "test.duckdb"
    log = tmp_path / "run.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([*CLI, "run", "--plain", "--chunk-size", "10"], env=env_for(project),
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_rows(db, "extractions", 30, timeout=120, log=log)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    killed = snapshot(db)
    assert 0 < len(killed["articles"]) < len(reference["articles"]), "the kill should land mid-run"
    for key in ("orphan_claims", "unmarked_articles", "marks_without_article", "claims_vs_marks"):
        assert killed[key] == 0, key  # each chunk is all-or-nothing

    rerun = subprocess.run([*CLI, "run", "--plain", "--chunk-size", "10"], env=env_for(project),
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"{len(killed['articles'])} unchanged" in rerun.stdout
    final = snapshot(db)
    assert final == reference


def test_reader_holding_the_file_makes_the_writer_wait(tmp_path: Path, reference: dict[str, object]):
    project = make_project(tmp_path, copies=12)
    db = project / "var" / "test.duckdb"
    proc = subprocess.Popen([*CLI, "run", "--plain", "--chunk-size", "10"],
                            env=env_for(project, CROSSCHECK_DB_WAIT_S="30"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_rows(db, "extractions", 20, timeout=120)
    # a reader (as `crosscheck query` or the duckdb client would) grabs the file between two chunks
    deadline = time.monotonic() + 30
    while True:
        try:
            reader = duckdb.connect(str(db), read_only=True)
            break
        except duckdb.Error:
            assert time.monotonic() < deadline
            time.sleep(0.01)
    time.sleep(2.0)
    reader.close()
    out, errs = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + errs
    assert "is locked by" in errs and "waiting up to 30 s" in errs
    assert snapshot(db) == reference


def test_writer_gives_up_clearly_after_the_bound_and_writes_nothing(tmp_path: Path):
    project = make_project(tmp_path)
    db = project / "var" / "test.duckdb"
    db.parent.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); "
                               "print('held', flush=True); time.sleep(20)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t0 = time.monotonic()
        run = subprocess.run([*CLI, "run", "--plain"], env=env_for(project, CROSSCHECK_DB_WAIT_S="1"),
                             capture_output=True, text=True, timeout=120)
        waited = time.monotonic() - t0
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 1
    assert "RUN FAILED" in run.stderr and "locked" in run.stderr and str(db) in run.stderr
    assert waited >= 1.0
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "runs" in tables:
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    finally:
        con.close()


def descendants(pid: int) -> dict[int, str]:
    """{pid: command line} of every process below `pid`, from /proc."""
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        p = todo.pop()
        for child, ppid in parent.items():
            if ppid == p and child not in found:
                try:
                    found[child] = (Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode())
                except OSError:
                    found[child] = ""
                todo.append(child)
    return found


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"  # exited; only its parent's reaping is left


def test_sigkill_of_a_default_mode_run_leaves_no_process_and_its_run_is_marked_abandoned(tmp_path: Path):
    project = make_project(tmp_path, copies=12)
    db = project / "var" / "test.duckdb"
    env = env_for(project)
    env.pop("PREFECT_API_URL", None)  # default mode: the run starts Prefect's temporary server itself
    proc = subprocess.Popen([*CLI, "run", "--chunk-size", "10"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_for_rows(db, "extractions", 10, timeout=240)  # the flow is running, so its server is up
        below = descendants(proc.pid)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    servers = [p for p, cmd in below.items() if "uvicorn" in cmd and "prefect.server" in cmd]
    assert servers, below
    deadline = time.monotonic() + 20
    while not all(gone(p) for p in below) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = {p: cmd for p, cmd in below.items() if not gone(p)}
    for p in left:  # end what the run left behind before failing, so the test leaves nothing either
        with contextlib.suppress(ProcessLookupError):
            os.kill(p, signal.SIGKILL)
    assert left == {}

    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT status FROM runs WHERE pid = ?", [proc.pid]).fetchall() == [("running",)]
    finally:
        con.close()
    rerun = subprocess.run([*CLI, "run", "--plain", "--chunk-size", "10"], env=env_for(project),
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT status, ended_at IS NOT NULL, details->>'abandoned' FROM runs "
                           "WHERE pid = ?", [proc.pid]).fetchall()
        assert rows == [("abandoned", True, "its process ended before the run finished")]
        assert con.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0] == 0
    finally:
        con.close()
