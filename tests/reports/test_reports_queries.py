"""Every example query in the README runs, read-only, on a populated warehouse (and returns rows)."""

from __future__ import annotations

import json
import re

import pytest
from reports_support import Project
from typer.testing import CliRunner

from core.config import PROJECT_ROOT
from crosscheck.cli import app
from reports.review import record_verdict
from warehouse.db import open_warehouse
from warehouse.query import run_query

DOC = PROJECT_ROOT / "README.md"
QUERIES = re.findall(r'^crosscheck query "(.*?)"$', DOC.read_text("utf-8"), flags=re.M | re.S)


def test_the_docs_have_the_example_queries() -> None:
    assert len(QUERIES) >= 5
    text = " ".join(QUERIES)
    for needle in ("review_state <> 'reviewed'", "fact_timeline", "c.speaker = ", "review_verdicts"):
        assert needle in text


@pytest.fixture
def reviewed(project: Project) -> Project:
    """The populated warehouse with one verdict, so the review queries have something to show."""
    con = open_warehouse(project.db)
    try:
        key = con.execute("SELECT min(discrepancy_key) FROM discrepancy_review").fetchone()[0]  # type: ignore[index]
        record_verdict(con, key, "real", "Ana Reviewer", "both figures are on the record")
    finally:
        con.close()
    return project


@pytest.mark.parametrize("sql", QUERIES, ids=[f"query-{i}" for i in range(len(QUERIES))])
def test_example_query_runs(reviewed: Project, sql: str) -> None:
    columns, rows = run_query(reviewed.db, sql, wait_s=0)
    assert columns and rows, sql


def test_example_query_through_the_cli(reviewed: Project) -> None:
    result = CliRunner().invoke(app, ["query", QUERIES[0], "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(r["review_state"] in ("new", "changed") for r in rows)
