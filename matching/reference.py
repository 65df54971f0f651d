"""Reference tables matching reads: outlets (country, side, kind) and wire agencies' dateline/byline marks.

One job: load seeds/outlets.csv and seeds/wires.csv into frozen lookups. Both are data, so a new outlet or
agency is a row, not code. An outlet's `side` is filled only for state or government media (Press TV,
Tasnim, defense.gov); independent outlets have none and speak as neutral media voices.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from core.config import PROJECT_ROOT
from core.errors import ConfigError

SEEDS = PROJECT_ROOT / "seeds"
WIRE_PLACES = ("dateline", "byline")
DATELINE_CHARS = 200  # where a dateline is looked for: the start of the body


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    domain: str
    country: str | None
    side: str | None
    kind: str  # wire | state | government | independent


@dataclass(frozen=True, slots=True)
class WireMark:
    agency: str
    where: str  # dateline | byline
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Reference:
    outlets: dict[str, Outlet] = field(default_factory=dict)  # alias key -> outlet
    domains: dict[str, Outlet] = field(default_factory=dict)  # registered domain -> outlet
    wires: tuple[WireMark, ...] = ()

    def outlet(self, name: str | None, url: str | None = None) -> Outlet | None:
        """The outlet by name (any alias), else by the URL's domain."""
        if name:
            hit = self.outlets.get(_key(name))
            if hit is not None:
                return hit
        if url:
            host = (urlsplit(url).hostname or "").lower()
            parts = host.split(".")
            for i in range(len(parts) - 1):
                hit = self.domains.get(".".join(parts[i:]))
                if hit is not None:
                    return hit
        return None

    def wire_agency(self, text: str, byline: str | None) -> tuple[str, str] | None:
        """(agency, 'dateline' | 'byline') when the body opens with an agency dateline or the byline credits one."""
        head = text[:DATELINE_CHARS]
        for mark in self.wires:
            if mark.where == "dateline" and mark.pattern.search(head):
                return mark.agency, "dateline"
        if byline:
            for mark in self.wires:
                if mark.where == "byline" and mark.pattern.search(byline):
                    return mark.agency, "byline"
        return None


def _key(name: str) -> str:
    return re.sub(r"[\s\-.]+", " ", name.strip().lower())


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except OSError as exc:
        raise ConfigError(f"cannot read reference table: {exc}", input=str(path), stage="matching") from exc


def load_reference(seeds_dir: Path = SEEDS) -> Reference:
    """outlets.csv and wires.csv from a seeds folder (cached per folder)."""
    return _load(str(Path(seeds_dir).resolve()))


@lru_cache(maxsize=8)
def _load(seeds_dir: str) -> Reference:
    root = Path(seeds_dir)
    outlets: dict[str, Outlet] = {}
    domains: dict[str, Outlet] = {}
    canon: dict[str, Outlet] = {}
    for r in _rows(root / "outlets.csv"):
        name = r["outlet"].strip()
        o = canon.setdefault(name, Outlet(name, (r.get("domain") or "").strip().lower(),
                                          (r.get("country") or "").strip() or None,
                                          (r.get("side") or "").strip() or None,
                                          (r.get("kind") or "independent").strip()))
        outlets[_key(r.get("alias") or name)] = o
        outlets.setdefault(_key(name), o)
        domain = (r.get("domain") or "").strip().lower()
        if domain:
            domains.setdefault(domain, o)
    wires = []
    for r in _rows(root / "wires.csv"):
        where = r["where"].strip()
        if where not in WIRE_PLACES:
            raise ConfigError(f"wires.csv: 'where' must be one of {WIRE_PLACES}, got {where!r}",
                              input=str(root / "wires.csv"), stage="matching")
        try:
            pattern = re.compile(r["pattern"], re.MULTILINE)
        except re.error as exc:
            raise ConfigError(f"wires.csv: bad pattern {r['pattern']!r}: {exc}", input=str(root / "wires.csv"),
                              stage="matching") from exc
        wires.append(WireMark(r["agency"].strip(), where, pattern))
    return Reference(outlets=outlets, domains=domains, wires=tuple(wires))
