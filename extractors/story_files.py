"""A new story's files: the story file `crosscheck story new` writes, its proposal files, and `story accept`.

One job: turn `Proposals` (extractors/onboarding.py) into files a person edits, and move what they accept into
the reference tables. Nothing is added to seeds/gazetteer.csv, seeds/speakers.csv or seeds/vocabulary.toml
unless asked:

- `seeds/stories/<id>.toml` holds every key of the story format (`STORY_KEYS`, `[sources]` keys of
  `STORY_SOURCES_DEFAULTS`), each under a comment saying what it does; the story's own proposals (key places,
  actors, munition kinds, default party, query terms) are commented-out entries in place, so uncommenting one
  accepts it;
- `seeds/proposals/<id>/gazetteer.csv` and `speakers.csv` hold the target file's header and proposed rows with a
  `# ` prefix (notes start with `## `); `munitions.csv` (`munition,word`) holds words for the vocabulary's
  [munitions] lists. A row whose `# ` is deleted is accepted by `accept_proposals`, which appends it to the
  table (or adds the word to its list), prints it, and marks it `## accepted` in the proposal file.

`render_story` and `proposal_files` are pure; `create_story` and `accept_proposals` do the I/O.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tomllib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from core.config import STORY_SOURCES_DEFAULTS
from core.errors import ConfigError
from core.records import Rejected
from extractors.onboarding import Proposals, known_actors, propose, read_reports
from extractors.story_check import STORY_KEYS, UTC_OFFSET, key_lines
from extractors.vocabulary import load_vocabulary, norm_key
from sources.files import DEFAULT_MAX_BYTES, sidecar_names
from sources.settings import HttpSettings

GAZETTEER_COLUMNS = ("canonical", "alias", "type", "country", "admin", "part_of")
SPEAKER_COLUMNS = ("canonical", "alias", "organisation", "side", "type", "stories")
MUNITION_COLUMNS = ("munition", "word")
# proposal file -> (the file it feeds, relative to the seeds folder; its columns)
TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "gazetteer.csv": ("gazetteer.csv", GAZETTEER_COLUMNS),
    "speakers.csv": ("speakers.csv", SPEAKER_COLUMNS),
    "munitions.csv": ("vocabulary.toml", MUNITION_COLUMNS),
}
_STORY_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

# What each [sources] key does, written above it (a test holds these keys equal to STORY_SOURCES_DEFAULTS).
SOURCES_DOCS: dict[str, str] = {
    "gdelt": "Search GDELT's news index (online).",
    "wikipedia": "Read the Wikipedia pages the query finds (online).",
    "factcheck": "Google Fact Check Tools (online; needs CROSSCHECK_FACTCHECK_KEY).",
    "feeds": "RSS 2.0 / Atom feed URLs.",
    "url_files": "Files of article URLs, one a line, relative to the seeds folder.",
    "urls": "Article URLs listed here.",
    "gdelt_base_url": "GDELT's endpoint (tests point it at a loopback server).",
    "wikipedia_base_url": "Wikipedia's API endpoint.",
    "factcheck_base_url": "The Fact Check Tools endpoint.",
    "gdelt_query": "GDELT query; \"\" = built from places, query terms and key terms.",
    "gdelt_language": "GDELT source language; \"\" = any.",
    "gdelt_max_records": "GDELT results per query (at most 250).",
    "wikipedia_query": "Wikipedia search; \"\" = built from the story.",
    "wikipedia_max_pages": "Wikipedia pages read per run.",
    "factcheck_query": "Fact Check query; \"\" = built from the story.",
    "factcheck_language": "Fact Check language code.",
    "factcheck_page_size": "Fact Check results per request.",
    "max_reports": "Article pages fetched per source and run.",
    "max_seconds": "Wall-clock budget per source and run, seconds.",
    "key_terms": "Words that make a found page relevant (sources/relevance.py).",
    "min_relevance": "Relevance score a found page needs.",
}


@dataclass(frozen=True, slots=True)
class NewStory:
    """What `create_story` wrote and read."""

    story_path: Path
    proposal_paths: tuple[Path, ...]
    copied: tuple[Path, ...]  # reports copied into the story's seed folder
    proposals: Proposals
    rejected: tuple[Rejected, ...]


@dataclass(frozen=True, slots=True)
class Accepted:
    """What `accept_proposals` did: rows added per target file, and rows passed over with the reason."""

    added: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- rendering (pure)


def _q(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _q(value)
    return "[" + ", ".join(_toml_value(v) for v in value) + "]"


def _comment(text: str, width: int = 116) -> list[str]:
    words, lines, line = text.split(), [], "#"
    for w in words:
        if len(line) + 1 + len(w) > width:
            lines.append(line)
            line = "#"
        line += " " + w
    return [*lines, line]


def _name(report: str) -> str:
    """A report as notes name it: a URL as it is, a file by its name."""
    return report if report.startswith(("http://", "https://")) else Path(report).name


def _times(n: int) -> str:
    return f"{n} time{'s' if n != 1 else ''}"


def render_story(story_id: str, title: str, event_date: str, proposals: Proposals, *, timezone: str = "+00:00",
                 seeds: Sequence[str] = (), urls: Sequence[str] = (), read_from: Sequence[str] = (),
                 proposal_dir: str = "") -> str:
    """The text of a new story file: every key with its comment, the story's own proposals commented out in
    place (uncommenting one accepts it), and a closing note on the proposal files in `proposal_dir`."""
    p = proposals
    out = [f"# Tracked story: {title}.",
           *_comment(f"Written by `crosscheck story new` from {len(read_from)} report(s): "
                     + ", ".join(_name(r) for r in read_from)
                     if read_from else "Written by `crosscheck story new`, from no report."),
           *_comment("Every key a story file may hold is below, each under what it does. Commented-out entries "
                     "inside a list or table (\"# ...\") were read from the reports: uncomment those that are right. "
                     f"`crosscheck story check {story_id}` validates the file."),
           ""]

    def key(name: str, value: str, *, note: str = "", commented: bool = False) -> None:
        out.extend(_comment(STORY_KEYS[name][1] + (f" {note}" if note else "")))
        out.append(f"{'# ' if commented else ''}{name} = {value}")

    def items(name: str, entries: list[tuple[str, str]], active: Sequence[str] = (), note: str = "") -> None:
        out.extend(_comment(STORY_KEYS[name][1] + (f" {note}" if note else "")))
        if not entries and not active:
            out.append(f"{name} = []")
            return
        out.append(f"{name} = [")
        out.extend(f"    {_q(v)}," for v in active)
        out.extend(f"    # {_q(v)},  # {why}" for v, why in entries)
        out.append("]")

    key("id", _q(story_id))
    key("title", _q(title))
    key("event_date", _q(event_date))
    key("timezone", _q(timezone), note="Set it: crosscheck cannot tell it from the reports.")
    key("writer_timezones", _toml_value([timezone]))
    key("window_days", "[-2, 90]")
    key("seeds", _toml_value(list(seeds)))
    key("corpus", "[]")
    key("gold", _q(f"gold/{story_id}"), commented=True)
    if p.default_party:
        key("default_party", _q(p.default_party), commented=True,
            note="Proposed: the party the reports' casualty counts name most.")
    else:
        key("default_party", '"civilian"', commented=True, note="The reports' casualty counts name no party.")
    place_names = [pl.name for pl in p.places if pl.type in _ATTACKABLE]
    terms = [f"{name} {p.munition_kinds[0] if p.munition_kinds else 'attack'}"
             for name in [*place_names[:3], *(k.canonical for k in p.known_places[:2])]]
    items("query_terms", [(t, "proposed from the places") for t in dict.fromkeys(terms)])
    entries = [(pl.name, f"not in the gazetteer: accept its row in {proposal_dir}/gazetteer.csv first; named "
                         f"{_times(pl.count)}") for pl in p.places if pl.type in _ATTACKABLE]
    entries += [(k.canonical, f"in the gazetteer ({k.type}); named {_times(k.count)} in a sentence about the attack")
                for k in p.known_places]
    items("places", entries)
    items("munitions", [(k, "counted in the reports") for k in p.munition_kinds])
    out.append("")
    out.extend(_comment(STORY_KEYS["actors"][1]))
    out.append("[actors]")
    for a in p.actors:
        out.extend(_comment(f"{a.name}, as in {', '.join(a.origin)}: named {_times(a.count)} beside a munition or "
                            f"attack word (\"{a.seen.sentence}\"); uncomment the next line to accept it:"))
        out.append(f"# {_q(a.name)} = {_toml_value(list(a.aliases))}")
    out.append("")
    out.extend(_comment(STORY_KEYS["sources"][1]))
    out.extend(_comment("Each key below shows its default, commented out; uncomment one to change it."))
    out.append("[sources]")
    for name, default in STORY_SOURCES_DEFAULTS.items():
        out.append(f"# {SOURCES_DOCS[name]}")
        if name == "urls" and urls:
            out.append(f"urls = {_toml_value(list(urls))}")
        else:
            out.append(f"# {name} = {_toml_value(default)}")
    out.append("")
    counts = [(f"{proposal_dir}/gazetteer.csv", len(p.places), "place"),
              (f"{proposal_dir}/speakers.csv", len(p.speakers), "speaker"),
              (f"{proposal_dir}/munitions.csv", len(p.munitions), "munition word")]
    listed = [f"#   {path}: {n} {what}{'s' if n != 1 else ''}" for path, n, what in counts if n]
    if listed:
        out.extend(_comment("Proposals for the reference tables (nothing was added to them): in each file, delete "
                            "the leading \"# \" of the rows that are right, then run "
                            f"`crosscheck story accept {story_id}`. Paths are relative to the seeds folder."))
        out.extend(listed)
    else:
        out.append("# No proposals for the reference tables: the reports named nothing they lack.")
    return "\n".join(out) + "\n"


_ATTACKABLE = frozenset({"base", "city", "airport", "district", "facility", "camp", "town", "village", "building",
                         "ship", "port"})


def _csv_line(row: Sequence[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(list(row))
    return buf.getvalue()


def proposal_files(story_id: str, proposals: Proposals) -> dict[str, str]:
    """Proposal file name -> text, for the kinds that have proposals: the target's header, then each proposal as
    `## ` notes (where it was seen) and `# ` rows in the target's columns."""
    p = proposals
    files: dict[str, str] = {}

    def head(name: str) -> list[str]:
        target, columns = TARGETS[name]
        return [*(f"#{line}" for line in _comment(
            f"Proposed for {target}, read from the reports of story {story_id} by `crosscheck story new`. Accept "
            f"a row: delete its leading \"# \" (fix any field first), then run `crosscheck story accept "
            f"{story_id}`, which adds the uncommented rows to {target}. Lines starting \"##\" are notes."
            )), ",".join(columns)]

    if p.places:
        lines = head("gazetteer.csv")
        for pl in p.places:
            lines.append(f"## {pl.name}: {pl.how}, {_times(pl.count)}: \"{pl.seen.sentence}\" "
                         f"({_name(pl.seen.report)})")
            if pl.nearest:
                lines.append("##   nearest gazetteer names: " + ", ".join(f"{n} ({s:.0f})" for n, s in pl.nearest))
            lines.append("##   type and country are guesses; admin (province) and part_of (a place it lies in) "
                         "are yours to fill")
            lines.extend(f"# {_csv_line([pl.name, alias, pl.type, pl.country, '', ''])}" for alias in pl.aliases)
        files["gazetteer.csv"] = "\n".join(lines) + "\n"
    if p.speakers:
        lines = head("speakers.csv")
        for sp in p.speakers:
            lines.append(f"## {sp.surface} ({sp.type}), {_times(sp.count)}: \"{sp.seen.sentence}\" "
                         f"({_name(sp.seen.report)})")
            if not sp.organisation or not sp.side:
                lines.append("##   fill in the organisation they speak for and their side (a country, or coalition)")
            lines.extend(f"# {_csv_line([sp.name, alias, sp.organisation, sp.side, sp.type, ''])}"
                         for alias in sp.aliases)
        files["speakers.csv"] = "\n".join(lines) + "\n"
    if p.munitions:
        lines = head("munitions.csv")
        for m in p.munitions:
            lines.append(f"## {m.word}: written before a {m.munition} noun, {_times(m.count)}: \"{m.seen.sentence}\" "
                         f"({_name(m.seen.report)})")
            lines.append(f"# {_csv_line([m.munition, m.word])}")
            if not m.word.endswith("s"):
                lines.append(f"# {_csv_line([m.munition, m.word + 's'])}")
        files["munitions.csv"] = "\n".join(lines) + "\n"
    return files


