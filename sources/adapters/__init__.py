"""Source adapters: each module turns one kind of source into candidate reports (see base.py).

`SOURCES` lists them in the order discovery runs them: the local corpus first (so its copies win),
then hand-listed URLs, feeds, GDELT, Wikipedia and Fact Check.
"""

from __future__ import annotations

from sources.adapters import factcheck, feeds, folder, gdelt, urls, wikipedia
from sources.adapters.base import Candidate, Source, SourceContext, SourceOptions, SourceStatus

SOURCES = (folder.SOURCE, urls.SOURCE, feeds.SOURCE, gdelt.SOURCE, wikipedia.SOURCE, factcheck.SOURCE)

__all__ = ["SOURCES", "Candidate", "Source", "SourceContext", "SourceOptions", "SourceStatus"]
