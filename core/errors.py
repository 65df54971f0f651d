"""The package's one base error, and the context every error carries."""

from __future__ import annotations


class CrosscheckError(Exception):
    """Base error: names the input (path, url or article id), the stage and the problem."""

    def __init__(self, problem: str, *, input: str | None = None, stage: str | None = None) -> None:
        self.problem = problem
        self.input = input
        self.stage = stage
        where = f"{input}: " if input else ""
        at = f" [{stage}]" if stage else ""
        super().__init__(f"{where}{problem}{at}")


class InputError(CrosscheckError):
    """A document that cannot be read as an article (empty, binary, too large, undecodable)."""


class BudgetError(InputError):
    """A document whose extraction took longer than the per-document time budget (`[ingest] max_extract_s`)."""


class ConfigError(CrosscheckError):
    """A configuration file or key that is missing or malformed."""


class WarehouseBusyError(CrosscheckError):
    """The DuckDB file is locked by another process for longer than the configured wait."""
