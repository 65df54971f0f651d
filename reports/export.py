"""Export the warehouse for other tools: every table and view as Parquet or CSV, or ClaimReview JSON-LD.

One job: `export_warehouse(db_path, out_dir, format)` reads the warehouse on one read-only connection and writes

    parquet       <out>/<table>/story=<id>/data_0.parquet   tables and views with a story (own column, or their
                                                             article's, or their run's), Hive-partitioned by
                                                             DuckDB's own COPY ... (PARTITION_BY (story))
                  <out>/<table>/data_0.parquet              tables without a story, and any with no rows (one
                                                             empty file that still carries every column)
    csv           <out>/<table>.csv                         one file per table or view, every story in it, with
                                                             a `story` column; text cells defused for spreadsheets
    claimreview   <out>/<story>.jsonld                      schema.org ClaimReview per judged fact and reviewed
                                                             discrepancy (reports/claimreview.py)
    every format  <out>/manifest.json                       crosscheck version and commit, export time, the
                                                             latest run, the filters, rows and files per table

The tables and views are read from the catalog (duckdb_tables(), duckdb_views() of the main schema), so a table a
new migration adds is exported without a change here. The export is written to a folder beside `out` and renamed
into place at the end: `out` must be new, empty or an earlier export (it has our manifest.json), which it replaces.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote as quote_url

import duckdb

from core import __version__
from core.errors import CrosscheckError
from core.version import git_commit
from reports import claimreview
from reports.csv_export import FORMULA_START  # what the report's CSV defuses, defused the same way here
from reports.export_filter import STAGE, RowFilter, conditions, quote, resolve
from reports.model import reading
from warehouse.db import utc_now

FORMATS = ("parquet", "csv", "claimreview")
MANIFEST = "manifest.json"
PARTITION = "story"
DATA_FILE = "data_0.parquet"
# Where a table without its own story column finds one: (its column, the table, that table's key).
STORY_VIA = {"articles": ("article_id", "articles", "article_id"), "runs": ("run_id", "runs", "run_id")}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str  # DuckDB's type name: VARCHAR, DOUBLE, TIMESTAMP, VARCHAR[], JSON, ...


@dataclass(frozen=True, slots=True)
class Relation:
    """One table or view of the warehouse and how its rows belong to a story."""

    name: str
    kind: str  # table | view
    columns: tuple[Column, ...]
    story_from: str | None  # "story" (own column), "articles" or "runs" (see STORY_VIA), None (no story)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True, slots=True)
class Exported:
    """What one table, view or ClaimReview file became: its rows and the files written (relative to `out`)."""

    name: str
    kind: str  # table | view | claimreview
    rows: int
    files: tuple[tuple[str, int], ...]  # (path, rows)
    story_from: str | None = None


@dataclass(frozen=True, slots=True)
class ExportResult:
    out_dir: Path
    format: str
    items: tuple[Exported, ...]
    manifest: dict[str, Any]

    @property
    def rows(self) -> int:
        return sum(i.rows for i in self.items)


def story_source(columns: Sequence[str], tables: dict[str, tuple[str, ...]]) -> str | None:
    """How a relation's rows belong to a story: its own `story` column, else its article's, else its run's."""
    if PARTITION in columns:
        return PARTITION
    for via, (column, table, key) in STORY_VIA.items():
        if column in columns and key in tables.get(table, ()) and PARTITION in tables.get(table, ()):
            return via
    return None


def catalog(con: duckdb.DuckDBPyConnection) -> list[Relation]:
    """Every table, then every view, of the warehouse's main schema, by name, with its columns in order."""
    found = con.execute("""
        SELECT table_name AS name, 'table' AS kind FROM duckdb_tables()
        WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
        UNION ALL
        SELECT view_name, 'view' FROM duckdb_views()
        WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary
        ORDER BY kind, name""").fetchall()
    columns: dict[str, list[Column]] = {}
    for table, column, dtype in con.execute("""
            SELECT table_name, column_name, data_type FROM duckdb_columns()
            WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
            ORDER BY table_name, column_index""").fetchall():
        columns.setdefault(table, []).append(Column(column, dtype))
    names = {name: tuple(c.name for c in columns.get(name, ())) for name, kind in found if kind == "table"}
    out = []
    for name, kind in found:
        cols = tuple(columns.get(name, ()))
        out.append(Relation(name, kind, cols, story_source([c.name for c in cols], names)))
    return out


def _story_expr(rel: Relation) -> str | None:
    if rel.story_from is None:
        return None
    return f"t.{quote(PARTITION)}" if rel.story_from == PARTITION else f"s.{quote(PARTITION)}"