def format_proposals(proposals: Proposals) -> list[str]:
    """The proposals as lines to print."""
    p = proposals
    out = [f"read {p.reports} report(s)"]
    if p.places:
        out.append(f"places the gazetteer lacks ({len(p.places)}):")
        for pl in p.places:
            near = ", ".join(f"{n} ({s:.0f})" for n, s in pl.nearest)
            out.append(f"  {pl.name} [{pl.type}{', ' + pl.country if pl.country else ''}] {pl.how}, "
                       f"{_times(pl.count)}; nearest: {near or 'none'}")
    if p.known_places:
        out.append("gazetteer places named beside the attack: "
                   + ", ".join(f"{k.canonical} ({k.count})" for k in p.known_places))
    if p.speakers:
        out.append(f"speakers speakers.csv lacks ({len(p.speakers)}):")
        out.extend(f"  {sp.name} ({sp.type}; as written: {sp.surface}), {_times(sp.count)}" for sp in p.speakers)
    if p.actors:
        out.append("actors of other stories named beside the attack: "
                   + ", ".join(f"{a.name} ({a.count})" for a in p.actors))
    if p.munitions:
        out.append("munition words the vocabulary lacks: "
                   + ", ".join(f"{m.word} -> {m.munition} ({m.count})" for m in p.munitions))
    if p.munition_kinds:
        out.append("munition kinds counted: " + ", ".join(p.munition_kinds))
    if p.default_party:
        out.append(f"party named most by casualty counts: {p.default_party}")
    return out


