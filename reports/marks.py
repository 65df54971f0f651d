"""What a fact's timeline chart draws: the claims that would draw the same mark, as one record.

One job: aggregate a fact's claimed values into marks, in the warehouse. Claims with the same legend entry (their
comparison group and speaker, or for an outlet's own unattributed figure, the outlet), the same value interval
(which also fixes the mark's shape: dot, bar with whiskers, arrow up) and published the same UTC day are one
`TimelineMark`: drawn at the earliest of their publication times, carrying how many claims and reports (articles)
gave it, the outlets in the order they first published it (the first `OUTLETS_KEPT`, and how many in all) and every
way the value was written. One SQL statement per story (or per set of facts) groups the claims, so the Python work
for a chart and its data table follows the number of marks, not the number of claims; the claims themselves stay
in the warehouse (`fact_members`, `claims`).

Also the words the chart's tooltips and data table use for a mark's outlets and spellings ("Reuters, AP, CNN and
39 more"), shared so that both say the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

import duckdb

from reports import labels

Value = tuple[float, float | None]

OUTLETS_KEPT = 4  # outlets a mark names; the rest are counted ("and 39 more")
SPELLINGS_SHOWN = 3  # values as written a mark shows; the rest are counted


class TimelineMark(NamedTuple):
    """The claims of one fact that draw one mark: same group and speaker, same value, same UTC publication day.
    A named tuple: a story has one per drawn mark (thousands on a large story)."""

    fact_id: str
    group: str
    side: str | None  # the side of its earliest claim
    speaker: str | None  # canonical speaker; None = the outlet's own voice (then `own_outlet` is that outlet)
    own_outlet: str | None
    value: Value
    published: datetime | None  # the earliest publication time (UTC) of its claims; None: undated articles
    first_claim: str  # the claim id of its earliest claim (publication time, then id): orders the legend
    claims: int
    reports: int  # distinct articles
    outlets: tuple[str | None, ...]  # by first publication of the value, then name; at most OUTLETS_KEPT
    outlet_count: int
    spellings: tuple[str, ...]  # the value as written, each way once, the most frequent first

    @property
    def who(self) -> str:
        return labels.speaker_label(self.speaker, self.own_outlet)


_MARKS_SQL = """
WITH members AS (
    SELECT m.fact_id, m.claim_id, m.article_id, m.comparison_group AS grp, m.side, m.value_low AS low,
           m.value_high AS high, m.published, CAST(m.published AS DATE) AS day,
           coalesce(c.value_text, c.when_text) AS said, nullif(c.speaker, '') AS speaker, a.outlet
    FROM fact_members AS m
    LEFT JOIN claims AS c ON c.claim_id = m.claim_id
    LEFT JOIN articles AS a ON a.article_id = m.article_id
    WHERE m.story = ? AND m.value_low IS NOT NULL {facts}
), keyed AS (
    SELECT *, CASE WHEN speaker IS NULL THEN outlet END AS own,
           dense_rank() OVER (ORDER BY fact_id, grp, speaker, CASE WHEN speaker IS NULL THEN outlet END, low, high,
                                       day) AS mark
    FROM members
), marks AS (
    SELECT mark, fact_id, grp, speaker, own, low, high, min(published) AS published,
           first(claim_id ORDER BY published NULLS LAST, claim_id) AS first_claim,
           first(side ORDER BY published NULLS LAST, claim_id) AS side,
           count(*) AS claims, count(DISTINCT article_id) AS reports
    FROM keyed GROUP BY mark, fact_id, grp, speaker, own, low, high
), outlets AS (
    SELECT mark, list_slice(list(outlet ORDER BY published NULLS LAST, outlet NULLS LAST), 1, ?) AS outlets,
           count(*) AS outlet_count
    FROM (SELECT mark, outlet, min(published) AS published FROM keyed GROUP BY mark, outlet)
    GROUP BY mark
), spellings AS (
    SELECT mark, list({{'said': said, 'n': n}}) AS spellings
    FROM (SELECT mark, said, count(*) AS n FROM keyed WHERE said IS NOT NULL GROUP BY mark, said)
    GROUP BY mark
)
SELECT fact_id, grp, side, speaker, own, low, high, published, first_claim, claims, reports, outlets,
       outlet_count, spellings
FROM marks JOIN outlets USING (mark) LEFT JOIN spellings USING (mark)
ORDER BY fact_id, published NULLS LAST, low, high NULLS LAST, grp, speaker NULLS FIRST, own NULLS FIRST
"""
_FACT_FILTER = "AND m.fact_id IN (SELECT unnest(?))"


def marks_sql(fact_ids: Sequence[str] | None = None) -> str:
    """The statement that aggregates a story's claims (or some facts' claims) into marks. Parameters: the story,
    the fact ids when given, the number of outlets kept per mark."""
    return _MARKS_SQL.format(facts="" if fact_ids is None else _FACT_FILTER)


def spellings_of(rows: Sequence[dict[str, Any]] | None) -> tuple[str, ...]:
    """Each way a value was written, stripped, once, the most frequent first (then alphabetically)."""
    counts: dict[str, int] = {}
    for r in rows or ():
        text = (r["said"] or "").strip()
        if text:
            counts[text] = counts.get(text, 0) + int(r["n"])
    return tuple(sorted(counts, key=lambda t: (-counts[t], t)))


def load_marks(con: duckdb.DuckDBPyConnection, story: str, fact_ids: Sequence[str] | None = None
               ) -> dict[str, tuple[TimelineMark, ...]]:
    """The marks of each fact's timeline (or of some facts'), by earliest publication time: what the charts draw
    and their data tables list. Undated claims are marks too (`published` None): counted, not drawn."""
    params: list[Any] = [story] if fact_ids is None else [story, list(fact_ids)]
    out: dict[str, list[TimelineMark]] = {}
    for (fact_id, group, side, speaker, own, low, high, published, first_claim, claims, reports, outlets,
         outlet_count, spellings) in con.execute(marks_sql(fact_ids), [*params, OUTLETS_KEPT]).fetchall():
        out.setdefault(fact_id, []).append(TimelineMark(
            fact_id, group, side, speaker, own, (float(low), None if high is None else float(high)), published,
            first_claim, int(claims), int(reports), tuple(outlets), int(outlet_count), spellings_of(spellings)))
    return {k: tuple(v) for k, v in out.items()}


def outlet_names(mark: TimelineMark, shown: int = OUTLETS_KEPT) -> str:
    """'Reuters', or 'Reuters, AP, CNN and 39 more' (in the order they first published the value)."""
    names = [o or "unknown outlet" for o in mark.outlets[:shown]]
    more = mark.outlet_count - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def spelled(mark: TimelineMark, shown: int = SPELLINGS_SHOWN) -> str:
    """The value as written: 'sixteen'; several ways quoted: '“16”, “sixteen” and 2 more'; '' when none."""
    if len(mark.spellings) <= 1:
        return mark.spellings[0] if mark.spellings else ""
    more = len(mark.spellings) - shown
    return "“" + "”, “".join(mark.spellings[:shown]) + "”" + (f" and {more} more" if more > 0 else "")