def _defused(column: Column) -> str:
    ref = f"t.{quote(column.name)}"
    if column.type != "VARCHAR":
        return ref
    starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_START)
    return f"CASE WHEN left({ref}, 1) IN ({starts}) THEN '''' || {ref} ELSE {ref} END AS {quote(column.name)}"


def select_sql(rel: Relation, flt: RowFilter, *, defuse: bool = False) -> tuple[str, list[Any]]:
    """The SELECT an export writes for one relation: its columns (text defused for spreadsheets when `defuse`),
    plus `story` taken from the article or run when the relation has none of its own, filtered by `flt`."""
    cols = ", ".join(_defused(c) for c in rel.columns) if defuse else "t.*"
    sql = f"SELECT {cols}"
    source = f"FROM {quote(rel.name)} AS t"
    if rel.story_from in STORY_VIA:
        column, table, key = STORY_VIA[rel.story_from]
        sql += f", s.{quote(PARTITION)} AS {quote(PARTITION)}"
        source += f" LEFT JOIN {quote(table)} AS s ON s.{quote(key)} = t.{quote(column)}"
    where, params = conditions(rel.column_names, flt, alias="t", story_expr=_story_expr(rel))
    sql += " " + source
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql, params


def _literal(path: Path) -> str:
    """A file path as an SQL string literal (COPY ... TO takes no parameter for its target)."""
    return "'" + str(path).replace("'", "''") + "'"


def _relative(files: Sequence[str], root: Path) -> list[str]:
    return [Path(os.path.relpath(f, root)).as_posix() for f in files]


def _file_rows(con: duckdb.DuckDBPyConnection, files: Sequence[str]) -> dict[str, int]:
    if not files:
        return {}
    got = con.execute("SELECT file_name, num_rows FROM parquet_file_metadata(?)", [list(files)]).fetchall()
    return {name: int(n) for name, n in got}


def write_parquet(con: duckdb.DuckDBPyConnection, rel: Relation, flt: RowFilter, root: Path) -> Exported:
    """One relation as Parquet under `root/<name>/`: Hive partitions by story when it has one, else one file."""
    sql, params = select_sql(rel, flt)
    dest = root / rel.name
    if rel.story_from is not None:
        count, files = con.execute(f"COPY ({sql}) TO {_literal(dest)} (FORMAT parquet, PARTITION_BY "
                                   f"({quote(PARTITION)}), RETURN_FILES true)", params).fetchone() or (0, [])
    else:
        count, files = 0, []
    if not files:  # no story, or no rows: one file, so every reader still finds the table and its columns
        dest.mkdir(parents=True, exist_ok=True)
        count, files = con.execute(f"COPY ({sql}) TO {_literal(dest / DATA_FILE)} (FORMAT parquet, "
                                   "RETURN_FILES true)", params).fetchone() or (0, [])
    per_file = _file_rows(con, files)
    written = tuple(sorted(zip(_relative(files, root), (per_file.get(f, 0) for f in files), strict=True)))
    return Exported(rel.name, rel.kind, int(count), written, rel.story_from)


def write_csv(con: duckdb.DuckDBPyConnection, rel: Relation, flt: RowFilter, root: Path) -> Exported:
    """One relation as `root/<name>.csv`: a header, every story's rows (with `story`), spreadsheet-safe text."""
    sql, params = select_sql(rel, flt, defuse=True)
    dest = root / f"{rel.name}.csv"
    got = con.execute(f"COPY ({sql}) TO {_literal(dest)} (FORMAT csv, HEADER true)", params).fetchone()
    count = int(got[0]) if got else 0
    return Exported(rel.name, rel.kind, count, ((dest.name, count),), rel.story_from)


