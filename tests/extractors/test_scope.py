"""Time marks: what a clause's own time expression means, resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.scope import after_event, before_event, time_marks

EVENT = date(2020, 1, 8)
PUB = date(2020, 1, 9)  # a Thursday


@pytest.mark.parametrize(("text", "lo", "hi"), [
    ("in the 2019 bombing", date(2019, 1, 1), date(2019, 12, 31)),
    ("on Jan. 3", date(2020, 1, 3), date(2020, 1, 3)),
    ("on 3 January 2020", date(2020, 1, 3), date(2020, 1, 3)),
    ("in December", date(2019, 12, 1), date(2019, 12, 31)),
    ("last week", date(2019, 12, 30), date(2020, 1, 5)),
    ("last month", date(2019, 12, 1), date(2019, 12, 31)),
    ("on Friday", date(2020, 1, 3), date(2020, 1, 3)),
    ("two days earlier", date(2020, 1, 6), date(2020, 1, 6)),
    ("a year ago", date(2018, 10, 10), date(2019, 4, 10)),  # a quarter of the span either side
])
def test_marks_resolve_against_the_publication_date(text, lo, hi):
    [m] = time_marks(text, PUB, EVENT)
    assert (m.lo, m.hi) == (lo, hi)


@pytest.mark.parametrize(("text", "before", "after"), [
    ("in the 2019 bombing", True, False),
    ("late Tuesday, Jan. 7", False, False),  # the day before in Iraq is the event in Washington
    ("on Jan. 10", False, True),
    ("in March 2021", False, True),
    ("earlier this month", False, False),
])
def test_before_and_after_the_event(text, before, after):
    marks = time_marks(text, PUB, EVENT)
    assert any(before_event(m, EVENT) for m in marks) == before
    assert any(after_event(m, EVENT) for m in marks) == after


def test_a_year_inside_a_date_belongs_to_the_date():
    assert [m.text for m in time_marks("on January 3, 2020 and in 2019", PUB, EVENT)] == ["January 3, 2020", "2019"]


def test_may_as_a_verb_is_not_a_month():
    assert time_marks("officials may revise the count", PUB, EVENT) == []
