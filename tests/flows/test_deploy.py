"""The flow as users run it: against a real Prefect server on loopback, served on its schedule, and on a
local Dask cluster, each in its own process like a user's shell."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import yaml
from support import env_for, make_project

from core.config import PROJECT_ROOT, load_settings

CLI = [sys.executable, "-m", "crosscheck.cli"]


def contents(db: Path) -> dict[str, set]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "articles": {r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()},
            "claims": {r[0] for r in con.execute("SELECT claim_id FROM claims").fetchall()},
            "extractions": {tuple(r) for r in con.execute("SELECT article_id, claims FROM extractions").fetchall()},
        }
    finally:
        con.close()


def test_prefect_yaml_declares_the_configured_deployment():
    spec = yaml.safe_load((PROJECT_ROOT / "prefect.yaml").read_text())
    settings = load_settings(PROJECT_ROOT / "crosscheck.toml")
    [dep] = spec["deployments"]
    assert dep["name"] == settings.deployment
    assert dep["schedules"][0]["cron"] == settings.cron
    assert dep["schedules"][0]["timezone"] == settings.timezone
    module, _, name = dep["entrypoint"].partition(":")
    assert (PROJECT_ROOT / module).is_file() and name == "crosscheck_flow"


def test_flow_run_against_a_real_server(tmp_path: Path, prefect_server: str):
    project = make_project(tmp_path)
    run = subprocess.run([*CLI, "run"], env=env_for(project, PREFECT_API_URL=prefect_server),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "run ok" in run.stdout
    assert "| ERROR" not in run.stdout + run.stderr  # a successful run logs no ERROR lines
    runs = httpx.post(f"{prefect_server}/flow_runs/filter", json={}, timeout=10).json()
    assert any(r["state_type"] == "COMPLETED" and r["name"].startswith("crosscheck") for r in runs)
    con = duckdb.connect(str(project / "var" / "test.duckdb"), read_only=True)
    flow_run_ids = {r[0] for r in con.execute("SELECT flow_run_id FROM runs").fetchall()}
    con.close()
    assert flow_run_ids & {r["id"] for r in runs}  # the warehouse records which flow run wrote it


def test_serve_registers_the_scheduled_deployment(tmp_path: Path, prefect_server: str):
    project = make_project(tmp_path)
    proc = subprocess.Popen([*CLI, "serve"], env=env_for(project, PREFECT_API_URL=prefect_server),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        found = None
        while found is None and time.monotonic() < deadline and proc.poll() is None:
            r = httpx.get(f"{prefect_server}/deployments/name/crosscheck/crosscheck-scheduled", timeout=5)
            if r.status_code == 200:
                found = r.json()
            else:
                time.sleep(1)
        assert found is not None, "deployment never registered"
        [schedule] = found["schedules"]
        assert schedule["schedule"]["cron"] == "0 */6 * * *"
        assert schedule["schedule"]["timezone"] == "UTC"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_dask_runner_gives_the_same_warehouse(tmp_path: Path):
    threads = make_project(tmp_path / "threads", copies=2)
    dask = make_project(tmp_path / "dask", copies=2)
    a = subprocess.run([*CLI, "run", "--chunk-size", "20"], env=env_for(threads), capture_output=True, text=True,
                       timeout=300)
    assert a.returncode == 0, a.stdout + a.stderr
    b = subprocess.run([*CLI, "run", "--chunk-size", "20"], env=env_for(dask, CROSSCHECK_TASK_RUNNER="dask"),
                       capture_output=True, text=True, timeout=300)
    assert b.returncode == 0, b.stdout + b.stderr
    assert "extraction ran in this process (task runner: threads)" in a.stdout
    assert "extraction ran in worker processes" in b.stdout and "(task runner: dask)" in b.stdout
    assert contents(dask / "var" / "test.duckdb") == contents(threads / "var" / "test.duckdb")


def prefect(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    run = subprocess.run([sys.executable, "-m", "prefect", *args], env=env, cwd=cwd, capture_output=True, text=True,
                         timeout=timeout)
    assert run.returncode == 0, f"prefect {' '.join(args)}: " + run.stdout[-2000:] + run.stderr[-2000:]
    return run


def test_a_worker_runs_the_deployment_from_its_work_pool(tmp_path: Path, prefect_server: str):
    """prefect.yaml as a user runs it: create the process pool, deploy, trigger the deployment, and a real
    `prefect worker` picks the run up and completes it into the project's warehouse."""
    project = make_project(tmp_path / "project")
    env = env_for(project, PREFECT_API_URL=prefect_server, CROSSCHECK_HOME=str(PROJECT_ROOT),
                  PREFECT_HOME=str(tmp_path / "prefect-client"))
    prefect(["work-pool", "create", "crosscheck-pool", "--type", "process", "--overwrite"], env, PROJECT_ROOT)
    prefect(["--no-prompt", "deploy", "--all"], env, PROJECT_ROOT)
    deployment = httpx.get(f"{prefect_server}/deployments/name/crosscheck/crosscheck-scheduled", timeout=10).json()
    assert deployment["work_pool_name"] == "crosscheck-pool"
    limit = deployment.get("global_concurrency_limit") or {}
    assert deployment.get("concurrency_limit") == 1 or limit.get("limit") == 1, deployment
    triggered = prefect(["deployment", "run", "crosscheck/crosscheck-scheduled"], env, PROJECT_ROOT)
    flow_run_id = re.search(r"UUID: ([0-9a-f-]{36})", triggered.stdout).group(1)
    worker = subprocess.Popen([sys.executable, "-m", "prefect", "worker", "start", "--pool", "crosscheck-pool",
                               "--run-once"], env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 400
        state = None
        while time.monotonic() < deadline:
            state = httpx.get(f"{prefect_server}/flow_runs/{flow_run_id}", timeout=10).json()["state_type"]
            if state in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
                break
            time.sleep(2)
        assert state == "COMPLETED", (state, worker.stdout.read() if worker.poll() is not None else "")
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, 15)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(worker.pid, 9)
    con = duckdb.connect(str(project / "var" / "test.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM claims").fetchone()[0] > 100
        assert flow_run_id in {r[0] for r in con.execute("SELECT flow_run_id FROM runs").fetchall()}
    finally:
        con.close()
