"""Scale benchmark: the whole pipeline on a reproducible synthetic corpus, each figure beside a baseline.

One command generates 10,000 synthetic reports of several attacks (bench/corpus.py) into a self-contained
project folder, then prints, each beside a baseline measured in the same process or the same command:

1. extraction throughput per core (crosscheck.jobs.extract_chunk) beside spaCy's blank English pipeline with
   rule matchers built from the same vocabulary, and quantulum3 on a subset;
2. HTML -> text F1 and speed on the article-extraction benchmark (bench.html_bench's functions);
3. warehouse load of 1M synthetic claims (warehouse.load.load_claims into a fresh DuckDB file) beside
   row-by-row executemany on a sample, with where the time goes;
4. the full Prefect flow (flows.pipeline.crosscheck_flow, ephemeral mode) on every report: wall time, peak
   memory and Prefect's own share of the time, beside the plain job (crosscheck.jobs.run_story) on an
   identical fresh copy;
5. a re-run after 1 % new reports are added: its time as a share of the full run.

It ends with a results table (metric, crosscheck, baseline, ratio, target, holds?) written also as Markdown
to --out, and pyinstrument profiles of extraction and of the flow run next to it (profile-*.txt).

    python -m bench.scale_bench [--articles 10000] [--seed 7] [--out var/bench/scale.md]
                                [--claims 1000000] [--skip-html] [--skip-flow] [--skip-profile]

Sections 4 and 5 run in child processes (one for the flow, one for the plain job, one for the flow's profile),
so each peak memory figure is that run's own; progress goes to stderr, Prefect's logs to var/bench/*.log.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import random
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.config import PROJECT_ROOT, Settings, load_settings
from core.records import Article, Attribution, Claim, Evidence, Interval, TimeSpan
from core.version import describe

DEFAULT_OUT = PROJECT_ROOT / "var" / "bench" / "scale.md"
STDLIB = sysconfig.get_paths()["stdlib"]
RESULT_PREFIX = "SCALE-RESULT "
EXTRACT_TARGET = 2_000.0  # articles/s/core
LOAD_TARGET = 1_000_000.0  # rows/s
OVERHEAD_TARGET = 0.10  # Prefect's share of the flow's wall time
RERUN_TARGET = 0.05  # re-run with 1 % new reports, as a share of the full run
# The plain job functions the flow's tasks (and its body) call: time inside them is the pipeline's own work.
# Names missing from crosscheck.jobs (an older or newer pipeline) are skipped.
CONNECT = "warehouse connect"  # the span name of warehouse.db.connect
PLAIN_FUNCTIONS = ("collect_local", "discover_online", "merge_collected", "pending", "extractor_for",
                   "extract_chunk", "store", "store_audit", "match_story", "write_reports", "begin_run", "end_run")


# Named figures of the run, written to scale.json beside --out (issue 16's names); each section fills its own.
FIGURES: dict[str, Any] = {}


def progress(message: str) -> None:
    print(f"[scale {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the results table."""

    metric: str
    crosscheck: str
    baseline: str
    ratio: str
    target: str = ""
    holds: str = ""


def _holds(ok: bool | None) -> str:
    return "" if ok is None else "yes" if ok else "NO"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:,.2f}x" if b else "-"


# --- 1. extraction -----------------------------------------------------------------------------------------


@dataclass
class Timed:
    wall_s: float
    cpu_s: float
    items: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def per_core(self) -> float:
        """Items per CPU second of this process (one thread: per core)."""
        return self.items / self.cpu_s if self.cpu_s else float("inf")

    @property
    def per_wall(self) -> float:
        return self.items / self.wall_s if self.wall_s else float("inf")


