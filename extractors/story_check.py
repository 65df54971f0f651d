"""Validate a story file (seeds/stories/<id>.toml) against the story format, naming the file and line of each
problem.

One job: `check_story(path, seeds_dir) -> list[Problem]`. It reads what `core.config.load_story` and the extractor
read (the keys of `STORY_KEYS`, the `[sources]` keys of `core.config.STORY_SOURCES_DEFAULTS`), and checks what
loading does not: unknown keys, wrong types, malformed dates and time zones, places the gazetteer does not name
(or names only as an alias), munition kinds and parties the vocabulary does not have, and seed, corpus and gold
folders that are missing. tomllib gives no line numbers, so each key's line is found by scanning the text
(`key_lines`). `STORY_KEYS` is also what `crosscheck story new` writes (extractors/story_template.py), one
documented key each.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from core.config import STORY_SOURCES_DEFAULTS, story_sources
from core.errors import ConfigError

# Every top-level key of a story file: key -> (value kind, comment written above it by `crosscheck story new`).
# Kinds: str, date, timezone, timezones, window, folders, folder, party, strs, places, munitions, actors, sources.
STORY_KEYS: dict[str, tuple[str, str]] = {
    "id": ("str", "The story's id: the file name without .toml; `--story ID` selects it."),
    "title": ("str", "A one-line title for reports and the review page."),
    "event_date": ("date", "The day of the attack, YYYY-MM-DD (local time), quoted."),
    "timezone": ("timezone", "Local time of the event (+HH:MM), used to resolve weekdays, \"local time\" and "
                             "clock times."),
    "writer_timezones": ("timezones", "Time zones reporters may write in when they give a day or part of day "
                                      "without one (\"late Tuesday\" in Washington is early Wednesday in Iraq)."),
    "window_days": ("window", "Reports published this many days before/after event_date are in the story's "
                              "window: [before, after]."),
    "seeds": ("folders", "Folders of seed reports (.txt, .md, .html), relative to the seeds folder."),
    "corpus": ("folders", "Folders of comparable reports bundled with the project, relative to the seeds folder."),
    "gold": ("folder", "Folder of labelled gold claims for `crosscheck eval` (seeds/gold/README.md), relative to "
                       "the seeds folder; leave it out until there are labels."),
    "default_party": ("party", "The party whose forces or people were attacked (a [parties] name of "
                               "seeds/vocabulary.toml): troops named without a nationality belong to it."),
    "query_terms": ("strs", "Terms for searching online sources."),
    "places": ("places", "Key places of the story (canonical gazetteer names): claims about them are the "
                         "story's, and a report must name one of them (or an actor) beside a munition or attack "
                         "word to be read at all."),
    "munitions": ("munitions", "The kinds of weapon of the event ([munitions] kinds of seeds/vocabulary.toml): a "
                               "report counting only other kinds tells of another attack; empty = not used."),
    "actors": ("actors", "Who may carry out the attack: canonical actor -> aliases (the responsibility claims' "
                         "subjects)."),
    "sources": ("sources", "Where discovery (sources/discover.py) looks for more reports of this story; every key "
                           "has a default (core/config.py STORY_SOURCES_DEFAULTS). The bundled corpus is always "
                           "read; online sources run only when crosscheck.toml [sources] online = true "
                           "(CROSSCHECK_OFFLINE=1 turns them off)."),
}
REQUIRED = ("id", "event_date")
# Keys once read and now ignored: a warning, not an error.
RETIRED = {"other_event_terms": "retired and ignored (README: What the rules read); delete it"}

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
UTC_OFFSET = re.compile(r"^[+-](?:0\d|1[0-4]):[0-5]\d$")
_TOML_LINE = re.compile(r"at line (\d+)")
_KEY_LINE = re.compile(r"""^\s*(?:"(?P<dq>[^"]+)"|'(?P<sq>[^']+)'|(?P<bare>[A-Za-z0-9_-]+))\s*=""")
_TABLE_LINE = re.compile(r"""^\s*\[\s*(?:"(?P<dq>[^"]+)"|(?P<bare>[A-Za-z0-9_.-]+))\s*\]\s*(?:#.*)?$""")


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: the file, its line (None when no line holds it, e.g. a missing key) and what is wrong."""

    path: str
    line: int | None
    message: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True, slots=True)
class Reference:
    """What a story's values are checked against: gazetteer names, vocabulary parties and munition kinds."""

    canonical_places: frozenset[str]
    aliases: Mapping[str, str]  # alias (lower) -> canonical
    parties: frozenset[str]
    munition_kinds: frozenset[str]


