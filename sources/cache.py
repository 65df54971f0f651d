"""On-disk cache for conditional requests: one job, remember validated bodies and their validators.

A 2xx body whose response carried an `ETag` or `Last-Modified` is stored under `cache_dir` as
`<sha256(url)>.body` plus `<sha256(url)>.json` (url, validators, headers, body digest). The next
fetch of that URL sends `If-None-Match` / `If-Modified-Since`; a `304 Not Modified` is then
answered from here. No freshness rules (max-age) are applied: every use is revalidated.
Writes are atomic (temp file + rename) so concurrent fetchers never see a torn entry; an
unreadable or inconsistent entry is treated as a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# Headers a 304 may carry that replace the stored ones (RFC 9111 section 4.3.4 updates all but these).
_NOT_UPDATED_BY_304 = {"content-length", "content-encoding", "transfer-encoding", "content-range"}


def cache_key(url: str) -> str:
    """File stem of `url`'s entry: sha256 of the exact URL string."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """One stored response: the body and what is needed to revalidate it."""

    url: str
    body: bytes
    headers: dict[str, str]
    etag: str | None
    last_modified: str | None
    stored_at: float  # unix time of the last store or revalidation

    def conditional_headers(self) -> dict[str, str]:
        """Request headers that ask the server to answer 304 if this copy is still current."""
        out: dict[str, str] = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lname = name.lower()
    for key, value in headers.items():
        if key.lower() == lname:
            return value
    return None


def is_storable(headers: Mapping[str, str]) -> bool:
    """True when the response has a validator and does not forbid storing (`no-store`)."""
    cache_control = (_header(headers, "Cache-Control") or "").lower()
    if "no-store" in cache_control:
        return False
    return bool(_header(headers, "ETag") or _header(headers, "Last-Modified"))


class ResponseCache:
    """Directory-backed store of `CachedResponse`, keyed by sha256(url)."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def _paths(self, url: str) -> tuple[Path, Path]:
        stem = cache_key(url)
        return self.directory / f"{stem}.json", self.directory / f"{stem}.body"

    def get(self, url: str) -> CachedResponse | None:
        """The stored entry for `url`, or None when absent, unreadable or inconsistent."""
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("url") != url:
            return None
        if meta.get("body_sha256") != hashlib.sha256(body).hexdigest():
            return None  # body and metadata from different writes: treat as a miss
        headers = meta.get("headers") or {}
        return CachedResponse(
            url=url,
            body=body,
            headers={str(k): str(v) for k, v in headers.items()},
            etag=meta.get("etag"),
            last_modified=meta.get("last_modified"),
            stored_at=float(meta.get("stored_at", 0.0)),
        )

    def put(self, url: str, body: bytes, headers: Mapping[str, str]) -> CachedResponse | None:
        """Store `body` for `url` if its headers allow revalidation; return the entry or None."""
        if not is_storable(headers):
            return None
        entry = CachedResponse(
            url=url,
            body=body,
            headers=dict(headers),
            etag=_header(headers, "ETag"),
            last_modified=_header(headers, "Last-Modified"),
            stored_at=time.time(),
        )
        self._write(entry)
        return entry

    def refresh(self, entry: CachedResponse, not_modified_headers: Mapping[str, str]) -> CachedResponse:
        """Fold the headers of a 304 into `entry` (new validators, dates) and store it again."""
        merged = dict(entry.headers)
        lower_keys = {k.lower(): k for k in merged}
        for key, value in not_modified_headers.items():
            if key.lower() in _NOT_UPDATED_BY_304:
                continue
            merged.pop(lower_keys.get(key.lower(), key), None)
            merged[key] = value
            lower_keys[key.lower()] = key
        updated = CachedResponse(
            url=entry.url,
            body=entry.body,
            headers=merged,
            etag=_header(merged, "ETag"),
            last_modified=_header(merged, "Last-Modified"),
            stored_at=time.time(),
        )
        self._write(updated)
        return updated

    def _write(self, entry: CachedResponse) -> None:
        meta_path, body_path = self._paths(entry.url)
        meta = {
            "url": entry.url,
            "etag": entry.etag,
            "last_modified": entry.last_modified,
            "headers": entry.headers,
            "stored_at": entry.stored_at,
            "body_sha256": hashlib.sha256(entry.body).hexdigest(),
        }
        self._atomic_write(body_path, entry.body)
        self._atomic_write(meta_path, json.dumps(meta, sort_keys=True).encode("utf-8"))

    def _atomic_write(self, path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=path.suffix)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
