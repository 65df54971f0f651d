"""The `crosscheck` command line: run, extract, eval, query."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from core.config import Settings, load_settings
from core.errors import CrosscheckError

T = TypeVar("T")

app = typer.Typer(help="Cross-reference factual claims across news reports of one story.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
out = Console()
err = Console(stderr=True)


def _print_version(value: bool) -> None:
    if value:
        from core.version import version_line

        out.print(version_line(), markup=False, highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=_print_version, is_eager=True,
                                          help="Print the version and the commit, and exit")] = False,
) -> None:
    """Cross-reference factual claims across news reports of one story."""


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
    dask_address: Annotated[str | None, typer.Option(
        "--dask-address", help="Run the flow's tasks on a running Dask cluster, by its scheduler's address "
        "(tcp://HOST:PORT); default: \\[flow] dask_address or CROSSCHECK_DASK_ADDRESS")] = None,
) -> None:
    """Collect the stories' reports, extract claims from what is new, store them; print a summary."""
    import dataclasses

    from crosscheck import jobs

    settings = load_settings()
    if dask_address:
        if not prefect:
            err.print("[red]--dask-address runs the Prefect flow's tasks on a cluster: drop --plain[/]")
            raise typer.Exit(2)
        os.environ["CROSSCHECK_DASK_ADDRESS"] = dask_address.strip()  # the flow reads its settings again
        settings = dataclasses.replace(settings, dask_address=dask_address.strip())
    story_ids = story or list(settings.story_ids)
    try:
        if prefect:
            from flows.deploy import config_parameter, run_flow

            summaries = run_flow(settings, stories=story_ids, chunk_size=chunk_size or settings.chunk_size,
                                 config=config_parameter(settings),
                                 say=lambda line: err.print(line, markup=False, highlight=False))
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
    if s.other_events or s.overrides_applied:
        out.print(f"left out as another event's: {s.other_events} new report(s) (see `crosscheck review events`)"
                  + (f"; reviewers' overrides applied: {s.overrides_applied}" if s.overrides_applied else ""))
    out.print(f"facts: {s.facts}; discrepancies: {s.discrepancies} ({s.discrepancies_new} new since the previous run)")
    if s.match_mode == "incremental":
        changed = s.match_changes.get("facts_grown", 0) + s.match_changes.get("facts_rewritten", 0)
        out.print(f"matching: incremental, {changed} of {s.facts} facts re-aligned")
    elif s.match_mode:
        batches = s.match_changes.get("batches")
        out.print(f"matching: {s.match_mode}" + (f" ({s.match_reason})" if s.match_reason else "")
                  + (f", in {batches} batches of [matching] batch_articles" if batches else ""))
    if s.report:
        redone = (f"{s.report_rendered} of {s.facts} facts rendered again" if s.report_written
                  else "nothing it shows changed: left as it was")
        out.print(f"report: {s.report} ({redone})")
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
    """Serve the flow on the cron schedule from crosscheck.toml (\\[flow] cron); Ctrl-C stops it."""
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
    """Print the claims of the given files, one JSON object per claim (see README: claim fields). Each input
    skipped (unreadable, binary, empty, failed) is named on stderr with its reason, and the exit status is then 1;
    so it is when no document was found at all."""
    from rich.markup import escape

    from core.records import Rejected
    from crosscheck.jobs import extract_articles
    from extractors.claims import ClaimExtractor
    from extractors.vocabulary import load_vocabulary
    from sources.files import iter_documents

    settings = load_settings()
    sid = story or settings.story_ids[0]
    extractor = ClaimExtractor(load_vocabulary(settings.seeds_dir, sid), budget_s=settings.max_extract_s or None)
    ok = 0
    skipped = 0

    def say(what: str, where: str, why: str) -> None:  # one unwrapped line, so a long path stays whole
        err.print(f"{what} {escape(where)}: {escape(why)}", highlight=False, soft_wrap=True)

    for item in iter_documents(files, max_bytes=settings.max_doc_bytes, story=sid):
        if isinstance(item, Rejected):
            skipped += 1
            say("[yellow]skipped[/]", item.input, item.reason)
            continue
        for warning in item.warnings:
            say("[yellow]warning[/]", item.path or "", warning)
        claims, failed = extract_articles([item], extractor)
        if failed:
            skipped += 1
            for f in failed:
                say("[red]failed[/]", f.input, f.reason)
            continue
        ok += 1
        if format == Format.jsonl or format == Format.json:
            for c in claims:
                sys.stdout.write(c.to_json() + "\n")
        else:
            _claims_table(claims, item.path or "")
    if ok == 0:
        where = ", ".join(str(f) for f in files)
        more = f" ({skipped} input{'s' if skipped != 1 else ''} skipped)" if skipped else ""
        err.print(f"[red]no documents found in {escape(where)}[/]{more}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    if skipped:
        err.print(f"[yellow]{skipped} of {ok + skipped} inputs skipped[/]", highlight=False, soft_wrap=True)
        raise typer.Exit(1)


def _claims_table(claims: list, title: str) -> None:
    t = Table(title=title)
    for col in ("kind", "value", "interval", "munition/party", "subject", "speaker"):
        t.add_column(col)
    for c in claims:
        val = c.value.text if c.value else (c.when.text if c.when else "")
        interval = (f"[{c.value.low:g}, {'open' if c.value.high is None else f'{c.value.high:g}'}]" if c.value
                    else (f"{c.when.start} .. {c.when.end}" if c.when else ""))
        t.add_row(c.kind, val, interval, c.munition or c.party or "", c.subject or "",
                  c.attribution.speaker or "(outlet)")
    out.print(t)


class EvalSet(StrEnum):
    tune = "tune"
    check = "check"
    all = "all"


def _print_event_eval(settings: Settings, which: EvalSet, show_errors: bool) -> None:
    from extractors import event_evaluation as ee
    from extractors.evaluation import load_sets

    sets = load_sets(settings.seeds_dir)
    names = [n for n in ("tune", "check") if which in (EvalSet.all, n)]
    for name in names:
        ids = sets.tune if name == "tune" else sets.check
        stories = [settings.story(i) for i in ids]
        own = ee.own_reports(settings.seeds_dir, stories, settings.max_doc_bytes)
        out.print(ee.format_tallies(f"{name} set: own reports judged another event's", own, "wrong"),
                  highlight=False, soft_wrap=True)
        same = ee.same_places(settings.seeds_dir, stories, settings.max_doc_bytes)
        if same:
            out.print(ee.format_tallies(f"{name} set: reports of a story sharing a place, not caught as another "
                                        "event's", same, "missed"), highlight=False, soft_wrap=True)
        folder = settings.seeds_dir / "gold" / "events" / name
        if (folder / "expect.toml").is_file():
            got = ee.fixtures(settings.seeds_dir, settings.story_ids[0], folder)
            out.print(ee.format_fixtures(f"{name} set: undated event fixtures ({folder.relative_to(settings.root)}) "
                                         f"judged against {settings.story_ids[0]}", got, settings.story_ids[0]),
                      highlight=False, soft_wrap=True)
        if show_errors:
            for t in [*own, *same]:
                for miss in t.misses:
                    out.print(f"  {t.label}: {miss}", highlight=False, soft_wrap=True)
        out.print()


@app.command("eval")
def evaluate(
    story: Annotated[str | None, typer.Option(help="Story id (default: the first tracked story)")] = None,
    by_event: Annotated[bool, typer.Option("--by-event", help="Score every labelled story of seeds/gold/sets.toml, "
                                           "tune and check sets apart")] = False,
    which: Annotated[EvalSet, typer.Option("--set", help="With --by-event: which set to score")] = EvalSet.all,
    show_errors: Annotated[bool, typer.Option("--errors", help="List missed and extra claims")] = False,
    events: Annotated[bool, typer.Option("--events", help="Event separation: labelled reports judged against their "
                                         "own story and stories that share its places, and the event fixtures of "
                                         "seeds/gold/events")] = False,
) -> None:
    """Precision, recall and F1 per claim kind against labelled gold claims; with --by-event, per story and set,
    with speaker and party accuracy; with --events, how well reports of other attacks are told apart."""
    from extractors.evaluation import evaluate_story, format_table, load_sets

    settings = load_settings()
    try:
        if events:
            _print_event_eval(settings, which, show_errors)
            return
        if by_event:
            sets = load_sets(settings.seeds_dir)
            groups = [(name, ids) for name, ids in (("tune", sets.tune), ("check", sets.check))
                      if which in (EvalSet.all, name)]
            for name, ids in groups:
                evals = [evaluate_story(settings.seeds_dir, settings.story(i), max_bytes=settings.max_doc_bytes)
                         for i in ids]
                _print_eval_set(name, evals, show_errors)
            return
        ev = evaluate_story(settings.seeds_dir, settings.story(story or settings.story_ids[0]),
                            max_bytes=settings.max_doc_bytes)
    except CrosscheckError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from exc
    out.print(f"{ev.articles} labelled articles · story {ev.story} · extractor {ev.version}")
    out.print(format_table(ev.strict, "Claims with attribution (kind, value, subject, party, munition, speaker):"),
              highlight=False)
    out.print()
    out.print(format_table(ev.loose, "Claims without attribution (speaker ignored):"), highlight=False)
    acc = ev.loose.speaker_accuracy()
    out.print(f"speaker right on {acc:.1%} of the claims found with the speaker ignored" if acc is not None else "",
              highlight=False)
    if show_errors:
        _print_errors(ev.strict)


def _print_eval_set(name: str, evals: list, show_errors: bool) -> None:
    from extractors.evaluation import CORE_NUMERIC, Score, format_events, format_kinds_by_event, format_table

    n = sum(e.articles for e in evals)
    version = evals[0].version.split("+")[0] if evals else ""
    out.print(f"[bold]{name} set[/]: {len(evals)} stories, {n} labelled reports · extractor {version}")
    out.print(format_events(evals, "All claims with attribution; num = launched, hit, intercepted, failed, killed, "
                                   "injured; speaker/party = share right where found"), highlight=False,
              soft_wrap=True)
    out.print()
    out.print("F1 per claim kind and story (with attribution):", highlight=False)
    out.print(format_kinds_by_event(evals), highlight=False, soft_wrap=True)
    pooled, loose, partyless = Score(), Score(), Score()
    for e in evals:
        pooled.add(e.strict)
        loose.add(e.loose)
        partyless.add(e.partyless)
    out.print()
    out.print(format_table(pooled, f"{name} set pooled, per claim kind (with attribution):"), highlight=False)
    out.print(f"{name} set num F1: {pooled.prf(CORE_NUMERIC)[2]:.3f} with attribution, "
              f"{loose.prf(CORE_NUMERIC)[2]:.3f} with the speaker ignored, "
              f"{partyless.prf(CORE_NUMERIC)[2]:.3f} with speaker and party ignored", highlight=False,
              soft_wrap=True)
    out.print()
    if show_errors:
        for e in evals:
            out.print(f"[bold]{e.story}[/]")
            _print_errors(e.strict)


def _print_errors(score) -> None:
    out.print("\n[bold]missed (in gold, not extracted)[/]")
    for name, g in score.misses:
        out.print(f"  {name}: {g}", highlight=False, markup=False)
    out.print("\n[bold]extra (extracted, not in gold)[/]")
    for name, c in score.extras:
        v = (c.value.low, c.value.high) if c.value else (c.when.start if c.when else None)
        out.print(f"  {name}: {c.kind} {c.munition or ''}{c.party or ''} {c.subject or ''} {v} "
                  f"speaker={c.attribution.speaker} | {c.evidence.sentence[:100]}", highlight=False, markup=False)


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


@app.command()
def report(
    story: Annotated[list[str] | None, typer.Option(help="Story id(s); default: those in crosscheck.toml")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Output folder; default: \\[reports] dir")] = None,
) -> None:
    """Write each story's discrepancy report: self-contained HTML, Markdown and CSV."""
    from reports.build import write_story_reports

    settings = load_settings()
    target = out_dir or settings.reports_dir
    for sid in story or list(settings.story_ids):
        try:
            written = write_story_reports(settings.db_path, sid, target, settings=settings)
        except CrosscheckError as exc:
            err.print(f"[red]{exc}[/]", highlight=False)
            raise typer.Exit(1) from exc
        out.print(f"story {sid}: {written.facts} facts, {written.discrepancies} discrepancies, "
                  f"{written.need_review} to review", highlight=False)
        for path in written.paths:
            out.print(f"  {path}", highlight=False)


class ExportFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"
    claimreview = "claimreview"


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="parquet: every table and view, Hive-partitioned by story; csv: one file per table "
        "or view, with a story column; claimreview: schema.org ClaimReview JSON-LD, one file per story")],
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write: new, empty, or an earlier export, "
                                          "which is replaced")],
    story: Annotated[str | None, typer.Option("--story", "-s", help="Only this story's rows (by the row's story "
                                              "column, else its article's or its run's); tables with none: all "
                                              "rows")] = None,
    since: Annotated[str | None, typer.Option(help="A run id (or a unique prefix): only rows written by that run or a "
                                              "run started after it, and verdicts or overrides given since it "
                                              "started")] = None,
) -> None:
    """Export the warehouse for other tools (pandas, polars, R, DuckDB, fact-check feeds), with a manifest.json."""
    from rich.markup import escape

    from reports.claimreview import Author
    from reports.export import export_warehouse

    settings = load_settings()
    try:
        done = export_warehouse(settings.db_path, out_dir, format.value, story=story, since=since,
                                author=Author(settings.export_author_name, settings.export_author_url),
                                seeds_dir=settings.seeds_dir)
    except CrosscheckError as exc:
        err.print(f"[red]{escape(str(exc))}[/]", highlight=False)
        raise typer.Exit(1) from exc
    n = len(done.items)
    what = ("story" if n == 1 else "stories") if done.format == "claimreview" else "tables and views"
    out.print(f"export {done.format}: {n} {what}, {done.rows} "
              f"{'reviews' if done.format == 'claimreview' else 'rows'} -> {done.out_dir}", highlight=False,
              soft_wrap=True)
    for item in done.items:
        files = len(item.files)
        out.print(f"  {item.name:<22} {item.rows:>9}  in {files} file{'' if files == 1 else 's'}", highlight=False)
    out.print(f"  {done.out_dir / 'manifest.json'}", highlight=False, soft_wrap=True)


