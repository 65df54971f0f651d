"""Quantities: numerals, number words, bounds, ranges and vague quantifiers as intervals."""

from __future__ import annotations

import pytest

from extractors.quantities import QuantityFinder, parse_number


@pytest.fixture(scope="module")
def finder(vocab):
    return QuantityFinder(vocab)


def values(finder, text):
    return [(q.value.low, q.value.high, q.value.qualifier) for q in finder.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Iran launched more than a dozen ballistic missiles", [(13, None, "at_least")]),
        ("sixteen missiles", [(16, 16, "exact")]),
        ("twenty-two missiles", [(22, 22, "exact")]),
        ("a hundred and ten troops", [(110, 110, "exact")]),
        ("at least 80 people", [(80, None, "at_least")]),
        ("more than 100 troops", [(101, None, "at_least")]),
        ("up to 22 missiles", [(0, 22, "at_most")]),
        ("about 200 wounded", [(180, 220, "approx")]),
        ("nearly a dozen rockets", [(10, 11, "approx")]),
        ("almost a dozen rockets", [(10, 11, "approx")]),
        ("a dozen missiles", [(10, 14, "approx")]),
        ("dozens of missiles", [(24, None, "vague")]),
        ("tens of missiles", [(20, None, "vague")]),
        ("several rockets", [(3, 9, "vague")]),
        ("six or seven rockets", [(6, 7, "range")]),
        ("between 15 and 22 missiles", [(15, 22, "range")]),
        ("15-16 missiles", [(15, 16, "range")]),
        ("5,000 troops", [(5000, 5000, "exact")]),
        ("from 15 to 20 missiles", [(15, 20, "range")]),
        # a change from one figure to another is two figures
        ("the toll rose from 21 to 32", [(21, 21, "exact"), (32, 32, "exact")]),
        ("the count was revised from 83 to 117", [(83, 83, "exact"), (117, 117, "exact")]),
    ],
)
def test_intervals(finder, text, expected):
    assert values(finder, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "on Jan. 8, 2020",  # a date and a year
        "at 1:34 a.m. local time",  # a clock time
        "about 180 km west of Baghdad",  # a distance
        "Fateh-313 missiles",  # a model name
        "under Article 51 of the UN Charter",
        "a 1953 coup",
        "the 2019-2020 season",
        "a 66-year-old general",
        "some 30 percent",
        "children, all of them younger than 15",  # ages
        "children under the age of 10",
    ],
)
def test_not_quantities(finder, text):
    assert values(finder, text) == []


def test_parse_number_words():
    assert parse_number("twenty two") == 22
    assert parse_number("one hundred and ten") == 110
    assert parse_number("1,500") == 1500
    assert parse_number("banana") is None
