"""Extraction speed: articles per second of the claim extractor on seed-sized texts, printed beside
a baseline run in the same process on the same texts.

Baseline: one compiled regular expression finding every numeral and number word (the least work any
number extractor must do; FIELD-NOTES measured ~1,650 articles/s for it on this machine).

    python -m bench.extract_bench [--articles 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from core.config import load_settings
from core.records import Article
from extractors.claims import ClaimExtractor
from extractors.quantities import NUM
from extractors.vocabulary import load_vocabulary
from sources.files import ingest

BASELINE = re.compile(rf"\b{NUM}\b", re.IGNORECASE)


def corpus(n: int) -> list[Article]:
    settings = load_settings()
    story = settings.story(settings.story_ids[0])
    articles, _ = ingest([*story.seeds, *story.corpus])
    return [articles[i % len(articles)] for i in range(n)]


def timed(fn, articles: list[Article], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for a in articles:
            fn(a)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    settings = load_settings()
    extractor = ClaimExtractor(load_vocabulary(settings.seeds_dir, settings.story_ids[0]))
    articles = corpus(args.articles)
    kb = sum(len(a.text) for a in articles) / len(articles) / 1000
    claims = sum(len(extractor.extract(a)) for a in articles[: min(len(articles), 200)])
    base = timed(lambda a: BASELINE.findall(a.text), articles, args.repeat)
    ours = timed(extractor.extract, articles, args.repeat)
    n = len(articles)
    print(f"{n} articles (mean {kb:.1f} kB, {Path(settings.seeds_dir).name}/ corpus cycled), "
          f"median of {args.repeat} passes, one process, one core")
    print(f"{'run':<44}{'articles/s':>12}{'MB/s':>8}{'ratio':>8}")
    for name, secs in (("baseline: one numeral regex (findall)", base), ("crosscheck ClaimExtractor.extract", ours)):
        print(f"{name:<44}{n / secs:>12.0f}{n * kb / 1000 / secs:>8.2f}{base / secs:>8.3f}")
    print(f"claims per article: {claims / min(len(articles), 200):.1f}")


if __name__ == "__main__":
    main()