def load_reference(seeds_dir: Path) -> Reference:
    """The gazetteer and vocabulary of a seeds folder (a ConfigError names the file that cannot be read)."""
    gaz = seeds_dir / "gazetteer.csv"
    voc = seeds_dir / "vocabulary.toml"
    try:
        with gaz.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ConfigError(f"cannot read the gazetteer: {exc}", input=str(gaz)) from exc
    try:
        vocab = tomllib.loads(voc.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read the vocabulary: {exc}", input=str(voc)) from exc
    return Reference(
        canonical_places=frozenset(r["canonical"] for r in rows if r.get("canonical")),
        aliases={(r.get("alias") or "").lower(): r["canonical"] for r in rows if r.get("canonical")},
        parties=frozenset(vocab.get("parties", {})),
        munition_kinds=frozenset(vocab.get("munitions", {})),
    )


def key_lines(text: str) -> dict[str, int]:
    """Line (1-based) of each key: "id", "sources.gdelt", "actors.Iran", and of each table ("sources")."""
    out: dict[str, int] = {}
    table = ""
    depth = 0  # inside a multi-line array: its lines hold values, not keys
    for n, line in enumerate(text.splitlines(), start=1):
        code = _code(line)[1]
        if depth == 0:
            t = _TABLE_LINE.match(line)
            if t:
                table = t.group("dq") or t.group("bare") or ""
                out.setdefault(table, n)
                continue
            k = _KEY_LINE.match(line)
            if k:
                key = k.group("dq") or k.group("sq") or k.group("bare")
                out.setdefault(f"{table}.{key}" if table else key, n)
        depth = max(0, depth + code.count("[") - code.count("]"))
    return out


def _code(line: str) -> tuple[str, str]:
    """(the line before its comment, the same without the text of its strings): brackets in a string or a
    comment are not syntax, and a commented-out value is not a value."""
    code, bare, quote = [], [], ""
    for c in line:
        if quote:
            code.append(c)
            if c == quote:
                quote = ""
            continue
        if c == "#":
            break
        code.append(c)
        if c in "\"'":
            quote = c
        else:
            bare.append(c)
    return "".join(code), "".join(bare)


def value_line(text: str, start: int | None, value: str) -> int | None:
    """The first line at or after `start` that holds `value` as a quoted string outside a comment (an item of a
    multi-line list); `start` when none does."""
    if start is None:
        return None
    lines = text.splitlines()
    for n in range(start, len(lines) + 1):
        code = _code(lines[n - 1])[0]
        if f'"{value}"' in code or f"'{value}'" in code:
            return n
    return start


def check_story(path: Path, seeds_dir: Path, reference: Reference | None = None) -> list[Problem]:
    """Every problem of one story file; an empty list means it is fine. Never raises for a bad story."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(where, None, f"cannot read the story: {exc}")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        return [Problem(where, int(m.group(1)) if m else None, f"not valid TOML: {exc}")]
    try:
        ref = reference or load_reference(seeds_dir)
    except ConfigError as exc:
        return [Problem(exc.input or str(seeds_dir), None, exc.problem)]
    lines = key_lines(text)
    problems: list[Problem] = []

    def add(key: str, message: str, line: int | None = None, severity: str = "error") -> None:
        problems.append(Problem(where, line or lines.get(key), message, severity))

    for key in data:
        if key in RETIRED:
            add(key, f"{key} is {RETIRED[key]}", severity="warning")
        elif key not in STORY_KEYS:
            add(key, f"unknown key {key!r} (known: {', '.join(STORY_KEYS)})")
    for key in REQUIRED:
        if key not in data:
            problems.append(Problem(where, None, f"missing key {key!r}"))
    for key, value in data.items():
        if key in STORY_KEYS:
            _check_value(key, STORY_KEYS[key][0], value, add, text, lines, seeds_dir, ref)
    story_id = data.get("id")
    if isinstance(story_id, str) and story_id != path.stem:
        add("id", f"id {story_id!r} differs from the file name {path.name!r}: `--story {path.stem}` would load "
                  "a story that calls itself otherwise")
    return sorted(problems, key=lambda p: (p.line or 0, p.message))


def _check_value(key: str, kind: str, value: Any, add, text: str, lines: dict[str, int], seeds_dir: Path,
                 ref: Reference) -> None:
    if kind in ("str", "date", "timezone", "folder", "party"):
        if not isinstance(value, str):
            hint = ' (write it as a quoted string, "YYYY-MM-DD")' if isinstance(value, date) else ""
            add(key, f"{key} must be a string, got {_toml_type(value)}{hint}")
            return
    elif kind in ("timezones", "folders", "strs", "places", "munitions") and (
            not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
        add(key, f"{key} must be a list of strings, got {_toml_type(value)}")
        return
    if kind == "str":
        if key == "id" and not _ID.match(value):
            add(key, f"id {value!r} must be lower-case letters, digits, '.', '_' or '-'")
    elif kind == "date":
        _check_date(key, value, add)
    elif kind == "timezone":
        if not UTC_OFFSET.match(value):
            add(key, f"{key} {value!r} is not a UTC offset such as \"+03:00\"")
    elif kind == "timezones":
        for tz in value:
            if not UTC_OFFSET.match(tz):
                add(key, f"{key} holds {tz!r}, not a UTC offset such as \"-05:00\"",
                    value_line(text, lines.get(key), tz))
    elif kind == "window":
        ok = (isinstance(value, list) and len(value) == 2
              and all(isinstance(v, int) and not isinstance(v, bool) for v in value))
        if not ok:
            add(key, f"{key} must be two whole numbers of days [before, after], got {value!r}")
        elif value[0] > value[1]:
            add(key, f"{key} {value!r}: the first day is after the last")
    elif kind in ("folders", "folder"):
        for name in [value] if isinstance(value, str) else value:
            folder = seeds_dir / name
            if not folder.is_dir():
                add(key, f"{key} names {name!r}, but {folder} is not a folder",
                    value_line(text, lines.get(key), name))
    elif kind == "party":
        if value not in ref.parties:
            add(key, f"{key} {value!r} is not a [parties] name of seeds/vocabulary.toml"
                     f"{_nearest_hint(value, ref.parties)}")
    elif kind == "places":
        for name in value:
            if name in ref.canonical_places:
                continue
            line = value_line(text, lines.get(key), name)
            alias_of = ref.aliases.get(name.lower())
            if alias_of:
                add(key, f"place {name!r} is an alias in the gazetteer; the places list takes its canonical name "
                         f"{alias_of!r}", line)
            else:
                add(key, f"place {name!r} is not in the gazetteer (seeds/gazetteer.csv){_nearest_hint(name, ref)}",
                    line)
    elif kind == "munitions":
        for m in value:
            if m not in ref.munition_kinds:
                add(key, f"munition kind {m!r} is not one of {', '.join(sorted(ref.munition_kinds))}",
                    value_line(text, lines.get(key), m))
    elif kind == "actors":
        _check_actors(value, add, lines)
    elif kind == "sources":
        _check_sources(value, add, lines, seeds_dir)


def _check_date(key: str, value: str, add) -> None:
    if not _DATE.match(value):
        add(key, f"{key} {value!r} is not a date written YYYY-MM-DD")
        return
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        add(key, f"{key} {value!r} is not a date: {exc}")


def _check_actors(value: Any, add, lines: dict[str, int]) -> None:
    if not isinstance(value, dict):
        add("actors", f"actors must be a table of actor = [aliases], got {_toml_type(value)}")
        return
    for actor, aliases in value.items():
        key = f"actors.{actor}"
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            add(key, f"actor {actor!r} must have a list of aliases (strings), got {_toml_type(aliases)}",
                lines.get(key) or lines.get("actors"))
        elif not [a for a in aliases if a.strip()]:
            add(key, f"actor {actor!r} has no aliases: no report could name it", lines.get(key) or lines.get("actors"))


def _check_sources(value: Any, add, lines: dict[str, int], seeds_dir: Path) -> None:
    if not isinstance(value, dict):
        add("sources", f"[sources] must be a table, got {_toml_type(value)}")
        return
    for key, item in value.items():
        line = lines.get(f"sources.{key}") or lines.get("sources")
        if key not in STORY_SOURCES_DEFAULTS:
            add(f"sources.{key}", f"unknown key sources.{key} (known: {', '.join(STORY_SOURCES_DEFAULTS)})", line)
            continue
        try:
            story_sources({key: item})
        except ConfigError as exc:
            add(f"sources.{key}", exc.problem, line)
            continue
        if key == "urls":
            for url in item:
                if not url.strip().lower().startswith(("http://", "https://")):
                    add(f"sources.{key}", f"sources.urls holds {url!r}, not an http(s) URL", line)
        elif key == "url_files":
            for name in item:
                if not (Path(name) if Path(name).is_absolute() else seeds_dir / name).is_file():
                    add(f"sources.{key}", f"sources.url_files names {name!r}, which is not a file", line)


def _nearest_hint(name: str, ref: Reference | frozenset[str]) -> str:
    choices = sorted(ref.canonical_places) if isinstance(ref, Reference) else sorted(ref)
    near = process.extract(name, choices, scorer=fuzz.ratio, limit=3, score_cutoff=60)
    return f"; nearest: {', '.join(repr(n) for n, _, _ in near)}" if near else ""


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, date):
        return f"a TOML date ({value})"
    return type(value).__name__
