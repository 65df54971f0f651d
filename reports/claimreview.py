"""schema.org ClaimReview (JSON-LD) for what crosscheck has judged: every fact's verdict and every reviewed discrepancy.

One job: read the judged facts and reviewed discrepancies and map each to one ClaimReview object
(the README's Export section has the same mapping as a table):

- `claimReviewed`: the fact in words with each group's current figure and who gave it (a fact), or with both
  sides' figures and who gave them (a discrepancy);
- `itemReviewed`: a `Claim` whose `appearance` lists the articles of those figures;
- `reviewRating`: a `Rating`; `alternateName` is the verdict in words: the fact's (Conflict, Figure moved,
  Single source, Consistent, Agreed; `ratingExplanation` = `explanation`) or the reviewer's (Real discrepancy,
  Extraction error, Resolved; `ratingExplanation` = the note);
- `datePublished`: when the fact's verdict was reached (`fact_verdicts.matched_at`) or the discrepancy reviewed
  (`reviewed_at`); `author`: `[export] author_name` and `author_url`; `identifier`: `fact_id` or
  `discrepancy_key`.

An appearance is a `CreativeWork` with the article's `url` (http(s) only), `headline`, `datePublished` (as the
article gives it), `publisher` (an Organization named by the outlet) and `author`: the claim's speaker, a Person or
an Organization (a listed speaker's type from seeds/speakers.csv; unlisted: an Organization when the speaker is its
own organisation, else a Person), with its organisation as `affiliation`, or the outlet for its own voice.
What ClaimReview has no property for is a `PropertyValue` under `additionalProperty` (absent when null; an
absent `*_high` with its `*_low` present means open above; for `event_time` values are minutes since 1970-01-01
UTC, `unitText` says so): see FACT_PROPERTIES and DISCREPANCY_PROPERTIES.

Only discrepancies whose `review_state` is `reviewed` are written: a verdict whose evidence has changed since
(`changed`) waits for its re-review.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from core.errors import ConfigError
from extractors.vocabulary import load_vocabulary
from reports import labels
from reports.export_filter import RowFilter, conditions
from reports.model import rows, safe_url
from reports.review import VERDICT_LABELS as REVIEW_LABELS

CONTEXT = "https://schema.org"
TIME_UNIT = "minutes since 1970-01-01 UTC"
FACT_PROPERTIES = ("story", "fact_id", "verdict", "kind", "subject", "party", "munition", "consensus_low",
                   "consensus_high", "spread_low", "spread_high", "voices", "sides", "claims", "conflicts", "updates")
DISCREPANCY_PROPERTIES = ("story", "discrepancy_key", "fact_id", "verdict", "kind", "subject", "party", "munition",
                          "scope", "value_low_a", "value_high_a", "side_a", "value_low_b", "value_high_b", "side_b")
_VALUES = frozenset({"consensus_low", "consensus_high", "spread_low", "spread_high", "value_low_a", "value_high_a",
                     "value_low_b", "value_high_b"})


@dataclass(frozen=True, slots=True)
class Author:
    """The organisation a ClaimReview names as its author (`[export] author_name`, `author_url`)."""

    name: str = "crosscheck"
    url: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    """One claim and the article it appeared in."""

    claim_id: str
    article_id: str | None
    speaker: str | None
    organisation: str | None
    value_text: str | None  # the value as written (for event times, the time as written)
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None


def _clean(node: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON-LD node without the properties that have no value."""
    return {k: v for k, v in node.items() if v is not None and v != [] and v != ""}


def _iso(t: datetime | None) -> str | None:
    return None if t is None else t.isoformat(timespec="seconds") + "Z"


def organisation(name: str | None) -> dict[str, Any] | None:
    return None if not name else {"@type": "Organization", "name": name}


def speaker_node(src: Source, people: Mapping[str, bool]) -> dict[str, Any] | None:
    """Who made the claim: the speaker as a Person or an Organization, or the outlet for its own voice."""
    if not src.speaker:
        return organisation(src.outlet)
    person = people.get(src.speaker)
    if person is None:
        person = src.organisation != src.speaker
    if not person:
        return organisation(src.speaker)
    affiliation = organisation(src.organisation) if src.organisation != src.speaker else None
    return _clean({"@type": "Person", "name": src.speaker, "affiliation": affiliation})


