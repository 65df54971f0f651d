"""Hostile input: extraction time per MB for documents of four shapes, side by side, at two sizes.

Shapes, each made from the story's own bundled reports so the words are the extractor's usual ones:
- prose: the reports as they are (the baseline every other shape is a ratio of);
- unpunctuated: the same words with every sentence end and line break removed (a transcript or a page whose text
  came out as one run);
- table: one paragraph of table rows, each with a place, numbers and a date (a table dump);
- numbers: a comma-separated list of numbers.
Work per document must be linear in its length: s/MB flat from the small size to the large one, and an unpunctuated
run within 2x of prose.

    python -m bench.hostile_bench [--sizes 0.25,1] [--out var/bench/hostile.json]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from core.config import PROJECT_ROOT, load_settings
from core.records import Article, content_hash
from core.version import describe
from extractors.claims import ClaimExtractor
from extractors.vocabulary import load_vocabulary
from sources.files import ingest


def unpunctuated(text: str) -> str:
    """`text` as one run: every sentence end and line break gone (a transcript, a page whose text came out whole)."""
    return re.sub(r"[.!?;:\n]+", " ", text)


def table_dump(rows: int) -> str:
    """One paragraph of table rows, each with a place, numbers, a date and figures (a page that is a table)."""
    return "".join(f"| Al Asad | {i} | {i * 3} | 2020-01-{i % 28 + 1:02d} | missiles {i % 16} | injured {i % 110} |\n"
                   for i in range(rows))


def grow(text: str, size: int) -> str:
    """`text` repeated to exactly `size` characters."""
    return (text * (size // len(text) + 1))[:size]


def shapes(prose: str) -> dict[str, Callable[[int], str]]:
    """Each shape as a function of the size wanted, in characters."""
    run = unpunctuated(prose)
    table = table_dump(5000)
    numbers = ", ".join(str(i * 7 % 1000) for i in range(5000)) + ", "
    return {"prose": lambda n: grow(prose, n), "unpunctuated": lambda n: grow(run, n),
            "table": lambda n: grow(table, n), "numbers": lambda n: grow(numbers, n)}


def measure(extractor: ClaimExtractor, text: str) -> tuple[float, int]:
    article = Article(content_hash(text), text, title="bench", published="2020-01-09")
    t0 = time.perf_counter()
    claims = extractor.extract(article)
    return time.perf_counter() - t0, len(claims)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="0.25,1", help="document sizes in MB, comma-separated")
    ap.add_argument("--out", type=Path, default=PROJECT_ROOT / "var" / "bench" / "hostile.json")
    args = ap.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")]
    settings = load_settings()
    story = settings.story(settings.story_ids[0])
    articles, _ = ingest([*story.seeds, *story.corpus])
    prose = "\n\n".join(a.text for a in articles)
    extractor = ClaimExtractor(load_vocabulary(settings.seeds_dir, story.id))  # no time budget: measure it all
    commit = describe()
    print(f"Extraction time per MB by document shape (story {story.id}, commit {commit}); "
          "ratio = s/MB over prose's at the same size")
    print(f"{'shape':<14}" + "".join(f"{f'{s:g} MB s/MB':>14}{'ratio':>8}" for s in sizes) + f"{'growth':>9}")
    rows: dict[str, dict[str, float]] = {}
    per_mb: dict[tuple[str, float], float] = {}
    for name, make in shapes(prose).items():
        for size in sizes:
            text = make(int(size * 1_000_000))
            seconds, _ = measure(extractor, text)
            per_mb[(name, size)] = seconds / (len(text) / 1_000_000)
    for name in shapes(prose):
        line = f"{name:<14}"
        for size in sizes:
            ratio = per_mb[(name, size)] / per_mb[("prose", size)]
            line += f"{per_mb[(name, size)]:>14.2f}{ratio:>8.2f}"
            rows.setdefault(name, {})[f"s_per_mb_{size:g}mb"] = round(per_mb[(name, size)], 3)
            rows[name][f"ratio_to_prose_{size:g}mb"] = round(ratio, 3)
        growth = per_mb[(name, sizes[-1])] / per_mb[(name, sizes[0])]
        rows[name]["growth"] = round(growth, 3)
        print(line + f"{growth:>9.2f}")
    print(f"growth = s/MB at {sizes[-1]:g} MB over s/MB at {sizes[0]:g} MB (1.0 = linear)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"commit": commit, "sizes_mb": sizes, "shapes": rows}, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
