"""The README's table of scale figures, made from the named figures `python -m bench.scale_bench` writes to
var/bench/scale.json: each figure beside its baseline from the same run, and its target.

    python -m bench.scale_figures [var/bench/scale.json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from core.config import PROJECT_ROOT

DEFAULT = PROJECT_ROOT / "var" / "bench" / "scale.json"


def _num(x: float | None, fmt: str) -> str:
    return "-" if x is None else format(x, fmt)


def rows(f: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(figure, value, baseline, ratio, target) for every figure the run wrote."""
    out: list[tuple[str, str, str, str, str]] = []

    def add(name: str, value: float | None, base: float | None, fmt: str, target: str = "", ratio: bool = True,
            base_label: str = "") -> None:
        if value is None:
            return
        r = f"{value / base:.2f}x" if ratio and base else ""
        out.append((name, _num(value, fmt), (_num(base, fmt) + base_label) if base is not None else "", r, target))

    add("reports_per_s_per_core (extraction)", f.get("reports_per_s_per_core"), f.get("spacy_reports_per_s_per_core"),
        ",.0f", ">= 2,000", base_label=" (spaCy blank + matchers)")
    add("load_rows_per_s (load_claims of the extract step's Arrow table)", f.get("load_rows_per_s"),
        f.get("duckdb_arrow_insert_rows_per_s"), ",.0f", "ratio >= 0.8", base_label=" (DuckDB's own Arrow INSERT)")
    add("  the same claims loaded from Claim records", f.get("load_records_rows_per_s"),
        f.get("duckdb_arrow_insert_rows_per_s"), ",.0f", base_label=" (DuckDB's own Arrow INSERT)")
    add("prefect_share (flow wall outside the job functions)", f.get("prefect_share"), None, ".1%", "< 10%")
    add("rerun_1pct_share (flow)", f.get("rerun_1pct_share"), f.get("rerun_1pct_share_plain"), ".1%", "<= 5%",
        ratio=False, base_label=" (plain)")
    sizes = sorted(int(k.rsplit("_", 1)[1]) for k in f if k.startswith("growth_wall_s_at_"))
    if len(sizes) > 1:
        small = sizes[0]
        for n in sizes[1:]:
            add(f"peak_rss_mb, plain full run at {n:,} reports", f.get(f"peak_rss_mb_plain_at_{n}"),
                f.get(f"peak_rss_mb_plain_at_{small}"), ",.0f", "<= 1.5x", base_label=f" (at {small:,})")
            add(f"wall s, plain full run at {n:,} reports", f.get(f"growth_wall_s_at_{n}"),
                f.get(f"growth_wall_s_at_{small}"), ",.1f", f"about {n / small:.0f}x", base_label=f" (at {small:,})")
    return out


def table(f: dict[str, Any]) -> str:
    head = ("figure", "value", "baseline (same run)", "ratio", "target")
    body = rows(f)
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"  # noqa: E731
    return "\n".join([line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, body)])


def main(argv: list[str] | None = None) -> None:
    path = Path((argv or sys.argv[1:] or [str(DEFAULT)])[0])
    figures = json.loads(path.read_text(encoding="utf-8"))
    print(f"Scale figures of {path.name}: {figures.get('articles', 0):,} reports, seed {figures.get('seed')}, "
          f"{figures.get('cores')} cores, code {figures.get('commit')}")
    print(table(figures))


if __name__ == "__main__":
    main()
