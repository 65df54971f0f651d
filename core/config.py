"""Tool configuration: crosscheck.toml, defaults in code, environment variables on top.

Story files (seeds/stories/<id>.toml) are loaded here too, into plain frozen records.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from core.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parents[1]

DEFAULTS: dict[str, Any] = {
    "warehouse": {"path": "var/crosscheck.duckdb"},
    "seeds": {"dir": "seeds", "stories": ["iran-2020"]},
    # max_extract_s: a document whose extraction takes longer is recorded as an error and the run goes on.
    "ingest": {"max_doc_bytes": 5_000_000, "max_extract_s": 60.0},
    # Online discovery (sources/discover.py): false = only the bundled corpus is read.
    "sources": {"online": True},
    # The scheduled flow (flows/): cron schedule, task runner and chunk size.
    "flow": {"cron": "0 */6 * * *", "timezone": "UTC", "task_runner": "threads", "dask_workers": 2,
             "dask_address": "", "chunk_size": 500, "deployment": "crosscheck-scheduled"},
    # Where `crosscheck report` and each flow run write the discrepancy reports.
    "reports": {"dir": "var/reports"},
    # Cross-referencing: a story matched from scratch is matched this many articles at a time, the first batch in
    # full and each next one folded in incrementally (the same result, in memory bounded by the batch).
    "matching": {"batch_articles": 2_000},
    # Who `crosscheck export --format claimreview` names as the ClaimReview author (an organisation); "" = no url.
    "export": {"author_name": "crosscheck", "author_url": ""},
}

OFFLINE_ENV = "CROSSCHECK_OFFLINE"
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _offline_to_online(value: str) -> bool:
    """CROSSCHECK_OFFLINE=1 (true, yes, on) means online = False; 0 (false, no, off) means online = True."""
    text = value.strip().lower()
    if text in _TRUE:
        return False
    if text in _FALSE:
        return True
    raise ValueError("expected 1/0, true/false, yes/no or on/off")

ENV = {
    "CROSSCHECK_DB": ("warehouse", "path", str),
    "CROSSCHECK_SEEDS": ("seeds", "dir", str),
    "CROSSCHECK_STORIES": ("seeds", "stories", lambda v: [s.strip() for s in v.split(",") if s.strip()]),
    "CROSSCHECK_MAX_DOC_BYTES": ("ingest", "max_doc_bytes", int),
    "CROSSCHECK_MAX_EXTRACT_S": ("ingest", "max_extract_s", float),
    OFFLINE_ENV: ("sources", "online", _offline_to_online),
    "CROSSCHECK_TASK_RUNNER": ("flow", "task_runner", str),
    "CROSSCHECK_DASK_ADDRESS": ("flow", "dask_address", str),
    "CROSSCHECK_CRON": ("flow", "cron", str),
    "CROSSCHECK_REPORTS": ("reports", "dir", str),
}

TASK_RUNNERS = ("threads", "dask")

# A story's [sources] table: which discovery sources run for it and how (sources/adapters/).
# Every key has this default; an unknown key or a value of the wrong type is a ConfigError.
STORY_SOURCES_DEFAULTS: dict[str, Any] = {
    # which online sources run (the local corpus always does); all need [sources] online = true
    "gdelt": True,
    "wikipedia": True,
    "factcheck": True,  # also needs the CROSSCHECK_FACTCHECK_KEY environment variable
    "feeds": [],  # RSS 2.0 / Atom feed URLs
    "url_files": [],  # files of article URLs, one per line, relative to the seeds folder
    "urls": [],  # article URLs listed in the story itself
    # service endpoints (tests point them at a loopback server)
    "gdelt_base_url": "https://api.gdeltproject.org/api/v2/doc/doc",
    "wikipedia_base_url": "https://en.wikipedia.org/w/api.php",
    "factcheck_base_url": "https://factchecktools.googleapis.com/v1alpha1/claims:search",
    # queries: "" = built from the story's places, query terms and key terms
    "gdelt_query": "",
    "gdelt_language": "english",  # GDELT sourcelang: filter; "" = any language
    "gdelt_max_records": 50,  # GDELT allows at most 250
    "wikipedia_query": "",
    "wikipedia_max_pages": 3,
    "factcheck_query": "",
    "factcheck_language": "en",
    "factcheck_page_size": 20,
    # limits per source and run
    "max_reports": 25,  # article pages fetched per source
    "max_seconds": 120.0,  # wall-clock budget per source; it stops early, keeping what it has
    # relevance (sources/relevance.py)
    "key_terms": ["missile", "rocket", "ballistic", "strike", "struck", "attack", "attacked", "barrage",
                  "fired", "launched", "retaliation"],
    "min_relevance": 3.0,
}


def story_sources(raw: Any, *, input: str | None = None) -> dict[str, Any]:
    """A story's [sources] table merged over `STORY_SOURCES_DEFAULTS`, each value type-checked."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError("[sources] must be a table", input=input)
    out = {k: list(v) if isinstance(v, list) else v for k, v in STORY_SOURCES_DEFAULTS.items()}
    for key, value in raw.items():
        if key not in STORY_SOURCES_DEFAULTS:
            known = ", ".join(STORY_SOURCES_DEFAULTS)
            raise ConfigError(f"unknown key sources.{key} (known: {known})", input=input)
        default = STORY_SOURCES_DEFAULTS[key]
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, float):
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            value = float(value) if ok else value
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif isinstance(default, str):
            ok = isinstance(value, str)
        else:
            ok = isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
            value = list(value) if ok else value
        if not ok:
            raise ConfigError(f"sources.{key} must be {_type_name(default)}, got {value!r}", input=input)
        out[key] = value
    for key in ("gdelt_max_records", "wikipedia_max_pages", "factcheck_page_size", "max_reports"):
        if out[key] < 0:
            raise ConfigError(f"sources.{key} must be >= 0", input=input)
    if out["gdelt_max_records"] > 250:
        raise ConfigError("sources.gdelt_max_records must be <= 250 (GDELT's limit)", input=input)
    if out["max_seconds"] <= 0:
        raise ConfigError("sources.max_seconds must be > 0", input=input)
    return out


