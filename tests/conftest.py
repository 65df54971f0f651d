"""Shared fixtures: the project's vocabulary, a fresh warehouse path."""

from __future__ import annotations

import os

import pytest

from crosscheck.config import PROJECT_ROOT
from extractors.claims import ClaimExtractor
from extractors.vocabulary import Vocabulary, load_vocabulary

SEEDS = PROJECT_ROOT / "seeds"

# Tests never touch the internet: online sources are off unless a test points them at loopback itself.
os.environ["CROSSCHECK_OFFLINE"] = "1"
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def vocab() -> Vocabulary:
    return load_vocabulary(SEEDS, "iran-2020")


@pytest.fixture(scope="session")
def extractor(vocab: Vocabulary) -> ClaimExtractor:
    return ClaimExtractor(vocab)


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect API for the whole test session (starting one costs ~7 s)."""
    import os

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield

