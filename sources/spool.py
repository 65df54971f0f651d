"""Article texts kept on disk while a run goes through them.

One job: a run reads every new report before it extracts any, so held in memory the texts would grow with the
corpus. Collection `put`s each article's text into a `TextSpool` (an unnamed temporary file, gone when closed or
when the process ends) and keeps the article without it (`text == ""`, which no real article has: an empty
body is refused when read); the run `take`s a chunk's texts back just before the chunk is extracted.
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import replace

from core.records import Article


class TextSpool:
    """Texts by article id in a temporary file; safe to use from several threads."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="crosscheck-texts-")  # noqa: SIM115 - closed by close()
        self._at: dict[str, tuple[int, int]] = {}  # article id -> (offset, bytes)
        self._end = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._at)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._at

    def put(self, article: Article) -> Article:
        """The article without its text, which the spool keeps (once per article id)."""
        if not article.text:
            return article
        with self._lock:
            if article.article_id not in self._at:
                data = article.text.encode("utf-8")
                os.pwrite(self._file.fileno(), data, self._end)
                self._at[article.article_id] = (self._end, len(data))
                self._end += len(data)
        return replace(article, text="")

    def take(self, article: Article) -> Article:
        """The article with its text back (unchanged when it has its text, or the spool never had it)."""
        if article.text or article.article_id not in self._at:
            return article
        offset, size = self._at[article.article_id]
        data = os.pread(self._file.fileno(), size, offset)
        return replace(article, text=data.decode("utf-8"))

    def close(self) -> None:
        self._file.close()

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a TextSpool is a local temporary file: it cannot be sent to another process")