class ReviewVerdict(StrEnum):
    real = "real"
    extraction_error = "extraction_error"
    resolved = "resolved"


review_app = typer.Typer(help="Record verdicts on discrepancies: `list`, `set`, or `--serve` a local review page.",
                         pretty_exceptions_enable=False)
app.add_typer(review_app, name="review")


@review_app.callback(invoke_without_command=True)
def review(
    ctx: typer.Context,
    serve: Annotated[bool, typer.Option("--serve", help="Serve the review page (FastAPI + uvicorn)")] = False,
    host: Annotated[str, typer.Option(help="Address to bind; keep the loopback default")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8765,
    reviewer: Annotated[str | None, typer.Option(help="Name the page fills in; default $CROSSCHECK_REVIEWER or "
                                                      "your login")] = None,
    story: Annotated[str | None, typer.Option(help="Only this story's discrepancies")] = None,
) -> None:
    """Review discrepancies: `crosscheck review list`, `crosscheck review set KEY --verdict ...`, or
    `crosscheck review --serve` for the local web page."""
    if ctx.invoked_subcommand is not None:
        if serve:
            err.print("[red]--serve runs the page; give it without a subcommand[/]")
            raise typer.Exit(2)
        return
    if not serve:
        out.print(ctx.get_help())
        return
    from reports.server import LOOPBACK
    from reports.server import serve as serve_page

    settings = load_settings()
    if host not in LOOPBACK:
        err.print(f"[yellow]warning[/]: binding {host}: the review page can write to the warehouse; anyone who can "
                  "reach this address can load it", highlight=False)
    out.print(f"review page: http://{'[' + host + ']' if ':' in host else host}:{port}/  (warehouse "
              f"{settings.db_path}; Ctrl-C stops it)", highlight=False)
    titles = {}
    for sid in settings.story_ids:
        try:
            titles[sid] = settings.story(sid).title
        except CrosscheckError:
            continue  # a story without its file still gets its report, under its id
    try:
        serve_page(settings.db_path, host=host, port=port, reviewer=reviewer, story=story, titles=titles)
    except CrosscheckError as exc:
        err.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(1) from exc


@review_app.command("list")
def review_list(
    story: Annotated[str | None, typer.Option(help="Only this story")] = None,
    state: Annotated[list[str] | None, typer.Option(
        help="new, changed (evidence changed since the verdict), reviewed, or all; repeatable. Default: new and "
             "changed")] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """List discrepancies with their review state (default: those that need a reviewer)."""
    from reports import labels
    from reports.model import load_discrepancies, reading
    from reports.review import STATE_LABELS, VERDICT_LABELS, parse_states

    settings = load_settings()
    try:
        states = parse_states(state or ["new", "changed"])
        with reading(settings.db_path) as con:
            found = load_discrepancies(con, story, states)
    except CrosscheckError as exc:
        err.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(1) from exc
    recs = [{"key": d.key, "review_state": d.review_state, "verdict": d.verdict or None,
             "reviewer": d.review.reviewer if d.review else None, "note": d.review.note if d.review else None,
             "story": d.story, "fact": d.label,
             "a": labels.format_value(d.a.value, d.kind), "a_by": d.a.who, "a_outlet": d.a.outlet,
             "b": labels.format_value(d.b.value, d.kind), "b_by": d.b.who, "b_outlet": d.b.outlet} for d in found]
    if format == Format.csv:
        w = csv.writer(sys.stdout)
        w.writerow(list(recs[0]) if recs else ["key"])
        w.writerows([list(r.values()) for r in recs])
        return
    if format in (Format.json, Format.jsonl):
        if format == Format.json:
            sys.stdout.write(json.dumps(recs, ensure_ascii=False, indent=1) + "\n")
        else:
            for r in recs:
                sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    t = Table(title=f"{len(found)} discrepanc{'y' if len(found) == 1 else 'ies'} ({', '.join(states)})")
    t.add_column("key", no_wrap=True)
    t.add_column("state", no_wrap=True)
    for col in ("fact", "A", "B", "verdict"):
        t.add_column(col, overflow="fold")
    for d in found:
        verdict = ""
        if d.review:
            verdict = f"{VERDICT_LABELS[d.review.verdict]} ({d.review.reviewer})"
        t.add_row(d.key, STATE_LABELS[d.review_state], d.label,
                  f"{labels.format_value(d.a.value, d.kind)} · {d.a.who} · {d.a.outlet or ''}",
                  f"{labels.format_value(d.b.value, d.kind)} · {d.b.who} · {d.b.outlet or ''}", verdict)
    out.print(t)


def _review_write(settings: Settings, write: Callable[[Any], T]) -> T:
    """One review write on the warehouse (which must exist): opened, written, closed; a refusal exits 1."""
    from warehouse.db import open_warehouse

    try:
        if not settings.db_path.exists():
            raise CrosscheckError("no warehouse here; run the pipeline first", input=str(settings.db_path),
                                  stage="review")
        con = open_warehouse(settings.db_path)
        try:
            return write(con)
        finally:
            con.close()
    except CrosscheckError as exc:
        err.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(1) from exc


@review_app.command("set")
def review_set(
    key: Annotated[str, typer.Argument(help="Discrepancy key, or a unique prefix of it (4+ characters)")],
    verdict: Annotated[ReviewVerdict, typer.Option("--verdict", "-v", help="What the discrepancy is")],
    note: Annotated[str | None, typer.Option("--note", "-n", help="Why")] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", "-r",
                                                 help="Default: $CROSSCHECK_REVIEWER or your login")] = None,
) -> None:
    """Record a verdict on one discrepancy (kept across re-runs by the discrepancy's content key)."""
    from reports.review import VERDICT_LABELS, record_verdict
    from reports.server import default_reviewer

    v = _review_write(load_settings(),
                      lambda con: record_verdict(con, key, verdict.value, reviewer or default_reviewer(), note))
    out.print(f"{v.discrepancy_key}: {VERDICT_LABELS[v.verdict]} by {v.reviewer} at "
              f"{v.reviewed_at:%Y-%m-%d %H:%M} UTC", highlight=False)


