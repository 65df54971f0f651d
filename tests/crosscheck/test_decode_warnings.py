"""A report with a few invalid UTF-8 bytes: kept as UTF-8 with U+FFFD, and its warning stored in `errors` (stage
"decode") by every run that reads it (real files, a real run, a real warehouse)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from bench.projects import make_project
from core.config import load_settings
from core.records import WARNING_STAGE
from crosscheck.jobs import collect_local, run_story

STORY = "iran-2020"

# A short report about the story, saved as UTF-8 by someone whose clipboard slipped in three cp1252 bytes.
REPORT = (
    "+++\ntitle = \"Rockets at Al Asad\"\noutlet = \"Test Wire\"\npublished = 2020-01-08\n+++\n"
    "Iran fired 15 missiles at the Al Asad air base and at Erbil, a US official said on Wednesday.\n\n"
    "The base’s commander said “no one was hurt” — the sirens sounded at 01:30 local time.\n"
)


def garbled(text: str) -> tuple[bytes, tuple[int, ...]]:
    """`text` in UTF-8 with a stray 0xE9, 0x92 and 0xFF after words of the body, and the offsets of those bytes."""
    data = text.encode("utf-8")
    out, offsets, last = b"", [], 0
    for word, bad in ((b"missiles", b"\xe9"), (b"official", b"\x92"), (b"commander", b"\xff")):
        cut = data.index(word) + len(word)
        out += data[last:cut]
        offsets.append(len(out))
        out += bad
        last = cut
    return out + data[last:], tuple(offsets)


def test_a_garbled_report_is_kept_and_its_warning_stored_by_every_run(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    data, offsets = garbled(REPORT)
    path = root / "seeds" / "articles" / STORY / "zz-garbled.md"
    path.write_bytes(data)
    settings = load_settings(root / "crosscheck.toml", env={})

    first = run_story(settings, settings.story(STORY))
    second = run_story(settings, settings.story(STORY))  # unchanged file: still read, still warned about

    con = duckdb.connect(str(settings.db_path), read_only=True)
    try:
        rows = con.execute("SELECT run_id, input, stage, reason FROM errors WHERE stage = ? ORDER BY rejected_at",
                           [WARNING_STAGE]).fetchall()
        text = con.execute("SELECT text FROM articles WHERE article_id IN (SELECT article_id FROM article_copies "
                           "WHERE path = ?)", [str(path)]).fetchone()
        statuses = con.execute("SELECT status FROM runs ORDER BY started_at").fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == [first.run_id, second.run_id]
    for _, input_, _, reason in rows:
        assert input_ == str(path)
        assert "3 byte sequences (3 bytes) replaced with U+FFFD" in reason
        assert "byte offsets " + ", ".join(map(str, offsets)) in reason
    assert text is not None
    assert "15 missiles\ufffd at the Al Asad" in text[0] and "base’s commander\ufffd said “no one was hurt”" in text[0]
    assert statuses == [("ok",), ("ok",)]  # a warning is recorded, but nothing was rejected
    assert any(e.stage == WARNING_STAGE for e in second.errors)

    got = collect_local(settings, settings.story(STORY))
    assert got.manifest is not None and str(path) not in got.manifest.reused
    assert [r.input for r in got.rejected if r.stage == WARNING_STAGE] == [str(path)]
