"""Article URLs listed by hand as a source: `[sources] url_files` (one URL a line) and `[sources] urls`.

One job: read the listed URLs and fetch each as a page. In a URL file, blank lines and lines starting
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
    if len(listed) > ctx.options.max_reports:
        ctx.note(f"{len(listed)} URLs listed; the first {ctx.options.max_reports} read (max_reports)")
    for url, _where in listed[: ctx.options.max_reports]:
        item = ctx.page(url)
        if item is None:
            return
        yield item


SOURCE = Source(name=NAME, online=True, iter_reports=iter_reports)