# --------------------------------------------------------------------------- I/O


def create_story(seeds_dir: Path, story_id: str, title: str, event_date: str, refs: Sequence[str], *,
                 timezone: str = "+00:00", max_bytes: int = DEFAULT_MAX_BYTES,
                 http: HttpSettings | None = None) -> NewStory:
    """Write seeds/stories/<id>.toml and the proposal files for the reports `refs` (local files or folders,
    copied into seeds/articles/<id>/ unless already in the seeds folder; http(s) URLs, fetched and listed under
    [sources] urls). Refuses (ConfigError) an existing story, a malformed id or date, or reports none of which
    can be read."""
    seeds_dir = Path(seeds_dir)
    stories = seeds_dir / "stories"
    path = stories / f"{story_id}.toml"
    if not _STORY_ID.match(story_id):
        raise ConfigError(f"story id {story_id!r} must be lower-case letters, digits, '.', '_' or '-'",
                          input=story_id, stage="story new")
    if path.exists():
        raise ConfigError("the story exists; refusing to overwrite it (edit it, or delete it first)",
                          input=str(path), stage="story new")
    if not stories.is_dir():
        raise ConfigError("no stories folder here: is --seeds the seeds folder?", input=str(stories),
                          stage="story new")
    try:
        date.fromisoformat(event_date)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", event_date):
            raise ValueError("write it YYYY-MM-DD")
    except ValueError as exc:
        raise ConfigError(f"--date {event_date!r} is not a date: {exc}", input=story_id, stage="story new") from exc
    if not UTC_OFFSET.match(timezone):
        raise ConfigError(f"--timezone {timezone!r} is not a UTC offset such as +03:00", input=story_id,
                          stage="story new")
    articles, rejected = read_reports(refs, story=story_id, max_bytes=max_bytes, http=http)
    if refs and not articles:
        raise ConfigError("none of the reports could be read: " + "; ".join(f"{r.input}: {r.reason}" for r in rejected),
                          input=story_id, stage="story new")
    proposals = _propose_with_bare_story(seeds_dir, story_id, title, event_date, timezone, articles)
    urls = [r.strip() for r in refs if r.strip().lower().startswith(("http://", "https://"))]
    local = [Path(r) for r in refs if r.strip() not in urls and Path(r).exists()]
    seeds, copied = _seed_folders(seeds_dir, story_id, local)
    proposal_dir = f"proposals/{story_id}"
    text = render_story(story_id, title, event_date, proposals, timezone=timezone, seeds=seeds, urls=urls,
                        read_from=list(refs), proposal_dir=proposal_dir)
    with path.open("x", encoding="utf-8") as fh:
        fh.write(text)
    written = []
    files = proposal_files(story_id, proposals)
    if files:
        folder = seeds_dir / proposal_dir
        folder.mkdir(parents=True, exist_ok=True)
        for name, body in files.items():
            (folder / name).write_text(body, encoding="utf-8")
            written.append(folder / name)
    return NewStory(path, tuple(written), tuple(copied), proposals, tuple(rejected))


