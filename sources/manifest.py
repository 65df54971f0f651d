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
warehouse/file_manifest.py's `store_manifest` writes after the files' copies are stored (crosscheck.jobs.store_audit),
and whose `load_manifest` reads back. The table is `file_manifest` (migration 009, docs/warehouse-sources.md).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core import records
from core.records import Article, Rejected
from sources import decode, files, html
from sources.files import read_document_settled, sidecar_names, unreadable_folder, walk_folder_listing
from sources.spool import TextSpool

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
    text_md5: str | None = None  # md5 of the article's text as read (the item's text may be in a TextSpool)


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


def text_md5(item: Article | Rejected) -> str | None:
    """md5 of an article's text (what `file_manifest` checks the stored article against); None for a reject."""
    return hashlib.md5(item.text.encode("utf-8")).hexdigest() if isinstance(item, Article) else None


def collect_files(paths: Iterable[Path], *, max_bytes: int, story: str | None,
                  manifest: Mapping[str, ManifestEntry], spool: TextSpool | None = None
                  ) -> tuple[list[Article | Rejected], ManifestUpdate]:
    """`iter_documents(paths)` as a list, reading only the files the manifest does not vouch for. With `spool`,
    each article's text goes into it as the article is read (the list holds the articles without their texts)."""
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
                return keep(hit.item)
        item, settled = read_document_settled(Path(key), max_bytes=max_bytes, story=story)
        if stamp is not None and settled:
            fresh[key] = ManifestEntry(key, stamp, reader, keep(item), text_md5(item))
            return fresh[key].item
        return keep(item)

    def keep(item: Article | Rejected) -> Article | Rejected:
        """The item as the list holds it: an article's text goes into the spool, if there is one."""
        return spool.put(item) if spool is not None and isinstance(item, Article) else item

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
