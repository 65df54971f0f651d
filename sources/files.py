"""Local documents to articles: read .txt, .md and .html files (and folders of them) into `Article`s.

One job: turn files on disk into `Article` records, or into `Rejected` records that say why not. Bad input
never raises: an empty, binary, oversized, undecodable or malformed file becomes `Rejected(stage="ingest")`
and the walk goes on. A file that is mostly UTF-8 with a few invalid bytes is read, the bytes replaced by
U+FFFD, and its Article carries the warning (`Article.warnings`: how many, at which byte offsets; see
sources/decode.py); such a file is never settled (see `read_document_settled`), so every run reads it
again and records its warning again.

Metadata (keys `title`, `outlet`, `published`, `url`, `byline`; `date` and `author` are accepted as
aliases of `published` and `byline`) comes from, strongest first:

1. front matter at the top of a .txt/.md file: TOML between `+++` lines, or `key: value` lines between
   `---` lines (other keys, list items and indented lines are ignored, as front matter is often written
   for a site generator); or plain header lines without delimiters ("URL: ...", "Source: ...",
   "Published: ...", up to the first blank line; HEADER_KEYS lists the keys), which are metadata, not prose;
2. a sidecar `<filename>.meta.toml` (report.txt.meta.toml) or else `<stem>.meta.toml` (report.meta.toml)
   beside the file; this is crosscheck's own format, so an unknown key there is an error, not a silent
   no-op;
3. for .html, what the page says about itself (sources/html.py); for .txt/.md, the title is the first
   non-empty line.

A `published` value from front matter or a sidecar must parse as a date (it is stored in ISO form); it is
trusted as given, not checked against the clock as page dates are. `Article.date_signal` records where
`published` came from: "front matter", "sidecar", or the HTML signal
("json-ld", "meta", "og", "time", "url").

Size limit: `max_bytes` (default 5 MB), checked on the file's size before anything is read. Nothing
here reads the environment: callers pass `load_settings().max_doc_bytes` (core/config.py, which
reads `[ingest] max_doc_bytes` and CROSSCHECK_MAX_DOC_BYTES).

Duplicates: `ingest` keeps the first article with a given `article_id` (content hash of the body) and
reports each later copy as `Rejected(stage="dedupe", reason="duplicate of <first path>")` in its second
list, so duplicates are counted apart from errors by their stage ("ingest" vs "dedupe") without a
third return value.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from core.errors import InputError
from core.records import Article, Rejected, content_hash
from sources.decode import MAGIC_KINDS, declared_charset, decode_text, looks_binary
from sources.html import html_to_article, parse_date

DEFAULT_MAX_BYTES = 5_000_000
MAX_BYTES_ENV = "CROSSCHECK_MAX_DOC_BYTES"

# suffix -> kind of document
SUPPORTED: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
META_KEYS: tuple[str, ...] = ("title", "outlet", "published", "url", "byline")
META_ALIASES: dict[str, str] = {"date": "published", "author": "byline"}
# Plain header lines a saved or scraped text often opens with ("URL: ...", "Source: ...", "Date: ..."), read only
# when every line before the first blank one is such a header: keys (lower case) -> metadata key.
HEADER_KEYS: dict[str, str] = {
    "title": "title", "headline": "title", "outlet": "outlet", "source": "outlet", "publication": "outlet",
    "publisher": "outlet", "site": "outlet", "published": "published", "date": "published",
    "published at": "published", "publication date": "published", "url": "url", "link": "url",
    "source url": "url", "byline": "byline", "author": "byline", "authors": "byline", "by": "byline",
}
SIDECAR_SUFFIX = ".meta.toml"

STAGE = "ingest"
DEDUPE_STAGE = "dedupe"

_TOML_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_YAML_KEY = re.compile(r"^[A-Za-z_][\w.-]*$")


def read_document(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, story: str | None = None
) -> Article | Rejected:
    """One file to an Article, or a Rejected with the reason. Never raises on bad input."""
    return read_document_settled(path, max_bytes=max_bytes, story=story)[0]


def read_document_settled(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, story: str | None = None
) -> tuple[Article | Rejected, bool]:
    """`read_document`, and whether its result depends on the file alone (false when an HTML page's date was
    passed over for lying in the future: a later read may take it), so that it may be kept for re-runs. An
    article with warnings is not settled either: the manifest keeps no warnings, so it is read every run."""
    path = Path(path)
    try:
        return _read(path, max_bytes=max_bytes, story=story)
    except InputError as e:
        return Rejected(input=str(path), stage=STAGE, reason=e.problem), True


def iter_documents(
    paths: Iterable[Path], *, max_bytes: int = DEFAULT_MAX_BYTES, story: str | None = None
) -> Iterator[Article | Rejected]:
    """Articles and rejects from files and folders, in the order given; folders are walked recursively in
    sorted order, skipping hidden files and folders and *.meta.toml sidecars. A file with an unsupported
    suffix inside a folder is reported as Rejected, not skipped silently."""
    for p in paths:
        p = Path(p)
        if not p.is_dir():
            yield read_document(p, max_bytes=max_bytes, story=story)
            continue
        errors: list[OSError] = []
        for f in walk_folder(p, on_error=errors.append):
            yield from (unreadable_folder(e) for e in errors)
            errors.clear()
            yield read_document(f, max_bytes=max_bytes, story=story)
        yield from (unreadable_folder(e) for e in errors)


def ingest(
    paths: Iterable[Path], *, max_bytes: int = DEFAULT_MAX_BYTES, story: str | None = None
) -> tuple[list[Article], list[Rejected]]:
    """All documents under `paths`: (unique articles, rejects). Later copies of an article (same
    article_id) are rejects with stage "dedupe"; every other reject has stage "ingest"."""
    articles: list[Article] = []
    rejected: list[Rejected] = []
    first_seen: dict[str, str] = {}
    for item in iter_documents(paths, max_bytes=max_bytes, story=story):
        if isinstance(item, Rejected):
            rejected.append(item)
        elif item.article_id in first_seen:
            rejected.append(
                Rejected(
                    input=item.path or "",
                    stage=DEDUPE_STAGE,
                    reason=f"duplicate of {first_seen[item.article_id]}",
                )
            )
        else:
            first_seen[item.article_id] = item.path or ""
            articles.append(item)
    return articles, rejected


def walk_folder(folder: Path, on_error: Callable[[OSError], None] | None = None) -> Iterator[Path]:
    """Files under `folder`, sorted, depth first; hidden entries and sidecars left out; links to
    folders are not followed. A folder that cannot be listed is passed to `on_error`."""
    for path, _ in walk_folder_listing(folder, on_error):
        yield Path(path)


def walk_folder_listing(folder: Path, on_error: Callable[[OSError], None] | None = None
                        ) -> Iterator[tuple[str, frozenset[str]]]:
    """`walk_folder`'s files as the strings `str(path)` gives (without a Path object per file), each with the
    names of the sidecars in its folder, so a caller can tell which a document has without asking the file
    system again."""
    for root, dirs, files in os.walk(folder, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        sidecars = frozenset(name for name in files if name.endswith(SIDECAR_SUFFIX))
        prefix = str(Path(root) / "x")[:-1]  # what a child's str(path) starts with ("" for ".")
        for name in sorted(files):
            if name.startswith(".") or name.endswith(SIDECAR_SUFFIX):
                continue
            yield prefix + name, sidecars


def sidecar_names(path: Path) -> tuple[str, ...]:
    """The sidecar names `read_document` looks for beside a file, in the order it tries them."""
    return (path.name + SIDECAR_SUFFIX, path.stem + SIDECAR_SUFFIX)


def unreadable_folder(error: OSError) -> Rejected:
    """The reject for a folder the walk could not list."""
    return Rejected(
        input=str(error.filename), stage=STAGE, reason=f"cannot list folder: {error.strerror or error}"
    )


# --- reading one file -----------------------------------------------------------------------------------


def _read(path: Path, *, max_bytes: int, story: str | None) -> tuple[Article, bool]:
    size = _regular_file_size(path)
    kind = SUPPORTED.get(path.suffix.lower())
    if kind is None:
        shown = path.suffix or "(none)"
        raise InputError(f"unsupported file type {shown} (expected {', '.join(SUPPORTED)})")
    if size > max_bytes:
        raise InputError(_too_large(size, max_bytes))
    data = _read_capped(path, max_bytes)
    if not data.strip():
        raise InputError("empty document")
    binary = looks_binary(data)
    if binary:
        what = f"looks like {binary}" if binary in MAGIC_KINDS else f"has {binary}"
        raise InputError(f"binary content: {what}")
    decoded = decode_text(data, declared_charset(data) if kind == "html" else None)
    text = decoded.text
    if not text.strip():
        raise InputError("empty document")
    warnings = (decoded.warning,) if decoded.warning else ()

    meta: dict[str, str] = {}
    signal: str | None = None
    sidecar = _read_sidecar(path)
    if sidecar:
        meta.update(sidecar)
        signal = "sidecar" if "published" in sidecar else None
    body = text
    if kind != "html":
        front, body = split_front_matter(text)
        meta.update(front)
        if "published" in front:
            signal = "front matter"
    if "published" in meta:
        meta["published"] = _normalise_published(meta["published"])

    if kind == "html":
        article, settled = _html_article(path, body, meta, signal, story)
        return replace(article, warnings=warnings), settled and not warnings
    body = body.strip("\n").rstrip()
    if not body.strip():
        raise InputError("empty document")
    return Article(
        article_id=content_hash(body),
        text=body,
        title=meta.get("title") or _first_line_title(body, markdown=kind == "markdown"),
        outlet=meta.get("outlet"),
        published=meta.get("published"),
        url=meta.get("url"),
        byline=meta.get("byline"),
        source="local",
        path=str(path),
        story=story,
        date_signal=signal,
        warnings=warnings,
    ), not warnings


def _html_article(
    path: Path, html: str, meta: dict[str, str], signal: str | None, story: str | None
) -> tuple[Article, bool]:
    try:
        doc = html_to_article(html, meta.get("url"))
    except Exception as e:  # third-party parsers: one odd page must not end a run
        raise InputError(f"HTML extraction failed: {type(e).__name__}: {e}") from e
    if not doc.text.strip():
        raise InputError("no article text found in the HTML")
    published = meta.get("published") or doc.published
    return Article(
        article_id=content_hash(doc.text),
        text=doc.text,
        title=meta.get("title") or doc.title,
        outlet=meta.get("outlet") or doc.outlet,
        published=published,
        url=meta.get("url") or doc.canonical_url,
        byline=meta.get("byline") or doc.byline,
        source="local",
        path=str(path),
        story=story,
        date_signal=signal if meta.get("published") else doc.published_signal,
    ), bool(meta.get("published")) or doc.settled


def _regular_file_size(path: Path) -> int:
    try:
        st = path.stat()
    except FileNotFoundError as e:
        raise InputError("no such file or directory") from e
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}") from e
    if not stat.S_ISREG(st.st_mode):
        raise InputError("not a regular file")
    return st.st_size


def _read_capped(path: Path, max_bytes: int) -> bytes:
    """At most `max_bytes` of the file; refuses a file that grew past the limit since it was sized."""
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}") from e
    if len(data) > max_bytes:
        raise InputError(_too_large(len(data), max_bytes, at_least=True))
    return data


def _too_large(size: int, limit: int, *, at_least: bool = False) -> str:
    more = "at least " if at_least else ""
    return f"document is {more}{_size(size)}, over the {_size(limit)} limit (set {MAX_BYTES_ENV})"


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


# --- metadata -------------------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(metadata, body) of a text that may open with `+++` TOML or `---` key: value front matter.
    Raises InputError naming the line when the front matter is malformed or never closed."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return {}, text
    marker = lines[0].strip()
    if marker not in ("+++", "---"):
        return _header_lines(lines, text)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == marker), None)
    if end is None:
        raise InputError(f"malformed front matter: opened with {marker} on line 1 and never closed")
    block = "".join(lines[1:end])
    body = "".join(lines[end + 1 :])
    if marker == "+++":
        try:
            data = tomllib.loads(block)
        except tomllib.TOMLDecodeError as e:
            raise InputError(f"malformed TOML front matter: {_file_lines(str(e), offset=1)}") from e
        return _pick_keys(data, strict=False, where="front matter"), body
    return _pick_keys(_parse_key_values(block, first_line=2), strict=False, where="front matter"), body


_HEADER_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z ]{0,20}?)\s*:\s*(\S.*?)\s*$")


def _header_lines(lines: list[str], text: str) -> tuple[dict[str, str], str]:
    """Plain `Key: value` header lines up to the first blank line (url, outlet, published, title, byline and
    their common synonyms): metadata, never prose. Anything else in that block leaves the text as it is."""
    meta: dict[str, str] = {}
    for n, line in enumerate(lines):
        if not line.strip():
            if meta and n < len(lines) - 1:
                return meta, "".join(lines[n + 1 :])
            break
        m = _HEADER_LINE.match(line)
        key = HEADER_KEYS.get(" ".join(m.group(1).lower().split())) if m else None
        if key is None or n >= 12:
            break
        if key == "published" and parse_date(m.group(2)) is None:
            continue  # a header date that does not parse is dropped, not a reason to refuse the file
        meta.setdefault(key, m.group(2))
    return {}, text


def _parse_key_values(block: str, *, first_line: int) -> dict[str, str]:
    """`key: value` lines; blank lines, # comments, list items and indented lines are skipped."""
    out: dict[str, str] = {}
    for n, line in enumerate(block.splitlines(), start=first_line):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if line[0] in " \t" or stripped.startswith("- "):
            if not out:
                raise InputError(f"malformed front matter on line {n}: indented line before any key")
            continue
        key, sep, value = stripped.partition(":")
        if not sep or not _YAML_KEY.match(key.strip()):
            raise InputError(
                f"malformed front matter on line {n}: expected 'key: value', got {stripped[:60]!r}"
            )
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        out[key.strip().lower()] = value
    return out


