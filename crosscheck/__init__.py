"""crosscheck: cross-reference factual claims across news reports of one story."""

__version__ = "0.1.0"
