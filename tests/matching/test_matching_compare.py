"""matching.compare: ordered comparison levels on intervals and what they mean."""

from __future__ import annotations

import math

import pytest

from core.records import Claim, Evidence, TimeSpan
from matching.compare import (
    LEVELS,
    TIME_TOLERANCE_MIN,
    claim_span,
    compare,
    format_value,
    hull,
    intersect,
    level_index,
    narrower,
    relation,
)

INF = math.inf


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (None, (16, 16), "null"),
        ((16, 16), (16, 16), "exact"),
        ((13, INF), (16, 16), "within"),  # "more than a dozen" and 16
        ((16, 16), (13, INF), "within"),
        ((10, 14), (12, 20), "overlap"),
        ((16, 16), (22, 22), "disjoint"),
        ((0, 0), (80, INF), "disjoint"),
        ((180, 220), (0, 200), "overlap"),
    ],
)
def test_levels(a: tuple[float, float] | None, b: tuple[float, float] | None, level: str) -> None:
    assert compare(a, b) == level
    assert compare(b, a) == level


def test_levels_are_ordered_from_close_to_far() -> None:
    assert LEVELS == ("null", "exact", "within", "overlap", "disjoint")
    assert [level_index(x) for x in LEVELS] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("level", "same_group", "expected"),
    [("exact", False, "agree"), ("overlap", True, "agree"), ("null", False, "agree"), ("within", False, "refine"),
     ("disjoint", True, "update"), ("disjoint", False, "conflict")],
)
def test_relation_depends_on_who_spoke(level: str, same_group: bool, expected: str) -> None:
    assert relation(level, same_group) == expected


def test_narrower_intersect_hull() -> None:
    assert narrower((16, 16), (13, INF)) and not narrower((13, INF), (16, 16))
    assert not narrower((16, 16), (16, 16))
    assert intersect([(13, INF), (16, 16), (12, INF)]) == (16, 16)
    assert intersect([(16, 16), (22, 22)]) is None
    assert hull([(16, 16), (22, 22), (13, INF)]) == (13, INF)


def test_event_times_compare_as_minutes_with_tolerance() -> None:
    ev = Evidence("a", "s", 0, 0, 1)

    def at(start: str, end: str, precision: str) -> Claim:
        return Claim(kind="event_time", evidence=ev, extractor_version="t",
                     when=TimeSpan(start, end, "x", precision))

    us = claim_span(at("2020-01-08T01:30+03:00", "2020-01-08T01:30+03:00", "minute"))
    iraq = claim_span(at("2020-01-08T01:45+03:00", "2020-01-08T01:45+03:00", "minute"))
    night = claim_span(at("2020-01-08T00:00+03:00", "2020-01-08T05:59+03:00", "part_of_day"))
    assert us is not None and us[1] - us[0] == 2 * TIME_TOLERANCE_MIN
    assert compare(us, iraq) == "overlap"  # a quarter of an hour apart: one event time
    assert compare(us, night) == "within"
    exact = us[0] + TIME_TOLERANCE_MIN
    assert format_value((exact, exact), "event_time") == "2020-01-07 22:30 UTC"


def test_format_value() -> None:
    assert format_value((16, 16)) == "16"
    assert format_value((13, None)) == "13+"
    assert format_value((180, 220)) == "180-220"
    assert format_value(None) == "-"
