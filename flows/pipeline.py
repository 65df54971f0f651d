"""The main Prefect flow: collect a story's reports, extract what is new, store it chunk by chunk.

Only orchestration lives here: every task is a thin wrapper over a plain function of crosscheck.jobs
(remove the decorators and the flow still works). Tasks are batch-sized (one per story for collecting,
one per chunk of articles for extracting and storing), never per claim.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from core.config import Settings, Story, load_settings
from core.records import Article
from crosscheck import jobs
from extractors.claims import ClaimExtractor
from reports.build import Written
from sources.discover import Discovery
from warehouse.load import Batch

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@task(name="collect", retries=2, retry_delay_seconds=[2, 10], cache_policy=NO_CACHE,
      task_run_name="collect {story.id}")
def collect_task(settings: Settings, story: Story) -> jobs.Collected:
    # runs in the flow's own process (called, not submitted): the texts it spools are read back there
    return jobs.collect_local(settings, story, spool=True)


# Tagged "fetch" when online (see fetch_tags), so that a Prefect server's tag limit
# (`prefect concurrency-limit create fetch 2`) bounds how many stories fetch at once.
@task(name="discover", retries=2, retry_delay_seconds=[2, 10], cache_policy=NO_CACHE,
      task_run_name="discover {story.id}")
def discover_task(settings: Settings, story: Story) -> Discovery:
    return jobs.discover_online(settings, story)


def fetch_tags(settings: Settings) -> list[str]:
    """The discover task's tags: "fetch" only when online sources can run (acquiring a tag's concurrency slot
    is an API round trip, seconds on a busy temporary server, that a run without network fetches need not make)."""
    return ["fetch"] if settings.online else []


@task(name="plan", cache_policy=NO_CACHE, task_run_name="plan {story_id}: skip what is unchanged")
def plan_task(db_path: Path, articles: list[Article], version: str, story_id: str) -> list[Article]:
    return jobs.pending(db_path, articles, version)


@task(name="extract", cache_policy=NO_CACHE, task_run_name="extract {story_id} chunk {index} ({size} articles)")
def extract_task(extractor: ClaimExtractor, story_id: str, articles: Sequence[Article], index: int, size: int,
                 overrides: dict[str, str] | None = None
                 ) -> jobs.ExtractResult:
    # the extractor comes built, with the story's vocabulary: a Dask worker needs this package, not the seeds;
    # the claims and kept articles come back as the Arrow tables they are loaded from
    # (its `pid` says which process did the work: threads, this one; Dask, a worker)
    return jobs.extract_for_store(articles, extractor, overrides)


@task(name="store", retries=3, retry_delay_seconds=[1, 5, 15], cache_policy=NO_CACHE,
      task_run_name="store {story_id} chunk {index}")
def store_task(db_path: Path, batch: Batch, run_id: str, story_id: str, index: int) -> dict[str, int]:
    return jobs.store(db_path, batch, run_id)


@task(name="audit", retries=3, retry_delay_seconds=[1, 5, 15], cache_policy=NO_CACHE,
      task_run_name="store {story_id} sources audit")
def audit_task(db_path: Path, got: jobs.Collected, run_id: str, story_id: str) -> None:
    jobs.store_audit(db_path, got, run_id)


@task(name="match", retries=2, retry_delay_seconds=[2, 10], cache_policy=NO_CACHE,
      task_run_name="cross-reference {story.id}")
def match_task(settings: Settings, story: Story, run_id: str, full: bool = False) -> jobs.MatchOutcome:
    return jobs.match_story(settings, story, run_id, full=full)


@task(name="report", cache_policy=NO_CACHE, task_run_name="report {story.id}")
def report_task(settings: Settings, story: Story) -> Written:
    return jobs.write_reports(settings, story)


def extract_ahead(settings: Settings, extractor: ClaimExtractor, chunks: Sequence[Sequence[Article]],
                  overrides: Mapping[str, str]) -> Iterator[jobs.ExtractResult]:
    """Each chunk's extraction as a task, results in chunk order. Extraction is CPU-bound Python: in threads, one
    chunk extracts while the previous one is stored (DuckDB releases the GIL), and more at once would only contend
    for the GIL; on Dask, one chunk per worker process."""
    dask = settings.task_runner == "dask" or bool(settings.dask_address)
    ahead = settings.dask_workers if dask else 1
    story_id = extractor.v.story.id
    # futures in flight; each is dropped once its result is taken, so that a story's claims are not all kept alive
    # to its end (a heap of millions of live objects makes every garbage collection slower)
    futures: deque[PrefectFuture] = deque()
    actions = dict(overrides)

    def submit(i: int) -> None:
        # quoted on threads, so Prefect does not walk every article when it records the task's inputs; not on
        # Dask, where a quoted argument does not survive the trip to a worker process
        if i < len(chunks):
            chunk = chunks[i] if dask else quote(chunks[i])
            futures.append(extract_task.submit(extractor, story_id, chunk, i + 1, len(chunks[i]), actions))

    for i in range(ahead):
        submit(i)
    for i in range(len(chunks)):
        result = futures.popleft().result()
        submit(i + ahead)
        yield result


def _plan(db_path: Path, articles: list[Article], version: str, story_id: str) -> list[Article]:
    # quote(): large batches go to tasks as they are, without Prefect walking every record in them
    return plan_task(db_path, quote(articles), version, story_id)


def _audit(db_path: Path, got: jobs.Collected, run_id: str, story_id: str) -> None:
    audit_task(db_path, quote(got), run_id, story_id)


def _store(db_path: Path, batch: Batch, run_id: str, story_id: str, index: int) -> dict[str, int]:
    return store_task(db_path, quote(batch), run_id, story_id, index)


def _discover(settings: Settings, story: Story) -> Discovery:
    return discover_task.with_options(tags=fetch_tags(settings))(settings, story)


def _warn(message: str) -> None:
    get_run_logger().warning(message)


# The run's steps as Prefect tasks; their order is jobs.drive's.
FLOW_STEPS = jobs.Steps(collect=collect_task, discover=_discover, plan=_plan, audit=_audit, extract=extract_ahead,
                        store=_store, match=match_task, report=report_task, warn=_warn)


def run_story_flow(settings: Settings, story: Story, chunk_size: int) -> jobs.RunSummary:
    """One story inside the flow: jobs.drive with task steps, then the run's artifacts."""
    log = get_run_logger()
    summary = jobs.drive(settings, story, FLOW_STEPS, chunk_size=chunk_size,
                         flow_run_id=str(flow_run.get_id() or ""))
    log.info("story %s: %d articles (%d new, %d unchanged skipped), %d claims (%d new), %d facts, "
             "%d discrepancies (%d new since the previous run), %d errors, status %s",
             story.id, summary.articles_seen, summary.articles_new, summary.skipped_unchanged, summary.claims,
             summary.claims_new, summary.facts, summary.discrepancies, summary.discrepancies_new,
             len(summary.errors), summary.status)
    publish_artifacts(summary, settings)
    return summary


