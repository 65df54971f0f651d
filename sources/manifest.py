"""The local-file manifest: what each file a story's collection read gave, so a re-run reads only new and changed
files and still yields exactly what reading every file would.

One job: collect local documents through a cache keyed by the file system. A file's entry holds its stamp (size,
mtime and ctime in ns, inode, and the stamps of the sidecars `read_document` would look for beside it), the
reader's version (a hash of the sources modules that read files, the parsing libraries' versions and the size
limit) and what the file gave: an article's metadata and the md5 of its text, or a reject's stage and reason.
An entry is used only while all of that is unchanged, and an article's text is the stored article's
(`articles.text`), used only while its md5 is the file's. A file whose result depends on the clock (an HTML
page whose date was passed over for lying in the future) is never kept.

`collect_files(paths, manifest=...)` walks exactly as `sources.files.iter_documents` does and yields the same
items in the same order, with a `ManifestUpdate` (entries read afresh, paths gone, paths reused) that
`store_manifest` writes after the files' copies are stored (crosscheck.jobs.store_audit). The table is
`file_manifest` (migration 009, docs/warehouse-sources.md).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import stat
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from sources import decode, files, html, records
from sources.files import read_document_settled, sidecar_names, unreadable_folder, walk_folder_listing
from sources.records import Article, Rejected

READER_MODULES = (files, html, decode, records)  # the code a file's result depends on
READER_PACKAGES = ("trafilatura", "bs4", "lxml.etree", "charset_normalizer")  # and the libraries, by version


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What the file system says of a file, and of the sidecars beside it."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    sidecar: str | None  # "name:size:mtime:ctime" of each sidecar candidate present, ";"-joined


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One file: its stamp, the reader that read it, and what it gave."""

    path: str
    stamp: FileStamp
    reader: str
    item: Article | Rejected


@dataclass
class ManifestUpdate:
    """What one collection changes in a story's manifest."""

    story: str
    fresh: list[ManifestEntry] = field(default_factory=list)  # files read this time: their rows are replaced
    gone: list[str] = field(default_factory=list)  # paths the manifest had that the walk no longer found
    reused: set[str] = field(default_factory=set)  # paths taken from the manifest without reading the file


@lru_cache(maxsize=8)
def reader_stamp(max_bytes: int) -> str:
    """The version of the reading code and libraries, and the size limit: a change re-reads every file."""
    h = hashlib.sha256(str(max_bytes).encode())
    for module in READER_MODULES:
        h.update(Path(str(module.__file__)).read_bytes())
    for name in READER_PACKAGES:  # already imported by the reading code; importlib.metadata would take ~0.1 s each
        module = sys.modules.get(name) or importlib.import_module(name)
        version = getattr(module, "__version__", None) or getattr(module, "LXML_VERSION", None)
        h.update(f"{name}={version}".encode())
    return h.hexdigest()[:16]


def file_stamp(path: str, sidecars: frozenset[str] | None = None) -> FileStamp | None:
    """The stamp of a regular file, or None when it cannot be stat'ed or is not a regular file (then it is read
    every time). `sidecars` are the names of the sidecar files in its folder, when the walk has them."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    parts = []
    if sidecars is None or sidecars:
        doc = Path(path)
        for name in sidecar_names(doc):
            if sidecars is not None and name not in sidecars:
                continue
            try:
                sc = os.stat(doc.with_name(name))
            except FileNotFoundError:
                continue
            except OSError as e:
                parts.append(f"{name}:error {e.errno}")
                continue
            kind = "file" if stat.S_ISREG(sc.st_mode) else "other"
            parts.append(f"{name}:{kind}:{sc.st_size}:{sc.st_mtime_ns}:{sc.st_ctime_ns}")
    return FileStamp(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, ";".join(parts) or None)


def collect_files(paths: Iterable[Path], *, max_bytes: int, story: str | None,
                  manifest: Mapping[str, ManifestEntry]) -> tuple[list[Article | Rejected], ManifestUpdate]:
    """`iter_documents(paths)` as a list, reading only the files the manifest does not vouch for."""
    reader = reader_stamp(max_bytes)
    update = ManifestUpdate(story or "")
    stamped: set[str] = set()
    fresh: dict[str, ManifestEntry] = {}

    def one(key: str, sidecars: frozenset[str] | None) -> Article | Rejected:
        stamp = file_stamp(key, sidecars)
        if stamp is not None:
            stamped.add(key)
            hit = manifest.get(key)
            if hit is not None and hit.stamp == stamp and hit.reader == reader:
                update.reused.add(key)
                return hit.item
        item, settled = read_document_settled(Path(key), max_bytes=max_bytes, story=story)
        if stamp is not None and settled:
            fresh[key] = ManifestEntry(key, stamp, reader, item)
        return item

    items: list[Article | Rejected] = []
    for p in paths:
        p = Path(p)
        if not p.is_dir():
            items.append(one(str(p), None))
            continue
        errors: list[OSError] = []
        for f, sidecars in walk_folder_listing(p, on_error=errors.append):
            items.extend(unreadable_folder(e) for e in errors)
            errors.clear()
            items.append(one(f, sidecars))
        items.extend(unreadable_folder(e) for e in errors)
    update.fresh = list(fresh.values())
    update.reused -= set(fresh)  # a path walked twice and read once is fresh, not reused
    update.gone = sorted(set(manifest) - stamped)
    return items, update


_COLUMNS = ("path", "size", "mtime_ns", "ctime_ns", "inode", "sidecar", "reader", "article_id", "text_md5", "title",
            "outlet", "published", "url", "byline", "date_signal", "stage", "reason")
_LOAD_SQL = f"""
    SELECT {", ".join(f"m.{c}" for c in _COLUMNS)},
           CASE WHEN md5(a.text) = m.text_md5 THEN a.text END AS text
    FROM file_manifest AS m LEFT JOIN articles AS a ON a.article_id = m.article_id
    WHERE m.story = ?
