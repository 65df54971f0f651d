"""The `crosscheck` command line: run, extract, eval, query."""

from __future__ import annotations

import csv
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from crosscheck.config import load_settings
from crosscheck.errors import CrosscheckError

app = typer.Typer(help="Cross-reference factual claims across news reports of one story.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
out = Console()
err = Console(stderr=True)


class Format(StrEnum):
    jsonl = "jsonl"
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def run(
    story: Annotated[list[str] | None, typer.Option(help="Story id(s); default: those in crosscheck.toml")] = None,
    prefect: Annotated[bool, typer.Option("--prefect/--plain",
                                          help="Run as a Prefect flow (default) or as plain function calls")] = True,
    chunk_size: Annotated[int, typer.Option(help="Articles per extract/store task; 0 = from crosscheck.toml")] = 0,
) -> None:
    """Collect the stories' reports, extract claims from what is new, store them; print a summary."""
    from crosscheck import jobs

    settings = load_settings()
    story_ids = story or list(settings.story_ids)
    try:
        if prefect:
            from flows.deploy import config_parameter, flow_for

            summaries = flow_for(settings)(stories=story_ids, chunk_size=chunk_size or settings.chunk_size,
                                           config=config_parameter(settings))
        else:
            summaries = [jobs.run_story(settings, settings.story(s), chunk_size=chunk_size or settings.chunk_size)
                         for s in story_ids]
    except Exception as exc:  # noqa: BLE001 - say plainly what failed, then exit non-zero
        err.print(f"[bold red]RUN FAILED[/]: {type(exc).__name__}: {exc}", highlight=False)
        raise typer.Exit(1) from exc
    for s in summaries:
        _print_summary(s, settings)
    failed = [s for s in summaries if s.status == "failed"]
    status = "failed" if failed else ("partial" if any(s.status == "partial" for s in summaries) else "ok")
    out.print(f"[bold {'red' if failed else 'green'}]run {status}[/]")
    if failed:
        raise typer.Exit(1)


def _print_summary(s, settings) -> None:
    table = Table(title=f"story {s.story} · run {s.run_id}")
    table.add_column("claims by kind")
    table.add_column("count", justify="right")
    for kind, n in sorted(s.claims_by_kind.items()):
        table.add_row(kind, str(n))
    out.print(table)
    out.print(f"warehouse: {settings.db_path}")
    out.print(f"articles: {s.articles_seen} read, {s.articles_new} new, {s.skipped_unchanged} unchanged (not "
              f"extracted again), {s.duplicates} duplicate copies")
    out.print(f"claims: {s.claims} extracted, {s.claims_new} new in the warehouse")
    if s.worker_pids:
        where = "this process" if s.worker_pids == {os.getpid()} else f"worker processes {sorted(s.worker_pids)}"
        out.print(f"extraction ran in {where} (task runner: {settings.task_runner})")
    for source, reason in s.unreachable:
        out.print(f"[yellow]unreachable source[/] {source}: {reason}", highlight=False)
    out.print(f"errors: {len(s.errors)}")
    for e in s.errors:
        out.print(f"  [yellow]{e.stage}[/] {e.input}: {e.reason}", highlight=False)


@app.command()
def serve() -> None:
    """Serve the flow on the cron schedule from crosscheck.toml ([flow] cron); Ctrl-C stops it."""
    from flows.deploy import serve as serve_flow

    settings = load_settings()
    out.print(f"serving deployment crosscheck/{settings.deployment} on cron '{settings.cron}' ({settings.timezone})")
    serve_flow(settings)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Articles: .txt, .md or .html (front matter or sidecar)")],
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.jsonl,
    story: Annotated[str | None, typer.Option(help="Story whose vocabulary to use")] = None,
) -> None:
    """Print the claims of the given files, one JSON object per claim (see README: claim fields)."""
    from crosscheck.jobs import extract_articles
    from extractors.claims import ClaimExtractor
    from extractors.vocabulary import load_vocabulary
    from sources.files import iter_documents
    from sources.records import Rejected

    settings = load_settings()
    sid = story or settings.story_ids[0]
    extractor = ClaimExtractor(load_vocabulary(settings.seeds_dir, sid))
    ok = 0
    bad = 0
    for item in iter_documents(files, max_bytes=settings.max_doc_bytes, story=sid):
        if isinstance(item, Rejected):
            bad += 1
            err.print(f"[yellow]skipped[/] {item.input}: {item.reason}", highlight=False)
            continue
        claims, failed = extract_articles([item], extractor)
        for f in failed:
            bad += 1
            err.print(f"[red]failed[/] {f.input}: {f.reason}", highlight=False)
        ok += 1
        if format == Format.jsonl or format == Format.json:
            for c in claims:
                sys.stdout.write(c.to_json() + "\n")
        else:
            _claims_table(claims, item.path or "")
    if ok == 0 and bad:
        raise typer.Exit(1)