def _flow_run_name() -> str:
    stories = flow_run.parameters.get("stories") or ["tracked stories"]
    return "crosscheck " + ", ".join(stories)


def publish_artifacts(summary: jobs.RunSummary, settings: Settings) -> None:
    """A Markdown summary of the run and a table of the discrepancies that are new since the previous run."""
    report = summary.report or settings.reports_dir / summary.story / "report.html"
    lines = [
        f"# crosscheck · {summary.story} · run {summary.run_id}",
        "",
        f"**Status: {summary.status}**",
        "",
        "| | |", "|---|---|",
        f"| new reports | {summary.articles_new} (of {summary.articles_seen} read; "
        f"{summary.skipped_unchanged} unchanged, not extracted again) |",
        f"| claims | {summary.claims} extracted, {summary.claims_new} new |",
        f"| facts | {summary.facts} |",
        f"| discrepancies | {summary.discrepancies} ({summary.discrepancies_new} new since the previous run) |",
        f"| errors | {len(summary.errors)} |",
        "",
        f"HTML report: `{report}`",
    ]
    if summary.unreachable:
        lines += ["", "Unreachable sources:", *[f"- {s}: {r}" for s, r in summary.unreachable]]
    if summary.errors:
        lines += ["", "Errors:", *[f"- {e.stage} `{e.input}`: {e.reason}" for e in summary.errors[:50]]]
    key = f"crosscheck-{summary.story}".replace("_", "-").lower()
    create_markdown_artifact("\n".join(lines), key=f"{key}-summary", description=f"run {summary.run_id}")
    table = [{k: ("" if v is None else str(v)) for k, v in row.items()} for row in summary.new_discrepancy_rows]
    create_table_artifact(table or [{"discrepancies": "none new since the previous run"}],
                          key=f"{key}-new-discrepancies", description=f"new discrepancies; report: {report}")


@flow(name="crosscheck", flow_run_name=_flow_run_name, log_prints=False)
def crosscheck_flow(stories: list[str] | None = None, chunk_size: int = 500, config: str | None = None
                    ) -> list[jobs.RunSummary]:
    """Run every tracked story (or the ones named): collect, extract, store."""
    settings = load_settings(Path(config) if config else None)
    with jobs.batch_gc():
        return [run_story_flow(settings, settings.story(sid), chunk_size) for sid in (stories or settings.story_ids)]
