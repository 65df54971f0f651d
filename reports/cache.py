"""The report cache: each fact's share of its story's report files, kept beside the warehouse, so that writing
the reports again renders only the facts whose content changed.

One job: keep and check `FactShare`s on disk, in `<warehouse file>.reports-cache/<story>/` (`cache_dir`; the
reports folder keeps only the report files). Per fact: a JSON file (its share, the stamp of the fact it was
rendered from, the render version, a checksum of its section) and its section's HTML as it is. Per output
folder: a `written-<hash>.json` (what the files there were last written from: the facts in order with their
stamps, the header, the totals). A share is used only while its fact's stamp is the current one (matching
rewrites a fact's verdict row whenever anything of the fact changes: reports.model.fact_stamps), the latest
verdict of each of its discrepancies is the one it was rendered with, and the render version (a hash of the
reports code and templates) is this code's. Anything unreadable is a miss, never an error. Files are written
to a temporary name, then renamed.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Collection, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from reports.fragments import FactShare

CACHE_SUFFIX = ".reports-cache"


def cache_dir(db_path: Path, story: str) -> Path:
    """Where a story's cached shares live: beside the warehouse whose stamps they were rendered from."""
    return db_path.with_name(db_path.name + CACHE_SUFFIX) / story


def _written_name(out_dir: Path) -> str:
    return "written-" + hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:12] + ".json"


@cache
def render_version() -> str:
    """A hash of everything that renders a report: the reports package's modules and templates."""
    h = hashlib.sha256()
    root = resources.files("reports")
    for entry in sorted((*root.iterdir(), *(root / "templates").iterdir()), key=lambda e: e.name):
        if entry.name.endswith((".py", ".j2", ".css", ".js")):
            h.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return h.hexdigest()[:16]


def _write(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    tmp.replace(path)


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _share_json(share: FactShare) -> dict[str, Any]:
    """Everything but the section's HTML (kept as it is in a file of its own: megabytes need no JSON escaping)."""
    return {"fact_id": share.fact_id, "glance_html": share.glance_html,
            "glance_md": share.glance_md, "section_md": share.section_md, "fact_csv": share.fact_csv,
            "discrepancy_csv": [[list(k), line] for k, line in share.discrepancy_csv], "states": share.states,
            "reviews": share.reviews}


def _share(data: Mapping[str, Any], section_html: str) -> FactShare:
    return FactShare(
        fact_id=data["fact_id"], glance_html=data["glance_html"], section_html=section_html,
        glance_md=data["glance_md"], section_md=data["section_md"], fact_csv=data["fact_csv"],
        discrepancy_csv=tuple((tuple(k), line) for k, line in data["discrepancy_csv"]),  # type: ignore[misc]
        states=dict(data["states"]), reviews=dict(data["reviews"]))


def _checksum(text: str) -> str:
    data = text.encode("utf-8")
    return f"{len(data)}:{zlib.crc32(data):08x}"


class ReportCache:
    """The cached shares of one story's facts, in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _fact_path(self, fact_id: str) -> Path:
        return self.folder / f"fact-{fact_id}.json"

    def _section_path(self, fact_id: str) -> Path:
        return self.folder / f"fact-{fact_id}.html"

    def share(self, fact_id: str, stamp: str | None, reviews: Mapping[str, str]) -> FactShare | None:
        """The fact's cached share when it was rendered from this stamp, with these verdicts, by this code."""
        if stamp is None:
            return None
        data = _read(self._fact_path(fact_id))
        if not isinstance(data, dict) or data.get("stamp") != stamp or data.get("render") != render_version():
            return None
        try:
            section = self._section_path(fact_id).read_text(encoding="utf-8")
        except (OSError, ValueError):
            return None
        if _checksum(section) != data.get("section"):
            return None  # written by another render than the share's (a run cut short between the two files)
        try:
            share = _share(data["share"], section)
        except (KeyError, TypeError, ValueError):
            return None
        if any(reviews.get(key) != seen for key, seen in share.reviews.items()):
            return None  # a verdict was recorded on one of its discrepancies since
        return share

    def put(self, share: FactShare, stamp: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        section = self._section_path(share.fact_id)
        tmp = section.with_name(section.name + ".tmp")
        tmp.write_text(share.section_html, encoding="utf-8")
        tmp.replace(section)
        _write(self._fact_path(share.fact_id), {"stamp": stamp, "render": render_version(),
                                                "section": _checksum(share.section_html),
                                                "share": _share_json(share)})

    def written(self, out_dir: Path) -> dict[str, Any] | None:
        """What the files in `out_dir` were last written from (None when unknown)."""
        data = _read(self.folder / _written_name(out_dir))
        return data if isinstance(data, dict) else None

    def put_written(self, out_dir: Path, data: Mapping[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        _write(self.folder / _written_name(out_dir), dict(data))

    def prune(self, keep: Collection[str]) -> None:
        """Drop the shares of facts the story no longer has."""
        if not self.folder.is_dir():
            return
        wanted = {p.name for f in keep for p in (self._fact_path(f), self._section_path(f))}
        for path in self.folder.glob("fact-*"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)
