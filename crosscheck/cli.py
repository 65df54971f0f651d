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


def version_line() -> str:
    """`crosscheck VERSION (commit HASH)`: the package version and, in a git checkout, the commit it runs from."""
    import subprocess

    from core import __version__

    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=Path(__file__).resolve().parents[1],
                              capture_output=True, text=True, timeout=5)
        commit = head.stdout.strip() if head.returncode == 0 else ""
    except (OSError, subprocess.TimeoutExpired):
        commit = ""
    return f"crosscheck {__version__} (commit {commit or 'unknown: not a git checkout'})"


def _print_version(value: bool) -> None:
    if value:
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
        out.print(f"matching: {s.match_mode}" + (f" ({s.match_reason})" if s.match_reason else ""))
    if s.report:
        out.print(f"report: {s.report}")
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
    """Print the claims of the given files, one JSON object per claim (see README: claim fields)."""
    from core.records import Rejected
    from crosscheck.jobs import extract_articles
    from extractors.claims import ClaimExtractor
    from extractors.vocabulary import load_vocabulary
    from sources.files import iter_documents

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


if __name__ == "__main__":
    app()