def appearance(src: Source, people: Mapping[str, bool]) -> dict[str, Any]:
    """The article a claim appeared in, as a CreativeWork."""
    return _clean({"@type": "CreativeWork", "url": safe_url(src.url), "headline": src.title,
                   "datePublished": src.published, "publisher": organisation(src.outlet),
                   "author": speaker_node(src, people)})


def prop(name: str, value: Any, kind: str) -> dict[str, Any]:
    unit = TIME_UNIT if name in _VALUES and kind == labels.TIME_KIND else None
    return _clean({"@type": "PropertyValue", "name": name, "value": value, "unitText": unit})


def properties(row: Mapping[str, Any], names: Sequence[str]) -> list[dict[str, Any]]:
    """The row's numbers and slot as PropertyValues, in `names` order; nulls are left out."""
    return [prop(n, row[n], row["kind"]) for n in names if row.get(n) is not None]


def figure(low: float | None, high: float | None, kind: str, written: str | None) -> str:
    """A value in words, with the words the report used when they differ: '24+ ("dozens")'."""
    shown = labels.format_value(None if low is None else (low, high), kind)
    text = " ".join((written or "").split())
    return f'{shown} ("{text}")' if text and text != shown else shown


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def said(label: str, kind: str, figures: Sequence[tuple[str, str | None]]) -> str:
    """'<fact> — A put it at 22, B at 16.'; for a fact without figures (a target, who is responsible):
    '<fact>, according to A and B.'"""
    whos = list(dict.fromkeys(who for who, _ in figures))
    numbered = [(who, f) for who, f in figures if f is not None]
    if kind in labels.NAMED_KINDS or not numbered:
        return f"{label}, according to {_and(whos)}." if whos else f"{label}."
    parts = [f"{who} put it at {f}" if i == 0 else f"{who} at {f}" for i, (who, f) in enumerate(numbered)]
    return f"{label} — {', '.join(parts)}."


def _review(identifier: str, sentence: str, sources: Iterable[Source], people: Mapping[str, bool],
            rating: str, explanation: str | None, date: datetime | None, author: Author,
            extra: list[dict[str, Any]]) -> dict[str, Any]:
    seen: dict[tuple[str | None, str | None], dict[str, Any]] = {}
    for src in sources:  # one appearance per article and speaker
        seen.setdefault((src.article_id, src.speaker), appearance(src, people))
    return _clean({
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "identifier": identifier,
        "claimReviewed": sentence,
        "itemReviewed": {"@type": "Claim", "appearance": list(seen.values())},
        "reviewRating": _clean({"@type": "Rating", "alternateName": rating, "ratingExplanation": explanation}),
        "author": _clean({"@type": "Organization", "name": author.name, "url": author.url}),
        "datePublished": _iso(date),
        "additionalProperty": extra,
    })


def fact_review(row: Mapping[str, Any], sources: Mapping[str, Source], author: Author,
                people: Mapping[str, bool]) -> dict[str, Any]:
    """One fact (a `fact_consensus` row with `matched_at`) as a ClaimReview; `sources` by claim id."""
    kind = row["kind"]
    groups = _groups(row["current_by_side"])
    shown: list[Source] = []
    figures: list[tuple[str, str | None]] = []
    for g in groups:
        src = sources.get(g.get("claim_id") or "")
        outlet = src.outlet if src else g.get("voice_id")
        who = labels.speaker_label(g.get("speaker"), outlet)
        low = g.get("value_low")
        figures.append((who, None if low is None else figure(low, g.get("value_high"), kind,
                                                              src.value_text if src else None)))
        if src:
            shown.append(src)
    label = labels.fact_label(kind, row["subject"], row["party"], row["munition"])
    return _review(row["fact_id"], said(label, kind, figures), shown, people,
                   labels.VERDICT_LABELS.get(row["verdict"], row["verdict"]), row["explanation"], row["matched_at"],
                   author, properties(row, FACT_PROPERTIES))


