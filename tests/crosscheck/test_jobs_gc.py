"""A run starts the cyclic garbage collector less often, and gives the threshold back however it ends."""

from __future__ import annotations

import gc

import pytest

from crosscheck.jobs import BATCH_GC_THRESHOLD, batch_gc


def test_batch_gc_raises_the_first_threshold_and_restores_it():
    before = gc.get_threshold()
    with batch_gc():
        assert gc.get_threshold() == (max(BATCH_GC_THRESHOLD, before[0]), before[1], before[2])
    assert gc.get_threshold() == before


def test_batch_gc_restores_the_threshold_when_the_run_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), batch_gc():
        raise RuntimeError("a run that fails")
    assert gc.get_threshold() == before


def test_batch_gc_never_lowers_a_higher_threshold():
    before = gc.get_threshold()
    gc.set_threshold(BATCH_GC_THRESHOLD * 3, before[1], before[2])
    try:
        with batch_gc():
            assert gc.get_threshold()[0] == BATCH_GC_THRESHOLD * 3
    finally:
        gc.set_threshold(*before)
