"""sources.spool: a run's collected texts wait on disk and come back exactly, chunk by chunk."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor

import pytest

from core.records import Article, content_hash
from sources.spool import TextSpool


def article(text: str, **meta: str) -> Article:
    return Article(article_id=content_hash(text), text=text, story="iran-2020", **meta)


TEXTS = [
    "Iran fired 22 missiles at Al Asad and Erbil, Iraq's military said.",
    "Kurdish officials in Erbil — «no casualties» — said one missile landed near the airport. ✈️ 😐",
    "Naïve façade: the Pentagon later put the injured at 110, up from 64.\n\nSecond paragraph.",
]


def test_texts_come_back_exactly_and_the_articles_go_without_them() -> None:
    spool = TextSpool()
    try:
        kept = [spool.put(article(t, outlet="Reuters", path=f"/corpus/{i}.md")) for i, t in enumerate(TEXTS)]
        assert [a.text for a in kept] == ["", "", ""]
        assert [a.outlet for a in kept] == ["Reuters"] * 3 and len(spool) == 3
        back = [spool.take(a) for a in kept]
        assert back == [article(t, outlet="Reuters", path=f"/corpus/{i}.md") for i, t in enumerate(TEXTS)]
    finally:
        spool.close()


def test_a_copy_is_kept_once_and_an_article_with_its_text_is_left_alone() -> None:
    spool = TextSpool()
    try:
        first = spool.put(article(TEXTS[0], path="/a.md"))
        copy = spool.put(article(TEXTS[0], path="/b.md"))  # the same body in another file
        assert len(spool) == 1 and first.article_id in spool
        assert spool.take(copy).text == TEXTS[0] and spool.take(copy).path == "/b.md"
        online = article(TEXTS[1], url="https://example.org/x")  # never put: it keeps its text
        assert spool.take(online) is online
    finally:
        spool.close()


def test_threads_read_while_another_writes() -> None:
    spool = TextSpool()
    try:
        many = [article(f"Report {i}: {TEXTS[i % 3]}") for i in range(600)]
        kept = [spool.put(a) for a in many[:300]]
        with ThreadPoolExecutor(4) as pool:
            later = pool.submit(lambda: [spool.put(a) for a in many[300:]])
            read = list(pool.map(spool.take, kept))
            kept += later.result()
        assert read == many[:300]
        assert [spool.take(a) for a in kept] == many
    finally:
        spool.close()


def test_a_spool_refuses_to_travel_to_another_process() -> None:
    spool = TextSpool()
    try:
        with pytest.raises(TypeError, match="local temporary file"):
            pickle.dumps(spool)
    finally:
        spool.close()
