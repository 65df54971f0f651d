"""Claim extraction: article text in, typed claims out (pure functions)."""
