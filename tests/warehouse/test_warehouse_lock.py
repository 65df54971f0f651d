"""warehouse.db.connect against a real second process holding the DuckDB file lock."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from core.errors import WarehouseBusyError
from warehouse.db import connect, open_warehouse

HOLDER = (
    "import sys, time, duckdb\n"
    "con = duckdb.connect(sys.argv[1], read_only=sys.argv[3] == 'ro')\n"
    "print('ready', flush=True)\n"
    "time.sleep(float(sys.argv[2]))\n"
)

Hold = Callable[..., subprocess.Popen[str]]


@pytest.fixture
def hold() -> Iterator[Hold]:
    """Start `python -c` processes that open the file, say 'ready', then sleep; stopped at teardown."""
    started: list[subprocess.Popen[str]] = []

    def start(path: Path, seconds: float, mode: str = "rw") -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(path), str(seconds), mode],
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(proc)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture
def warehouse_file(db_path: Path) -> Path:
    open_warehouse(db_path, wait_s=0).close()
    return db_path


def test_busy_error_names_path_and_holder(warehouse_file: Path, hold: Hold) -> None:
    holder = hold(warehouse_file, 60)
    t0 = time.monotonic()
    with pytest.raises(WarehouseBusyError) as info:
        connect(warehouse_file, wait_s=1)
    waited = time.monotonic() - t0
    assert 1.0 <= waited < 10
    message = str(info.value)
    assert str(warehouse_file) in message
    assert f"pid {holder.pid}" in message
    assert info.value.input == str(warehouse_file)
    assert info.value.holder.pid == holder.pid  # type: ignore[attr-defined]


def test_zero_wait_fails_at_once(warehouse_file: Path, hold: Hold) -> None:
    hold(warehouse_file, 60)
    t0 = time.monotonic()
    with pytest.raises(WarehouseBusyError):
        connect(warehouse_file, wait_s=0)
    assert time.monotonic() - t0 < 1


def test_waits_then_connects_once_holder_exits(
    warehouse_file: Path, hold: Hold, caplog: pytest.LogCaptureFixture
) -> None:
    holder = hold(warehouse_file, 1.5)
    caplog.set_level(logging.WARNING, logger="warehouse.db")
    t0 = time.monotonic()
    con = connect(warehouse_file, wait_s=30)
    waited = time.monotonic() - t0
    try:
        assert con.execute("SELECT count(*) FROM runs").fetchone() == (0,)
    finally:
        con.close()
    assert holder.poll() is not None  # the holder had exited
    assert 0.5 < waited < 30
    waiting = [r.getMessage() for r in caplog.records if "is locked by" in r.getMessage()]
    assert len(waiting) == 1, waiting
    assert str(warehouse_file) in waiting[0]
    assert f"pid {holder.pid}" in waiting[0]
    assert "waiting up to 30 s" in waiting[0]


def test_env_sets_the_default_wait(warehouse_file: Path, hold: Hold, monkeypatch: pytest.MonkeyPatch) -> None:
    hold(warehouse_file, 60)
    monkeypatch.setenv("CROSSCHECK_DB_WAIT_S", "0.3")
    t0 = time.monotonic()
    with pytest.raises(WarehouseBusyError, match="0.3 s"):
        connect(warehouse_file)
    assert 0.3 <= time.monotonic() - t0 < 5


def test_reader_process_blocks_a_writer(warehouse_file: Path, hold: Hold) -> None:
    hold(warehouse_file, 60, "ro")
    with pytest.raises(WarehouseBusyError, match=re.escape(str(warehouse_file))):
        connect(warehouse_file, wait_s=0.2)
