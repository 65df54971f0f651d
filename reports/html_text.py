"""Escaping text for HTML fast: what `markupsafe.escape` does to a plain string, without a Markup object per call.

One job: the per-value escaping of the report's largest parts (a chart's marks, its data table), where a fact can
have thousands of values. Templates keep Jinja's autoescaping; `esc(text)` gives the same characters.
"""

from __future__ import annotations


def esc(text: str) -> str:
    """`str(markupsafe.escape(text))` for a plain string: & < > ' " as entities."""
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;")
            .replace('"', "&#34;"))