"""


def load_manifest(db_path: Path, story: str) -> dict[str, ManifestEntry]:
    """The story's manifest entries that can stand in for reading their file ({} without a warehouse or table).
    An article's entry stands only while the article is stored with the file's very text."""
    from warehouse.db import connect

    if not Path(db_path).exists():
        return {}
    con = connect(db_path, read_only=True)
    try:
        rows = con.execute(_LOAD_SQL, [story]).fetchall()
    except duckdb.CatalogException:
        return {}  # a warehouse from before migration 009: the first store_audit adds the table
    finally:
        con.close()
    out: dict[str, ManifestEntry] = {}
    for r in rows:
        (path, size, mtime_ns, ctime_ns, inode, sidecar, reader, article_id, _md5, title, outlet, published, url,
         byline, date_signal, stage, reason, text) = r
        item: Article | Rejected
        if article_id is not None:
            if text is None:
                continue  # the article is not stored (yet), or with other text: read the file
            item = Article(article_id=article_id, text=text, title=title, outlet=outlet, published=published, url=url,
                           byline=byline, source="local", path=path, story=story, date_signal=date_signal)
        else:
            item = Rejected(input=path, stage=stage, reason=reason)
        out[path] = ManifestEntry(path, FileStamp(size, mtime_ns, ctime_ns, inode, sidecar), reader, item)
    return out


def _rows(update: ManifestUpdate) -> dict[str, list[Any]]:
    cols: dict[str, list[Any]] = {c: [] for c in ("story", *_COLUMNS)}
    for e in update.fresh:
        art = e.item if isinstance(e.item, Article) else None
        rej = e.item if isinstance(e.item, Rejected) else None
        values = {
            "story": update.story, "path": e.path, "size": e.stamp.size, "mtime_ns": e.stamp.mtime_ns,
            "ctime_ns": e.stamp.ctime_ns, "inode": e.stamp.inode, "sidecar": e.stamp.sidecar, "reader": e.reader,
            "article_id": art.article_id if art else None,
            "text_md5": hashlib.md5(art.text.encode("utf-8")).hexdigest() if art else None,
            "title": art.title if art else None, "outlet": art.outlet if art else None,
            "published": art.published if art else None, "url": art.url if art else None,
            "byline": art.byline if art else None, "date_signal": art.date_signal if art else None,
            "stage": rej.stage if rej else None, "reason": rej.reason if rej else None,
        }
        for c, v in values.items():
            cols[c].append(v)
    return cols


_TYPES = {"size": pa.int64(), "mtime_ns": pa.int64(), "ctime_ns": pa.int64(), "inode": pa.int64()}


def store_manifest(con: duckdb.DuckDBPyConnection, update: ManifestUpdate, run_id: str) -> int:
    """Replace the rows of the files read afresh and delete those of the files gone, in one transaction.
    Returns the rows written."""
    from warehouse.db import transaction, utc_now

    if not update.fresh and not update.gone:
        return 0
    cols = _rows(update)
    table = pa.table({c: pa.array(v, type=_TYPES.get(c, pa.string())) for c, v in cols.items()})
    drop: Sequence[str] = sorted({*update.gone, *(e.path for e in update.fresh)})
    names = ", ".join(cols)
    try:
        with transaction(con):
            con.execute("DELETE FROM file_manifest WHERE story = ? AND path IN (SELECT unnest(?))",
                        [update.story, list(drop)])
            if table.num_rows:
                con.register("_incoming_file_manifest", table)
                con.execute(f"INSERT INTO file_manifest ({names}, run_id, seen_at) SELECT {names}, "
                            "CAST(? AS VARCHAR), CAST(? AS TIMESTAMP) FROM _incoming_file_manifest",
                            [run_id, utc_now()])
    finally:
        if table.num_rows:
            con.unregister("_incoming_file_manifest")
    return table.num_rows

