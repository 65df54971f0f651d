"""Benchmark of HTML -> article text: crosscheck's extractor side by side with trafilatura and a baseline.

One job: score text extractors on the article-extraction benchmark (html/*.html.gz + ground-truth.json
`{id: {"articleBody": ..., "url": ...}}`) and print F1, precision, recall and speed, all extractors in the
same process on the same pages.

Score: per page, precision and recall of the set of 4-word shingles (lowercased `\\w+` tokens) of the
extracted text against those of articleBody; precision and recall are averaged over pages and F1 is taken
of the two averages. `score_pages` is importable (tests/sources/test_html.py gates on it).

    python -m bench.html_bench [--limit N] [--repeat R] [--data DIR]

The data folder is `--data`, else $CROSSCHECK_BENCH_DATA, else ../shared/data/article-extraction-benchmark
relative to the repository root.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import trafilatura
from bs4 import BeautifulSoup

from sources.decode import declared_charset, decode_bytes
from sources.html import html_to_article

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data" / "article-extraction-benchmark"
SHINGLE = 4
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    html: str
    truth: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Score:
    pages: int
    precision: float  # mean over pages
    recall: float  # mean over pages
    f1: float  # of the two means


@dataclass(frozen=True, slots=True)
class Run:
    name: str
    score: Score
    seconds: float  # median over repeats, extraction only

    @property
    def pages_per_s(self) -> float:
        return self.score.pages / self.seconds if self.seconds > 0 else float("inf")


def shingles(text: str | None, n: int = SHINGLE) -> set[tuple[str, ...]]:
    """Set of n-word shingles of lowercased `\\w+` tokens; a text shorter than n words is one shingle."""
    tokens = _TOKEN.findall((text or "").lower())
    if not tokens:
        return set()
    if len(tokens) < n:
        return {tuple(tokens)}
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def page_score(extracted: str | None, truth: str) -> tuple[float, float]:
    """(precision, recall) of one page. Both empty: (1, 1). Nothing in common: (0, 0)."""
    got, want = shingles(extracted), shingles(truth)
    if not got and not want:
        return 1.0, 1.0
    common = len(got & want)
    if common == 0:
        return 0.0, 0.0
    return common / len(got), common / len(want)


def score_pages(extracted: Iterable[str | None], truths: Iterable[str]) -> Score:
    """Mean precision and recall over pages, and the F1 of those two means."""
    pairs = [page_score(e, t) for e, t in zip(extracted, truths, strict=True)]
    if not pairs:
        return Score(pages=0, precision=0.0, recall=0.0, f1=0.0)
    p = statistics.fmean(x for x, _ in pairs)
    r = statistics.fmean(y for _, y in pairs)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Score(pages=len(pairs), precision=p, recall=r, f1=f1)


def data_dir(override: str | Path | None = None) -> Path:
    """The benchmark folder: the override, else $CROSSCHECK_BENCH_DATA, else the shared default."""
    if override:
        return Path(override)
    env = os.environ.get("CROSSCHECK_BENCH_DATA")
    return Path(env) if env else DEFAULT_DATA


def load_pages(folder: Path, limit: int | None = None) -> list[Page]:
    """Pages sorted by id (the first `limit` of them), decoded as crosscheck decodes HTML."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages: list[Page] = []
    for page_id in sorted(truth)[:limit]:
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        html, _ = decode_bytes(raw, declared_charset(raw))
        entry = truth[page_id]
        pages.append(Page(page_id, html, entry.get("articleBody") or "", entry.get("url")))
    return pages


def crosscheck_text(page: Page) -> str:
    return html_to_article(page.html, page.url).text


def trafilatura_fast(page: Page) -> str:
    return trafilatura.extract(page.html, include_comments=False, fast=True) or ""


def trafilatura_defaults(page: Page) -> str:
    return trafilatura.extract(page.html) or ""


def soup_get_text(page: Page) -> str:
    return BeautifulSoup(page.html, "lxml").get_text()


BASELINE = "bs4 get_text() baseline"
EXTRACTORS: dict[str, Callable[[Page], str]] = {
    "crosscheck html_to_article": crosscheck_text,
    "  its text step alone (trafilatura fast)": trafilatura_fast,
    "trafilatura 2.3.1 defaults": trafilatura_defaults,
    BASELINE: soup_get_text,
}


def run_extractor(name: str, extract: Callable[[Page], str], pages: Sequence[Page], repeat: int = 1) -> Run:
    """Extract every page `repeat` times; score the last pass, time the median pass."""
    times: list[float] = []
    texts: list[str] = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        texts = [extract(p) for p in pages]
        times.append(time.perf_counter() - start)
    return Run(name, score_pages(texts, [p.truth for p in pages]), statistics.median(times))


def format_table(runs: Sequence[Run]) -> str:
    base = next((r for r in runs if r.name == BASELINE), runs[0])
    width = max(len(r.name) for r in runs)
    lines = [f"{'extractor':<{width}}  {'F1':>6}  {'P':>6}  {'R':>6}  {'pages/s':>8}  {'vs baseline':>11}"]
    for r in runs:
        s = r.score
        ratio = r.pages_per_s / base.pages_per_s
        lines.append(
            f"{r.name:<{width}}  {s.f1:6.3f}  {s.precision:6.3f}  {s.recall:6.3f}  "
            f"{r.pages_per_s:8.1f}  {ratio:10.2f}x"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.html_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (sorted by id)")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per extractor (median kept)")
    parser.add_argument("--data", default=None, help="benchmark folder (default: $CROSSCHECK_BENCH_DATA)")
    args = parser.parse_args(argv)

    folder = data_dir(args.data)
    if not (folder / "ground-truth.json").is_file():
        print(f"benchmark data not found in {folder} (set CROSSCHECK_BENCH_DATA or --data)", file=sys.stderr)
        return 2
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    pages = load_pages(folder, args.limit)
    size_mb = sum(len(p.html.encode("utf-8")) for p in pages) / 1e6
    print(
        f"{len(pages)} pages ({size_mb:.1f} MB of HTML) from {folder}; "
        f"median of {args.repeat} timed passes, one process"
    )
    runs = [run_extractor(name, fn, pages, args.repeat) for name, fn in EXTRACTORS.items()]
    print(format_table(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