def discrepancy_review(row: Mapping[str, Any], sources: Mapping[str, Source], author: Author,
                       people: Mapping[str, bool]) -> dict[str, Any]:
    """One reviewed discrepancy (a `discrepancy_review` row) as a ClaimReview; `sources` by claim id."""
    kind = row["kind"]
    figures = []
    shown = []
    for s in ("a", "b"):
        written = row[f"value_text_{s}"] if row[f"value_text_{s}"] is not None else row[f"when_text_{s}"]
        who = labels.speaker_label(row[f"speaker_{s}"], row[f"outlet_{s}"])
        low = row[f"value_low_{s}"]
        figures.append((who, None if low is None else figure(low, row[f"value_high_{s}"], kind, written)))
        src = sources.get(row[f"claim_{s}"] or "")
        if src:
            shown.append(src)
    label = labels.fact_label(kind, row["subject"], row["party"], row["munition"])
    return _review(row["discrepancy_key"], said(label, kind, figures), shown, people,
                   REVIEW_LABELS.get(row["verdict"], row["verdict"]), row["note"], row["reviewed_at"], author,
                   properties(row, DISCREPANCY_PROPERTIES))


def load_sources(con: duckdb.DuckDBPyConnection, claim_ids: Iterable[str]) -> dict[str, Source]:
    """The claims with these ids and their articles."""
    ids = sorted({c for c in claim_ids if c})
    if not ids:
        return {}
    found = con.execute("""
        SELECT c.claim_id, c.article_id, c.speaker, c.organisation, coalesce(c.value_text, c.when_text), a.url,
               a.title, a.outlet, a.published
        FROM claims AS c LEFT JOIN articles AS a ON a.article_id = c.article_id
        WHERE c.claim_id IN (SELECT unnest(?))""", [ids]).fetchall()
    return {r[0]: Source(*r) for r in found}


def _filtered(sql: str, columns: Sequence[str], flt: RowFilter, alias: str) -> tuple[str, list[Any]]:
    where, params = conditions(columns, flt, alias=alias, story_expr=f"{alias}.story")
    return sql + "".join(f" AND {w}" for w in where), params


def load_facts(con: duckdb.DuckDBPyConnection, flt: RowFilter) -> list[dict[str, Any]]:
    """Every fact with its verdict (`fact_consensus`) and when the verdict was reached, within the filter."""
    sql, params = _filtered("SELECT c.*, v.matched_at FROM fact_consensus AS c "
                            "JOIN fact_verdicts AS v ON v.fact_id = c.fact_id WHERE true",
                            ("story", "run_id"), flt, "c")
    return rows(con, sql + " ORDER BY c.story, c.kind, c.fact_id", params)


def load_reviewed(con: duckdb.DuckDBPyConnection, flt: RowFilter) -> list[dict[str, Any]]:
    """Every discrepancy whose latest verdict was given on its current evidence, within the filter."""
    sql, params = _filtered("SELECT * FROM discrepancy_review AS d WHERE d.review_state = 'reviewed'",
                            ("story", "run_id", "reviewed_at"), flt, "d")
    return rows(con, sql + " ORDER BY d.story, d.kind, d.discrepancy_key", params)


def listed_people(seeds_dir: Path | None, stories: Iterable[str]) -> dict[str, bool]:
    """{canonical speaker: is a person} from each story's vocabulary (seeds/speakers.csv); {} without seeds."""
    out: dict[str, bool] = {}
    if seeds_dir is None:
        return out
    for story in sorted(set(stories)):
        try:
            vocab = load_vocabulary(seeds_dir, story)
        except (ConfigError, OSError):
            continue  # a story without its file: unlisted speakers are typed by their organisation
        for sp in vocab.speakers.values():
            out.setdefault(sp.canonical, sp.is_person)
    return out


def story_reviews(con: duckdb.DuckDBPyConnection, flt: RowFilter, author: Author,
                  seeds_dir: Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """{story: its ClaimReviews}: facts first (by kind), then reviewed discrepancies, within the filter."""
    facts = load_facts(con, flt)
    reviewed = load_reviewed(con, flt)
    claim_ids = [g.get("claim_id") for f in facts for g in _groups(f["current_by_side"])]
    claim_ids += [r[f"claim_{s}"] for r in reviewed for s in ("a", "b")]
    sources = load_sources(con, [c for c in claim_ids if c])
    people = listed_people(seeds_dir, [r["story"] for r in (*facts, *reviewed)])
    out: dict[str, list[dict[str, Any]]] = {}
    for f in facts:
        out.setdefault(f["story"], []).append(fact_review(f, sources, author, people))
    for r in reviewed:
        out.setdefault(r["story"], []).append(discrepancy_review(r, sources, author, people))
    return out


def _groups(current: Any) -> list[dict[str, Any]]:
    return json.loads(current) if isinstance(current, str) else list(current or [])