def write_claimreview(con: duckdb.DuckDBPyConnection, flt: RowFilter, root: Path, author: claimreview.Author,
                      seeds_dir: Path | None = None) -> list[Exported]:
    """Each story's ClaimReviews as one JSON array, `root/<story>.jsonld` (each object carries its @context)."""
    items = []
    for story, reviews in sorted(claimreview.story_reviews(con, flt, author, seeds_dir).items()):
        name = f"{quote_url(story, safe='')}.jsonld"
        (root / name).write_text(json.dumps(reviews, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        items.append(Exported(story, "claimreview", len(reviews), ((name, len(reviews)),), PARTITION))
    return items


def latest_run(con: duckdb.DuckDBPyConnection, story: str | None) -> dict[str, Any] | None:
    """The latest run (of the story, when one is given) from `runs`, by start time."""
    got = con.execute("SELECT run_id, story, started_at, ended_at, status FROM runs "
                      "WHERE CAST(? AS VARCHAR) IS NULL OR story = ? ORDER BY started_at DESC, run_id LIMIT 1",
                      [story, story]).fetchone()
    if got is None:
        return None
    return {"run_id": got[0], "story": got[1], "started_at": _iso(got[2]), "ended_at": _iso(got[3]),
            "status": got[4]}


def _iso(t: datetime | None) -> str | None:
    return None if t is None else t.isoformat(timespec="seconds") + "Z"


def manifest(fmt: str, db_path: Path, flt: RowFilter, items: Sequence[Exported], *, run: dict[str, Any] | None,
             exported_at: datetime, commit: str | None) -> dict[str, Any]:
    """What manifest.json says: who wrote the export, from what, with which filters, and every file."""
    since = None if flt.since is None else {"run_id": flt.since.run_id, "started_at": _iso(flt.since.started_at)}
    return {
        "crosscheck": {"version": __version__, "commit": commit},
        "format": fmt,
        "exported_at": _iso(exported_at),
        "warehouse": str(db_path),
        "latest_run": run,
        "filters": {"story": flt.story, "since": since},
        "partitioned_by": PARTITION if fmt == "parquet" else None,
        "stories" if fmt == "claimreview" else "tables": {
            i.name: {"kind": i.kind, "rows": i.rows, "story_from": i.story_from,
                     "files": [{"path": p, "rows": n} for p, n in i.files]} for i in items},
    }


def check_target(out_dir: Path) -> None:
    """Refuse an `out` that is a file, or a folder with anything in it that is not an earlier export."""
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise CrosscheckError("--out must be a folder (new, empty, or an earlier export)", input=str(out_dir),
                              stage=STAGE)
    if not out_dir.exists() or not any(out_dir.iterdir()):
        return
    try:
        earlier = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        earlier = None
    if not isinstance(earlier, dict) or "crosscheck" not in earlier:
        raise CrosscheckError(f"--out has files and no {MANIFEST} of an earlier export; give a new or empty "
                              "folder (an export replaces the folder's contents)", input=str(out_dir), stage=STAGE)


def _publish(staged: Path, out_dir: Path) -> None:
    """Put the finished export in place of `out_dir` (an empty folder, or an earlier export, is replaced)."""
    if out_dir.exists() and not any(out_dir.iterdir()):
        out_dir.rmdir()
    if not out_dir.exists():
        staged.rename(out_dir)
        return
    old = out_dir.with_name(f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
    out_dir.rename(old)
    staged.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)


def export_warehouse(db_path: Path, out_dir: Path, fmt: str, *, story: str | None = None, since: str | None = None,
                     author: claimreview.Author | None = None, seeds_dir: Path | None = None,
                     now: datetime | None = None, commit: Callable[[], str | None] = git_commit) -> ExportResult:
    """Export the warehouse at `db_path` to `out_dir` in `fmt` (parquet, csv or claimreview), filtered by
    `story` and `since` (see reports/export_filter.py). The warehouse is read on one read-only connection, in
    one transaction, so every file shows the same state. Raises CrosscheckError for a missing warehouse, an
    unknown format, story or run, or an `out_dir` that is not new, empty or an earlier export."""
    if fmt not in FORMATS:
        raise CrosscheckError(f"format must be one of {', '.join(FORMATS)}", input=fmt, stage=STAGE)
    out_dir = Path(out_dir).absolute()
    check_target(out_dir)
    exported_at = now or utc_now()
    try:
        return _export(Path(db_path), out_dir, fmt, story, since, author, seeds_dir, exported_at, commit)
    except duckdb.Error as err:
        raise CrosscheckError(str(err), input=str(db_path), stage=STAGE) from err
    except OSError as err:
        raise CrosscheckError(f"cannot write the export: {err}", input=str(out_dir), stage=STAGE) from err


def _export(db_path: Path, out_dir: Path, fmt: str, story: str | None, since: str | None,
            author: claimreview.Author | None, seeds_dir: Path | None, exported_at: datetime,
            commit: Callable[[], str | None]) -> ExportResult:
    with reading(db_path) as con:
        con.execute("BEGIN TRANSACTION")
        flt = resolve(con, story, since)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staged = out_dir.with_name(f".{out_dir.name}.export-{uuid.uuid4().hex[:8]}")
        staged.mkdir()
        try:
            if fmt == "claimreview":
                items = write_claimreview(con, flt, staged, author or claimreview.Author(), seeds_dir)
            else:
                write = write_parquet if fmt == "parquet" else write_csv
                items = [write(con, rel, flt, staged) for rel in catalog(con)]
            body = manifest(fmt, db_path.absolute(), flt, items, run=latest_run(con, flt.story),
                            exported_at=exported_at, commit=commit())
            (staged / MANIFEST).write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            con.execute("COMMIT")
            _publish(staged, out_dir)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
    return ExportResult(out_dir, fmt, tuple(items), body)
