"""Tool configuration: crosscheck.toml, defaults in code, environment variables on top.

Story files (seeds/stories/<id>.toml) are loaded here too, into plain frozen records.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosscheck.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]

DEFAULTS: dict[str, Any] = {
    "warehouse": {"path": "var/crosscheck.duckdb"},
    "seeds": {"dir": "seeds", "stories": ["iran-2020"]},
    "ingest": {"max_doc_bytes": 5_000_000},
}

ENV = {
    "CROSSCHECK_DB": ("warehouse", "path", str),
    "CROSSCHECK_SEEDS": ("seeds", "dir", str),
    "CROSSCHECK_STORIES": ("seeds", "stories", lambda v: [s.strip() for s in v.split(",") if s.strip()]),
    "CROSSCHECK_MAX_DOC_BYTES": ("ingest", "max_doc_bytes", int),
}


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    event_date: str
    timezone: str
    window_days: tuple[int, int]
    seeds: tuple[Path, ...]
    corpus: tuple[Path, ...]
    gold: Path | None
    default_party: str | None
    query_terms: tuple[str, ...]
    places: tuple[str, ...]
    other_event_terms: tuple[str, ...]
    actors: dict[str, tuple[str, ...]] = field(hash=False)


@dataclass(frozen=True, slots=True)
class Settings:
    root: Path  # directory relative paths are resolved against
    db_path: Path
    seeds_dir: Path
    story_ids: tuple[str, ...]
    max_doc_bytes: int

    def story(self, story_id: str) -> Story:
        return load_story(self.seeds_dir / "stories" / f"{story_id}.toml", self.seeds_dir)

    def stories(self) -> list[Story]:
        return [self.story(s) for s in self.story_ids]


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    for section, values in over.items():
        if section not in out:
            raise ConfigError(f"unknown section [{section}]", input="crosscheck.toml")
        for key, value in values.items():
            if key not in out[section]:
                raise ConfigError(f"unknown key {section}.{key}", input="crosscheck.toml")
            out[section][key] = value
    return out


def load_settings(path: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read crosscheck.toml (CROSSCHECK_CONFIG, else ./crosscheck.toml, else the project's own)."""
    env = dict(os.environ) if env is None else env
    if path is None:
        candidates = [Path(env["CROSSCHECK_CONFIG"])] if env.get("CROSSCHECK_CONFIG") else []
        candidates += [Path.cwd() / "crosscheck.toml", PROJECT_ROOT / "crosscheck.toml"]
        path = next((p for p in candidates if p.is_file()), None)
    data: dict[str, Any] = {}
    root = PROJECT_ROOT
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read configuration: {exc}", input=str(path)) from exc
        root = Path(path).resolve().parent
    cfg = _merge(DEFAULTS, data)
    for var, (section, key, conv) in ENV.items():
        if env.get(var):
            try:
                cfg[section][key] = conv(env[var])
            except ValueError as exc:
                raise ConfigError(f"bad value {env[var]!r}: {exc}", input=var) from exc
    db = Path(cfg["warehouse"]["path"])
    seeds = Path(cfg["seeds"]["dir"])
    return Settings(
        root=root,
        db_path=db if db.is_absolute() else root / db,
        seeds_dir=seeds if seeds.is_absolute() else root / seeds,
        story_ids=tuple(cfg["seeds"]["stories"]),
        max_doc_bytes=int(cfg["ingest"]["max_doc_bytes"]),
    )


def load_story(path: Path, seeds_dir: Path) -> Story:
    try:
        d = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read story: {exc}", input=str(path)) from exc
    try:
        return Story(
            id=d["id"],
            title=d.get("title", d["id"]),
            event_date=d["event_date"],
            timezone=d.get("timezone", "+00:00"),
            window_days=tuple(d.get("window_days", [-2, 90])),  # type: ignore[arg-type]
            seeds=tuple(seeds_dir / p for p in d.get("seeds", [])),
            corpus=tuple(seeds_dir / p for p in d.get("corpus", [])),
            gold=seeds_dir / d["gold"] if d.get("gold") else None,
            default_party=d.get("default_party"),
            query_terms=tuple(d.get("query_terms", [])),
            places=tuple(d.get("places", [])),
            other_event_terms=tuple(d.get("other_event_terms", [])),
            actors={k: tuple(v) for k, v in d.get("actors", {}).items()},
        )
    except KeyError as exc:
        raise ConfigError(f"missing key {exc}", input=str(path)) from exc