def timed(fn: Callable[[], Any], items: int, repeat: int = 1) -> Timed:
    """Median wall and CPU time of `repeat` calls of fn."""
    walls, cpus, result = [], [], None
    for _ in range(max(1, repeat)):
        c0, w0 = time.process_time(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    walls.sort()
    cpus.sort()
    return Timed(walls[len(walls) // 2], cpus[len(cpus) // 2], items, {"result": result})


def load_corpus(settings: Settings) -> dict[str, list[Article]]:
    """Unique articles of each story's generated corpus (the bundled hand-written reports left out)."""
    from crosscheck import jobs

    out: dict[str, list[Article]] = {}
    for sid in settings.story_ids:
        got = jobs.collect_local(settings, settings.story(sid))
        out[sid] = [a for a in got.articles if a.path and Path(a.path).name.startswith("r")]
    return out


def crosscheck_extract(settings: Settings, corpus: dict[str, list[Article]]) -> Callable[[], Counter]:
    """Every story's articles through jobs.extract_chunk with that story's extractor."""
    from crosscheck import jobs

    extractors = {sid: jobs.extractor_for(settings, sid) for sid in corpus}

    def run() -> Counter:
        kinds: Counter = Counter()
        for sid, articles in corpus.items():
            claims, _, failed, _ = jobs.extract_chunk(articles, extractors[sid])
            kinds.update(c.kind for c in claims)
            kinds["_failed"] += len(failed)
        return kinds

    return run


def crosscheck_structure(settings: Settings, corpus: dict[str, list[Article]]) -> Callable[[], int]:
    """Only the extractor's structural pass over every article: sentences and each sentence's word index (what
    every rule then reads). Its speed bounds the extractor's: what the rules add is the rest. Returns the number
    of sentences."""
    from crosscheck import jobs
    from extractors.index import SentenceIndex
    from extractors.sentences import split_sentences

    gates = {sid: jobs.extractor_for(settings, sid).gates for sid in corpus}

    def run() -> int:
        n = 0
        for sid, articles in corpus.items():
            g = gates[sid]
            for a in articles:
                for s in split_sentences(a.text):
                    SentenceIndex(s.text, g)
                    n += 1
        return n

    return run


def spacy_matchers(seeds_dir: Path) -> tuple[Callable[[Sequence[str]], int], Callable[[Sequence[str]], int]]:
    """spaCy's blank English pipeline with rule matchers doing roughly the extractor's finding job: a
    PhraseMatcher for the vocabulary's munitions, roles, casualty and people words, quantifiers and bounds,
    gazetteer places and speakers; a Matcher for a number followed within two tokens by a munition noun or a
    casualty/people word. Returns (tokenise only, tokenise + match), each giving the number of matches."""
    import csv

    import spacy
    from spacy.matcher import Matcher, PhraseMatcher

    nlp = spacy.blank("en")
    vocab = tomllib.loads((seeds_dir / "vocabulary.toml").read_text(encoding="utf-8"))
    with open(seeds_dir / "gazetteer.csv", encoding="utf-8") as fh:
        places = [r["alias"] for r in csv.DictReader(fh)]
    with open(seeds_dir / "speakers.csv", encoding="utf-8") as fh:
        speakers = [r["alias"] for r in csv.DictReader(fh)]
    munitions = [w for words in vocab["munitions"].values() for w in words]
    casualty = [w for words in vocab["casualties"].values() for w in words]  # killed, injured, both, people
    groups = {
        "MUNITION": munitions,
        "ROLE": [w for words in vocab["roles"].values() for w in words],
        "CASUALTY": casualty,
        "QUANTITY": [*vocab["quantifiers"], *(w for words in vocab["bounds"].values() for w in words)],
        "PLACE": places,
        "SPEAKER": speakers,
    }
    phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
    for label, terms in groups.items():
        phrases.add(label, list(nlp.tokenizer.pipe(sorted(set(terms)))))
    matcher = Matcher(nlp.vocab)
    one_token = {label: sorted({w.lower() for w in terms if " " not in w}) for label, terms in groups.items()}
    gap = [{"OP": "?"}, {"OP": "?"}]
    matcher.add("COUNT_MUNITION", [[{"LIKE_NUM": True}, *gap, {"LOWER": {"IN": one_token["MUNITION"]}}]])
    matcher.add("COUNT_CASUALTY", [[{"LIKE_NUM": True}, *gap, {"LOWER": {"IN": one_token["CASUALTY"]}}]])

    def tokenise(texts: Sequence[str]) -> int:
        return sum(len(doc) for doc in nlp.pipe(texts, batch_size=256))

    def match(texts: Sequence[str]) -> int:
        n = 0
        for doc in nlp.pipe(texts, batch_size=256):
            n += len(matcher(doc)) + len(phrases(doc))
        return n

    return tokenise, match


def section_extraction(settings: Settings, corpus: dict[str, list[Article]], args: argparse.Namespace,
                       out_dir: Path) -> list[Row]:
    articles = [a for arts in corpus.values() for a in arts]
    texts = [a.text for a in articles]
    n, mb = len(texts), sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"\n## 1. Extraction throughput: {n:,} unique generated reports ({mb:.1f} MB, mean "
          f"{mb * 1e6 / max(1, n):,.0f} B), one process, one thread")
    progress(f"extraction: crosscheck on {n:,} articles")
    ours = timed(crosscheck_extract(settings, corpus), n, args.repeat)
    kinds: Counter = ours.extra["result"]
    failed = kinds.pop("_failed", 0)
    claims = sum(kinds.values())
    structure = timed(crosscheck_structure(settings, corpus), n, args.repeat)
    runs: list[tuple[str, Timed, int]] = [
        ("crosscheck jobs.extract_chunk (ClaimExtractor.extract)", ours, n),
        ("  its structural pass alone (sentences + word index)", structure, n)]
    spacy_run: Timed | None = None
    try:
        tokenise, match = spacy_matchers(settings.seeds_dir)
    except ImportError as exc:
        print(f"spaCy not installed ({exc}): pip install spacy==3.8.18")
    else:
        progress("extraction: spaCy blank('en') tokenizer alone, then with matchers")
        tok = timed(lambda: tokenise(texts), n, args.repeat)
        spacy_run = timed(lambda: match(texts), n, args.repeat)
        runs += [("spaCy blank('en') tokenizer alone", tok, n),
                 ("baseline: spaCy blank('en') + Matcher/PhraseMatcher", spacy_run, n)]
    q_run: Timed | None = None
    if args.quantulum > 0:
        import warnings

        warnings.filterwarnings("ignore", message="Classifier dependencies not installed")
        try:
            from quantulum3 import parser as qparser
        except ImportError as exc:
            print(f"quantulum3 not installed ({exc}): pip install quantulum3")
        else:
            subset = texts[: args.quantulum]
            qparser.parse(subset[0])  # first call loads its tables
            progress(f"extraction: quantulum3 on {len(subset)} articles")
            q_run = timed(lambda: sum(len(qparser.parse(t)) for t in subset), len(subset))
            runs.append((f"quantulum3 parser.parse (first {len(subset)} articles)", q_run, len(subset)))
    base = spacy_run or ours
    width = max(len(name) for name, _, _ in runs)
    vs = "vs spaCy" if spacy_run else "ratio"
    print(f"{'run':<{width}}  {'articles/s/core':>15}  {'wall art/s':>10}  {'MB/s':>6}  {vs:>8}  found")
    for name, t, items in runs:
        unit = ("sentences" if t is structure else "tokens" if "alone" in name else "quantities"
                if "quantulum" in name else "matches")
        found_s = f"{claims:,} claims" if t is ours else f"{t.extra['result']:,} {unit}"
        print(f"{name:<{width}}  {t.per_core:>15,.0f}  {t.per_wall:>10,.0f}  {mb * items / n / t.cpu_s:>6.2f}  "
              f"{t.per_core / base.per_core:>7.2f}x  {found_s}")
    per_ms, struct_ms = ours.cpu_s / n * 1000, structure.cpu_s / n * 1000
    print(f"per article: {per_ms:.2f} ms CPU, of which the structural pass {struct_ms:.2f} ms and the claim rules "
          f"{per_ms - struct_ms:.2f} ms; {EXTRACT_TARGET:,.0f} articles/s needs {1000 / EXTRACT_TARGET:.2f} ms in all")
    print(f"claims per article {claims / n:.1f}; extraction failures {failed}; by kind: "
          + ", ".join(f"{k} {v:,}" for k, v in kinds.most_common()))
    FIGURES["reports_per_s_per_core"] = round(ours.per_core, 1)
    FIGURES["extract_vs_spacy_ratio"] = round(ours.per_core / spacy_run.per_core, 4) if spacy_run else None
    FIGURES["spacy_reports_per_s_per_core"] = round(spacy_run.per_core, 1) if spacy_run else None
    holds = ours.per_core >= EXTRACT_TARGET
    print(f"target >= {EXTRACT_TARGET:,.0f} articles/s/core: {'holds' if holds else 'does NOT hold'} "
          f"({ours.per_core:,.0f})")
    rows = [Row(f"extraction, articles/s/core ({n:,} reports, mean {mb * 1e6 / n / 1000:.1f} kB)",
                f"{ours.per_core:,.0f}", f"{spacy_run.per_core:,.0f} (spaCy blank + matchers)" if spacy_run else "-",
                _ratio(ours.per_core, spacy_run.per_core) if spacy_run else "-", f">= {EXTRACT_TARGET:,.0f}",
                _holds(holds))]
    spacy_s = f"{spacy_run.per_core:,.0f} (spaCy blank + matchers)" if spacy_run else "-"
    rows.append(Row("  its structural pass alone (sentences + word index), articles/s/core",
                    f"{structure.per_core:,.0f}", spacy_s,
                    _ratio(structure.per_core, spacy_run.per_core) if spacy_run else "-"))
    if q_run:
        rows.append(Row(f"extraction vs quantulum3, articles/s/core ({q_run.items} reports)",
                        f"{ours.per_core:,.0f}", f"{q_run.per_core:,.1f} (quantulum3)",
                        _ratio(ours.per_core, q_run.per_core)))
    if not args.skip_profile:
        profile_extraction(settings, corpus, args.profile_articles, out_dir / "profile-extract.txt")
    return rows


def hot_spots(root: Any) -> list[tuple[float, float, str]]:
    """(self s, total s, function) from a pyinstrument frame tree, by self time. Time in a built-in (a regex
    search, isinstance, a lock) or in the standard library (re._compile, dataclasses.replace) is named with
    the nearest calling function outside the standard library; total time counts a function once per stack
    (recursion is not double counted)."""
    own: Counter = Counter()
    total: Counter = Counter()

    def walk(frame: Any, caller: str, stack: frozenset[str]) -> None:
        if frame.is_synthetic:
            return
        path = frame.file_path_short or ""
        builtin = not path or path.startswith("<")
        stdlib = builtin or (frame.file_path or "").startswith(STDLIB)
        func = f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function
        name = f"{func} (in {caller})" if stdlib else f"{func}  {path}:{frame.line_no}"
        own[name] += frame.total_self_time
        if name not in stack:
            total[name] += frame.time
        here = caller if stdlib else func  # re.search -> Pattern.search: both named with re.search's caller
        for c in frame.children:
            walk(c, here, stack | {name})

    if root is not None:
        walk(root, "", frozenset())
    return sorted(((own[k], total[k], k) for k in own), reverse=True)


def write_profile(profiler: Any, path: Path, title: str, top: int = 40) -> list[tuple[float, float, str]]:
    """A pyinstrument profile as text: hot spots by self time first, then the call tree. Returns the hot spots."""
    session = profiler.last_session
    spots = hot_spots(session.root_frame())
    duration = session.duration or 1.0
    lines = [f"{'self s':>8} {'self %':>7} {'total s':>8}  function", *(
        f"{own:>8.3f} {own / duration:>7.1%} {tot:>8.3f}  {name}" for own, tot, name in spots[:top])]
    tree = profiler.output_text(unicode=False, color=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    head = "## hot spots by self time (built-ins and standard library named with their caller)"
    path.write_text(f"{title}\n{session.duration:.1f} s sampled, {session.sample_count:,} samples\n\n{head}\n"
                    + "\n".join(lines) + "\n\n## call tree\n" + tree, encoding="utf-8")
    return spots


def have_pyinstrument() -> bool:
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        print("pyinstrument not installed (pip install pyinstrument): no profile written")
        return False
    return True


def profile_extraction(settings: Settings, corpus: dict[str, list[Article]], limit: int, path: Path) -> None:
    if not have_pyinstrument():
        return
    from pyinstrument import Profiler

    share = {sid: arts[: max(1, limit * len(arts) // max(1, sum(map(len, corpus.values()))))]
             for sid, arts in corpus.items()}
    run = crosscheck_extract(settings, share)
    progress(f"extraction: pyinstrument profile on {sum(map(len, share.values())):,} articles")
    profiler = Profiler(interval=0.0005)
    profiler.start()
    run()
    profiler.stop()
    spots = write_profile(profiler, path, f"crosscheck extraction on {sum(map(len, share.values())):,} generated "
                                          "reports (jobs.extract_chunk), pyinstrument")
    print(f"profile: {path}; top 10 by self time:")
    for own, tot, name in spots[:10]:
        print(f"  {own:>7.3f} s self {tot:>7.3f} s total  {name}")


# --- 2. HTML -> text ---------------------------------------------------------------------------------------


def section_html(args: argparse.Namespace) -> list[Row]:
    from bench import html_bench

    folder = html_bench.data_dir(args.html_data)
    print(f"\n## 2. HTML to text (bench.html_bench on {folder})")
    if not (folder / "ground-truth.json").is_file():
        print(f"benchmark data not found in {folder}; skipped")
        return []
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    pages = html_bench.load_pages(folder, args.html_limit)
    progress(f"html: {len(pages)} pages x {len(html_bench.EXTRACTORS)} extractors x {args.html_repeat} passes")
    runs = [html_bench.run_extractor(name, fn, pages, args.html_repeat) for name, fn in html_bench.EXTRACTORS.items()]
    size = sum(len(p.html.encode("utf-8")) for p in pages) / 1e6
    print(f"{len(pages)} pages ({size:.1f} MB of HTML); median of {args.html_repeat} timed passes, one process")
    print(html_bench.format_table(runs))
    by = {r.name: r for r in runs}
    ours, base = by["crosscheck html_to_article"], by[html_bench.BASELINE]
    traf = next(r for r in runs if r.name.startswith("trafilatura") and "defaults" in r.name)
    return [
        Row(f"HTML to text F1 ({len(pages)} pages)", f"{ours.score.f1:.3f}", f"{base.score.f1:.3f} (bs4 get_text)",
            _ratio(ours.score.f1, base.score.f1)),
        Row("HTML to text F1 vs trafilatura defaults", f"{ours.score.f1:.3f}", f"{traf.score.f1:.3f} (trafilatura)",
            _ratio(ours.score.f1, traf.score.f1)),
        Row("HTML to text, pages/s (one process)", f"{ours.pages_per_s:.1f}", f"{traf.pages_per_s:.1f} (trafilatura)",
            _ratio(ours.pages_per_s, traf.pages_per_s)),
    ]


# --- 3. warehouse load -------------------------------------------------------------------------------------


def synthetic_claims(n: int, seed: int) -> list[Claim]:
    """n distinct Claim records shaped like the extractor's: ~10 per article, every kind, attributions,
    intervals, times and evidence sentences; shared immutable parts are reused as the extractor reuses them."""
    rng = random.Random(seed)
    kinds = (("munitions_launched", "missile"), ("munitions_hit", "missile"), ("munitions_failed", "missile"),
             ("munitions_hit", "rocket"), ("killed", None), ("injured", None), ("target", None),
             ("event_time", None), ("responsibility", None))
    atts = [Attribution(), Attribution("Mark Esper", "Defense Secretary Mark Esper", "US Department of Defense",
                                       "US", "said"),
            Attribution("Iranian state media", "state TV", "Iranian state media", "Iran", "claimed"),
            Attribution("Iraqi Joint Operations Command", "the Iraqi military", "Iraqi Joint Operations Command",
                        "Iraq", "said"),
            Attribution("US officials", "a U.S. official", None, "US", "said")]
    values = [Interval(float(v), float(v), "exact", str(v)) for v in range(40)] + [
        Interval(13.0, None, "at_least", "more than a dozen"), Interval(20.0, None, "vague", "tens of"),
        Interval(3.0, 9.0, "vague", "several"), Interval(72.0, 88.0, "approx", "about 80")]
    when = TimeSpan("2020-01-08T01:20:00+03:00", "2020-01-08T01:45:00+03:00", "early Wednesday", "part_of_day")
    sentences = [f"Synthetic evidence sentence number {i} about the attack on the base, officials said."
                 for i in range(64)]
    places = [("Al Asad", "Ain al-Asad"), ("Erbil", "Irbil"), ("Camp Taji", "Taji"), (None, None)]
    claims: list[Claim] = []
    version = "0.1.0+bench"
    for i in range(n):
        article = f"{(i // 10) * 2654435761 % (1 << 64):016x}"
        kind, munition = kinds[rng.randrange(len(kinds))]
        subject, surface = places[rng.randrange(len(places))] if kind != "responsibility" else ("Iran", "Iran")
        at = (i % 10) * 120 + rng.randrange(100)
        claims.append(Claim(
            kind=kind, evidence=Evidence(article, sentences[i % 64], at - at % 120, at, at + 9),
            extractor_version=version,
            value=None if kind in ("target", "event_time", "responsibility") else values[rng.randrange(len(values))],
            munition=munition, party=("US", "Iraqi", None)[i % 3] if kind in ("killed", "injured") else None,
            subject=subject if kind in ("target", "munitions_hit", "responsibility") else None,
            subject_surface=surface if kind in ("target", "munitions_hit", "responsibility") else None,
            when=when if kind == "event_time" else None, attribution=atts[rng.randrange(len(atts))]))
    return claims


def records_to_arrow(spec: Any, claims: Sequence[Claim]) -> tuple[list[tuple[str, float]], Any]:
    """The Python side of load_claims, step by step: (what, seconds) per step, and the Arrow table: de-duplication
    by claim id (ids are computed when a Claim is made), the columns read off the records, the Arrow arrays."""
    import pyarrow as pa

    from warehouse.load import unique_claims

    steps: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    unique = unique_claims(claims)
    steps.append(("de-duplication by claim id", time.perf_counter() - t0))
    t0 = time.perf_counter()
    values = (spec.columns_of(unique) if spec.columns_of is not None
              else [[c.get(r) for r in unique] for c in spec.columns])
    steps.append(("columns read off the records (attrgetter per column)", time.perf_counter() - t0))
    t0 = time.perf_counter()
    table = pa.Table.from_arrays([pa.array(v, type=c.type) for v, c in zip(values, spec.columns, strict=True)],
                                 names=[c.name for c in spec.columns])
    steps.append(("Arrow arrays from the columns", time.perf_counter() - t0))
    return steps, table


def table_keys(con: Any, table: str) -> str:
    """The table's primary key and index count, as words."""
    pk = con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = ? AND constraint_type = "
                     "'PRIMARY KEY'", [table]).fetchone()[0]
    idx = con.execute("SELECT count(*) FROM duckdb_indexes() WHERE table_name = ?", [table]).fetchone()[0]
    return f"{'a primary key' if pk else 'no primary key'}, {idx} {'index' if idx == 1 else 'indexes'}"


def section_warehouse(args: argparse.Namespace, tmp: Path) -> list[Row]:
    import duckdb

    from warehouse.db import open_warehouse, transaction, utc_now
    from warehouse.load import CLAIMS, claims_table, insert_new_sql, load_claims

    n = args.claims
    print(f"\n## 3. Warehouse load: {n:,} synthetic claims into a fresh DuckDB {duckdb.__version__} file")
    progress(f"warehouse: building {n:,} Claim records")
    t0 = time.perf_counter()
    claims = synthetic_claims(n, args.seed)
    build_s = time.perf_counter() - t0

    progress("warehouse: claims_table (the records to Arrow, as the extract step does beside extraction)")
    t0 = time.perf_counter()
    arrow_claims = claims_table(claims)
    convert_s = time.perf_counter() - t0
    progress("warehouse: load_claims of the extract step's Arrow table (the store step's load path)")
    con = open_warehouse(tmp / "load.duckdb")
    try:
        t0 = time.perf_counter()
        inserted = load_claims(con, arrow_claims, "bench-load")
        load_s = time.perf_counter() - t0
        stored = con.execute("SELECT count(*) FROM claims").fetchone()[0]
    finally:
        con.close()
    rate = inserted / load_s
    progress("warehouse: load_claims of the Claim records (conversion on the load path, as before)")
    con = open_warehouse(tmp / "load-records.duckdb")
    try:
        t0 = time.perf_counter()
        load_claims(con, claims, "bench-load")
        records_load_s = time.perf_counter() - t0
    finally:
        con.close()

    progress("warehouse: where the time goes (records to rows and ids, Arrow table, INSERT)")
    steps, table = records_to_arrow(CLAIMS, claims)
    con = open_warehouse(tmp / "insert.duckdb")
    try:
        keys = table_keys(con, "claims")
        t0 = time.perf_counter()
        with transaction(con):
            con.register("_incoming_claims", table)
            con.execute(insert_new_sql(CLAIMS, "_incoming_claims"), ["bench-insert", utc_now()]).fetchone()
        insert_s = time.perf_counter() - t0
        con.unregister("_incoming_claims")
    finally:
        con.close()
    names = [c.name for c in CLAIMS.columns] + ["run_id", "loaded_at"]
    con = open_warehouse(tmp / "no-anti-join.duckdb")
    try:
        t0 = time.perf_counter()
        with transaction(con):
            con.register("_incoming_claims", table)
            con.execute(f"INSERT INTO claims ({', '.join(names)}) SELECT *, CAST(? AS VARCHAR), "
                        "CAST(? AS TIMESTAMP) FROM _incoming_claims", ["bench-insert", utc_now()])
        plain_insert_s = time.perf_counter() - t0
        con.unregister("_incoming_claims")
    finally:
        con.close()
    con = duckdb.connect(str(tmp / "bare.duckdb"))
    try:
        con.register("_incoming_claims", table)
        t0 = time.perf_counter()
        con.execute("CREATE TABLE claims AS SELECT * FROM _incoming_claims")
        bare_s = time.perf_counter() - t0
    finally:
        con.close()

    sample = min(args.executemany_rows, n)
    progress(f"warehouse: executemany, row by row, {sample:,} rows")
    rows = [(*r.values(), "bench-rows", utc_now()) for r in table.slice(0, sample).to_pylist()]
    sql = f"INSERT INTO claims ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    con = open_warehouse(tmp / "rows.duckdb")
    try:
        t0 = time.perf_counter()
        with transaction(con):
            con.executemany(sql, rows)
        rows_s = time.perf_counter() - t0
    finally:
        con.close()
    row_rate = sample / rows_s

    print(f"{'run':<52}{'rows':>11}{'seconds':>9}{'rows/s':>12}{'ratio':>9}")
    print(f"{'crosscheck load_claims (Arrow, anti-join INSERT)':<52}{inserted:>11,}{load_s:>9.2f}{rate:>12,.0f}"
          f"{rate / row_rate:>8.1f}x")
    print(f"{'  of Claim records (conversion on the load path)':<52}{inserted:>11,}{records_load_s:>9.2f}"
          f"{n / records_load_s:>12,.0f}{n / records_load_s / row_rate:>8.1f}x")
    print(f"{'baseline: executemany row by row, one transaction':<52}{sample:>11,}{rows_s:>9.2f}{row_rate:>12,.0f}"
          f"{1:>8.1f}x")
    print(f"stored {stored:,} rows; building the {n:,} Claim records (not timed above) took {build_s:.1f} s; "
          f"claims_table, which the extract step runs in the worker beside extraction, took {convert_s:.2f} s "
          f"({n / convert_s:,.0f} claims/s)")
    python_s = sum(sec for _, sec in steps)
    print("where load_claims' time goes: " + "; ".join(f"{what} {sec:.2f} s" for what, sec in steps)
          + f"; INSERT ... ANTI JOIN into the claims table ({keys}) {insert_s:.2f} s; the rest (stale-claims DELETE, "
          f"transaction) {max(0.0, load_s - python_s - insert_s):.2f} s")
    print(f"DuckDB alone, from the ready Arrow table: INSERT ... ANTI JOIN {n / insert_s:,.0f} rows/s; the same INSERT "
          f"without the anti-join {n / plain_insert_s:,.0f} rows/s; CREATE TABLE AS (no keys, no indexes) "
          f"{n / bare_s:,.0f} rows/s")
    FIGURES["load_rows_per_s"] = round(rate, 1)
    FIGURES["duckdb_arrow_insert_rows_per_s"] = round(n / insert_s, 1)
    FIGURES["load_vs_duckdb_arrow_ratio"] = round(rate / (n / insert_s), 4)
    FIGURES["claims_to_arrow_per_s"] = round(n / convert_s, 1)
    FIGURES["load_records_rows_per_s"] = round(n / records_load_s, 1)
    print(f"load_claims of the extract step's Arrow table beside DuckDB's own INSERT ... ANTI JOIN of the same table: "
          f"{rate:,.0f} vs {n / insert_s:,.0f} rows/s, ratio {rate / (n / insert_s):.2f} (target >= 0.8)")
    holds = rate >= LOAD_TARGET
    print(f"target >= {LOAD_TARGET:,.0f} rows/s: {'holds' if holds else 'does NOT hold'}"
          + ("" if holds else f"; DuckDB's own INSERT of the ready table is {n / insert_s:,.0f} rows/s, and the "
             f"record-to-Arrow work ({python_s:.2f} s) is done in the extract step, not on the load path"))
    return [
        Row(f"warehouse load, rows/s ({n:,} claims, load_claims)", f"{rate:,.0f}",
            f"{row_rate:,.0f} (executemany, {sample:,} rows)", _ratio(rate, row_rate), f">= {LOAD_TARGET:,.0f}",
            _holds(holds)),
        Row("  DuckDB alone: INSERT ... ANTI JOIN of the ready Arrow table, rows/s", f"{n / insert_s:,.0f}",
            f"{n / bare_s:,.0f} (CREATE TABLE AS, no keys)", _ratio(insert_s and n / insert_s, n / bare_s)),
        Row("  load_claims beside DuckDB's own INSERT ... ANTI JOIN of the same Arrow table", f"{rate:,.0f}",
            f"{n / insert_s:,.0f}", _ratio(rate, n / insert_s), ">= 0.8x", _holds(rate / (n / insert_s) >= 0.8)),
    ]


# --- 4 and 5. the flow, beside the plain job ----------------------------------------------------------------


class Spans:
    """Wall-time spans spent inside the plain job functions (thread-safe), and their union."""

    def __init__(self) -> None:
        self._spans: list[tuple[float, float, str]] = []
        self._lock = threading.Lock()

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed_call(*a: Any, **k: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                t1 = time.perf_counter()
                with self._lock:
                    self._spans.append((t0, t1, name))
        return timed_call

    def install(self) -> None:
        from crosscheck import jobs
        from warehouse import db

        for name in PLAIN_FUNCTIONS:
            if callable(getattr(jobs, name, None)):
                setattr(jobs, name, self.wrap(name, getattr(jobs, name)))
        # every warehouse connection the run opens (inside the functions above: the union is unchanged); modules
        # that import `connect` do so inside functions or after this, so they get the timed one
        db.connect = self.wrap(CONNECT, db.connect)

    def covered(self, lo: float, hi: float) -> float:
        """Seconds of [lo, hi] during which at least one plain function was running."""
        total, end = 0.0, lo
        for s, e, _ in sorted(self._spans):
            s, e = max(s, lo, end), min(e, hi)
            if e > s:
                total += e - s
                end = e
        return total

    def by_name(self, lo: float, hi: float) -> dict[str, float]:
        out: Counter = Counter()
        for s, e, name in self._spans:
            if s >= lo and e <= hi:
                out[name] += e - s
        return dict(out)

    def calls(self, lo: float, hi: float, name: str) -> int:
        return sum(1 for s, e, n in self._spans if n == name and s >= lo and e <= hi)


def _peak_mb() -> float:
    """This process's peak resident memory since it started (VmHWM: unlike ru_maxrss, not inherited from the
    parent that forked it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _cpu_s(pid: str) -> float:
    """User + system CPU seconds of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children() -> list[str]:
    me = str(os.getpid())
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[1] == me:
                out.append(stat.parent.name)
        except (OSError, IndexError):
            continue
    return out


def _settle(interval: float = 0.5, idle: float = 0.05, limit_s: float = 60.0) -> float:
    """Wait until this process (its other threads) and its children use under `idle` of a core for two intervals
    in a row, at most `limit_s`; returns the seconds waited."""
    t0 = time.perf_counter()
    quiet = 0

    def cpu() -> float:
        total = time.process_time()
        for pid in _children():
            try:
                total += _cpu_s(pid)
            except (OSError, IndexError, ValueError):
                continue
        return total

    last = cpu()
    while quiet < 2 and time.perf_counter() - t0 < limit_s:
        time.sleep(interval)
        now = cpu()
        quiet = quiet + 1 if now - last < idle * interval else 0
        last = now
    return time.perf_counter() - t0


def _children_peak_mb() -> float:
    """Peak resident memory of this process's live children (Prefect's temporary API server)."""
    total = 0.0
    me = str(os.getpid())
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[1] != me:
                continue
            for line in (stat.parent / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024.0
        except (OSError, IndexError, ValueError):
            continue
    return total


def _summaries(summaries: Iterable[Any]) -> dict[str, Any]:
    s = list(summaries)
    return {"articles_seen": sum(x.articles_seen for x in s), "extracted": sum(x.extracted for x in s),
            "skipped": sum(x.skipped_unchanged for x in s), "claims": sum(x.claims for x in s),
            "claims_new": sum(x.claims_new for x in s), "facts": sum(x.facts for x in s),
            "discrepancies": sum(x.discrepancies for x in s), "errors": sum(len(x.errors) for x in s),
            "duplicates": sum(x.duplicates for x in s), "status": sorted({x.status for x in s}),
            "match_skipped": sum(1 for x in s if x.match_skipped), "stories": len(s)}


def child(mode: str, config: Path, articles: int, seed: int, profile: Path | None, rerun: bool = True,
          profile_rerun: bool = False) -> dict[str, Any]:
    """One runner on one project copy: the full run, then (unless profiling, or `rerun` is False) a re-run after
    adding 1 % new reports. With `profile_rerun`, the profile is of the re-run, not of the full run. Runs in its
    own process."""
    from bench.corpus import write_reports
    from crosscheck import jobs

    settings = load_settings(config)
    spans = Spans()
    spans.install()
    out: dict[str, Any] = {"mode": mode}
    go: Callable[[], list[Any]]
    if mode == "plain":
        def go() -> list[Any]:
            return [jobs.run_story(settings, settings.story(s), chunk_size=settings.chunk_size)
                    for s in settings.story_ids]
    else:
        from prefect import flow

        from flows.deploy import run_flow

        @flow(name="scale-bench-warm-up")
        def warm_up() -> None:
            return None

        t0 = time.perf_counter()
        warm_up()  # starts Prefect's temporary API server: a one-off cost per process, timed apart
        out["prefect_startup_s"] = time.perf_counter() - t0
        def go() -> list[Any]:
            return run_flow(settings, config=str(config), chunk_size=settings.chunk_size)
    out["worker_pids"] = []
    out["rss_before_mb"] = _peak_mb()
    profiler = None
    if profile is not None and not profile_rerun:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
    t0 = time.perf_counter()
    full = go()
    t1 = time.perf_counter()
    if profiler is not None:
        profiler.stop()
        title = (f"{mode} run on {articles:,} generated reports, pyinstrument (main thread only: submitted extract "
                 "tasks run in worker threads)")
        out["hot_spots"] = write_profile(profiler, profile, title)
    out["full"] = {"wall_s": t1 - t0, "covered_s": spans.covered(t0, t1), "by_function": spans.by_name(t0, t1),
                   **_summaries(full)}
    out["worker_pids"] = sorted({p for s in full for p in getattr(s, "worker_pids", ())})
    out["peak_mb"] = _peak_mb()
    out["server_peak_mb"] = _children_peak_mb()
    if (profile is None or profile_rerun) and mode != "dask" and rerun:
        added = max(1, articles // 100)
        write_reports(settings.seeds_dir, added, seed, start=articles)
        # scheduled runs are hours apart: let the full run's background work (Prefect's event and log uploads,
        # its server digesting them) finish before the re-run is timed
        out["settled_s"] = _settle()
        if profile is not None:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.001)
            profiler.start()
        t2 = time.perf_counter()
        again = go()
        t3 = time.perf_counter()
        if profiler is not None and profile is not None:
            profiler.stop()
            out["hot_spots"] = write_profile(profiler, profile, f"{mode} re-run after {added:,} new reports on "
                                             f"{articles:,}, pyinstrument")
        out["rerun"] = {"added": added, "wall_s": t3 - t2, "covered_s": spans.covered(t2, t3),
                        "by_function": spans.by_name(t2, t3), "connects": spans.calls(t2, t3, CONNECT),
                        **_summaries(again)}
    return out


def run_child(mode: str, config: Path, args: argparse.Namespace, log: Path, profile: Path | None = None,
              extra_env: dict[str, str] | None = None, articles: int | None = None, rerun: bool = True,
              profile_rerun: bool = False) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.scale_bench", "--child", mode, "--config", str(config),
           "--articles", str(articles or args.articles), "--seed", str(args.seed)]
    if not rerun:
        cmd.append("--no-rerun")
    if profile is not None:
        cmd += ["--profile-to", str(profile)]
    if profile_rerun:
        cmd.append("--profile-rerun")
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "CROSSCHECK_OFFLINE": "1",
           "PREFECT_HOME": str(config.parent / "prefect-home"), **(extra_env or {})}
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True, cwd=PROJECT_ROOT, env=env)
    if proc.returncode != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:])
        raise RuntimeError(f"{mode} run failed (exit {proc.returncode}); log {log}:\n{tail}")
    line = next(ln for ln in reversed(proc.stdout.splitlines()) if ln.startswith(RESULT_PREFIX))
    return json.loads(line[len(RESULT_PREFIX):])


def _steps(by: dict[str, float]) -> str:
    return ", ".join(f"{k} {by[k]:.1f}" for k in PLAIN_FUNCTIONS if k in by)


def section_flow(args: argparse.Namespace, tmp: Path, out_dir: Path) -> list[Row]:
    from bench.corpus import make_project

    n = args.articles
    print(f"\n## 4. Full run on {n:,} reports: the Prefect flow (ephemeral, threads) beside the plain job")
    progress("flow: generating two identical project copies")
    flow_cfg, manifest = make_project(tmp / "flow", n, args.seed)
    plain_cfg, _ = make_project(tmp / "plain", n, args.seed)
    progress(f"flow: plain jobs.run_story on {n:,} reports (child process; log {out_dir / 'plain-run.log'})")
    plain = run_child("plain", plain_cfg, args, out_dir / "plain-run.log")
    progress(f"flow: Prefect crosscheck_flow on {n:,} reports (child process; log {out_dir / 'flow-run.log'})")
    flo = run_child("flow", flow_cfg, args, out_dir / "flow-run.log")
    pf, pp = flo["full"], plain["full"]
    overhead_instr = (pf["wall_s"] - pf["covered_s"]) / pf["wall_s"]
    overhead_diff = (pf["wall_s"] - pp["wall_s"]) / pf["wall_s"]
    print(f"corpus: {manifest.files:,} generated files in {pf['stories']} stories plus the bundled reports; "
          f"{pf['articles_seen']:,} unique articles after {pf['duplicates']:,} verbatim copies merged at ingest")
    print(f"{'run':<28}{'wall s':>8}{'in plain fns s':>15}{'articles':>9}{'claims':>9}{'facts':>7}{'discrep.':>9}"
          f"{'peak MB':>9}  status")
    for name, r in (("plain jobs.run_story", plain), ("Prefect crosscheck_flow", flo)):
        f = r["full"]
        print(f"{name:<28}{f['wall_s']:>8.1f}{f['covered_s']:>15.1f}{f['extracted']:>9,}{f['claims']:>9,}"
              f"{f['facts']:>7,}{f['discrepancies']:>9,}{r['peak_mb']:>9,.0f}  {','.join(f['status'])}")
    print(f"time inside the plain functions, s: plain run: {_steps(pp['by_function'])}")
    print(f"                                    flow run:  {_steps(pf['by_function'])} "
          "(extract chunks run concurrently in threads: their sum can exceed the wall time)")
    print(f"Prefect's temporary API server: start-up {flo['prefect_startup_s']:.1f} s (once per process, not in the "
          f"wall times above), peak {flo['server_peak_mb']:,.0f} MB in its own process")
    print(f"Prefect overhead, (flow wall - time inside plain functions) / flow wall: {overhead_instr:.1%}; "
          f"(flow wall - plain run wall) / flow wall: {overhead_diff:.1%}; with the server start-up: "
          f"{(pf['wall_s'] + flo['prefect_startup_s'] - pp['wall_s']) / (pf['wall_s'] + flo['prefect_startup_s']):.1%}"
          f" (target < {OVERHEAD_TARGET:.0%})")

    rf, rp = flo["rerun"], plain["rerun"]
    print(f"\n## 5. Re-run after adding {rf['added']:,} new reports (1 %)")
    print(f"{'run':<28}{'wall s':>8}{'share of full':>14}{'extracted':>10}{'skipped':>9}{'claims new':>11}"
          f"{'matching re-run':>16}")
    for name, r in (("plain jobs.run_story", plain), ("Prefect crosscheck_flow", flo)):
        f, full = r["rerun"], r["full"]
        print(f"{name:<28}{f['wall_s']:>8.1f}{f['wall_s'] / full['wall_s']:>14.1%}{f['extracted']:>10,}"
              f"{f['skipped']:>9,}{f['claims_new']:>11,}{f['stories'] - f['match_skipped']:>10} of {f['stories']}")
    print(f"(before each re-run, the full run's background work settled: plain {plain.get('settled_s', 0):.1f} s, "
          f"flow {flo.get('settled_s', 0):.1f} s of waiting, not timed)")
    print(f"time inside the plain functions, s: plain re-run: {_steps(rp['by_function'])}")
    print(f"                                    flow re-run:  {_steps(rf['by_function'])}")
    print("warehouse connections opened by the re-run (warehouse.db.connect): "
          + "; ".join(f"{name} {r['connects']} taking {r['by_function'].get(CONNECT, 0.0):.2f} s"
                      for name, r in (("plain", rp), ("flow", rf))))
    share_f, share_p = rf["wall_s"] / pf["wall_s"], rp["wall_s"] / pp["wall_s"]
    FIGURES.update({"rerun_1pct_share": round(share_f, 4), "rerun_1pct_share_plain": round(share_p, 4),
                    "prefect_share": round(overhead_instr, 4), "full_run_wall_s": round(pf["wall_s"], 2),
                    "full_run_wall_s_plain": round(pp["wall_s"], 2),
                    f"peak_rss_mb_at_{n}": round(flo["peak_mb"], 1),
                    f"peak_rss_mb_plain_at_{n}": round(plain["peak_mb"], 1)})
    print(f"target <= {RERUN_TARGET:.0%}: flow {'holds' if share_f <= RERUN_TARGET else 'does NOT hold'} "
          f"({share_f:.1%}), plain {'holds' if share_p <= RERUN_TARGET else 'does NOT hold'} ({share_p:.1%})")

    if not args.skip_profile and have_pyinstrument():
        progress("flow: pyinstrument profile of a flow run on a third fresh copy (child process)")
        prof_cfg, _ = make_project(tmp / "profile", n, args.seed)
        path = out_dir / "profile-flow.txt"
        prof = run_child("flow", prof_cfg, args, out_dir / "flow-profile.log", profile=path)
        print(f"profile: {path} (main thread; waiting on extract futures shows as lock.acquire); top 10 by self time:")
        for own, tot, name in prof["hot_spots"][:10]:
            print(f"  {own:>7.3f} s self {tot:>7.3f} s total  {name}")
        progress("flow: pyinstrument profile of a plain re-run after 1 % new reports, on a fourth fresh copy")
        again_cfg, _ = make_project(tmp / "profile-rerun", n, args.seed)
        path = out_dir / "profile-rerun.txt"
        prof = run_child("plain", again_cfg, args, out_dir / "rerun-profile.log", profile=path, profile_rerun=True)
        print(f"profile: {path} (the plain re-run, {prof['rerun']['wall_s']:.1f} s with the profiler); top 10 by "
              "self time:")
        for own, tot, name in prof["hot_spots"][:10]:
            print(f"  {own:>7.3f} s self {tot:>7.3f} s total  {name}")
    return [
        Row(f"full run, wall s ({pf['articles_seen']:,} articles, {pf['claims']:,} claims)", f"{pf['wall_s']:.1f}",
            f"{pp['wall_s']:.1f} (plain run_story)", _ratio(pf["wall_s"], pp["wall_s"])),
        Row("full run, peak memory MB (flow process; Prefect server apart)", f"{flo['peak_mb']:,.0f}",
            f"{plain['peak_mb']:,.0f} (plain)", _ratio(flo["peak_mb"], plain["peak_mb"])),
        Row("Prefect overhead: (flow wall - time in plain functions) / flow wall", f"{overhead_instr:.1%}", "", "",
            f"< {OVERHEAD_TARGET:.0%}", _holds(overhead_instr < OVERHEAD_TARGET)),
        Row("Prefect overhead: (flow wall - plain run wall) / flow wall", f"{overhead_diff:.1%}", "", "",
            f"< {OVERHEAD_TARGET:.0%}", _holds(overhead_diff < OVERHEAD_TARGET)),
        Row("Prefect temporary server start-up, s (once per process)", f"{flo['prefect_startup_s']:.1f}", "", ""),
        Row(f"re-run with 1 % new reports ({rf['added']}), share of full run", f"{share_f:.1%}",
            f"{share_p:.1%} (plain)", "", f"<= {RERUN_TARGET:.0%}", _holds(share_f <= RERUN_TARGET)),
    ]


def section_dask(args: argparse.Namespace, tmp: Path, out_dir: Path) -> list[Row]:
    """The same full run on the thread runner and on a two-worker Dask cluster on loopback, side by side."""
    from bench.cluster import loopback_cluster
    from bench.corpus import make_project

    n = args.articles
    print(f"\n## 6. Full run on {n:,} reports: the flow on threads beside the flow on a loopback Dask cluster "
          "(2 workers)")
    threads_cfg, _ = make_project(tmp / "threads", n, args.seed)
    dask_cfg, _ = make_project(tmp / "dask", n, args.seed)
    progress(f"dask: the flow on threads, {n:,} reports (child process)")
    thr = run_child("flow", threads_cfg, args, out_dir / "threads-run.log")
    with loopback_cluster(2, out_dir / "dask-logs") as cluster:
        progress(f"dask: the flow on the cluster at {cluster.address}, {n:,} reports (child process)")
        dsk = run_child("dask", dask_cfg, args, out_dir / "dask-run.log",
                        extra_env={"CROSSCHECK_DASK_ADDRESS": cluster.address})
    t, d = thr["full"], dsk["full"]
    # outside the plain functions of the flow process: Prefect's bookkeeping, and (on Dask) waiting for workers
    own_t, own_d = (t["wall_s"] - t["covered_s"]) / t["wall_s"], (d["wall_s"] - d["covered_s"]) / d["wall_s"]
    print(f"{'run':<34}{'wall s':>8}{'in flow fns s':>14}{'outside':>9}{'claims':>9}{'facts':>7}{'discrep.':>9}"
          "  extraction ran in")
    for name, r, share in (("flow, threads", thr, own_t), ("flow, Dask (2 loopback workers)", dsk, own_d)):
        f = r["full"]
        where = "this process" if name.endswith("threads") else f"workers {r['worker_pids']}"
        print(f"{name:<34}{f['wall_s']:>8.1f}{f['covered_s']:>14.1f}{share:>9.1%}{f['claims']:>9,}{f['facts']:>7,}"
              f"{f['discrepancies']:>9,}  {where}")
    print(f"time inside the flow process's plain functions, s: threads: {_steps(t['by_function'])}")
    print(f"                                                   dask:    {_steps(d['by_function'])} (extraction runs "
          "in the workers: waiting for it is outside)")
    same = (t["claims"], t["facts"], t["discrepancies"]) == (d["claims"], d["facts"], d["discrepancies"])
    FIGURES.update({"dask_full_run_wall_s": round(d["wall_s"], 2), "threads_full_run_wall_s": round(t["wall_s"], 2),
                    "dask_share_outside_flow_functions": round(own_d, 4), "dask_same_results": same})
    print(f"same claims, facts and discrepancies: {'yes' if same else 'NO'}")
    return [
        Row(f"full run on a 2-worker loopback Dask cluster, wall s ({d['articles_seen']:,} articles)",
            f"{d['wall_s']:.1f}", f"{t['wall_s']:.1f} (flow on threads)", _ratio(d["wall_s"], t["wall_s"])),
        Row("  its share outside the flow process's functions (Prefect and waiting for workers)", f"{own_d:.1%}",
            f"{own_t:.1%} (threads)", ""),
    ]


# --- 7. memory and time as the corpus grows --------------------------------------------------------------------


def section_growth(args: argparse.Namespace, tmp: Path, out_dir: Path) -> list[Row]:
    """The plain full run at each size of `--growth` (e.g. 10,000 and 100,000 reports), side by side: wall time,
    peak memory, and both as ratios of the smallest size's (memory flat: ratio near 1; time linear: ratio near the
    size ratio)."""
    from bench.corpus import make_project

    sizes = sorted({int(s) for s in args.growth.split(",") if s.strip()})
    print(f"\n## 7. The plain full run as the corpus grows: {', '.join(f'{n:,}' for n in sizes)} reports")
    got: dict[int, dict[str, Any]] = {}
    for n in sizes:
        progress(f"growth: generating {n:,} reports, then the plain run (child process; log {out_dir}/growth-{n}.log)")
        cfg, _ = make_project(tmp / f"growth-{n}", n, args.seed)
        got[n] = run_child("plain", cfg, args, out_dir / f"growth-{n}.log", articles=n, rerun=False)
        shutil.rmtree(tmp / f"growth-{n}", ignore_errors=True)
    base = sizes[0]
    print(f"{'reports':>10}{'articles':>10}{'claims':>11}{'wall s':>9}{'peak MB':>9}{'time x':>8}{'size x':>8}"
          f"{'memory x':>10}")
    rows: list[Row] = []
    for n in sizes:
        f, b = got[n]["full"], got[base]["full"]
        tx, mx = f["wall_s"] / b["wall_s"], got[n]["peak_mb"] / got[base]["peak_mb"]
        print(f"{n:>10,}{f['articles_seen']:>10,}{f['claims']:>11,}{f['wall_s']:>9.1f}{got[n]['peak_mb']:>9,.0f}"
              f"{tx:>8.2f}{n / base:>8.1f}{mx:>10.2f}")
        FIGURES[f"growth_wall_s_at_{n}"] = round(f["wall_s"], 2)
        FIGURES[f"peak_rss_mb_plain_at_{n}"] = round(got[n]["peak_mb"], 1)
        if n != base:
            rows.append(Row(f"plain full run at {n:,} reports: peak memory MB", f"{got[n]['peak_mb']:,.0f}",
                            f"{got[base]['peak_mb']:,.0f} (at {base:,})", f"{mx:.2f}x", "<= 1.5x", _holds(mx <= 1.5)))
            rows.append(Row(f"plain full run at {n:,} reports: wall s", f"{f['wall_s']:,.1f}",
                            f"{b['wall_s']:,.1f} (at {base:,})", f"{tx:.2f}x", f"about {n / base:.0f}x"))
    return rows


# --- the table -----------------------------------------------------------------------------------------------


def markdown_table(rows: Sequence[Row]) -> str:
    head = ("metric", "crosscheck", "baseline", "ratio", "target", "holds?")
    cells = [head, *[(r.metric, r.crosscheck, r.baseline, r.ratio, r.target, r.holds) for r in rows]]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]

    def line(c: Sequence[str]) -> str:
        return "| " + " | ".join(x.ljust(w) for x, w in zip(c, widths, strict=True)) + " |"

    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(head), sep, *(line(c) for c in cells[1:])])


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.scale_bench", description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000, help="generated reports (default 10,000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown results (default var/bench/scale.md)")
    ap.add_argument("--claims", type=int, default=1_000_000, help="claims for the warehouse load (default 1M)")
    ap.add_argument("--executemany-rows", type=int, default=20_000, help="rows for the row-by-row baseline")
    ap.add_argument("--repeat", type=int, default=1, help="timed extraction passes (median kept)")
    ap.add_argument("--quantulum", type=int, default=100, help="articles for quantulum3 (0 = skip)")
    ap.add_argument("--html-repeat", type=int, default=3, help="timed passes per HTML extractor")
    ap.add_argument("--html-data", default=None, help="article-extraction-benchmark folder")
    ap.add_argument("--html-limit", type=int, default=None, help="only the first N benchmark pages")
    ap.add_argument("--profile-articles", type=int, default=2_000, help="articles in the extraction profile")
    ap.add_argument("--skip-html", action="store_true", help="skip section 2")
    ap.add_argument("--skip-flow", action="store_true", help="skip sections 4 and 5")
    ap.add_argument("--skip-profile", action="store_true", help="write no pyinstrument profiles")
    ap.add_argument("--skip-dask", action="store_true", help="skip section 6 (the flow on a loopback Dask cluster)")
    ap.add_argument("--growth", default="", help="section 7: comma-separated corpus sizes for plain full runs side "
                    "by side (e.g. 10000,100000); empty = skip")
    ap.add_argument("--child", choices=("flow", "plain", "dask"), help=argparse.SUPPRESS)
    ap.add_argument("--no-rerun", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--profile-rerun", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        result = child(args.child, args.config, args.articles, args.seed, args.profile_to, rerun=not args.no_rerun,
                       profile_rerun=args.profile_rerun)
        print(RESULT_PREFIX + json.dumps(result, default=str), flush=True)
        return 0

    from bench.corpus import make_project

    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    started = time.perf_counter()
    code = describe()  # the code the run measures: a commit made while it runs is not it
    out_dir = args.out.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    tmp = Path(tempfile.mkdtemp(prefix="crosscheck-scale-"))
    try:
        progress(f"generating {args.articles:,} reports (seed {args.seed})")
        config, manifest = make_project(tmp / "extract", args.articles, args.seed)
        print(f"# crosscheck scale benchmark: {args.articles:,} synthetic reports, seed {args.seed}, "
              f"{os.cpu_count()} cores, code {code}")
        print("corpus (bench/corpus.py): " + manifest.summary().replace("\n", "; "))
        settings = load_settings(config)
        corpus = load_corpus(settings)
        rows += section_extraction(settings, corpus, args, out_dir)
        del corpus
        if not args.skip_html:
            rows += section_html(args)
        rows += section_warehouse(args, tmp)
        if not args.skip_flow:
            rows += section_flow(args, tmp, out_dir)
        if not args.skip_flow and not args.skip_dask:
            rows += section_dask(args, tmp, out_dir)
        if args.growth:
            rows += section_growth(args, tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    table = markdown_table(rows)
    print(f"\n## Results ({args.articles:,} reports, seed {args.seed}; {time.perf_counter() - started:.0f} s in all)")
    print(table)
    args.out.write_text(f"# crosscheck scale benchmark\n\n`python -m bench.scale_bench --articles {args.articles} "
                        f"--seed {args.seed} --claims {args.claims}` (code {code}, {os.cpu_count()} cores)"
                        f"\n\n{table}\n", encoding="utf-8")
    FIGURES.update({"commit": code, "articles": args.articles, "seed": args.seed, "cores": os.cpu_count(),
                    "seconds": round(time.perf_counter() - started, 1)})
    json_out = args.out.with_suffix(".json")
    json_out.write_text(json.dumps(FIGURES, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.out}, {json_out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