def _read_sidecar(path: Path) -> dict[str, str]:
    for candidate in (path.with_name(name) for name in sidecar_names(path)):
        if not candidate.is_file():
            continue
        try:
            data = tomllib.loads(candidate.read_text(encoding="utf-8-sig"))
        except tomllib.TOMLDecodeError as e:
            raise InputError(f"malformed sidecar {candidate.name}: {e}") from e
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"cannot read sidecar {candidate.name}: {e}") from e
        return _pick_keys(data, strict=True, where=f"sidecar {candidate.name}")
    return {}


def _pick_keys(data: Mapping[str, Any], *, strict: bool, where: str) -> dict[str, str]:
    """The metadata keys crosscheck uses, as strings; aliases folded in, the canonical key winning."""
    out: dict[str, str] = {}
    for raw_key, value in data.items():
        key = raw_key.lower()
        target = key if key in META_KEYS else META_ALIASES.get(key)
        if target is None:
            if strict:
                known = ", ".join([*META_KEYS, *META_ALIASES])
                raise InputError(f"unknown key {raw_key!r} in {where} (known: {known})")
            continue
        text = _as_text(value)
        if text is None:
            if strict or isinstance(value, dict):
                raise InputError(f"{where}: {raw_key} must be text, a date or a list of names")
            continue
        if target not in out or key == target:
            out[target] = text
    return out


def _as_text(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        return text or None
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return ", ".join(" ".join(v.split()) for v in value)
    return None


def _normalise_published(value: str) -> str:
    parsed = parse_date(value)
    if parsed is None:
        raise InputError(f"published value {value!r} is not a date (use ISO 8601, e.g. 2020-01-08)")
    dt, has_time = parsed
    return dt.isoformat(timespec="seconds") if has_time else dt.date().isoformat()


def _first_line_title(body: str, *, markdown: bool) -> str | None:
    for line in body.splitlines():
        line = line.strip()
        if markdown:
            line = line.lstrip("#").strip()
        if line:
            return line
    return None


def _file_lines(message: str, *, offset: int) -> str:
    """Rewrite tomllib's "(at line 2, column 9)" into file lines, the front matter starting `offset` lines
    down."""
    return _TOML_AT_LINE.sub(
        lambda m: f"(at line {int(m.group(1)) + offset}, column {m.group(2)} of the file)", message
    )
