"""Google Fact Check Tools claim search as a source: each claimReview of a matching claim is a report.

One job: one `claims:search` request (`[sources] factcheck_query`, else the story's first query term;
`languageCode` and `pageSize` from [sources]) and each claimReview in the answer turned into a text
report: the claim, who made it and when, the fact-checker's rating and the review's title. The review's
URL, publisher, title and date become the candidate's url, outlet, title and published; claim, claimant,
rating and claim date are kept in `Candidate.extra`.

Runs only when the environment holds an API key (`CROSSCHECK_FACTCHECK_KEY`); the key travels in the
query string, so it is replaced by *** in every recorded outcome.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote, urlencode

from core.records import Rejected
from sources.adapters.base import Candidate, Source, SourceContext
from sources.html import normalise_date

NAME = "factcheck"
KEY_ENV = "CROSSCHECK_FACTCHECK_KEY"


def api_key(environ: Mapping[str, str]) -> str | None:
    """The Fact Check Tools API key from the environment, or None."""
    key = environ.get(KEY_ENV, "").strip()
    return key or None


def search_url(base_url: str, query: str, key: str, language: str, page_size: int) -> str:
    params = {"query": query, "key": key, "languageCode": language, "pageSize": str(page_size)}
    return f"{base_url}?{urlencode({k: v for k, v in params.items() if v}, quote_via=quote)}"


def claim_text(claim: Mapping[str, Any], review: Mapping[str, Any]) -> str:
    """The report body for one review of one claim."""
    said = _text(claim.get("text")) or "(claim text not given)"
    who = _text(claim.get("claimant"))
    when = _text(claim.get("claimDate"))
    publisher = _publisher(review) or "the fact-checker"
    lines = [f"Claim: {said}"]
    if who or when:
        lines.append("Claimed by " + ", ".join(p for p in (who, f"on {when[:10]}" if when else None) if p) + ".")
    rating = _text(review.get("textualRating"))
    if rating:
        lines.append(f"Rating by {publisher}: {rating}.")
    title = _text(review.get("title"))
    if title:
        lines.append(f"Review: {title}")
    return "\n".join(lines)


def parse_claims(body: bytes | None) -> tuple[list[dict[str, Any]], str | None]:
    """(claims, problem) of a claims:search answer; `{}` is no claims, not a problem."""
    text = (body or b"").decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [], f"Fact Check answered malformed JSON: {exc}"
    if not isinstance(data, dict):
        return [], "Fact Check answered JSON of an unexpected shape"
    if isinstance(data.get("error"), dict):
        return [], f"Fact Check API error: {data['error'].get('message', data['error'])}"
    claims = data.get("claims", [])
    if not isinstance(claims, list):
        return [], "Fact Check answer has a 'claims' value that is not a list"
    return [c for c in claims if isinstance(c, dict)], None


def iter_reports(ctx: SourceContext) -> Iterator[Candidate | Rejected]:
    """One claim search; one candidate per claimReview (at most `max_reports`)."""
    key = api_key(ctx.environ)
    if key is None:
        ctx.end("skipped", f"{KEY_ENV} is not set")
        return
    opts = ctx.options
    query = opts.factcheck_query.strip() or (ctx.story.query_terms[0] if ctx.story.query_terms else ctx.story.title)
    url = search_url(opts.factcheck_base_url, query, key, opts.factcheck_language, opts.factcheck_page_size)
    result = ctx.fetch(url, api=True, secret=key)
    if result is None or not result.ok:
        return
    claims, problem = parse_claims(result.body)
    if problem is not None:
        ctx.end("failed", problem)
        return
    if not claims:
        ctx.note(f"Fact Check found no reviewed claims for {query!r}")
        return
    made = 0
    for claim in claims:
        reviews = claim.get("claimReview")
        for review in reviews if isinstance(reviews, list) else []:
            if made >= opts.max_reports:
                ctx.note(f"more reviews than max_reports ({opts.max_reports}); the rest were not read")
                return
            if not isinstance(review, dict):
                continue
            made += 1
            yield _candidate(ctx, claim, review)


def _candidate(ctx: SourceContext, claim: Mapping[str, Any], review: Mapping[str, Any]) -> Candidate | Rejected:
    url = _text(review.get("url"))
    if not url or not url.lower().startswith(("http://", "https://")):
        said = (_text(claim.get("text")) or "?")[:80]
        return Rejected(input=f"claimReview of {said!r}", stage="parse", reason="claimReview without a URL",
                        source=NAME)
    published = _date(ctx, review.get("reviewDate")) or _date(ctx, claim.get("claimDate"))
    extra = {k: v for k, v in {
        "claim": _text(claim.get("text")),
        "claimant": _text(claim.get("claimant")),
        "claim_date": _text(claim.get("claimDate")),
        "rating": _text(review.get("textualRating")),
        "language": _text(review.get("languageCode")),
    }.items() if v}
    first = ctx.claim(url)
    return Candidate(
        url=url, source=NAME, title=_text(review.get("title")) or _text(claim.get("text")),
        outlet=_publisher(review), published=published, date_signal="claim review" if published else None,
        text=None if first else claim_text(claim, review), extra=extra,
        dropped=f"duplicate URL: already proposed by {first}" if first else None,
    )


def _publisher(review: Mapping[str, Any]) -> str | None:
    pub = review.get("publisher")
    if isinstance(pub, dict):
        return _text(pub.get("name")) or _text(pub.get("site"))
    return None


def _date(ctx: SourceContext, value: Any) -> str | None:
    text = _text(value)
    return normalise_date(text, now=ctx.now) if text else None


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


SOURCE = Source(name=NAME, online=True, iter_reports=iter_reports)