class EventAction(StrEnum):
    keep = "keep"
    drop = "drop"


@review_app.command("event")
def review_event(
    article_id: Annotated[str, typer.Argument(help="The report's article id, or a unique prefix of it")],
    action: Annotated[EventAction, typer.Option("--action", "-a", help="keep: the report is the story's, with all "
                                                "its figures; drop: it is not, whatever its text says")],
    story: Annotated[str | None, typer.Option("--story", "-s", help="Default: the first tracked story")] = None,
    note: Annotated[str | None, typer.Option("--note", "-n", help="Why")] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", "-r",
                                                 help="Default: $CROSSCHECK_REVIEWER or your login")] = None,
) -> None:
    """Overrule which event a report was judged to tell of; every later run honours it (the next run stores or
    forgets the report's claims and rebuilds the story's facts)."""
    from reports.server import default_reviewer
    from warehouse.events import set_override

    settings = load_settings()
    sid = story or settings.story_ids[0]
    _review_write(settings,
                  lambda con: set_override(con, sid, article_id, action.value, reviewer or default_reviewer(), note))
    out.print(f"{article_id}: {action.value} for story {sid}; the next `crosscheck run` applies it", highlight=False)


@review_app.command("events")
def review_events(
    story: Annotated[str | None, typer.Option("--story", "-s", help="Default: the first tracked story")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every report's decision, not only the dropped ones")] = False,
) -> None:
    """List the reports left out as telling of another event, with the reason and the evidence."""
    from reports.model import reading

    settings = load_settings()
    sid = story or settings.story_ids[0]
    try:
        with reading(settings.db_path) as con:
            got = con.execute(
                "SELECT article_id, action, coalesce(override, '') AS override, coalesce(title, url, '') AS report, "
                "reason FROM event_decisions WHERE story = ? AND (? OR action = 'drop') ORDER BY action, article_id",
                [sid, every]).fetchall()
    except CrosscheckError as exc:
        err.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(1) from exc
    t = Table("article", "action", "override", "report", "why", title=f"event decisions · {sid}")
    for row in got:
        t.add_row(*(str(c) for c in row))
    out.print(t)


story_app = typer.Typer(help="Track a new event: `new` writes its story file and proposals for the reference "
                             "tables, `accept` adds the accepted ones, `check` validates a story file.",
                        pretty_exceptions_enable=False, no_args_is_help=True)
app.add_typer(story_app, name="story")
SeedsOption = Annotated[Path | None, typer.Option("--seeds", help="Seeds folder; default: \\[seeds] dir")]


def _seeds(seeds: Path | None) -> Path:
    return seeds if seeds is not None else load_settings().seeds_dir


@story_app.command("new")
def story_new(
    story_id: Annotated[str, typer.Argument(help="The new story's id (lower case, digits, '-')")],
    title: Annotated[str, typer.Option("--title", help="A one-line title")],
    event_date: Annotated[str, typer.Option("--date", help="The day of the attack, YYYY-MM-DD")],
    reports: Annotated[list[str] | None, typer.Option("--from", help="A report to read (.txt, .md, .html file or "
                                                      "folder, or an http(s) URL); repeatable")] = None,
    timezone: Annotated[str, typer.Option(help="Local time of the event, +HH:MM")] = "+00:00",
    seeds: SeedsOption = None,
) -> None:
    """Write seeds/stories/ID.toml (every key, commented) and, from the reports, proposals for what the gazetteer,
    speakers and vocabulary lack (seeds/proposals/ID/); never overwrites a story."""
    from extractors.story_files import create_story, format_proposals

    settings = load_settings()
    try:
        made = create_story(_seeds(seeds), story_id, title, event_date, reports or [], timezone=timezone,
                            max_bytes=settings.max_doc_bytes)
    except CrosscheckError as exc:
        err.print(str(exc), style="red", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    for r in made.rejected:
        err.print(f"skipped {r.input}: {r.reason}", style="yellow", highlight=False, markup=False, soft_wrap=True)
    for line in format_proposals(made.proposals):
        out.print(line, highlight=False, markup=False, soft_wrap=True)
    for p in [made.story_path, *made.proposal_paths, *made.copied]:
        out.print(f"wrote {p}", highlight=False, markup=False, soft_wrap=True)
    out.print(f"next: uncomment what is right there and in the story, `crosscheck story accept {story_id}`, then "
              f"`crosscheck story check {story_id}`", highlight=False, markup=False, soft_wrap=True)


@story_app.command("accept")
def story_accept(story_id: Annotated[str, typer.Argument(help="Story id")], seeds: SeedsOption = None) -> None:
    """Add the uncommented rows of seeds/proposals/ID/*.csv to gazetteer.csv, speakers.csv and the vocabulary's
    \\[munitions] lists, printing each."""
    from extractors.story_files import accept_proposals

    try:
        done = accept_proposals(_seeds(seeds), story_id)
    except CrosscheckError as exc:
        err.print(str(exc), style="red", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    for target, rows in done.added.items():
        for row in rows:
            out.print(f"added to {target}: {row}", highlight=False, markup=False, soft_wrap=True)
    for note in done.skipped:
        out.print(f"passed over {note}", highlight=False, markup=False, soft_wrap=True)
    if not done.added and not done.skipped:
        out.print("nothing to accept: no row is uncommented", highlight=False)


@story_app.command("check")
def story_check(story_id: Annotated[str, typer.Argument(help="Story id")], seeds: SeedsOption = None) -> None:
    """Validate seeds/stories/ID.toml: keys, types, dates, places, folders; each problem with its file and line."""
    from extractors.story_check import check_story

    folder = _seeds(seeds)
    path = folder / "stories" / f"{story_id}.toml"
    if not path.is_file():
        err.print(f"{path}: no such story file", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    problems = check_story(path, folder)
    for p in problems:
        (err if p.severity == "error" else out).print(str(p), highlight=False, markup=False, soft_wrap=True)
    if any(p.severity == "error" for p in problems):
        raise typer.Exit(1)
    out.print("ok", highlight=False)


if __name__ == "__main__":
    app()
