"""Whose figure a claim is: the side that decides update-versus-conflict.

One job: a claim's effective side and where it came from. The speaker's side (speakers.csv, carried on
`attribution.side`) wins; a claim in the outlet's own voice (speaker None) takes the outlet's side from
seeds/outlets.csv when the outlet speaks for one (state or government media); everything else is neutral:
a named speaker whose side is unknown, or an independent outlet. Neutral claims support whichever side's
figure they match (matching/timeline.py).
"""

from __future__ import annotations

from core.records import Article, Claim
from matching.reference import Reference

SIDE_SOURCES = ("attribution", "outlet", "unknown_speaker", "neutral")


def claim_side(claim: Claim, article: Article | None, reference: Reference) -> tuple[str | None, str]:
    """(side or None, how it was decided: one of SIDE_SOURCES)."""
    att = claim.attribution
    if att.side:
        return att.side, "attribution"
    if att.speaker:
        return None, "unknown_speaker"
    if article is not None:
        outlet = reference.outlet(article.outlet, article.url)
        if outlet is not None and outlet.side:
            return outlet.side, "outlet"
    return None, "neutral"
