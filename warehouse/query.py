"""Run one read-only SQL statement against the warehouse and return its columns and rows.

The connection is opened read-only, and statements that could write (INSERT, COPY ... TO, ATTACH,
SET, ...) are refused before they run, since a read-only DuckDB connection still allows some of
them (COPY ... TO writes files).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb

from core.errors import CrosscheckError
from warehouse.db import connect, default_path

# Statement types that only read. DESCRIBE, SHOW and SUMMARIZE parse as SELECT.
READ_ONLY_TYPES = frozenset(
    {
        duckdb.StatementType.SELECT,
        duckdb.StatementType.EXPLAIN,
        duckdb.StatementType.PRAGMA,
        duckdb.StatementType.CALL,
    }
)

STAGE = "query"


def check_read_only(sql: str) -> None:
    """Raise CrosscheckError unless `sql` is exactly one read-only statement."""
    try:
        with duckdb.connect(":memory:") as parser:
            statements = parser.extract_statements(sql)
    except duckdb.ParserException as err:
        raise CrosscheckError(f"SQL does not parse: {err}", stage=STAGE) from None
    if not statements:
        raise CrosscheckError("no SQL statement given", stage=STAGE)
    if len(statements) > 1:
        raise CrosscheckError(f"give one statement at a time (got {len(statements)})", stage=STAGE)
    kind = statements[0].type
    if kind not in READ_ONLY_TYPES:
        raise CrosscheckError(
            f"only read-only queries are allowed (SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, "
            f"PRAGMA, CALL); got a {kind.name} statement. Writes go through the pipeline's loaders.",
            stage=STAGE,
        )


def run_query(
    path: str | os.PathLike[str] | None, sql: str, *, wait_s: float | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one read-only statement on a read-only connection; returns (column names, rows).

    `path` None means the default warehouse. Raises CrosscheckError for a missing warehouse, a
    statement that is not read-only, or a DuckDB error (with DuckDB's message);
    WarehouseBusyError when a writer holds the file for longer than `wait_s`.
    """
    check_read_only(sql)
    db = Path(path) if path is not None else default_path()
    if not db.exists():
        raise CrosscheckError("no warehouse here; run the pipeline first", input=str(db), stage=STAGE)
    con = connect(db, read_only=True, wait_s=wait_s)
    try:
        cur = con.execute(sql)
        columns = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall() if cur.description else []
    except duckdb.InvalidInputException as err:
        if "read-only" in str(err):
            raise CrosscheckError(
                "the warehouse is opened read-only for queries; this statement would write",
                input=str(db),
                stage=STAGE,
            ) from err
        raise CrosscheckError(str(err), input=str(db), stage=STAGE) from err
    except duckdb.Error as err:
        raise CrosscheckError(str(err), input=str(db), stage=STAGE) from err
    finally:
        con.close()
    return columns, rows
