"""The warehouse edge of the local-file manifest (sources/manifest.py): read a story's entries back, and write
what a collection read afresh, in one transaction. Table `file_manifest` (migration 009)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from core.records import Article, Rejected
from sources.manifest import FileStamp, ManifestEntry, ManifestUpdate
from warehouse.db import connect, transaction, utc_now

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
            "text_md5": (e.text_md5 or hashlib.md5(art.text.encode("utf-8")).hexdigest()) if art else None,
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

