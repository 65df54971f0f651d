"""Fixtures for the warehouse tests: a fresh, migrated DuckDB file under tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from warehouse.db import open_warehouse


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "var" / "crosscheck.duckdb"


@pytest.fixture
def con(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_warehouse(db_path, wait_s=0)
    yield connection
    connection.close()
