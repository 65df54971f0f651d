"""Article URLs listed by hand as a source: `[sources] url_files` (one URL a line) and `[sources] urls`.

One job: read the listed URLs and fetch each as a page, each on its own: a URL that fails costs that URL
only (see SourceContext.fetch), and every listed URL becomes a candidate row, also one not read (over
`max_reports`, or after the source's time budget ran out). In a URL file, blank lines and lines starting
with `#` are skipped and only the first word of a line is the URL (the rest may be a note). A line that
is not an http(s) URL is a `Rejected(stage="ingest")` naming the file and line; a file that cannot be
read is a `Rejected` naming the file. Files are relative to the seeds folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from core.records import Rejected
from sources.adapters.base import Candidate, Source, SourceContext

NAME = "urls"


def read_url_file(path: Path) -> tuple[list[tuple[str, str]], list[Rejected]]:
    """([(url, where)], rejects) of one URL file; `where` is "file:line"."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = f"cannot read URL file: {getattr(exc, 'strerror', None) or exc}"
        return [], [Rejected(input=str(path), stage="ingest", reason=reason, source=NAME)]
    urls: list[tuple[str, str]] = []
    rejects: list[Rejected] = []
    for n, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        word = text.split()[0]
        where = f"{path}:{n}"
        if word.lower().startswith(("http://", "https://")):
            urls.append((word, where))
        else:
            rejects.append(Rejected(input=where, stage="ingest", reason=f"not an http(s) URL: {word[:80]!r}",
                                    source=NAME))
    return urls, rejects


def iter_reports(ctx: SourceContext) -> Iterator[Candidate | Rejected]:
    """The URLs of every listed file, then the story's own `urls`, each fetched once (at most `max_reports`)."""
    listed: list[tuple[str, str]] = []
    for name in ctx.options.url_files:
        path = Path(name) if Path(name).is_absolute() else ctx.seeds_dir / name
        urls, rejects = read_url_file(path)
        yield from rejects
        listed += urls
    for url in ctx.options.urls:
        if url.strip().lower().startswith(("http://", "https://")):
            listed.append((url.strip(), "story"))
        else:
            yield Rejected(input=url, stage="ingest", reason="not an http(s) URL (story [sources] urls)", source=NAME)
    limit = ctx.options.max_reports
    if len(listed) > limit:
        ctx.note(f"{len(listed)} URLs listed; the first {limit} read (max_reports)")
    for n, (url, _where) in enumerate(listed):  # every listed URL gets a candidate row, read or not
        if n >= limit:
            yield Candidate(url=url, source=NAME, dropped=f"not read: over max_reports ({limit})")
            continue
        item = ctx.page(url)
        if item is None:
            why = f"the time budget of {ctx.options.max_seconds:g} s (max_seconds) was used up"
            yield Candidate(url=url, source=NAME, dropped=f"not read: {why}")
            continue
        yield item


SOURCE = Source(name=NAME, online=True, iter_reports=iter_reports)