def _type_name(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int | float):
        return "a number"
    if isinstance(default, str):
        return "a string"
    return "a list of strings"


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    event_date: str
    timezone: str
    writer_timezones: tuple[str, ...]
    window_days: tuple[int, int]
    seeds: tuple[Path, ...]
    corpus: tuple[Path, ...]
    gold: Path | None
    default_party: str | None
    query_terms: tuple[str, ...]
    places: tuple[str, ...]
    actors: dict[str, tuple[str, ...]] = field(hash=False)
    # the kinds of weapon of the story's event (vocabulary [munitions] kinds: missile, rocket, drone, ...): a report
    # that counts only other kinds is evidence of another event (extractors/events.py); empty = not used
    munitions: tuple[str, ...] = ()
    # the story's [sources] table merged over STORY_SOURCES_DEFAULTS (see story_sources)
    sources: dict[str, Any] = field(default_factory=lambda: story_sources({}), hash=False)

    def window(self) -> tuple[date, date]:
        """First and last day of the story's window: event_date + window_days[0] .. + window_days[1]."""
        event = date.fromisoformat(self.event_date)
        before, after = self.window_days
        return event + timedelta(days=before), event + timedelta(days=after)


@dataclass(frozen=True, slots=True)
class Settings:
    root: Path  # directory relative paths are resolved against
    db_path: Path
    seeds_dir: Path
    story_ids: tuple[str, ...]
    max_doc_bytes: int
    online: bool = True  # [sources] online; CROSSCHECK_OFFLINE=1 makes it False
    cron: str = "0 */6 * * *"  # [flow] cron: when `crosscheck serve` runs the flow
    timezone: str = "UTC"
    task_runner: str = "threads"  # [flow] task_runner: threads (default) | dask
    dask_workers: int = 2  # a local cluster's worker processes; on an existing cluster, chunks sent ahead
    dask_address: str = ""  # [flow] dask_address: a running Dask scheduler ("tcp://host:8786"); "" = none
    chunk_size: int = 500  # articles per extract/store task
    deployment: str = "crosscheck-scheduled"
    reports_dir: Path = PROJECT_ROOT / "var" / "reports"
    export_author_name: str = "crosscheck"  # [export] author_name: the organisation ClaimReview names as author
    export_author_url: str = ""  # [export] author_url: its web address (http or https); "" = none
    max_extract_s: float = 60.0  # [ingest] max_extract_s: the time one document's extraction may take
    match_batch: int = 2_000  # [matching] batch_articles: articles per batch of a story's matching from scratch

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
        max_extract_s=float(cfg["ingest"]["max_extract_s"]),
        online=_online(cfg["sources"]["online"], path),
        cron=str(cfg["flow"]["cron"]),
        timezone=str(cfg["flow"]["timezone"]),
        task_runner=_choice(cfg["flow"]["task_runner"], TASK_RUNNERS, "flow.task_runner", path),
        dask_workers=int(cfg["flow"]["dask_workers"]),
        dask_address=str(cfg["flow"]["dask_address"]).strip(),
        chunk_size=int(cfg["flow"]["chunk_size"]),
        match_batch=max(1, int(cfg["matching"]["batch_articles"])),
        deployment=str(cfg["flow"]["deployment"]),
        reports_dir=_resolve(root, cfg["reports"]["dir"]),
        export_author_name=_author_name(cfg["export"]["author_name"], path),
        export_author_url=_author_url(cfg["export"]["author_url"], path),
    )


def _resolve(root: Path, value: str) -> Path:
    p = Path(value)
    return p if p.is_absolute() else root / p


def _choice(value: Any, allowed: tuple[str, ...], key: str, path: Path | None) -> str:
    if value not in allowed:
        raise ConfigError(f"{key} = {value!r}; expected one of {', '.join(allowed)}", input=str(path or key))
    return str(value)


def _author_name(value: Any, path: Path | None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"export.author_name must be a non-empty string, got {value!r}",
                          input=str(path or "crosscheck.toml"))
    return value.strip()


def _author_url(value: Any, path: Path | None) -> str:
    if not isinstance(value, str) or (value.strip() and not value.strip().lower().startswith(("http://", "https://"))):
        raise ConfigError(f"export.author_url must be an http(s) address or empty, got {value!r}",
                          input=str(path or "crosscheck.toml"))
    return value.strip()


def _online(value: Any, path: Path | None) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"sources.online must be true or false, got {value!r}", input=str(path or "crosscheck.toml"))
    return value


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
            writer_timezones=tuple(d.get("writer_timezones", [d.get("timezone", "+00:00")])),
            window_days=tuple(d.get("window_days", [-2, 90])),  # type: ignore[arg-type]
            seeds=tuple(seeds_dir / p for p in d.get("seeds", [])),
            corpus=tuple(seeds_dir / p for p in d.get("corpus", [])),
            gold=seeds_dir / d["gold"] if d.get("gold") else None,
            default_party=d.get("default_party"),
            query_terms=tuple(d.get("query_terms", [])),
            places=tuple(d.get("places", [])),
            actors={k: tuple(v) for k, v in d.get("actors", {}).items()},
            munitions=tuple(d.get("munitions", [])),
            sources=story_sources(d.get("sources"), input=str(path)),
        )
    except KeyError as exc:
        raise ConfigError(f"missing key {exc}", input=str(path)) from exc