def _propose_with_bare_story(seeds_dir: Path, story_id: str, title: str, event_date: str, timezone: str,
                             articles: list) -> Proposals:
    """Proposals read with a story that has no places or actors (so that nothing is gated out), written to a
    hidden file of its own name for the time of the reading: the vocabulary loader caches by file name, so the
    real story's name never holds this bare reading."""
    stories = seeds_dir / "stories"
    bare = stories / f".new-{story_id}-{uuid.uuid4().hex[:8]}.toml"
    bare.write_text(f"id = {_q(story_id)}\ntitle = {_q(title)}\nevent_date = {_q(event_date)}\n"
                    f"timezone = {_q(timezone)}\n", encoding="utf-8")
    try:
        vocab = load_vocabulary(seeds_dir, bare.stem)
        return propose(articles, vocab, known_actors(stories, skip=story_id))
    finally:
        bare.unlink(missing_ok=True)


def _seed_folders(seeds_dir: Path, story_id: str, local: list[Path]) -> tuple[list[str], list[Path]]:
    """The story's `seeds` folders: where the local reports already are inside the seeds folder, else
    articles/<id>/, where they are copied (with their .meta.toml sidecars)."""
    if not local:
        return [], []
    root = seeds_dir.resolve()
    inside = [p.resolve() for p in local if p.resolve().is_relative_to(root)]
    if len(inside) == len(local):
        folders = {(p if p.is_dir() else p.parent).relative_to(root).as_posix() for p in inside}
        return sorted(folders), []
    target = seeds_dir / "articles" / story_id
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for p in local:
        if p.is_dir():
            dest = target / p.name
            shutil.copytree(p, dest, dirs_exist_ok=True)
            copied.append(dest)
            continue
        shutil.copy2(p, target / p.name)
        copied.append(target / p.name)
        for side in sidecar_names(p):
            if (p.parent / side).is_file():
                shutil.copy2(p.parent / side, target / side)
    return [f"articles/{story_id}"], copied


