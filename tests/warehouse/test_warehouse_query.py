"""warehouse.query.run_query: read-only statements only, on a read-only connection."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import CrosscheckError
from core.records import Article, content_hash
from warehouse.db import open_warehouse
from warehouse.load import load_articles
from warehouse.query import check_read_only, run_query


@pytest.fixture
def warehouse_file(db_path: Path) -> Path:
    con = open_warehouse(db_path, wait_s=0)
    try:
        load_articles(
            con, [Article(article_id=content_hash(t), text=t) for t in ("one", "two words")], "run-1"
        )
    finally:
        con.close()
    return db_path


def test_select_returns_columns_and_rows(warehouse_file: Path) -> None:
    columns, rows = run_query(warehouse_file, "SELECT text, chars FROM articles ORDER BY chars")
    assert columns == ["text", "chars"]
    assert rows == [("one", 3), ("two words", 9)]


@pytest.mark.parametrize(
    "sql",
    [
        "WITH a AS (SELECT 1 AS x) SELECT x FROM a",
        "FROM articles",
        "SHOW TABLES",
        "DESCRIBE claims",
        "SUMMARIZE articles",
        "EXPLAIN SELECT 1",
        "PRAGMA table_info('runs')",
        "SELECT count(*) FROM errors;",
    ],
)
def test_read_only_forms_are_allowed(warehouse_file: Path, sql: str) -> None:
    columns, _ = run_query(warehouse_file, sql)
    assert columns


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("INSERT INTO runs (run_id, started_at, status) VALUES ('x', now(), 'ok')", "INSERT"),
        ("UPDATE articles SET title = 'x'", "UPDATE"),
        ("DELETE FROM articles", "DELETE"),
        ("DROP TABLE articles", "DROP"),
        ("CREATE TABLE t (a INTEGER)", "CREATE"),
        ("ATTACH 'other.duckdb' AS o", "ATTACH"),
        ("SET threads = 1", "SET"),
    ],
)
def test_writes_are_refused_with_a_clear_message(warehouse_file: Path, sql: str, kind: str) -> None:
    with pytest.raises(CrosscheckError, match=f"only read-only queries are allowed.*{kind}"):
        run_query(warehouse_file, sql)
    assert run_query(warehouse_file, "SELECT count(*) FROM articles")[1] == [(2,)]


def test_copy_to_a_file_is_refused(warehouse_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "dump.csv"
    with pytest.raises(CrosscheckError, match="COPY"):
        run_query(warehouse_file, f"COPY articles TO '{out}'")
    assert not out.exists()


def test_several_statements_are_refused() -> None:
    with pytest.raises(CrosscheckError, match="one statement"):
        check_read_only("SELECT 1; DELETE FROM articles")


@pytest.mark.parametrize(("sql", "message"), [("", "no SQL"), ("SELEC 1", "does not parse")])
def test_empty_or_broken_sql(sql: str, message: str) -> None:
    with pytest.raises(CrosscheckError, match=message):
        check_read_only(sql)


def test_missing_warehouse_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.duckdb"
    with pytest.raises(CrosscheckError, match="no warehouse here"):
        run_query(missing, "SELECT 1")
    assert not missing.exists()


def test_duckdb_errors_become_crosscheck_errors(warehouse_file: Path) -> None:
    with pytest.raises(CrosscheckError, match="no_such_table"):
        run_query(warehouse_file, "SELECT * FROM no_such_table")
