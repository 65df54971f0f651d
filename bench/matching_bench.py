"""Benchmark of cross-referencing: blocked alignment at 10k, 100k and 1M synthetic claims, beside all-pairs.

One job: show how matching's cost grows with the number of claims. Each size runs in its own process (so
peak memory is that size's own): synthetic articles and claims are generated, then
`matching.align.cross_reference` aligns them; the time of the alignment alone and the process's peak resident
memory are printed, with the growth ratio between sizes (time ratio against claim ratio: 10x the claims at
~10x the time is linear). Resident memory is shown before the alignment (the synthetic input alone) and at
the process's peak.

The baseline is what blocking replaces: every claim compared with every other by a rapidfuzz ratio on its
slot text (kind, subject as written, party, munition), and the values of pairs that match compared as
intervals. It runs on the sizes it can finish within `--budget` seconds; on larger ones it stops at the
budget and prints the time it would have needed at the rate it reached.

Synthetic data: one story per 5,000 claims; per story 6 kinds x 12 places (gazetteer aliases, or unlisted
names spelled two ways) x parties; ~10 claims per article from ~40 outlets over 60 days; sides US, Iraq, Iran
whose figures move over time, plus neutral outlets that mostly repeat a side's figure; 3% of articles are
near-verbatim reprints of another article.

    python -m bench.matching_bench [--sizes 10000,100000,1000000] [--budget 60] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz, process

from core.config import PROJECT_ROOT
from core.records import Article, Attribution, Claim, Evidence, Interval, content_hash
from extractors.vocabulary import Vocabulary, load_vocabulary
from matching.compare import claim_span, compare

CLAIMS_PER_STORY = 5_000
CLAIMS_PER_ARTICLE = 10
KINDS = (("munitions_launched", "missile"), ("munitions_hit", "missile"), ("munitions_hit", "rocket"),
         ("munitions_failed", "missile"), ("killed", None), ("injured", None), ("target", None))
PARTIES = ("US", "Iraqi", "coalition", "civilian")
SIDES = (("US", ("Mark Esper", "US Department of Defense", "US officials", "US Central Command")),
         ("Iraq", ("Iraqi Joint Operations Command", "Iraqi officials")),
         ("Iran", ("Islamic Revolutionary Guard Corps", "Iranian state media")))
OUTLETS = [f"Outlet {i}" for i in range(40)]
WORDS = ("missile", "base", "officials", "strike", "troops", "damage", "assessment", "statement", "night",
         "attack", "report", "casualties", "injuries", "Pentagon", "Baghdad", "Tehran", "bunker", "warning")
START = datetime(2020, 1, 7, 22, 0)


@dataclass(frozen=True, slots=True)
class Synthetic:
    articles: list[Article]
    claims: list[Claim]


def _places(vocab: Vocabulary, rng: random.Random) -> list[tuple[str, str, bool]]:
    """(subject, surface, known): gazetteer places as written in various aliases, and unlisted camps."""
    aliases: dict[str, list[str]] = {}
    for alias, place in vocab.places.items():
        if place.type in ("base", "city", "airport"):
            aliases.setdefault(place.canonical, []).append(alias)
    out = [(canon, rng.choice(names), True) for canon, names in sorted(aliases.items())]
    for k in range(1, 7):
        label = f"Camp Falcon-{k}"
        out.append((label, rng.choice([label, f"Camp Falcon {k}", f"camp Falcon-{k} base"]), False))
    return out


def synthetic(n_claims: int, vocab: Vocabulary, seed: int = 7) -> Synthetic:
    rng = random.Random(seed)
    places = _places(vocab, rng)
    articles: list[Article] = []
    claims: list[Claim] = []
    version = "bench"
    n_stories = max(1, n_claims // CLAIMS_PER_STORY)
    for s in range(n_stories):
        story = f"bench-{s:04d}"
        story_places = rng.sample(places, 12)
        # per slot and side: a sequence of figures over time (counts rise, totals get revised)
        truth: dict[tuple[str, str | None, str | None, str | None, str], list[tuple[float, int]]] = {}
        per_story = n_claims // n_stories
        n_articles = max(1, per_story // CLAIMS_PER_ARTICLE)
        story_articles = []
        for a in range(n_articles):
            when = START + timedelta(minutes=rng.randrange(60 * 24 * 60))
            if story_articles and rng.random() < 0.03:
                original = rng.choice(story_articles)
                text = original.text + f" Reprinted by {rng.choice(OUTLETS)}."
            else:
                text = " ".join(
                    " ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(5))
                text += f" Story {story} report {a}."
            art = Article(article_id=content_hash(text), text=text, outlet=rng.choice(OUTLETS),
                          published=when.isoformat(), story=story)
            story_articles.append(art)
        articles.extend(story_articles)
        for i in range(per_story):
            art = story_articles[i % n_articles]
            kind, munition = rng.choice(KINDS)
            party = rng.choice(PARTIES) if kind in ("killed", "injured") else None
            subject, surface, known = rng.choice(story_places) if kind != "killed" and kind != "injured" else (
                None, None, True)
            side_i = rng.randrange(len(SIDES) + 1)  # the last index: a neutral outlet voice
            value: Interval | None = None
            if kind != "target":
                side_name = SIDES[side_i][0] if side_i < len(SIDES) else SIDES[rng.randrange(len(SIDES))][0]
                seq = truth.setdefault((kind, subject, party, munition, side_name),
                                       sorted((float(rng.randrange(0, 40)), rng.randrange(60 * 24 * 60))
                                              for _ in range(rng.randint(1, 4))))
                pub = datetime.fromisoformat(art.published or START.isoformat())
                minute = int((pub - START).total_seconds() // 60)
                held = [v for v, t in seq if t <= minute] or [seq[0][0]]
                v = held[-1] if side_i < len(SIDES) or rng.random() < 0.95 else float(rng.randrange(50, 90))
                value = Interval(v, v, "exact", str(int(v))) if rng.random() < 0.9 else \
                    Interval(max(0.0, v - 3), None, "at_least", f"more than {int(v) - 3}")
            if side_i < len(SIDES):
                side, speakers = SIDES[side_i]
                att = Attribution(speaker=rng.choice(speakers), side=side, hedge="said")
            else:
                att = Attribution()
            at = (i // n_articles) * 40
            claims.append(Claim(
                kind=kind, value=value, munition=munition, party=party, subject=subject, subject_surface=surface,
                subject_known=known, attribution=att, extractor_version=version,
                evidence=Evidence(art.article_id, "synthetic sentence", at, at, at + 10),
            ))
    return Synthetic(articles, claims)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: kilobytes


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def run_blocked(n: int, seed: int) -> dict[str, float]:
    from matching.align import cross_reference

    vocab = load_vocabulary(PROJECT_ROOT / "seeds", "iran-2020")
    t0 = time.perf_counter()
    data = synthetic(n, vocab, seed)
    gen_s = time.perf_counter() - t0
    rss_before = _rss_mb()
    t1 = time.perf_counter()
    result = cross_reference(data.articles, data.claims, vocab)
    align_s = time.perf_counter() - t1
    return {
        "claims": len(data.claims), "articles": len(data.articles), "generate_s": gen_s, "align_s": align_s,
        "rss_before_mb": rss_before, "peak_mb": _peak_mb(), "facts": len(result.facts),
        "relations": len(result.relations), "conflicts": sum(1 for r in result.relations if r.relation == "conflict"),
        "pairs_in_blocks": result.candidate_pairs,
        "voices": len({v.voice_id for v in result.voices}),
    }


def run_all_pairs(n: int, seed: int, budget_s: float) -> dict[str, float]:
    """Every claim against every later one by rapidfuzz ratio on slot text; matched pairs' values compared."""
    vocab = load_vocabulary(PROJECT_ROOT / "seeds", "iran-2020")
    data = synthetic(n, vocab, seed)
    story = {a.article_id: a.story for a in data.articles}
    keys = [f"{story[c.evidence.article_id]}|{c.kind}|{c.subject_surface}|{c.party}|{c.munition}"
            for c in data.claims]
    spans = [claim_span(c) for c in data.claims]
    t0 = time.perf_counter()
    done = matched = conflicts = 0
    finished = True
    for i in range(len(keys)):
        for _, _, j in process.extract(keys[i], keys[i + 1:], scorer=fuzz.ratio, score_cutoff=95, limit=None):
            matched += 1
            if compare(spans[i], spans[i + 1 + j]) == "disjoint":
                conflicts += 1
        done += len(keys) - i - 1
        if time.perf_counter() - t0 > budget_s:
            finished = False
            break
    elapsed = time.perf_counter() - t0
    total = len(keys) * (len(keys) - 1) // 2
    return {"claims": len(keys), "finished": finished, "elapsed_s": elapsed, "pairs_done": done,
            "pairs_total": total, "estimated_s": elapsed * total / max(1, done), "matched_pairs": matched,
            "disjoint_pairs": conflicts, "peak_mb": _peak_mb()}