def accept_proposals(seeds_dir: Path, story_id: str) -> Accepted:
    """Add the uncommented rows of seeds/proposals/<id>/*.csv to their tables; mark them accepted in the proposal
    file. A row whose alias (or word) the table already holds is passed over; a malformed row is a ConfigError
    naming its file and line, and nothing of that file is added."""
    folder = Path(seeds_dir) / "proposals" / story_id
    if not folder.is_dir():
        raise ConfigError(f"no proposals for story {story_id}", input=str(folder), stage="story accept")
    result = Accepted()
    for name, (target, columns) in TARGETS.items():
        path = folder / name
        if not path.is_file():
            continue
        rows = _uncommented_rows(path, columns)
        if not rows:
            continue
        target_path = Path(seeds_dir) / target
        if name == "munitions.csv":
            added, skipped = _add_munition_words(target_path, rows)
        else:
            added, skipped = _append_rows(target_path, columns, rows, key=1)
        result.added[target] = [_csv_line(r) for _, r in added]
        result.skipped.extend(f"{path}:{n}: {why}" for n, why in skipped)
        _mark(path, {n: f"accepted into {target}" for n, _ in added} | {n: f"already in {target}" for n, _ in skipped})
    return result


def _uncommented_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """(line number, row) of each data row not commented out; the header must be the target's."""
    rows: list[tuple[int, list[str]]] = []
    header_seen = False
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        row = next(csv.reader([line]))
        if not header_seen:
            if tuple(c.strip() for c in row) != columns:
                raise ConfigError(f"line {n}: the header must be {','.join(columns)}", input=str(path),
                                  stage="story accept")
            header_seen = True
            continue
        if len(row) != len(columns):
            raise ConfigError(f"line {n}: {len(row)} fields, the header has {len(columns)} ({','.join(columns)})",
                              input=str(path), stage="story accept")
        if not row[0].strip() or not row[1].strip():
            raise ConfigError(f"line {n}: {columns[0]} and {columns[1]} must not be empty", input=str(path),
                              stage="story accept")
        rows.append((n, [c.strip() for c in row]))
    return rows


