"""Which rows an export takes: `--story ID` and `--since RUN`, checked against the warehouse and turned into SQL.

One job: the two filters of `crosscheck export` as parameterised WHERE conditions on a table's own columns.

- **story**: a row belongs to a story by its `story` column; a table without one takes the story of its article
  (`article_id` -> `articles.story`) or of its run (`run_id` -> `runs.story`: each run is one story's). The
  caller says which expression holds the row's story; a table with none of the three is taken whole.
- **since RUN**: a row is taken when it was written by RUN or by a run that started after it (its `run_id` is
  one of the runs whose `started_at` is at or after RUN's), or when what people write outside runs was written
  at or after RUN's start: a review verdict (`reviewed_at`, also on the `discrepancy_review` view, so a
  discrepancy reviewed since counts as changed), a reviewer's event override (`at_ts`), a migration
  (`applied_at`). Run ids are random, so "later" is read from `runs.started_at`, never from the ids.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from core.errors import CrosscheckError

STAGE = "export"
# Times of rows written outside runs, by a reviewer or a migration: the first one a table has counts for --since.
OWN_TIME_COLUMNS = ("reviewed_at", "at_ts", "applied_at")
MIN_PREFIX = 4


@dataclass(frozen=True, slots=True)
class Since:
    """The run `--since` names and when it started."""

    run_id: str
    started_at: datetime


@dataclass(frozen=True, slots=True)
class RowFilter:
    """What an export keeps: one story's rows (None = every story's), rows written since a run (None = all)."""

    story: str | None = None
    since: Since | None = None


def quote(name: str) -> str:
    """An SQL identifier, double-quoted (names come from the catalog, never from the command line)."""
    return '"' + name.replace('"', '""') + '"'


def conditions(columns: Collection[str], flt: RowFilter, *, alias: str = "t",
               story_expr: str | None = None) -> tuple[list[str], list[Any]]:
    """The WHERE conditions (joined by AND by the caller) and their parameters for one table or view.

    `columns` are the relation's own column names, `alias` its alias in the query, `story_expr` the SQL
    expression of a row's story (None: the relation has no story, the story filter does not apply).
    """
    where: list[str] = []
    params: list[Any] = []
    if flt.story is not None and story_expr is not None:
        where.append(f"{story_expr} = ?")
        params.append(flt.story)
    if flt.since is not None:
        since: list[str] = []
        if "run_id" in columns:
            since.append(f"{alias}.{quote('run_id')} IN (SELECT run_id FROM runs WHERE started_at >= ?)")
            params.append(flt.since.started_at)
        own = next((c for c in OWN_TIME_COLUMNS if c in columns), None)
        if own is not None:
            since.append(f"{alias}.{quote(own)} >= ?")
            params.append(flt.since.started_at)
        if since:
            where.append("(" + " OR ".join(since) + ")")
    return where, params


def stories(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The stories the warehouse holds anything of (a run, an article or a fact)."""
    return [r[0] for r in con.execute(
        "SELECT story FROM runs WHERE story IS NOT NULL UNION SELECT story FROM articles WHERE story IS NOT NULL "
        "UNION SELECT story FROM facts ORDER BY story").fetchall()]


def find_run(con: duckdb.DuckDBPyConnection, run: str) -> Since:
    """The run with this id, or the one run whose id starts with it (at least 4 characters)."""
    run = run.strip().lower()
    if len(run) < MIN_PREFIX:
        raise CrosscheckError(f"give at least {MIN_PREFIX} characters of the run id", input=run, stage=STAGE)
    found = con.execute("SELECT run_id, started_at FROM runs WHERE starts_with(run_id, ?) ORDER BY run_id",
                        [run]).fetchall()
    exact = [r for r in found if r[0] == run]
    if exact:
        found = exact
    if not found:
        raise CrosscheckError("no run with this id in the warehouse (list them: crosscheck query \"SELECT run_id, "
                              "story, started_at, status FROM runs ORDER BY started_at\")", input=run, stage=STAGE)
    if len(found) > 1:
        raise CrosscheckError(f"ambiguous run id prefix: matches {', '.join(r[0] for r in found)}", input=run,
                              stage=STAGE)
    return Since(found[0][0], found[0][1])


def resolve(con: duckdb.DuckDBPyConnection, story: str | None, since: str | None) -> RowFilter:
    """The filter for `--story` and `--since`, after checking that the story and the run exist."""
    if story is not None:
        known = stories(con)
        if story not in known:
            raise CrosscheckError(f"no such story in the warehouse (it has: {', '.join(known) or 'none'})",
                                  input=story, stage=STAGE)
    return RowFilter(story=story, since=find_run(con, since) if since is not None else None)
