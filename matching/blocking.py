"""Blocking: group claims by slot so that only claims about the same thing are ever compared.

One job: the slot key and the blocks. A slot is (story, kind, subject entity, party, munition): "launched" is
not "hit" (kind), "at Al Asad" is not "in total" (subject None vs a place), US killed is not Iraqi killed
(party). Grouping is one hash pass, so cost grows linearly with the number of claims; the comparisons that
follow are inside blocks only, and `pairs_within` says how many an all-pairs comparison would have needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from core.records import Claim
from matching.records import SlotKey


def slot_key(claim: Claim, story: str, subject: str | None) -> SlotKey:
    """The slot of a claim, given its story and its canonical subject entity."""
    return SlotKey(story=story, kind=claim.kind, subject=subject, party=claim.party, munition=claim.munition)


def block(keys: Iterable[SlotKey]) -> dict[SlotKey, list[int]]:
    """{slot: positions of the claims in it}, in first-seen order of slots and of claims."""
    blocks: dict[SlotKey, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        blocks[key].append(i)
    return dict(blocks)


def pairs_within(blocks: Iterable[Sequence[int]]) -> int:
    """Claim pairs that share a block: the most any comparison inside blocks could look at."""
    return sum(len(b) * (len(b) - 1) // 2 for b in blocks)


def all_pairs(n: int) -> int:
    return n * (n - 1) // 2
