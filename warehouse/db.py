"""Open the DuckDB warehouse: lock-aware connect, short transactions, and ordered SQL migrations.

This module owns every `duckdb.connect` of the warehouse file. DuckDB lets one process at a time
open a file for writing; while another process holds it, `connect` waits with backoff up to a bound
(`CROSSCHECK_DB_WAIT_S`, default 30 s) and then raises `WarehouseBusyError`.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

import duckdb

from core.errors import ConfigError, CrosscheckError, WarehouseBusyError

log = logging.getLogger(__name__)

ENV_DB = "CROSSCHECK_DB"
ENV_WAIT_S = "CROSSCHECK_DB_WAIT_S"
DEFAULT_DB = Path("var") / "crosscheck.duckdb"
DEFAULT_WAIT_S = 30.0

# Backoff between lock attempts: first pause, growth factor, longest pause (seconds).
BACKOFF_FIRST_S = 0.05
BACKOFF_FACTOR = 2.0
BACKOFF_MAX_S = 1.0

_LOCK_MARKERS = ("could not set lock", "conflicting lock")
_HOLDER_RE = re.compile(r"Conflicting lock is held in (?P<exe>.*?) \(PID (?P<pid>\d+)\)")
_MIGRATION_RE = re.compile(r"^(?P<version>\d{3,})_(?P<name>[a-z0-9_]+)\.sql$")


def default_path() -> Path:
    """The warehouse file: `$CROSSCHECK_DB` if set, else `var/crosscheck.duckdb` under the CWD."""
    env = os.environ.get(ENV_DB, "").strip()
    return Path(env) if env else DEFAULT_DB


def default_wait_s() -> float:
    """Seconds to wait for a locked warehouse: `$CROSSCHECK_DB_WAIT_S` if set, else 30."""
    raw = os.environ.get(ENV_WAIT_S, "").strip()
    if not raw:
        return DEFAULT_WAIT_S
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(
            f"{ENV_WAIT_S} must be a number of seconds, got {raw!r}", stage="warehouse"
        ) from None
    if value < 0:
        raise ConfigError(f"{ENV_WAIT_S} must be >= 0, got {raw!r}", stage="warehouse")
    return value


@dataclass(frozen=True, slots=True)
class LockHolder:
    """The process DuckDB reports as holding the file lock, when its message names one."""

    pid: int | None
    exe: str | None

    def describe(self) -> str:
        if self.pid is None:
            return "another process"
        exe = f", {self.exe}" if self.exe else ""
        return f"another process (pid {self.pid}{exe})"


def is_lock_error(err: BaseException) -> bool:
    """True when `err` is DuckDB refusing to open a file because another process holds its lock."""
    if not isinstance(err, duckdb.IOException):
        return False
    msg = str(err).lower()
    return any(marker in msg for marker in _LOCK_MARKERS)


def lock_holder(err: BaseException) -> LockHolder:
    """Parse the holder's pid and executable out of DuckDB's lock message (None when absent)."""
    m = _HOLDER_RE.search(str(err))
    if not m:
        return LockHolder(pid=None, exe=None)
    return LockHolder(pid=int(m.group("pid")), exe=m.group("exe") or None)


def connect(
    path: str | os.PathLike[str] | None = None,
    *,
    read_only: bool = False,
    wait_s: float | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file, waiting up to `wait_s` seconds while another process holds its lock.

    `path` None means `default_path()`; `wait_s` None means `default_wait_s()`. For a writable
    connection the parent directory is created. Raises `WarehouseBusyError` (naming the path and,
    when DuckDB reports it, the holder's pid) once the wait is exhausted, and CrosscheckError when this
    process already has the file open in the other mode; other DuckDB errors pass through unchanged.
    """
    db = Path(path) if path is not None else default_path()
    budget = default_wait_s() if wait_s is None else max(0.0, float(wait_s))
    if not read_only:
        db.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + budget
    pause = BACKOFF_FIRST_S
    announced = False
    while True:
        try:
            return duckdb.connect(str(db), read_only=read_only)
        except duckdb.ConnectionException as err:
            if "different configuration" not in str(err):
                raise
            mode = "read-write" if read_only else "read-only"
            raise CrosscheckError(
                f"warehouse is already open in this process as {mode}; reuse that connection "
                "or close it first",
                input=str(db),
                stage="warehouse",
            ) from err
        except duckdb.IOException as err:
            if not is_lock_error(err):
                raise
            holder = lock_holder(err)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                busy = WarehouseBusyError(
                    f"warehouse is locked by {holder.describe()} and stayed locked for {budget:g} s; "
                    f"stop that process or raise {ENV_WAIT_S}",
                    input=str(db),
                    stage="warehouse",
                )
                busy.holder = holder  # type: ignore[attr-defined]
                raise busy from err
            if not announced:
                log.warning("warehouse %s is locked by %s, waiting up to %g s", db, holder.describe(), budget)
                announced = True
            time.sleep(min(pause, remaining))
            pause = min(pause * BACKOFF_FACTOR, BACKOFF_MAX_S)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN on entry, COMMIT on normal exit, ROLLBACK and re-raise on any exception. Not nestable."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        _rollback(con)
        raise
    try:
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back, never masking the error that caused it (DuckDB may already have ended the transaction)."""
    with suppress(duckdb.Error):
        con.execute("ROLLBACK")


@dataclass(frozen=True, slots=True)
class Migration:
    """One `NNN_name.sql` file from the migrations directory."""

    version: int
    name: str
    sql: str


def _default_migrations_dir() -> Traversable:
    return resources.files("warehouse") / "migrations"


def list_migrations(directory: Traversable | os.PathLike[str] | None = None) -> list[Migration]:
    """The migration files in version order. A `.sql` file not named `NNN_name.sql`, or two files
    with one version, is an error rather than something silently skipped."""
    root: Traversable = _default_migrations_dir() if directory is None else _as_traversable(directory)
    found: dict[int, Migration] = {}
    for entry in root.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        m = _MIGRATION_RE.match(entry.name)
        if not m:
            raise CrosscheckError(
                "migration file names must look like 001_name.sql (lowercase name)",
                input=entry.name,
                stage="migrate",
            )
        version = int(m.group("version"))
        if version in found:
            raise CrosscheckError(
                f"two migrations share version {version}: {found[version].name} and {m.group('name')}",
                input=entry.name,
                stage="migrate",
            )
        found[version] = Migration(version=version, name=m.group("name"), sql=entry.read_text("utf-8"))
    return [found[v] for v in sorted(found)]


def _as_traversable(directory: Traversable | os.PathLike[str]) -> Traversable:
    if isinstance(directory, os.PathLike):
        return Path(directory)
    return directory


def migrate(
    con: duckdb.DuckDBPyConnection, directory: Traversable | os.PathLike[str] | None = None
) -> list[int]:
    """Apply pending migrations in version order, each in its own transaction, recording each in
    `schema_migrations`. Idempotent: returns the versions applied by this call (empty when current)."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    rows = con.execute("SELECT version FROM schema_migrations").fetchall()
    done = {int(r[0]) for r in rows}
    migrations = list_migrations(directory)
    known = {m.version for m in migrations}
    unknown = sorted(done - known)
    if unknown:
        log.warning("warehouse has migrations this code does not know: %s (newer code wrote it?)", unknown)
    applied: list[int] = []
    for mig in migrations:
        if mig.version in done:
            continue
        try:
            with transaction(con):
                con.execute(mig.sql)
                con.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [mig.version, mig.name, utc_now()],
                )
        except duckdb.Error as err:
            raise CrosscheckError(
                f"migration {mig.version:03d}_{mig.name} failed and was rolled back: {err}",
                input=f"{mig.version:03d}_{mig.name}.sql",
                stage="migrate",
            ) from err
        log.info("warehouse migration %03d_%s applied", mig.version, mig.name)
        applied.append(mig.version)
    return applied


def open_warehouse(
    path: str | os.PathLike[str] | None = None, *, wait_s: float | None = None
) -> duckdb.DuckDBPyConnection:
    """A writable connection to the warehouse with every migration applied."""
    con = connect(path, wait_s=wait_s)
    try:
        migrate(con)
    except BaseException:
        con.close()
        raise
    return con


def utc_now() -> datetime:
    """Now as a naive UTC datetime: every TIMESTAMP column in the warehouse is UTC."""
    return datetime.now(UTC).replace(tzinfo=None)
