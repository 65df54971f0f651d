"""Helpers shared by tests (importable: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import os
from pathlib import Path

from bench.cluster import free_port
from bench.projects import make_project

__all__ = ["STORY_CONTEXT", "article_about_the_story", "env_for", "free_port", "make_project"]

# A last paragraph that makes any text an article about the story (a munition and a story place, neither a claim):
# the extractor reads only articles about an attack of the story (tests/extractors/test_general_news.py).
STORY_CONTEXT = "\n\nTopic: missiles. Place: Al Asad air base."


def article_about_the_story(text: str, published: str | None = "2020-01-08", **meta: str):
    """`text` as the start of an article about the iran-2020 story (STORY_CONTEXT appended)."""
    from core.records import Article, content_hash

    text += STORY_CONTEXT
    return Article(content_hash(text), text, published=published, **meta)


def env_for(project: Path, **extra: str) -> dict[str, str]:
    """The environment for running the CLI in a subprocess on `project` (offline: the tests' environment)."""
    env = dict(os.environ, CROSSCHECK_CONFIG=str(project / "crosscheck.toml"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.update(extra)
    return env
