"""docs/warehouse*.md document every table, view and column the migrations create, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

DOCS = sorted((Path(__file__).resolve().parents[2] / "docs").glob("warehouse*.md"))


def documented() -> dict[str, list[str]]:
    """{table: [columns]} from '### `table`' sections and their '| `column` | ...' rows."""
    tables: dict[str, list[str]] = {}
    current: str | None = None
    lines = [line for doc in DOCS for line in [*doc.read_text("utf-8").splitlines(), "## end"]]
    for line in lines:
        heading = re.match(r"^###\s+`(\w+)`\s*$", line)
        if heading:
            current = heading.group(1)
            tables[current] = []
            continue
        if line.startswith("## "):
            current = None
        row = re.match(r"^\|\s*`(\w+)`\s*\|", line)
        if current and row:
            tables[current].append(row.group(1))
    return tables


def test_every_table_and_column_is_documented(con: duckdb.DuckDBPyConnection) -> None:
    actual: dict[str, list[str]] = {}
    for table, column in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns ORDER BY table_name, ordinal_position"
    ).fetchall():
        actual.setdefault(table, []).append(column)
    assert documented() == actual
