"""Work per document is bounded: extraction is linear in a document's length whatever its shape (prose, one
unpunctuated run, a table dump, a transcript of many quotes), and a document that still takes too long is
abandoned with an error naming it, while the documents around it are extracted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.hostile_bench import table_dump, unpunctuated
from core.config import PROJECT_ROOT, load_settings
from core.errors import BudgetError
from core.records import Article, content_hash
from crosscheck.jobs import extract_chunk
from extractors.claims import ClaimExtractor
from extractors.vocabulary import load_vocabulary

SEEDS = PROJECT_ROOT / "seeds"


@pytest.fixture(scope="module")
def vocab():  # type: ignore[no-untyped-def]
    return load_vocabulary(SEEDS, "iran-2020")


def doc(text: str, path: str) -> Article:
    return Article(content_hash(text), text, title="dump", published="2020-01-09", path=path)


def seed_report() -> Article:
    path = sorted((SEEDS / "articles" / "iran-2020").glob("*"))[0]
    from sources.files import read_document

    got = read_document(path)
    assert isinstance(got, Article)
    return got


def test_a_document_over_the_budget_is_an_error_naming_it_and_the_rest_are_extracted(vocab) -> None:
    extractor = ClaimExtractor(vocab, budget_s=0.2)
    slow = doc(table_dump(30_000), "/data/dump.txt")  # about 2 MB: several seconds of work
    good = seed_report()
    claims, marks, rejected, _ = extract_chunk([slow, good], extractor)
    assert [r.input for r in rejected] == ["/data/dump.txt"]
    reason = rejected[0].reason
    assert rejected[0].stage == "extract" and reason.startswith("BudgetError")
    assert "per-document budget of 0.2 s" in reason and "max_extract_s" in reason and "characters" in reason
    assert [m.article_id for m in marks] == [good.article_id]
    assert claims and {c.evidence.article_id for c in claims} == {good.article_id}
    # the same extractor without a budget reads both, and the good one gives the same claims
    unbounded = ClaimExtractor(vocab)
    assert unbounded.extract(good) == claims


def test_the_budget_error_says_how_far_extraction_got(vocab) -> None:
    with pytest.raises(BudgetError) as raised:
        ClaimExtractor(vocab, budget_s=0.05).extract(doc(table_dump(20_000), "/data/dump.txt"))
    text = str(raised.value)
    assert text.startswith("/data/dump.txt: extraction stopped after")
    assert re.search(r"sentence \d[\d,]* of \d", text)


def test_the_budget_comes_from_the_settings(tmp_path: Path) -> None:
    (tmp_path / "crosscheck.toml").write_text('[ingest]\nmax_extract_s = 2.5\n')
    (tmp_path / "default.toml").write_text('[ingest]\nmax_doc_bytes = 100\n')
    assert load_settings(tmp_path / "crosscheck.toml", env={}).max_extract_s == 2.5
    assert load_settings(tmp_path / "crosscheck.toml", env={"CROSSCHECK_MAX_EXTRACT_S": "9"}).max_extract_s == 9.0
    assert load_settings(tmp_path / "default.toml", env={}).max_extract_s == 60.0


def _cost(extractor: ClaimExtractor, text: str) -> int:
    """Work done extracting `text`, counted in function calls, Python's and C's (a count, not a clock: the test
    does not depend on the machine's speed or load)."""
    import sys

    calls = 0

    def count(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        extractor.extract(doc(text, "/data/x.txt"))
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("shape", ["table", "quotes", "unpunctuated"])
def test_work_grows_linearly_with_length_whatever_the_shape(vocab, shape: str) -> None:
    prose = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((SEEDS / "corpus").rglob("*.md"))[:6])

    def make(n: int) -> str:
        if shape == "table":
            return table_dump(n)
        if shape == "quotes":  # a transcript: one paragraph of many short quotes, each credited
            return " ".join(f'"We counted {i % 16} missiles," Colonel Ahmed said. "{i % 5} hit Al Asad."'
                            for i in range(n))
        return unpunctuated(prose) * max(1, n // 400)

    extractor = ClaimExtractor(vocab)
    small, large = make(400), make(1600)
    ratio = _cost(extractor, large) / max(1, _cost(extractor, small))
    size = len(large) / len(small)
    assert ratio < 1.5 * size, f"{shape}: 4x the text cost {ratio:.1f}x the work"