def _claims_table(claims: list, title: str) -> None:
    t = Table(title=title)
    for col in ("kind", "value", "munition/party", "subject", "speaker", "words"):
        t.add_column(col)
    for c in claims:
        val = c.value.text if c.value else (c.when.text if c.when else "")
        t.add_row(c.kind, val, c.munition or c.party or "", c.subject or "", c.attribution.speaker or "(outlet)",
                  c.evidence.sentence[:80])
    out.print(t)


@app.command("eval")
def evaluate(
    story: Annotated[str | None, typer.Option(help="Story id")] = None,
    show_errors: Annotated[bool, typer.Option("--errors", help="List missed and extra claims")] = False,
) -> None:
    """Precision, recall and F1 per claim kind against the story's labelled gold claims."""
    from extractors.evaluation import evaluate_story, format_table

    settings = load_settings()
    st = settings.story(story or settings.story_ids[0])
    try:
        strict, loose, n, version = evaluate_story(settings.seeds_dir, st, max_bytes=settings.max_doc_bytes)
    except CrosscheckError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    out.print(f"{n} labelled articles · story {st.id} · extractor {version}")
    out.print(format_table(strict, "Claims with attribution (kind, value, subject, party, munition, speaker):"),
              highlight=False)
    out.print()
    out.print(format_table(loose, "Claims without attribution (speaker ignored):"), highlight=False)
    if show_errors:
        out.print("\n[bold]missed (in gold, not extracted)[/]")
        for name, g in strict.misses:
            out.print(f"  {name}: {g}", highlight=False)
        out.print("\n[bold]extra (extracted, not in gold)[/]")
        for name, c in strict.extras:
            v = (c.value.low, c.value.high) if c.value else (c.when.start if c.when else None)
            out.print(f"  {name}: {c.kind} {c.munition or ''}{c.party or ''} {c.subject or ''} {v} "
                      f"speaker={c.attribution.speaker} | {c.evidence.sentence[:100]}", highlight=False)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="A read-only SQL statement")],
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Run a read-only SQL query on the warehouse and print the result."""
    from warehouse.query import run_query

    settings = load_settings()
    try:
        cols, rows = run_query(settings.db_path, sql)
    except CrosscheckError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    if format == Format.csv:
        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows(rows)
    elif format in (Format.json, Format.jsonl):
        recs = [dict(zip(cols, r, strict=True)) for r in rows]
        if format == Format.json:
            sys.stdout.write(json.dumps(recs, default=str, ensure_ascii=False, indent=1) + "\n")
        else:
            for r in recs:
                sys.stdout.write(json.dumps(r, default=str, ensure_ascii=False) + "\n")
    else:
        t = Table()
        for c in cols:
            t.add_column(c)
        for r in rows:
            t.add_row(*["" if v is None else str(v) for v in r])
        out.print(t)


if __name__ == "__main__":
    app()