def _append_rows(target: Path, columns: tuple[str, ...], rows: list[tuple[int, list[str]]], key: int
                 ) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """Append the rows whose alias (column `key`, with `stories` for speakers) the table lacks."""
    try:
        text = target.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the table: {exc}", input=str(target), stage="story accept") from exc
    existing = list(csv.reader(io.StringIO(text)))
    if not existing or tuple(existing[0]) != columns:
        raise ConfigError(f"the table's header is not {','.join(columns)}", input=str(target), stage="story accept")

    def ident(row: Sequence[str]) -> tuple[str, str]:
        return norm_key(row[key]), (row[5] if len(row) > 5 and columns[5] == "stories" else "")

    have = {ident(r) for r in existing[1:] if len(r) > key}
    added, skipped = [], []
    for n, row in rows:
        if ident(row) in have:
            skipped.append((n, f"{row[key]!r} is already in {target.name}"))
            continue
        have.add(ident(row))
        added.append((n, row))
    if added:
        with target.open("a", encoding="utf-8", newline="") as fh:
            if text and not text.endswith("\n"):
                fh.write("\n")
            for _, row in added:
                fh.write(_csv_line(row) + "\n")
    return added, skipped


def _add_munition_words(vocab_path: Path, rows: list[tuple[int, list[str]]]
                        ) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """Add each word to its kind's list in the vocabulary's [munitions] table (a one-line list, edited in place);
    the file must still parse afterwards, else it is left as it was."""
    text = vocab_path.read_text(encoding="utf-8")
    munitions = tomllib.loads(text).get("munitions", {})
    lines = text.splitlines(keepends=True)
    where = key_lines(text)
    added, skipped = [], []
    for n, (kind, word) in rows:
        word = word.lower()
        if kind not in munitions:
            raise ConfigError(f"line {n}: {kind!r} is not a [munitions] kind ({', '.join(munitions)})",
                              input=str(vocab_path), stage="story accept")
        if any(norm_key(word) == norm_key(w) for ws in munitions.values() for w in ws):
            skipped.append((n, f"{word!r} is already in the vocabulary's [munitions]"))
            continue
        i = where[f"munitions.{kind}"] - 1
        line = lines[i].rstrip("\n")
        if not line.rstrip().endswith("]"):
            raise ConfigError(f"[munitions] {kind} is not a one-line list; add {word!r} by hand",
                              input=str(vocab_path), stage="story accept")
        body = line.rstrip()[:-1].rstrip()
        lines[i] = f"{body}{'' if body.endswith('[') else ', '}{_q(word)}]\n"
        munitions[kind] = [*munitions[kind], word]
        added.append((n, [kind, word]))
    if added:
        new = "".join(lines)
        try:
            tomllib.loads(new)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"adding the words would break the file ({exc}); nothing was changed",
                              input=str(vocab_path), stage="story accept") from exc
        vocab_path.write_text(new, encoding="utf-8")
    return added, skipped


def _mark(path: Path, notes: dict[int, str]) -> None:
    """Turn the proposal file's handled rows into notes ("## accepted into gazetteer.csv: ..."), so that a second
    `accept` finds nothing left to add."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for n, note in notes.items():
        lines[n - 1] = f"## {note}: {lines[n - 1]}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
