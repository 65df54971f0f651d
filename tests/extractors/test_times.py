"""Clock times with and without a zone, read into the story's local time."""

from __future__ import annotations

import pytest

from extractors.times import find_time


@pytest.mark.parametrize(("sentence", "start"), [
    ("The ship was hit at 07:14 GMT on Wednesday.", "2024-06-12T10:14+03:00"),  # GMT is not local time
    ("The ship was hit at 0714 GMT on Wednesday.", "2024-06-12T10:14+03:00"),  # military style
    ("The ship was hit at 1930 hours on Wednesday.", "2024-06-12T19:30+03:00"),
    ("The ship was hit at 9:30 p.m. EDT on Wednesday.", "2024-06-13T04:30+03:00"),  # EDT is UTC-4
    ("The ship was hit at 10:14 local time on Wednesday.", "2024-06-12T10:14+03:00"),
])
def test_a_clock_time_is_read_in_its_own_zone(sentence, start):
    got = find_time(sentence, "2024-06-13", "2024-06-12", "+03:00")
    assert got is not None
    assert got[0].start == start


@pytest.mark.parametrize("sentence", [
    "The ship carried 2024 tonnes of coal.",  # four digits with no zone are not a time
    "Flight 1930 landed safely.",
])
def test_four_digits_without_a_zone_are_not_a_time(sentence):
    assert find_time(sentence, "2024-06-13", "2024-06-12", "+03:00") is None


@pytest.mark.parametrize(("sentence", "start", "end"), [
    # a night named by the day it runs into, or by both dates: the evening before to the morning of
    ("Drones hit the port overnight into Wednesday.", "2024-06-11T20:00+03:00", "2024-06-12T05:59+03:00"),
    ("Drones hit the port on the night of June 11-12.", "2024-06-11T20:00+03:00", "2024-06-12T05:59+03:00"),
    ("Drones hit the port on the night of 11 to 12 June.", "2024-06-11T20:00+03:00", "2024-06-12T05:59+03:00"),
])
def test_a_night_named_by_its_days(sentence, start, end):
    got = find_time(sentence, "2024-06-13", "2024-06-12", "+03:00")
    assert got is not None
    assert (got[0].start, got[0].end) == (start, end)
