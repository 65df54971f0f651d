"""warehouse.db: default settings, transactions and migrations on real DuckDB files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from core.errors import ConfigError, CrosscheckError
from warehouse.db import (
    DEFAULT_DB,
    connect,
    default_path,
    default_wait_s,
    list_migrations,
    migrate,
    open_warehouse,
    transaction,
)

CORE_TABLES = {"runs", "articles", "claims", "errors", "fetches", "schema_migrations"}


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def test_default_path_and_wait_come_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CROSSCHECK_DB", raising=False)
    monkeypatch.delenv("CROSSCHECK_DB_WAIT_S", raising=False)
    assert default_path() == DEFAULT_DB == Path("var/crosscheck.duckdb")
    assert default_wait_s() == 30.0
    monkeypatch.setenv("CROSSCHECK_DB", "/data/x.duckdb")
    monkeypatch.setenv("CROSSCHECK_DB_WAIT_S", "2.5")
    assert default_path() == Path("/data/x.duckdb")
    assert default_wait_s() == 2.5


@pytest.mark.parametrize("raw", ["soon", "-1"])
def test_bad_wait_setting_is_a_config_error(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("CROSSCHECK_DB_WAIT_S", raw)
    with pytest.raises(ConfigError, match="CROSSCHECK_DB_WAIT_S"):
        default_wait_s()


def test_connect_uses_cwd_default_and_creates_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CROSSCHECK_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    con = connect(wait_s=0)
    con.close()
    assert (tmp_path / "var" / "crosscheck.duckdb").is_file()


def test_open_warehouse_creates_tables_and_records_migration(db_path: Path) -> None:
    con = open_warehouse(db_path, wait_s=0)
    try:
        assert tables(con) >= CORE_TABLES
        rows = con.execute("SELECT version, name, applied_at FROM schema_migrations").fetchall()
        assert [(v, n) for v, n, _ in rows] == [(m.version, m.name) for m in list_migrations()]
        assert rows[0][:2] == (1, "core")
        assert rows[0][2] is not None
        indexes = {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()}
        # 006 made claims append-only (uniqueness by anti-join): no index to maintain on every load
        assert not {"claims_article_id", "claims_kind"} & indexes
        assert "articles_pkey" not in indexes
    finally:
        con.close()


def test_migrate_is_idempotent_across_connections(db_path: Path) -> None:
    con = open_warehouse(db_path, wait_s=0)
    assert migrate(con) == []
    con.close()
    con = open_warehouse(db_path, wait_s=0)
    try:
        assert migrate(con) == []
        assert con.execute("SELECT count(*) FROM schema_migrations").fetchone() == (len(list_migrations()),)
    finally:
        con.close()


def test_shipped_migrations_are_numbered_in_order() -> None:
    migrations = list_migrations()
    assert [m.version for m in migrations] == sorted(m.version for m in migrations)
    assert migrations[0].version == 1 and migrations[0].name == "core"


def test_migrations_apply_in_order_and_only_once(tmp_path: Path) -> None:
    mdir = tmp_path / "migrations"
    mdir.mkdir()
    # 002 depends on 001, so running them out of order would fail.
    (mdir / "002_add_col.sql").write_text("ALTER TABLE t ADD COLUMN b INTEGER;")
    (mdir / "001_make_t.sql").write_text("CREATE TABLE t (a INTEGER);")
    (mdir / "README.txt").write_text("ignored: not .sql")
    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    try:
        assert migrate(con, mdir) == [1, 2]
        assert migrate(con, mdir) == []
        (mdir / "003_add_u.sql").write_text("CREATE TABLE u (x INTEGER); INSERT INTO u VALUES (1);")
        assert migrate(con, mdir) == [3]
        got = con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        assert got == [(1, "make_t"), (2, "add_col"), (3, "add_u")]
        assert [r[0] for r in con.execute("DESCRIBE t").fetchall()] == ["a", "b"]
    finally:
        con.close()


def test_failed_migration_is_rolled_back_and_not_recorded(tmp_path: Path) -> None:
    mdir = tmp_path / "migrations"
    mdir.mkdir()
    (mdir / "001_ok.sql").write_text("CREATE TABLE t (a INTEGER);")
    (mdir / "002_broken.sql").write_text("CREATE TABLE half (a INTEGER); CREATE TABLE oops (;")
    con = duckdb.connect(str(tmp_path / "m.duckdb"))
    try:
        with pytest.raises(CrosscheckError, match="002_broken"):
            migrate(con, mdir)
        assert tables(con) == {"t", "schema_migrations"}
        assert con.execute("SELECT version FROM schema_migrations").fetchall() == [(1,)]
        (mdir / "002_broken.sql").write_text("CREATE TABLE half (a INTEGER);")
        assert migrate(con, mdir) == [2]
    finally:
        con.close()


@pytest.mark.parametrize("name", ["1_short.sql", "001-dash.sql", "001_Upper.sql"])
def test_misnamed_migration_is_an_error(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("SELECT 1;")
    with pytest.raises(CrosscheckError, match="001_name.sql"):
        list_migrations(tmp_path)


def test_duplicate_migration_version_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "001_a.sql").write_text("SELECT 1;")
    (tmp_path / "001_b.sql").write_text("SELECT 1;")
    with pytest.raises(CrosscheckError, match="share version 1"):
        list_migrations(tmp_path)


def test_transaction_commits_and_rolls_back(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    try:
        con.execute("CREATE TABLE t (a INTEGER)")
        with transaction(con):
            con.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(RuntimeError), transaction(con):
            con.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("boom")
        assert con.execute("SELECT a FROM t").fetchall() == [(1,)]
        with transaction(con):  # the connection is usable again after the rollback
            con.execute("INSERT INTO t VALUES (3)")
        assert con.execute("SELECT count(*) FROM t").fetchone() == (2,)
    finally:
        con.close()


def test_same_file_in_another_mode_in_this_process_is_a_clear_error(db_path: Path) -> None:
    con = open_warehouse(db_path, wait_s=0)
    try:
        with pytest.raises(CrosscheckError, match="already open in this process"):
            connect(db_path, read_only=True, wait_s=0)
    finally:
        con.close()
