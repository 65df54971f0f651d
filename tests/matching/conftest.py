"""Fixtures for the matching tests: the bundled corpus matched once per session, and a synthetic-claim kit."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

import pytest

from core.config import PROJECT_ROOT
from core.records import Article, Attribution, Claim, Evidence, Interval, Rejected, content_hash
from extractors.claims import ClaimExtractor
from extractors.vocabulary import Vocabulary
from matching.align import cross_reference
from matching.records import MatchResult
from sources.files import ingest

SEEDS = PROJECT_ROOT / "seeds"


@dataclass(frozen=True)
class Corpus:
    articles: list[Article]
    rejected: list[Rejected]
    claims: list[Claim]
    result: MatchResult

    def article(self, name: str) -> Article:
        """The article read from the file whose name starts with `name` ("14-", "seed-")."""
        return next(a for a in self.articles if (a.path or "").rsplit("/", 1)[-1].startswith(name))


@pytest.fixture(scope="session")
def corpus(vocab: Vocabulary, extractor: ClaimExtractor) -> Corpus:
    articles, rejected = ingest([SEEDS / "corpus" / "iran-2020", SEEDS / "articles" / "iran-2020"], story="iran-2020")
    claims = [c for a in articles for c in extractor.extract(a)]
    return Corpus(articles, rejected, claims, cross_reference(articles, claims, vocab))


@dataclass
class Kit:
    """Builds articles and claims by hand: one article per (outlet, date), claims with any slot and speaker."""

    story: str = "iran-2020"
    articles: dict[tuple[str, str], Article] = field(default_factory=dict)
    _n: count = field(default_factory=count)

    def article(self, outlet: str, published: str, text: str | None = None, byline: str | None = None,
                url: str | None = None) -> Article:
        key = (outlet, published)
        if key not in self.articles:
            body = text or f"Report {next(self._n)} by {outlet} on {published}: figures on the strike."
            self.articles[key] = Article(article_id=content_hash(body), text=body, outlet=outlet,
                                         published=published, byline=byline, url=url, story=self.story)
        return self.articles[key]

    def claim(self, kind: str, value: tuple[float, float | None] | None, *, outlet: str = "CNN",
              published: str = "2020-01-08T12:00:00+00:00", speaker: str | None = None, side: str | None = None,
              party: str | None = None, munition: str | None = None, subject: str | None = None,
              surface: str | None = None, known: bool = True, start: int | None = None,
              text: str | None = None) -> Claim:
        art = self.article(outlet, published)
        at = next(self._n) * 10 if start is None else start
        interval = None if value is None else Interval(value[0], value[1], "exact", text or str(value[0]))
        return Claim(
            kind=kind, value=interval, munition=munition, party=party, subject=subject,
            subject_surface=surface or subject, subject_known=known,
            attribution=Attribution(speaker=speaker, surface=speaker, side=side, hedge="said" if speaker else None),
            evidence=Evidence(article_id=art.article_id, sentence=f"sentence at {at}", sentence_start=at,
                              start=at, end=at + 5),
            extractor_version="test",
        )

    def match(self, claims: list[Claim], vocab: Vocabulary) -> MatchResult:
        return cross_reference(list(self.articles.values()), claims, vocab)


@pytest.fixture
def kit() -> Kit:
    return Kit()