def _child(args: Sequence[str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-m", "bench.matching_bench", *args], check=True, capture_output=True,
                         text=True, cwd=PROJECT_ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.matching_bench", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated numbers of claims")
    p.add_argument("--budget", type=float, default=60.0, help="seconds the all-pairs baseline may run per size")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--child", choices=("blocked", "all-pairs"), help=argparse.SUPPRESS)
    p.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        res = run_blocked(args.n, args.seed) if args.child == "blocked" else run_all_pairs(args.n, args.seed,
                                                                                          args.budget)
        print(json.dumps(res))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print("blocked alignment (matching.align.cross_reference), one process per size")
    print(f"{'claims':>9} {'articles':>8} {'facts':>7} {'relations':>9} {'in-block pairs':>15} "
          f"{'align s':>8} {'claims/s':>9} {'input MB':>8} {'peak MB':>8} {'time x':>7} {'claims x':>8}")
    prev: dict[str, float] | None = None
    for n in sizes:
        r = _child(["--child", "blocked", "--n", str(n), "--seed", str(args.seed)])
        tx = f"{r['align_s'] / prev['align_s']:.1f}" if prev else "-"
        cx = f"{r['claims'] / prev['claims']:.0f}" if prev else "-"
        print(f"{r['claims']:>9,.0f} {r['articles']:>8,.0f} {r['facts']:>7,.0f} {r['relations']:>9,.0f} "
              f"{r['pairs_in_blocks']:>15,.0f} {r['align_s']:>8.2f} {r['claims'] / r['align_s']:>9,.0f} "
              f"{r['rss_before_mb']:>8,.0f} {r['peak_mb']:>8,.0f} {tx:>7} {cx:>8}", flush=True)
        prev = r
    print("input MB: resident memory once the synthetic articles and claims exist; peak MB: the process's peak")
    print(f"\nbaseline: all pairs by rapidfuzz ratio on slot text (budget {args.budget:g} s per size)")
    print(f"{'claims':>9} {'pairs':>16} {'done':>7} {'elapsed s':>10} {'needed s':>12} {'pairs/s':>12} "
          f"{'matched':>12}")
    for n in sizes:
        r = _child(["--child", "all-pairs", "--n", str(n), "--seed", str(args.seed), "--budget", str(args.budget)])
        needed = f"{r['elapsed_s']:.2f}" if r["finished"] else f"~{r['estimated_s']:,.0f} (est.)"
        share = r["pairs_done"] / max(1, r["pairs_total"])
        print(f"{r['claims']:>9,.0f} {r['pairs_total']:>16,.0f} {share:>7.1%} {r['elapsed_s']:>10.2f} "
              f"{needed:>12} {r['pairs_done'] / max(1e-9, r['elapsed_s']):>12,.0f} {r['matched_pairs']:>12,.0f}",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
