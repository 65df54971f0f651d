"""matching.blocking: slot keys keep roles, places and parties apart; blocks grow linearly."""

from __future__ import annotations

import time
from typing import Any

from extractors.vocabulary import Vocabulary
from matching.blocking import all_pairs, block, pairs_within, slot_key
from matching.records import SlotKey


def test_slot_key_separates_role_place_party_and_munition(kit: Any) -> None:
    launched = kit.claim("munitions_launched", (16, 16), munition="missile")
    hit = kit.claim("munitions_hit", (16, 16), munition="missile")
    hit_asad = kit.claim("munitions_hit", (11, 11), munition="missile", subject="Al Asad")
    rockets = kit.claim("munitions_hit", (11, 11), munition="rocket", subject="Al Asad")
    us = kit.claim("killed", (0, 0), party="US")
    iraqi = kit.claim("killed", (0, 0), party="Iraqi")
    keys = [slot_key(c, "s", c.subject) for c in (launched, hit, hit_asad, rockets, us, iraqi)]
    assert len(set(keys)) == 6  # "launched" is not "hit"; "at Al Asad" is not "in total"; ...
    assert keys[2] == SlotKey("s", "munitions_hit", "Al Asad", None, "missile")


def test_block_groups_in_first_seen_order() -> None:
    a, b = SlotKey("s", "killed", None, "US", None), SlotKey("s", "killed", None, "Iraqi", None)
    blocks = block([a, b, a, a, b])
    assert list(blocks) == [a, b]
    assert blocks == {a: [0, 2, 3], b: [1, 4]}
    assert pairs_within(blocks.values()) == 3 + 1
    assert all_pairs(5) == 10


def test_corpus_compares_far_fewer_pairs_than_all_pairs(corpus: Any) -> None:
    n = len({c.claim_id for c in corpus.claims})
    assert corpus.result.candidate_pairs < all_pairs(n) / 3
    # relations are between value nodes, not claim pairs: far fewer again
    assert len(corpus.result.relations) < n


def test_alignment_cost_grows_about_linearly(kit: Any, vocab: Vocabulary) -> None:
    def claims(events: int) -> list[Any]:
        out = []
        for e in range(events):
            for i, (side, value) in enumerate([("US", 16), ("US", 16), ("Iraq", 22), (None, 13), ("US", 15)]):
                out.append(kit.claim("munitions_launched", (value, value), munition="missile",
                                     subject=f"Site {e}", surface=f"Site {e}", known=False,
                                     speaker="spk" if side else None, side=side,
                                     outlet=f"Outlet {i}", published=f"2020-01-0{1 + i}T00:00:00+00:00"))
        return out

    small, large = claims(100), claims(800)
    t0 = time.perf_counter()
    r_small = kit.match(small, vocab)
    t1 = time.perf_counter()
    r_large = kit.match(large, vocab)
    t2 = time.perf_counter()
    assert len(r_small.facts) == 100 and len(r_large.facts) == 800
    assert len(r_large.relations) == 8 * len(r_small.relations)  # relations per fact do not grow
    assert r_large.candidate_pairs == 8 * r_small.candidate_pairs
    assert (t2 - t1) < 8 * (t1 - t0) * 4  # 8x the claims, well under 64x the time
