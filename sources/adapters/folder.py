"""The story's local folders as a source: the bundled corpus, read by sources/files.py.

One job: wrap `sources.files.iter_documents` over the story's corpus folders, so local documents enter
discovery like any other candidate report (text already extracted, front matter or sidecar metadata
kept, `source = "local"` as for every locally ingested article). Bad files stay `Rejected(stage="ingest")`
from files.py; a corpus folder that does not exist is noted in the source status. Needs no network.
"""

from __future__ import annotations

from collections.abc import Iterator

from core.records import Rejected
from sources.adapters.base import Candidate, Source, SourceContext
from sources.files import iter_documents

NAME = "local"  # the name files.py gives every article it reads


def iter_reports(ctx: SourceContext) -> Iterator[Candidate | Rejected]:
    """Every document under the story's corpus folders, in files.py's order."""
    folders = [p for p in ctx.story.corpus if p.exists()]
    for missing in (p for p in ctx.story.corpus if not p.exists()):
        ctx.note(f"corpus folder {missing} does not exist")
    if not ctx.story.corpus:
        ctx.note("the story lists no corpus folder")
    for item in iter_documents(folders, max_bytes=ctx.max_doc_bytes, story=ctx.story.id):
        if isinstance(item, Rejected):
            yield item
            continue
        if item.url:
            ctx.claim(item.url)  # an online source listing the same URL then skips it
        yield Candidate(url=item.url, source=NAME, title=item.title, outlet=item.outlet, published=item.published,
                        date_signal=item.date_signal, text=item.text, byline=item.byline, path=item.path,
                        warnings=item.warnings)


SOURCE = Source(name=NAME, online=False, iter_reports=iter_reports)
